#!/usr/bin/env bash
# CI test of contrib/ray/provaudit_ray.py on a one-node Ray cluster on this machine.
#
#   PROVAUDIT_BIN=target/release/provaudit bash contrib/ray/ci_test.sh [DATASET]
#
# PROVAUDIT_BIN defaults to the newer of target/release/provaudit and target/debug/provaudit.
# DATASET (default fixtures/demo) is given relative to the repository root, since roots are
# recorded as given. Steps:
#  1. unit tests of the driver (no cluster);
#  2. a Ray head on this machine (setsid'd `ray start --head --block`, ended on exit);
#  3. the real binary, 3 shards, shard 1's first attempt killed by the testing hook:
#     the retry is logged and the merge equals an unsharded scan (ledger.jsonl byte for
#     byte, summary.json's ledger.merkle_root and totals);
#  4. the same command again: every shard reuses its audit (summary.json untouched);
#  5. failure modes with the fake binary: unusable arguments fail fast without a retry;
#     a shard that always crashes exhausts its retries (exit 4) and a rerun resumes;
#  6. with PROVAUDIT_WHEEL=WHEEL: provaudit_ray_wheel.py ships the wheel in the job's
#     runtime_env and merges 2 shards scanned by provaudit.scan in Ray tasks.
# Installs nothing: without `ray` it prints SKIPPED and exits 0.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
driver="$here/provaudit_ray.py"
fake="$here/tests/fake_provaudit.py"

if ! python3 -c 'import ray' >/dev/null 2>&1; then
  echo "SKIPPED: ray not installed"
  exit 0
fi

bin=${PROVAUDIT_BIN:-}
if [ -z "$bin" ]; then  # the newer of the release and debug builds
  for candidate in "$repo/target/release/provaudit" "$repo/target/debug/provaudit"; do
    if [ -x "$candidate" ] && { [ -z "$bin" ] || [ "$candidate" -nt "$bin" ]; }; then
      bin=$candidate
    fi
  done
fi
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  echo "FAIL: set PROVAUDIT_BIN to a built provaudit binary (none at target/{release,debug})" >&2
  exit 1
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
cd "$repo"
dataset=${1:-fixtures/demo}
[ -e "$dataset" ] || { echo "FAIL: dataset $dataset not found" >&2; exit 1; }
"$bin" merge --help >/dev/null 2>&1 || { echo "FAIL: $bin has no merge subcommand" >&2; exit 1; }

passed=0
tmp=$(mktemp -d /tmp/prray.XXXXXX)  # short: Ray's socket paths must stay under 107 bytes
head_pid=""

finish() {
  local rc=$?
  if [ -n "$head_pid" ]; then
    # Stop only the cluster this script started: SIGTERM makes `ray start --block` stop its
    # processes; whatever is left in its process group is killed. (`ray stop --force`
    # would kill every Ray process on the machine, other users' clusters included.)
    kill -TERM "$head_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$head_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$head_pid" 2>/dev/null || true
  fi
  if [ "$rc" = 0 ]; then
    rm -rf "$tmp"
  else
    echo "outputs kept in $tmp"
    echo "ray-ci: $passed passed, 1 failed"
  fi
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ok() { passed=$((passed + 1)); echo "ok - $*"; }
fail() {
  echo "FAIL - $*" >&2
  exit 1
}
show() { sed 's/^/    | /' "$1"; }
now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}s')" "$1" "$(now)"; }

# Runs the driver: run_driver NAME EXPECTED_EXIT [env assignments...] -- driver args...
run_driver() {
  local name=$1 expected=$2 rc=0 started
  shift 2
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  started=$(now)
  env ${envs[@]+"${envs[@]}"} timeout 900 python3 "$driver" --address "127.0.0.1:$port" "$@" \
    >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
  echo "  $name: driver exited $rc in $(elapsed "$started")"
  show "$tmp/$name.err"
  if [ "$rc" != "$expected" ]; then
    show "$tmp/$name.out"
    fail "$name: driver exited $rc, expected $expected"
  fi
  if grep -q "Traceback" "$tmp/$name.err"; then fail "$name: a traceback on stderr"; fi
}

# (inode, mtime, size) of every shard's summary.json: a rescan replaces the file.
identities() { python3 - "$@" <<'EOF'
import os, sys
for d in sys.argv[1:]:
    st = os.stat(os.path.join(d, "summary.json"))
    print(d, st.st_ino, st.st_mtime_ns, st.st_size)
EOF
}

