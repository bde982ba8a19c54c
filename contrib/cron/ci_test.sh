#!/usr/bin/env bash
# End-to-end test of contrib/cron/provaudit-scheduled (the script cron and the systemd
# timer run) on a temporary copy of fixtures/demo:
#   1. first run: a complete audit, no baseline, DIR/latest points at it;
#   2. second run: reuses the first as --baseline (summary.json → incremental says every
#      readable file was reused), the same ledger rows, changes.json written;
#   3. a policy that breaks: exit 3, the violations on stderr and to the --alert command,
#      DIR/latest advanced, --keep 2 prunes the oldest run;
#   4. a scan that cannot run (missing root): exit 2, DIR/latest unchanged, no run left;
#   5. a run while another holds the lock: exit 75;
#   6. the systemd units pass `systemd-analyze verify` (SKIPPED without it).
#
#   PROVAUDIT_BIN=target/debug/provaudit bash contrib/cron/ci_test.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
script="$here/provaudit-scheduled"
bin=${PROVAUDIT_BIN:-$repo/target/debug/provaudit}
[ -x "$bin" ] || { echo "FAIL: set PROVAUDIT_BIN to a built provaudit binary ($bin is not one)" >&2; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

tmp=$(mktemp -d /tmp/pacron.XXXXXX)
passed=0
finish() {
  local rc=$?
  if [ "$rc" = 0 ]; then rm -rf "$tmp"; else echo "outputs kept in $tmp"; echo "cron-ci: $passed passed, 1 failed"; fi
}
trap finish EXIT
ok() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { echo "FAIL - $*" >&2; for f in "$tmp"/*.out "$tmp"/*.err; do [ -s "$f" ] && sed "s/^/    $(basename "$f") | /" "$f" >&2; done; exit 1; }

# Runs the script: sched NAME EXPECTED_EXIT [script args...]
sched() {
  local name=$1 expected=$2 rc=0
  shift 2
  bash "$script" --provaudit "$bin" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
  [ "$rc" = "$expected" ] || fail "$name: exit $rc, expected $expected"
}
# summary.json field via Python's json (a dotted path), empty when absent.
field() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2].split("."):
    value = value.get(key) if isinstance(value, dict) else None
print("" if value is None else value)
EOF
}
latest() { readlink "$tmp/audits/latest"; }

cp -a "$repo/fixtures/demo" "$tmp/data"
# Old modification times: a file changed within two seconds of the prior scan is re-hashed
# before its row is reused, which would blur what this test checks.
find "$tmp/data" -exec touch -h -d '2025-01-01 00:00:00' {} +
audits="$tmp/audits"

echo "== 1. first run"
sched first 0 --audits "$audits" -- "$tmp/data"
run1=$(latest)
[ -f "$audits/$run1/summary.json" ] || fail "latest ($run1) is not a complete audit"
grep -q "no baseline (first run)" "$tmp/first.out" || fail "first run did not say it had no baseline"
grep -q "some files had read errors" "$tmp/first.out" || fail "read errors (the demo's broken file) not logged"
[ ! -s "$tmp/first.err" ] || fail "first run wrote to stderr (cron would mail it)"
[ -z "$(field "$audits/$run1/summary.json" incremental)" ] || fail "first run reports a baseline"
ok "first run: complete audit $run1, exit 0, nothing on stderr"

echo "== 2. second run reuses the first as baseline"
sleep 1  # a new run id (second resolution)
sched second 0 --audits "$audits" -- "$tmp/data"
run2=$(latest)
[ "$run2" != "$run1" ] || fail "latest did not advance"
s2="$audits/$run2/summary.json"
reused=$(field "$s2" incremental.reused_files)
readable=$(python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["status"] in ("ok", "partial")))' "$audits/$run1/ledger.jsonl")
[ -n "$reused" ] && [ "$reused" -gt 0 ] || fail "summary.json → incremental.reused_files is '$reused'"
[ "$reused" -ge "$readable" ] || fail "reused $reused files, but $readable were read cleanly the first time"
[ "$(field "$s2" incremental.baseline)" = "$(field "$audits/$run1/summary.json" audit_id)" ] \
  || [ -z "$(field "$audits/$run1/summary.json" audit_id)" ] || fail "incremental.baseline does not name the first audit"
cmp -s "$audits/$run1/ledger.jsonl" "$audits/$run2/ledger.jsonl" || fail "the incremental ledger differs from the full one"
[ -s "$audits/$run2/changes.json" ] || fail "no changes.json (provaudit diff) in the second run"
grep -q "baseline ${run1#runs/}:" "$tmp/second.out" || fail "the log line does not name the baseline"
ok "second run: $reused file(s) reused from $run1 (summary.json → incremental), same ledger, changes.json"

echo "== 3. a broken policy: exit 3, alert, latest advances, --keep 2 prunes"
printf '[pii]\nmax_record_share = 0.0\n' >"$tmp/policy.toml"
sleep 1
sched policy 3 --audits "$audits" --policy "$tmp/policy.toml" --keep 2 \
  --alert "cat >'$tmp/alert.txt'" -- "$tmp/data"
run3=$(latest)
[ "$run3" != "$run2" ] && [ -f "$audits/$run3/summary.json" ] || fail "latest did not advance to the complete policy run"
grep -q "POLICY BROKEN" "$tmp/policy.err" || fail "exit 3 was not reported on stderr"
grep -q "POLICY BROKEN" "$tmp/alert.txt" 2>/dev/null || fail "the --alert command did not get the message"
[ -n "$(field "$audits/$run3/summary.json" policy.violations)" ] || fail "summary.json has no policy violations"
mapfile -t left < <(cd "$audits/runs" && ls -1)
[ "${#left[@]}" = 2 ] && [ ! -e "$audits/$run1" ] && [ -e "$audits/$run2" ] \
  || fail "--keep 2 left: ${left[*]}"
ok "policy run: exit 3, alert sent, latest = $run3, runs kept: ${left[*]}"

echo "== 4. a scan that cannot run"
sched broken 2 --audits "$audits" -- "$tmp/no-such-root"
[ "$(latest)" = "$run3" ] || fail "latest changed after a failed scan"
mapfile -t after < <(cd "$audits/runs" && ls -1)
[ "${after[*]}" = "${left[*]}" ] || fail "a failed run left a folder: ${after[*]}"
grep -q "scan FAILED (exit 2)" "$tmp/broken.err" || fail "the failure was not reported on stderr"
sched usage 2 --audits "$audits" -- "$tmp/data" --out elsewhere
ok "exit 2 for a missing root and for --out in the scan flags; latest unchanged"

echo "== 5. a run while another holds the lock"
if command -v flock >/dev/null 2>&1; then
  flock "$audits/.lock" bash "$script" --provaudit "$bin" --audits "$audits" -- "$tmp/data" \
    >"$tmp/locked.out" 2>"$tmp/locked.err" && rc=0 || rc=$?
  [ "$rc" = 75 ] || fail "exit $rc while the lock was held, expected 75"
  ok "exit 75 while another run holds the lock"
else
  echo "SKIPPED: flock not installed"
fi

echo "== 6. systemd units"
if command -v systemd-analyze >/dev/null 2>&1; then
  # verify needs ExecStart's program to exist: check copies that point at this checkout.
  mkdir "$tmp/units"
  for unit in "$here"/../systemd/provaudit-audit.service "$here"/../systemd/provaudit-audit.timer; do
    sed "s|/usr/local/bin/provaudit-scheduled|$script|" "$unit" >"$tmp/units/$(basename "$unit")"
  done
  # It exits 0 on unknown keys too; any message is a failure here.
  systemd-analyze verify "$tmp/units/provaudit-audit.service" "$tmp/units/provaudit-audit.timer" \
    >"$tmp/verify.out" 2>&1 || fail "systemd-analyze verify failed"
  [ ! -s "$tmp/verify.out" ] || fail "systemd-analyze verify reported problems"
  ok "systemd-analyze verify: provaudit-audit.service, provaudit-audit.timer"
else
  echo "SKIPPED: systemd-analyze not installed"
fi

echo "cron-ci: $passed passed, 0 failed"
