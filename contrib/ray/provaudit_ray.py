#!/usr/bin/env python3
"""Run one provaudit scan as N shards on a Ray cluster, then merge them into one audit.

Usage:
    python provaudit_ray.py --shards N --work-dir DIR --out FINAL [--address ADDR]
        [--provaudit PATH] [--max-retries 3] [--num-cpus-per-task 1] -- ROOT... [scan flags]

Each shard I is one Ray task running, on whichever node Ray picks,

    provaudit scan --shard I/N --out DIR/shard-00I --resume -q [--threads C] ROOT... [scan flags]

and, once every shard has a complete audit, the driver runs

    provaudit merge DIR/shard-000 ... DIR/shard-(N-1) --out FINAL

and exits with merge's code. The merged audit equals an unsharded scan of the same roots
(ledger rows, Merkle root, totals). DIR must be on storage that every node and the driver
see at the same path (NFS, CephFS, Lustre, or a bucket mounted with JuiceFS or s3fs; not
mountpoint-s3, which cannot rename), because provaudit writes each shard audit as a local
directory and the driver merges them. The roots may be paths on such storage or
object-store URLs (s3://...).

Exit codes: merge's (0 ok, 1 some files had read errors, 2 shards incompatible or missing);
2 for unusable arguments, the driver's or provaudit's (retrying cannot help); 4 when a shard
still failed after every retry or the cluster could not be reached (rerun the same command:
complete shard audits are kept and only the others are scanned again); 130 when interrupted.

Testing hook: PROVAUDIT_RAY_FAIL_ONCE=K makes the first attempt of shard K launch provaudit,
kill it and fail, so a test can watch Ray retry a crashed scan. Never set it in production.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import logging
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import IO, Any, NoReturn

PROG = "provaudit-ray"
EXIT_USAGE = 2
EXIT_SHARDS_FAILED = 4
EXIT_INTERRUPTED = 130
FAIL_ONCE_ENV = "PROVAUDIT_RAY_FAIL_ONCE"
# Flags the driver sets for each shard itself.
DRIVER_FLAGS = ("-o", "--out", "--shard", "--resume")
# Gates judge per-source shares, which one shard only sees a part of.
POLICY_FLAGS = ("--policy", "--fail-on")
CODE_MEANING = {0: "ok", 1: "some files had read errors", 2: "unusable arguments",
                3: "a policy gate is broken"}
DIED_UNREPORTED = "ended without a report (its worker or node died)"


class ShardAttemptFailed(Exception):
    """A scan attempt that a retry may fix: a crash, a signal, a transient I/O error.

    The task raises it so that Ray's task retries (retry_exceptions=True) run the shard
    again. Outcomes a retry cannot change are returned as a ShardOutcome instead.
    """


@dataclasses.dataclass(frozen=True)
class ShardSpec:
    """What a task needs, built on the driver so that every node runs the same command."""

    index: int
    count: int
    command: list[str]
    out_dir: str
    cwd: str
    run_dir: str
    fail_first_attempt: bool


@dataclasses.dataclass(frozen=True)
class ShardOutcome:
    """A definitive result: a complete shard audit (code 0 or 1), or why not to retry."""

    index: int
    node: str
    code: int
    reused: bool
    seconds: float
    fatal: str | None = None


def describe_exit(code: int) -> str:
    """'exit 1 (some files had read errors)' or 'killed by SIGKILL' (-N is signal N)."""
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit {code} ({CODE_MEANING[code]})" if code in CODE_MEANING else f"exit {code}"


def shard_name(index: int, count: int) -> str:
    """shard-007: zero-padded so that `ls` and shell globs list the shards in order."""
    return f"shard-{index:0{max(3, len(str(count - 1)))}d}"


def attempt_path(run_dir: str, index: int, attempt: int) -> Path:
    return Path(run_dir) / f"shard-{index}.attempt-{attempt}"


def claim_attempt(run_dir: str, index: int) -> int:
    """Number this attempt by creating its record file exclusively in the shared run dir.

    Ray does not tell a task which attempt it is, and a retry may land on another node, so
    the count lives on the shared storage; the driver reads the records to log retries.
    """
    attempt = 1
    while True:
        try:
            os.close(os.open(attempt_path(run_dir, index, attempt), os.O_CREAT | os.O_EXCL))
            return attempt
        except FileExistsError:
            attempt += 1


def read_attempts(spec: ShardSpec) -> list[str]:
    """Every attempt's record for this shard in this run, oldest first ('' = no report)."""
    records: list[str] = []
    while (path := attempt_path(spec.run_dir, spec.index, len(records) + 1)).exists():
        records.append(path.read_text().strip())
    return records