same_audit() {  # same_audit A B: ledger.jsonl bytes, Merkle root and totals agree
  cmp -s "$1/ledger.jsonl" "$2/ledger.jsonl" || fail "ledger.jsonl of $1 and $2 differ"
  python3 - "$1/summary.json" "$2/summary.json" <<'EOF' || fail "summary.json of $1 and $2 disagree"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
bad = [k for k in ("merkle_root", "rows") if a["ledger"].get(k) != b["ledger"].get(k)]
if a["totals"] != b["totals"]:
    bad.append("totals")
if bad:
    print("differs in: " + ", ".join(bad), file=sys.stderr)
    sys.exit(1)
EOF
}

echo "== 1. driver unit tests"
python3 -m unittest discover -s "$here/tests" 2>"$tmp/unit.err" || { show "$tmp/unit.err"; fail "unit tests"; }
ok "$(grep -E '^Ran ' "$tmp/unit.err")"

echo "== 2. local Ray head"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Token authentication with a token of this run, for the head and the drivers alike:
# Ray listens on every interface, and otherwise whether the head enables tokens depends
# on a ~/.ray/auth_token left by earlier local runs, which a driver given an explicit
# address does not use (Ray 2.60). Older Rays ignore these variables.
RAY_AUTH_TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
export RAY_AUTH_MODE=token RAY_AUTH_TOKEN
started=$(now)
RAY_USAGE_STATS_ENABLED=0 setsid python3 -m ray.scripts.scripts start --head --block \
  --node-ip-address=127.0.0.1 --port="$port" --num-cpus=2 --include-dashboard=false \
  --disable-usage-stats --temp-dir="$tmp/ray" >"$tmp/head.log" 2>&1 </dev/null &
head_pid=$!
for _ in $(seq 1 360); do  # up to 180 s: a busy 2-core machine can take a while
  grep -q "Ray runtime started" "$tmp/head.log" && break
  kill -0 "$head_pid" 2>/dev/null || { show "$tmp/head.log"; fail "ray start exited"; }
  sleep 0.5
done
grep -q "Ray runtime started" "$tmp/head.log" || { show "$tmp/head.log"; fail "ray start timed out"; }
ok "Ray head on port $port up in $(elapsed "$started")"

echo "== 3. real binary: 3 shards, shard 1's first attempt killed, merged"
single_rc=0
"$bin" scan "$dataset" --out "$tmp/single" -q || single_rc=$?
case $single_rc in 0|1) ;; *) fail "unsharded scan exited $single_rc" ;; esac
real=(--shards 3 --work-dir "$tmp/work" --out "$tmp/merged" --provaudit "$bin" -- "$dataset")
run_driver sharded "$single_rc" PROVAUDIT_RAY_FAIL_ONCE=1 -- "${real[@]}"
grep -q "shard 1/3: attempt 1 failed .*PROVAUDIT_RAY_FAIL_ONCE.*Ray retried it" "$tmp/sharded.err" \
  || fail "the driver did not log shard 1's retry"
grep -q "shard 1/3 scanned .* after 2 attempts" "$tmp/sharded.err" \
  || fail "shard 1 did not complete on its second attempt"
ok "shard 1 failed once, was retried by Ray and completed"
same_audit "$tmp/merged" "$tmp/single"
ok "merged audit equals the unsharded scan (ledger.jsonl, merkle_root, totals; exit $single_rc)"
if "$bin" verify --help >/dev/null 2>&1; then  # the fake binary has no verify
  "$bin" verify "$tmp/merged" --ledger-only >"$tmp/verify.out" 2>&1 \
    || { show "$tmp/verify.out"; fail "provaudit verify --ledger-only rejects the merged audit"; }
  ok "provaudit verify --ledger-only accepts the merged audit"
fi

echo "== 4. same command again: resume reuses every shard"
shards=("$tmp"/work/shard-*)
[ "${#shards[@]}" = 3 ] || fail "expected 3 shard directories, found ${#shards[@]}"
identities "${shards[@]}" >"$tmp/before.txt"
run_driver resumed "$single_rc" -- "${real[@]}"
identities "${shards[@]}" >"$tmp/after.txt"
cmp -s "$tmp/before.txt" "$tmp/after.txt" || fail "a shard's summary.json was rewritten: rescanned"
[ "$(grep -c 'reused its complete audit' "$tmp/resumed.err")" = 3 ] \
  || fail "the driver did not report 3 reused shards"
