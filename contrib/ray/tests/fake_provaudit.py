#!/usr/bin/env python3
"""A stand-in for the `provaudit` binary that follows its `scan --shard` / `merge` contract.

It lets the Ray driver's scheduling, retry and resume logic be tested without building the
Rust binary, and lets the failure modes that are hard to provoke in the real tool be
provoked on purpose. It does not analyse anything: a ledger row is a file's path, root,
size and SHA-256.

What it shares with the real tool, because the driver and `ci_test.sh` rely on it:
- `scan ROOT... --out DIR [--shard I/N] [--resume] [-q] [other flags]` writes ledger.jsonl,
  ledger.parquet, findings.jsonl, fingerprints.bin and, last, summary.json, so an
  interrupted scan leaves no summary.json. Shard I/N takes every N-th discovered file.
- `--resume` with a complete audit of the same shard spec and options in DIR prints a note
  and exits with that audit's code without rescanning.
- `merge SHARD_DIR... --out DIR` gives the ledger, Merkle root (RFC 6962) and totals an
  unsharded scan gives, and exits 2 naming missing or incompatible shards.
- Exit codes: 0 ok, 1 some files had read errors (here: a file whose name contains
  "broken"), 2 unusable arguments.

Failure hooks (environment variables, all optional):
- FAKE_PROVAUDIT_FAIL_SHARD=K with FAKE_PROVAUDIT_STATE=DIR: the first scan of shard K
  (remembered by a marker file in DIR) writes part of its outputs and kills itself with
  SIGKILL, as a crashed or OOM-killed scan would.
- FAKE_PROVAUDIT_BAD_SHARD=K: scanning shard K exits 2 (unusable arguments).
- FAKE_PROVAUDIT_SLEEP=SECONDS: each scan sleeps this long, so runs overlap.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import sys
import time
import uuid
from pathlib import Path
from typing import Any

OUTPUTS = ("ledger.jsonl", "ledger.parquet", "findings.jsonl", "fingerprints.bin")


def merkle_root(lines: list[bytes]) -> str:
    """RFC 6962 Merkle tree hash, as the real tool records it for ledger.jsonl lines."""

    def tree(items: list[bytes]) -> bytes:
        if not items:
            return hashlib.sha256(b"").digest()
        if len(items) == 1:
            return hashlib.sha256(b"\x00" + items[0]).digest()
        split = 1 << ((len(items) - 1).bit_length() - 1)
        return hashlib.sha256(b"\x01" + tree(items[:split]) + tree(items[split:])).digest()

    return tree(lines).hex()


def discover(roots: list[str]) -> list[tuple[str, str, Path]]:
    """(root, path relative to it, full path) of every non-hidden file, in ledger order."""
    found: list[tuple[str, str, Path]] = []
    for root in roots:
        base = Path(root)
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for full in files:
            rel = full.name if full == base else full.relative_to(base).as_posix()
            if not any(part.startswith(".") for part in Path(rel).parts):
                found.append((root, rel, full))
    return found


def write_audit(out: Path, rows: list[bytes], summary: dict[str, Any]) -> None:
    """Write the outputs, summary.json last and by rename, as the real tool does."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "ledger.jsonl").write_bytes(b"".join(line + b"\n" for line in rows))
    for name in OUTPUTS[1:]:
        (out / name).write_bytes(b"")
    tmp = out / "summary.json.tmp"
    tmp.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, out / "summary.json")


def parse_shard(spec: str) -> tuple[int, int]:
    """Parse I/N; exit 2 (unusable arguments) when it is not 0 <= I < N."""
    try:
        index, count = (int(part) for part in spec.split("/"))
    except ValueError:
        fail_args(f"--shard wants I/N, got {spec!r}")
    if not 0 <= index < count:
        fail_args(f"--shard {spec}: need 0 <= I < N")
    return index, count


