"""provaudit from Python: run the bundled binary, read its audits as Arrow tables.

    import provaudit
    audit = provaudit.scan("data/", text_unit="file", exclude=["*.tmp"])
    provaudit.ledger(audit)    # pyarrow.Table, one row per file
    provaudit.findings(audit)  # pyarrow.Table, one row per (masked) occurrence

The module is a thin layer over the `provaudit` executable that the wheel installs: every
option is the command line's, every output is the audit directory's (README.md of the
project documents both). Nothing is re-implemented here, so the Python and command-line
results are the same audit, byte for byte.

Exit codes become Python outcomes:
  0 (every file read cleanly) and 1 (some files had read errors, listed in the ledger):
    scan() returns the audit directory; a file that could not be read is a ledger row with
    status "error", not a failure of the call.
  3 (a policy gate is broken): raises PolicyViolation, which carries the audit directory
    and the violations. The audit is complete, but a gate the caller asked for must not
    pass silently in a pipeline; catch PolicyViolation to go on with the audit.
  2 (unusable arguments, a missing root, an invalid config or policy) and anything else
    (a crash, a signal): raises ScanError with the exit code and provaudit's stderr.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence, Union

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow

__all__ = [
    "BinaryNotFound",
    "PolicyViolation",
    "ProvauditError",
    "ScanError",
    "binary",
    "findings",
    "ledger",
    "merge",
    "scan",
]

try:
    __version__ = importlib.metadata.version("provaudit")
except importlib.metadata.PackageNotFoundError:  # imported from a source checkout
    __version__ = "0+unknown"

log = logging.getLogger("provaudit")

PathLike = Union[str, "os.PathLike[str]"]
BIN_ENV = "PROVAUDIT_BIN"
_EXE = "provaudit.exe" if os.name == "nt" else "provaudit"
EXIT_OK, EXIT_READ_ERRORS, EXIT_USAGE, EXIT_POLICY = 0, 1, 2, 3


class ProvauditError(Exception):
    """A provaudit run that did not produce a usable audit, or no binary to run.

    `returncode` is provaudit's exit code (negative: killed by that signal; None: it did not
    start), `stderr` its error output (provaudit never writes raw personal information
    there), `command` the argument list that was run.
    """

    def __init__(self, message: str, *, returncode: int | None = None, stderr: str = "",
                 command: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr
        self.command = list(command)


class BinaryNotFound(ProvauditError):
    """No provaudit executable: not in this package's wheel, PROVAUDIT_BIN or PATH."""


class ScanError(ProvauditError):
    """Exit 2 (unusable arguments, missing root, invalid config or policy) or a crash."""


class PolicyViolation(ProvauditError):
    """Exit 3: the audit is complete but breaks a policy gate (`policy=`, `fail_on=`).

    `audit_dir` is the complete audit; `violations` the rules broken, as recorded in its
    summary.json (`policy.violations`: rule, source, figure, threshold, message).
    """

    def __init__(self, message: str, *, audit_dir: Path, violations: list[dict[str, Any]],
                 returncode: int, stderr: str, command: Sequence[str]) -> None:
        super().__init__(message, returncode=returncode, stderr=stderr, command=command)
        self.audit_dir = audit_dir
        self.violations = violations


def binary() -> str:
    """The provaudit executable this module runs.

    In order: $PROVAUDIT_BIN; the executable installed by this package's own wheel (found
    through its RECORD, so a `pip install --user`, a venv or a Ray runtime_env all work);
    the scripts directory of the running interpreter; PATH.
    """
    override = os.environ.get(BIN_ENV)
    if override:
        if _is_executable(override):
            return override
        raise BinaryNotFound(f"{BIN_ENV}={override!r} is not an executable file; point it at "
                             "a provaudit binary or unset it to use the installed one")
    for candidate in (_from_wheel(), Path(sysconfig.get_path("scripts")) / _EXE):
        if candidate is not None and _is_executable(candidate):
            return str(candidate)
    on_path = shutil.which("provaudit")
    if on_path:
        return on_path
    raise BinaryNotFound("no provaudit executable: install the wheel (pip install provaudit), "
                         f"put provaudit on PATH, or set {BIN_ENV}")


def _is_executable(path: PathLike) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _from_wheel() -> Path | None:
    """The executable listed in this distribution's RECORD (`../../../bin/provaudit`)."""
    try:
        dist = importlib.metadata.distribution("provaudit")
    except importlib.metadata.PackageNotFoundError:
        return None
    for entry in dist.files or ():
        if entry.name == _EXE and entry.parent.name in ("bin", "Scripts"):
            return Path(str(dist.locate_file(entry))).resolve()
    return None


def scan(paths: PathLike | Iterable[PathLike], out: PathLike | None = None,
         **options: Any) -> Path:
    """Audit `paths` (directories, files or object-store URLs) into `out`; return `out`.

    `out=None` makes a new temporary directory (the caller owns it). Keyword options are
    `provaudit scan` flags: `text_unit="file"` is `--text-unit file`, `near_duplicates=True`
    the bare `--near-duplicates` (False or None: left out), a list repeats the flag
    (`exclude=["*.tmp", "cache/**"]`), a mapping gives RULE=VALUE pairs
    (`fail_on={"pii.max_record_share": "1%"}`), and `shard=(0, 4)` is `--shard 0/4`.
    `quiet` defaults to True (no summary on stdout); notes provaudit prints on stderr are
    logged to the "provaudit" logger as warnings.

    Returns for exit 0 and 1 (see the module docstring); raises PolicyViolation (exit 3),
    ScanError (exit 2, crash) or BinaryNotFound.
    """
    roots = [os.fspath(paths)] if isinstance(paths, (str, os.PathLike)) else \
        [os.fspath(p) for p in paths]
    if not roots:
        raise ValueError("scan() needs at least one path to audit")
    audit_dir = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="provaudit-"))
    return _run("scan", roots, audit_dir, options)