same_audit "$tmp/merged" "$tmp/single"
ok "rerun rescanned nothing (shard summary.json files untouched) and merged the same audit"

echo "== 5. failure modes (fake binary)"
# Workers do not inherit the driver's environment: the hooks go in through wrappers.
printf '#!/bin/sh\nFAKE_PROVAUDIT_BAD_SHARD=2 exec "%s" "$@"\n' "$fake" >"$tmp/fake-bad"
printf '#!/bin/sh\ncase " $* " in *" --shard 1/3 "*) kill -9 $$ ;; esac\nexec "%s" "$@"\n' \
  "$fake" >"$tmp/fake-crash"
chmod +x "$tmp/fake-bad" "$tmp/fake-crash"
fake_single_rc=0
"$fake" scan "$dataset" --out "$tmp/fake-single" -q || fake_single_rc=$?

run_driver bad 2 -- --shards 3 --work-dir "$tmp/fake-work-bad" --out "$tmp/fake-bad-out" \
  --provaudit "$tmp/fake-bad" -- "$dataset"
grep -q "shard 2/3 cannot succeed: .*unusable arguments" "$tmp/bad.err" \
  || fail "exit 2 was not reported as unusable arguments"
! grep -q "Ray retried" "$tmp/bad.err" || fail "a shard with unusable arguments was retried"
[ ! -e "$tmp/fake-bad-out" ] || fail "merged although a shard could not succeed"
ok "exit 2 on a shard: no retry, no merge, driver exit 2"

fake_work=(--shards 3 --work-dir "$tmp/fake-work" --out "$tmp/fake-merged")
run_driver crash 4 -- "${fake_work[@]}" --max-retries 1 --provaudit "$tmp/fake-crash" -- "$dataset"
grep -q "shard 1/3 FAILED after 2 attempt(s): .*killed by SIGKILL" "$tmp/crash.err" \
  || fail "exhausted retries were not reported"
[ -f "$tmp/fake-work/shard-000/summary.json" ] && [ -f "$tmp/fake-work/shard-002/summary.json" ] \
  || fail "the shards that did not crash are not complete"
ok "a shard crashing on every attempt: 2 attempts, the others complete, driver exit 4"

run_driver crash-rerun "$fake_single_rc" -- "${fake_work[@]}" --provaudit "$fake" -- "$dataset"
[ "$(grep -c 'reused its complete audit' "$tmp/crash-rerun.err")" = 2 ] \
  && grep -q "shard 1/3 scanned" "$tmp/crash-rerun.err" \
  || fail "the rerun did not scan exactly the failed shard"
same_audit "$tmp/fake-merged" "$tmp/fake-single"
ok "rerun scanned only the failed shard and merged"

echo "== 6. the wheel in runtime_env: provaudit_ray_wheel.py"
if [ -n "${PROVAUDIT_WHEEL:-}" ] && ! python3 -c 'import virtualenv' >/dev/null 2>&1; then
  echo "SKIPPED: virtualenv not installed (Ray's pip runtime_env needs it)"
elif [ -n "${PROVAUDIT_WHEEL:-}" ]; then
  # Ray installs the wheel into each worker's environment; the tasks call provaudit.scan.
  # Roots are recorded as given, and the example makes them absolute for the workers.
  abs_dataset=$(cd "$dataset" && pwd)
  "$bin" scan "$abs_dataset" --out "$tmp/wheel-single" -q || true
  wheel_rc=0
  started=$(now)
  timeout 900 python3 "$here/provaudit_ray_wheel.py" --address "127.0.0.1:$port" \
    --wheel "$PROVAUDIT_WHEEL" --shards 2 --work-dir "$tmp/wheel-work" --out "$tmp/wheel-merged" \
    -- "$abs_dataset" >"$tmp/wheel.out" 2>"$tmp/wheel.err" || wheel_rc=$?
  echo "  wheel: driver exited $wheel_rc in $(elapsed "$started")"
  show "$tmp/wheel.err"
  [ "$wheel_rc" = 0 ] || { show "$tmp/wheel.out"; fail "provaudit_ray_wheel.py exited $wheel_rc"; }
  same_audit "$tmp/wheel-merged" "$tmp/wheel-single"
  ok "the wheel shipped in runtime_env scanned 2 shards; merged audit equals the unsharded scan"
else
  echo "SKIPPED: PROVAUDIT_WHEEL not set (.ci/python-wheel.sh builds the wheel)"
fi

echo "ray-ci: $passed passed, 0 failed"