def fail_args(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


def scan(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="provaudit scan")
    parser.add_argument("roots", nargs="+")
    parser.add_argument("-o", "--out", default="provaudit-out")
    parser.add_argument("--shard")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("-q", "--quiet", action="store_true")
    parser.add_argument("--threads", type=int)
    args, passthrough = parser.parse_known_args(argv)
    shard = parse_shard(args.shard) if args.shard else None
    # Unknown flags stand for the real scan options: they must match for --resume.
    options = {"flags": passthrough}
    out = Path(args.out)
    for root in args.roots:
        if not Path(root).exists():
            fail_args(f"root {root} does not exist")
    if shard is not None and os.environ.get("FAKE_PROVAUDIT_BAD_SHARD") == str(shard[0]):
        fail_args(f"shard {shard[0]}: FAKE_PROVAUDIT_BAD_SHARD says these arguments are unusable")

    previous = out / "summary.json"
    if args.resume and previous.is_file():
        old = json.loads(previous.read_text())
        wanted = None if shard is None else {"index": shard[0], "count": shard[1]}
        if old["shard"] == wanted and old["options"] == options and old["roots"] == args.roots:
            print(f"note: {out} already holds a complete audit with the same shard, rules and "
                  "options; not rescanning", file=sys.stderr)
            return int(old["exit_code"])
    previous.unlink(missing_ok=True)

    files = discover(args.roots)
    if shard is not None:
        files = files[shard[0]::shard[1]]
    time.sleep(float(os.environ.get("FAKE_PROVAUDIT_SLEEP", "0")))

    rows: list[bytes] = []
    errors = 0
    for root, rel, full in files:
        data = full.read_bytes()
        status = "error" if "broken" in rel else "ok"
        errors += status == "error"
        row = {"path": rel, "root": root, "bytes": len(data),
               "sha256": hashlib.sha256(data).hexdigest(), "status": status}
        rows.append(json.dumps(row, separators=(",", ":")).encode())

    state = os.environ.get("FAKE_PROVAUDIT_STATE")
    if shard is not None and state and os.environ.get("FAKE_PROVAUDIT_FAIL_SHARD") == str(shard[0]):
        marker = Path(state) / f"failed-shard-{shard[0]}"
        if not marker.exists():
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
            out.mkdir(parents=True, exist_ok=True)
            (out / "ledger.jsonl").write_bytes(b"".join(rows[:1]))
            os.kill(os.getpid(), signal.SIGKILL)

    code = 1 if errors else 0
    summary = {
        "tool": {"name": "fake-provaudit"},
        "audit_id": uuid.uuid4().hex,
        "roots": args.roots,
        "shard": None if shard is None else {"index": shard[0], "count": shard[1]},
        "options": options,
        "ledger": {"rows": len(rows), "merkle_root": merkle_root(rows)},
        "totals": totals(rows),
        "exit_code": code,
    }
    write_audit(out, rows, summary)
    if not args.quiet:
        print(f"scanned {len(rows)} files into {out} ({errors} with read errors)")
    return code


def totals(rows: list[bytes]) -> dict[str, int]:
    parsed = [json.loads(line) for line in rows]
    return {"files": len(parsed), "bytes": sum(r["bytes"] for r in parsed),
            "files_with_errors": sum(r["status"] == "error" for r in parsed)}


def merge(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="provaudit merge")
    parser.add_argument("shards", nargs="+")
    parser.add_argument("-o", "--out", required=True)
    parser.add_argument("-q", "--quiet", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    summaries: list[dict[str, Any]] = []
    for shard_dir in args.shards:
        path = Path(shard_dir) / "summary.json"
        if not path.is_file():
            fail_args(f"{shard_dir} is not a complete audit (no summary.json)")
        summaries.append(json.loads(path.read_text()))
    first = summaries[0]
    if first["shard"] is None:
        fail_args(f"{args.shards[0]} is not a shard audit")
    count = first["shard"]["count"]
    for shard_dir, summary in zip(args.shards, summaries, strict=True):
        if (summary["shard"] is None or summary["shard"]["count"] != count
                or summary["options"] != first["options"] or summary["roots"] != first["roots"]):
            fail_args(f"{shard_dir} was made with other options, roots or shard count")
    present = sorted(s["shard"]["index"] for s in summaries)
    missing = sorted(set(range(count)) - set(present))
    if missing or len(present) != count:
        fail_args(f"shards missing or given twice: have {present}, missing {missing} of {count}")

    roots = first["roots"]
    rows = [line for shard_dir in args.shards
            for line in (Path(shard_dir) / "ledger.jsonl").read_bytes().splitlines()]
    rows.sort(key=lambda line: (roots.index(json.loads(line)["root"]), json.loads(line)["path"]))
    code = max(int(s["exit_code"]) for s in summaries)
    summary = {
        "tool": first["tool"], "audit_id": uuid.uuid4().hex, "roots": roots, "shard": None,
        "options": first["options"],
        "ledger": {"rows": len(rows), "merkle_root": merkle_root(rows)},
        "totals": totals(rows), "exit_code": code,
    }
    write_audit(Path(args.out), rows, summary)
    if args.json:
        print(json.dumps(summary, indent=2, sort_keys=True))
    elif not args.quiet:
        print(f"merged {count} shards, {len(rows)} files, into {args.out}")
    return code


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("scan", "merge"):
        fail_args("usage: fake_provaudit.py scan|merge ...")
    return scan(sys.argv[2:]) if sys.argv[1] == "scan" else merge(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