def summary_identity(out_dir: str) -> tuple[int, int, int] | None:
    """(inode, mtime, size) of summary.json; unchanged by a run means --resume reused it."""
    try:
        st = os.stat(Path(out_dir) / "summary.json")
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def output_tail(log: IO[bytes], limit: int = 2000) -> str:
    """The end of provaudit's output, indented under the failure line ('' when silent)."""
    log.seek(0, os.SEEK_END)
    log.seek(max(0, log.tell() - limit))
    text = log.read().decode("utf-8", "replace").strip()
    return "".join(f"\n    {line}" for line in text.splitlines())


def cancel_requested() -> bool:
    """Whether ray.cancel() was called on the running task.

    Ray documents a KeyboardInterrupt for that, but (Ray 2.60) it does not reach a task
    waiting on a child process; the task's cancellation flag does get set.
    """
    import ray

    try:
        return ray.get_runtime_context().is_canceled()
    except (AttributeError, RuntimeError):  # not in a Ray worker (unit tests), or older Ray
        return False


def wait_for_scan(proc: subprocess.Popen[bytes]) -> int:
    """proc.wait() in short steps, raising KeyboardInterrupt once the task is cancelled."""
    while True:
        try:
            return proc.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            if cancel_requested():
                raise KeyboardInterrupt("the task was cancelled") from None


def scan_shard(spec: ShardSpec) -> ShardOutcome:
    """Ray task body: scan one shard with --resume; raise ShardAttemptFailed to be retried."""
    import ray.util  # this function runs in a Ray worker process

    node = ray.util.get_node_ip_address()

    def fatal(reason: str) -> ShardOutcome:
        return ShardOutcome(spec.index, node, EXIT_USAGE, False, 0.0, fatal=reason)

    if not os.path.isdir(spec.run_dir):
        return fatal(f"the work dir is not visible on node {node} (no {spec.run_dir}): "
                     "--work-dir must be on storage every node mounts at the same path")
    attempt = claim_attempt(spec.run_dir, spec.index)
    record = attempt_path(spec.run_dir, spec.index, attempt)
    before = summary_identity(spec.out_dir)
    # Relative roots and flag paths mean what they mean in the driver's directory.
    cwd = spec.cwd if os.path.isdir(spec.cwd) else None
    started = time.monotonic()
    with tempfile.TemporaryFile() as log:
        try:
            proc = subprocess.Popen(spec.command, cwd=cwd, stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=subprocess.STDOUT)
        except (FileNotFoundError, PermissionError) as err:
            reason = (f"on node {node}: cannot run {spec.command[0]!r} ({err.strerror}); put "
                      "provaudit on every node's PATH or pass --provaudit with a shared path")
            record.write_text(reason)
            return fatal(reason)
        if spec.fail_first_attempt and attempt == 1:
            proc.kill()
            proc.wait()
            reason = f"on node {node}: testing hook {FAIL_ONCE_ENV} killed provaudit"
            record.write_text(reason)
            raise ShardAttemptFailed(reason)
        try:
            code = wait_for_scan(proc)
        except BaseException:
            # Cancelled (KeyboardInterrupt) or failing: do not leave the scan running.
            proc.kill()
            proc.wait()
            raise
        seconds = time.monotonic() - started
        if code in (0, 1):
            record.write_text("ok")
            reused = before is not None and summary_identity(spec.out_dir) == before
            return ShardOutcome(spec.index, node, code, reused, seconds)
        reason = f"on node {node}: provaudit {describe_exit(code)}{output_tail(log)}"
        record.write_text(reason)
        if code in (2, 3):
            return fatal(reason)
        raise ShardAttemptFailed(reason)


