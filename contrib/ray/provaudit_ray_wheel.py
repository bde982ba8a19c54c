#!/usr/bin/env python3
"""A sharded provaudit scan on Ray that ships provaudit as a wheel in the runtime_env.

    python contrib/ray/provaudit_ray_wheel.py --wheel WHEEL --shards N --work-dir DIR \
        --out FINAL [--address ADDR] -- ROOT...

No binary is copied to the nodes by hand: the job's runtime_env is {"pip": [WHEEL]}, so Ray
installs the wheel (the provaudit module and its executable) into the environment of
every worker that runs one of these tasks. Shard I is the task

    provaudit.scan(ROOTS, out=DIR/shard-00I, shard=(I, N), resume=True)

and, once all are done, one more task runs provaudit.merge(...) into FINAL, which equals an
unsharded scan of the same roots. WHEEL is anything pip installs on the nodes: a path that
exists on every node (shared storage), an https:// URL, or `provaudit==X.Y.Z` from your
package index. Ray's pip runtime_env needs `virtualenv` on every node (pip install
virtualenv). DIR and FINAL must be shared storage too (see README.md, "Storage").

This is the short example; provaudit_ray.py is the full driver (per-shard logs, attempts,
cancellation, exit codes) for a binary installed on the nodes.

Exit codes: 0 merged (read errors, if any, are rows in the ledger); 2 a shard or the merge
failed with unusable arguments (provaudit.ScanError: not retried); 3 the merged audit
breaks a policy given with --policy; 4 a task failed after Ray's retries.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

PROG = "provaudit-ray-wheel"


def scan_shard(roots: list[str], index: int, count: int, work: str) -> str:
    """Ray task: one shard with the wheel's provaudit; --resume keeps a complete audit."""
    import provaudit

    width = max(3, len(str(count - 1)))
    out = Path(work) / f"shard-{index:0{width}d}"
    return str(provaudit.scan(roots, out=out, shard=(index, count), resume=True))


def merge_shards(shards: list[str], out: str, policy: str | None) -> str:
    """Ray task: merge the shard audits; a policy is judged here, on whole sources."""
    import provaudit

    return str(provaudit.merge(shards, out=out, policy=policy))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", required=True,
                        help="what pip installs on the nodes: a shared path, a URL or a requirement")
    parser.add_argument("--shards", type=int, required=True)
    parser.add_argument("--work-dir", required=True, help="shared storage for the shard audits")
    parser.add_argument("--out", required=True, help="the merged audit")
    parser.add_argument("--address", default=None, help="Ray address (default: RAY_ADDRESS or local)")
    parser.add_argument("--policy", default=None, help="a policy file checked on the merged audit")
    if "--" not in argv:
        parser.error("put the roots after '--'")
    split = argv.index("--")
    args = parser.parse_args(argv[:split])
    roots = [r if "://" in r else os.path.abspath(r) for r in argv[split + 1:]]
    if not roots or args.shards < 1:
        parser.error("give at least one root after '--' and --shards >= 1")
    wheel = os.path.abspath(args.wheel) if os.path.exists(args.wheel) else args.wheel

    import ray
    from ray.exceptions import RayError, RayTaskError

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    # The whole job's tasks run in an environment with the wheel installed.
    ray.init(address=args.address, runtime_env={"pip": [wheel]}, log_to_driver=False)
    work = os.path.abspath(args.work_dir)
    policy = os.path.abspath(args.policy) if args.policy else None
    try:
        scan = ray.remote(scan_shard).options(max_retries=3)
        shards: list[Any] = ray.get([scan.remote(roots, i, args.shards, work)
                                     for i in range(args.shards)])
        print(f"{PROG}: {len(shards)} shard audits in {work}", file=sys.stderr)
        merged = ray.get(ray.remote(merge_shards).remote(shards, os.path.abspath(args.out),
                                                         policy))
    except RayTaskError as err:
        cause = getattr(err, "cause", None) or err  # the task's own exception
        code = getattr(cause, "returncode", None)
        print(f"{PROG}: {str(cause).strip()}", file=sys.stderr)
        return code if code in (2, 3) else 4
    except RayError as err:  # e.g. the runtime_env could not be set up on a node
        first = (str(err).strip().splitlines() or [type(err).__name__])[-1]
        print(f"{PROG}: {type(err).__name__}: {first}", file=sys.stderr)
        return 4
    finally:
        ray.shutdown()
    print(f"{PROG}: merged audit in {merged}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