def merge(shards: Iterable[PathLike], out: PathLike, **options: Any) -> Path:
    """`provaudit merge SHARD... --out OUT`: shard audits into one; return `out`.

    Exit codes and exceptions as scan() (exit 2 also when shards are incompatible or one
    is missing).
    """
    shard_dirs = [os.fspath(s) for s in shards]
    if not shard_dirs:
        raise ValueError("merge() needs at least one shard audit directory")
    return _run("merge", shard_dirs, Path(out), options)


def _run(verb: str, inputs: list[str], audit_dir: Path, options: dict[str, Any]) -> Path:
    if "o" in options or "out" in options:
        raise TypeError(f"{verb}(): give the output directory as out=, not as an option")
    options.setdefault("quiet", True)
    command = [binary(), verb, *inputs, "--out", os.fspath(audit_dir), *to_flags(options)]
    done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True,
                          check=False)
    stderr = done.stderr.decode("utf-8", "replace")
    code = done.returncode
    if code in (EXIT_OK, EXIT_READ_ERRORS):
        for line in stderr.splitlines():
            if line.strip():
                log.warning("%s", line)
        return audit_dir
    if code == EXIT_POLICY:
        violations = _violations(audit_dir)
        raise PolicyViolation(
            f"provaudit {verb}: {len(violations)} policy violation(s); the audit is complete "
            f"in {audit_dir}{_tail(stderr)}",
            audit_dir=audit_dir, violations=violations, returncode=code, stderr=stderr,
            command=command)
    what = "unusable arguments" if code == EXIT_USAGE else _describe(code)
    raise ScanError(f"provaudit {verb} failed ({what}){_tail(stderr)}", returncode=code,
                    stderr=stderr, command=command)


def to_flags(options: Mapping[str, Any]) -> list[str]:
    """Keyword options as provaudit flags, in the order given (see scan())."""
    flags: list[str] = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            flags.append(flag)
        elif key == "shard" and isinstance(value, (tuple, list)):
            index, count = value
            flags += [flag, f"{index}/{count}"]
        elif isinstance(value, Mapping):
            for rule, limit in value.items():
                flags += [flag, f"{rule}={limit}"]
        elif isinstance(value, (list, tuple, set, frozenset)):
            for item in (sorted(value) if isinstance(value, (set, frozenset)) else value):
                flags += [flag, _text(item)]
        else:
            flags += [flag, _text(value)]
    return flags


def _text(value: Any) -> str:
    return os.fspath(value) if isinstance(value, os.PathLike) else str(value)


def _describe(code: int) -> str:
    if code < 0:
        return f"killed by signal {-code}"
    return f"exit {code}"


def _tail(stderr: str, limit: int = 2000) -> str:
    text = stderr.strip()
    if not text:
        return ""
    return ":\n" + (text if len(text) <= limit else "..." + text[-limit:])


def _violations(audit_dir: Path) -> list[dict[str, Any]]:
    """summary.json → policy.violations; [] when the summary cannot be read."""
    try:
        summary = json.loads((audit_dir / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    found = (summary.get("policy") or {}).get("violations") or []
    return list(found) if isinstance(found, list) else []


def _arrow() -> Any:
    """pyarrow, imported on first use: scan() works without it."""
    try:
        import pyarrow
    except ImportError as err:
        raise ImportError(
            "provaudit.ledger() and provaudit.findings() need pyarrow: "
            "pip install 'provaudit[arrow]' (or pip install pyarrow)") from err
    return pyarrow


def _audit_file(audit_dir: PathLike, name: str) -> Path:
    path = Path(audit_dir) / name
    if not path.is_file():
        raise FileNotFoundError(f"{os.fspath(audit_dir)} is not a provaudit audit directory "
                                f"(no {name}); give the --out directory of a finished scan")
    return path


def ledger(audit_dir: PathLike) -> pyarrow.Table:
    """ledger.parquet as a pyarrow Table: one row per discovered file."""
    path = _audit_file(audit_dir, "ledger.parquet")
    _arrow()
    import pyarrow.parquet as pq

    return pq.read_table(path)


# The columns every findings line may have (README.md, "Outputs"); other keys that a
# finding carries (e.g. a contamination finding's benchmark item) are added as inferred.
# Fixing these types keeps a table's schema the same whatever lines a scan happened to
# write, and gives an empty audit a table with the same columns.
_FINDINGS_COLUMNS = (
    ("schema_version", "int64"), ("root", "string"), ("file", "string"),
    ("record", "int64"), ("field", "string"), ("start", "int64"), ("end", "int64"),
    ("type", "string"), ("rule", "string"), ("masked", "string"), ("category", "string"),
    ("tag", "string"), ("license", "string"), ("evidence", "string"),
    ("confidence", "string"),
)


def findings_schema() -> pyarrow.Schema:
    pa = _arrow()
    return pa.schema([(name, getattr(pa, kind)()) for name, kind in _FINDINGS_COLUMNS])


def findings(audit_dir: PathLike) -> pyarrow.Table:
    """findings.jsonl as a pyarrow Table; an empty one (same columns) when there are none."""
    path = _audit_file(audit_dir, "findings.jsonl")
    _arrow()
    import pyarrow.json as pj

    schema = findings_schema()
    if path.stat().st_size == 0:
        return schema.empty_table()
    options = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="infer")
    return pj.read_json(path, parse_options=options)


def main() -> None:  # pragma: no cover - `python -m provaudit ARGS` runs the binary
    os.execv(binary(), [binary(), *sys.argv[1:]])