def say(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def usage_error(parser: argparse.ArgumentParser, message: str) -> NoReturn:
    parser.print_usage(sys.stderr)
    say(f"error: {message}")
    sys.exit(EXIT_USAGE)


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """Split at '--': the driver's options before it, the scan's roots and flags after it."""
    parser = argparse.ArgumentParser(
        prog="provaudit_ray.py",
        description="Scan datasets as N provaudit shards on a Ray cluster and merge them.",
        usage="%(prog)s --shards N --work-dir DIR --out FINAL [options] -- ROOT... [scan flags]",
        epilog="Exit codes: merge's (0 ok, 1 read errors, 2 incompatible shards); 2 unusable "
               "arguments; 4 a shard failed after all retries, or no cluster (rerun the same "
               "command to resume); 130 interrupted.")
    parser.add_argument("--shards", type=int, required=True, metavar="N",
                        help="number of shards, one Ray task each")
    parser.add_argument("--work-dir", required=True, metavar="DIR",
                        help="where the shard audits go: storage every node sees at this path")
    parser.add_argument("--out", required=True, metavar="FINAL",
                        help="the merged audit directory, written by the driver")
    parser.add_argument("--address", default=None,
                        help="Ray cluster: auto, HOST:PORT or ray://HOST:10001 (default: "
                             "RAY_ADDRESS if set, else a local Ray started for this run)")
    parser.add_argument("--provaudit", default="provaudit", metavar="PATH",
                        help="the binary: a name looked up on each node's PATH, or a path "
                             "that exists on every node (default: provaudit)")
    parser.add_argument("--max-retries", type=int, default=3, metavar="K",
                        help="Ray retries of a shard whose scan crashed (default 3)")
    parser.add_argument("--num-cpus-per-task", type=float, default=1.0, metavar="C",
                        help="CPUs Ray reserves per shard, also provaudit's --threads unless "
                             "the scan flags set it (default 1)")
    if "--" not in argv:
        usage_error(parser, "put the roots to scan (and any scan flags) after '--'")
    split = argv.index("--")
    args = parser.parse_args(argv[:split])
    scan_args = argv[split + 1:]
    if args.shards < 1:
        usage_error(parser, "--shards must be at least 1")
    if args.max_retries < 0:
        usage_error(parser, "--max-retries must be 0 or more")
    if args.num_cpus_per_task <= 0:
        usage_error(parser, "--num-cpus-per-task must be positive")
    if not scan_args:
        usage_error(parser, "no roots to scan after '--'")
    for arg in scan_args:
        flag = arg.split("=", 1)[0]
        if flag in DRIVER_FLAGS or (arg.startswith("-o") and not arg.startswith("--")):
            usage_error(parser, f"{flag} is set by the driver for each shard; drop it "
                                "(--work-dir and --out say where outputs go)")
        if flag in POLICY_FLAGS:
            usage_error(parser, f"{flag} would judge each shard on a part of the data; run "
                                "`provaudit verify FINAL --ledger-only --policy FILE` on the "
                                "merged audit instead")
    return args, scan_args


def resolve_binary(name: str) -> str | None:
    """The binary the driver merges with; a path is made absolute so tasks use it too."""
    if os.sep in name:
        path = os.path.abspath(name)
        return path if os.path.isfile(path) and os.access(path, os.X_OK) else None
    return shutil.which(name)


def fail_once_index(count: int) -> int | None:
    """The shard named by the testing hook, or None when it is not set."""
    value = os.environ.get(FAIL_ONCE_ENV, "")
    if not value:
        return None
    if not value.isdigit() or int(value) >= count:
        say(f"error: {FAIL_ONCE_ENV}={value!r} is not a shard index below {count}")
        sys.exit(EXIT_USAGE)
    return int(value)


def build_specs(args: argparse.Namespace, scan_args: list[str], task_binary: str,
                work: Path, run_dir: Path) -> list[ShardSpec]:
    """One scan command per shard; the driver's own flags go first so they cannot be eaten
    as the value of a trailing user flag."""
    own_threads = any(arg.split("=", 1)[0] == "--threads" for arg in scan_args)
    threads = [] if own_threads else ["--threads", str(max(1, math.ceil(args.num_cpus_per_task)))]
    fail_index = fail_once_index(args.shards)
    specs = []
    for index in range(args.shards):
        out_dir = str(work / shard_name(index, args.shards))
        command = [task_binary, "scan", "--shard", f"{index}/{args.shards}", "--out", out_dir,
                   "--resume", "-q", *threads, *scan_args]
        specs.append(ShardSpec(index, args.shards, command, out_dir, os.getcwd(),
                               str(run_dir), index == fail_index))
    return specs


def run_shards(specs: list[ShardSpec], args: argparse.Namespace) -> int | None:
    """Run every shard as a Ray task, logging each as it finishes.

    Returns None when every shard has a complete audit, else the driver's exit code. A
    shard that fails after all retries does not stop the others, so that a rerun has less
    to do; one that cannot succeed (exit 2) cancels the rest, which would fail alike.
    """
    import ray
    from ray.exceptions import RayError

    task = ray.remote(scan_shard).options(
        num_cpus=args.num_cpus_per_task, max_retries=args.max_retries,
        retry_exceptions=True, name="provaudit-scan-shard")
    pending: dict[Any, ShardSpec] = {task.remote(spec): spec for spec in specs}
    failed: list[int] = []
    try:
        while pending:
            [ref], _ = ray.wait(list(pending), num_returns=1)
            spec = pending.pop(ref)
            label = f"[{len(specs) - len(pending)}/{len(specs)}] shard {spec.index}/{spec.count}"
            outcome: ShardOutcome | None = None
            error: RayError | None = None
            try:
                outcome = ray.get(ref)
            except RayError as err:
                error = err
            records = read_attempts(spec)
            for number, record in enumerate(records[:-1], start=1):
                say(f"shard {spec.index}/{spec.count}: attempt {number} failed "
                    f"{record or DIED_UNREPORTED}; Ray retried it")
            if outcome is None:
                # The last attempt's record says why; without one its worker or node died.
                last = records[-1] if records else ""
                why = last if last and last != "ok" else \
                    f"{type(error).__name__}: {(str(error).strip().splitlines() or [''])[0]}"
                say(f"{label} FAILED after {len(records)} attempt(s): {why}")
                failed.append(spec.index)
            elif outcome.fatal is not None:
                say(f"{label} cannot succeed: {outcome.fatal}")
                cancel(pending)
                return EXIT_USAGE
            else:
                what = "reused its complete audit" if outcome.reused else \
                    f"scanned in {outcome.seconds:.1f}s"
                retried = f" after {len(records)} attempts" if len(records) > 1 else ""
                say(f"{label} {what} on {outcome.node}{retried}: {describe_exit(outcome.code)}")
    except KeyboardInterrupt:
        cancel(pending)
        say("interrupted; rerun the same command to resume (complete shards are kept)")
        return EXIT_INTERRUPTED
    if failed:
        say(f"{len(failed)} of {len(specs)} shards failed after all retries "
            f"({', '.join(map(str, sorted(failed)))}); the other shard audits are complete: "
            "rerun the same command to scan only the missing ones")
        return EXIT_SHARDS_FAILED
    return None


def cancel(pending: dict[Any, ShardSpec]) -> None:
    """Stop the remaining tasks (each kills its provaudit) and collect their ends quietly."""
    import ray

    for ref in pending:
        ray.cancel(ref)
    for ref in pending:
        # Cancelled, failed or slow to stop: nothing more to learn from it.
        with contextlib.suppress(Exception):
            ray.get(ref, timeout=30)


def main(argv: list[str]) -> int:
    args, scan_args = parse_args(argv)
    try:
        import ray
    except ImportError:
        say("error: Ray is not installed for this Python (pip install ray)")
        return EXIT_USAGE
    binary = resolve_binary(args.provaudit)
    if binary is None:
        say(f"error: provaudit binary {args.provaudit!r} is not found or not executable here, "
            "where the merge runs; pass --provaudit PATH")
        return EXIT_USAGE
    # A bare name is looked up on each node's PATH; a path is used as is everywhere.
    task_binary = binary if os.sep in args.provaudit else args.provaudit

    work = Path(args.work_dir).resolve()
    run_dir = work / ".provaudit-ray" / f"run-{uuid.uuid4().hex[:12]}"
    specs = build_specs(args, scan_args, task_binary, work, run_dir)
    run_dir.mkdir(parents=True)
    # A local Ray started for this run sends no usage statistics (as in ci_test.sh).
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        try:
            ray.init(address=args.address, log_to_driver=False, logging_level=logging.WARNING)
        except Exception as err:  # Ray raises several types for one cause
            first_line = (str(err).strip().splitlines() or [type(err).__name__])[0]
            say(f"error: cannot reach the Ray cluster at "
                f"{args.address or os.environ.get('RAY_ADDRESS') or 'a new local instance'}: "
                f"{first_line}")
            return EXIT_SHARDS_FAILED
        nodes = len([node for node in ray.nodes() if node.get("Alive")])
        cpus = ray.cluster_resources().get("CPU", 0)
        say(f"{args.shards} shard(s) on {nodes} node(s) with {cpus:g} CPUs; "
            f"shard audits in {work}")
        code = run_shards(specs, args)
    finally:
        ray.shutdown()
        shutil.rmtree(run_dir, ignore_errors=True)
    if code is not None:
        return code

    shard_dirs = [spec.out_dir for spec in specs]
    say(f"merging {len(shard_dirs)} shard audits into {args.out}")
    merged = subprocess.run([binary, "merge", *shard_dirs, "--out", args.out],
                            stdin=subprocess.DEVNULL, check=False).returncode
    say(f"merge {describe_exit(merged)}")
    return merged


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:  # outside the shard phase (connecting, merging)
        say("interrupted; rerun the same command to resume (complete shards are kept)")
        sys.exit(EXIT_INTERRUPTED)
