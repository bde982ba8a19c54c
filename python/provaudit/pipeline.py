"""A datatrove pipeline step that audits a dataset folder with provaudit.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from provaudit.pipeline import ProvauditAudit, shard_dirs

    executor = LocalPipelineExecutor(
        pipeline=[ProvauditAudit("s3://lake/sft", "audits/sft"), JsonlReader("s3://lake/sft"), ...],
        tasks=8)
    executor.run()
    provaudit.merge(shard_dirs("audits/sft", 8), out="audits/sft/merged")

Each task (rank R of W) runs `provaudit scan DATA --shard R/W --out OUT/shard-0000R
--resume`, then passes its documents through unchanged, so the step can stand anywhere in
a pipeline. The W shard audits merge into one that equals an unsharded scan (ledger rows,
Merkle root, totals); with one task the audit is written to OUT itself. provaudit lists
and shards the folder on its own (by path hash, independent of datatrove's file order),
so every file is audited exactly once whatever the readers do.

The module imports without datatrove: the step then has datatrove's PipelineStep shape
(`run(data, rank, world_size)`, calling it runs it) and works in any executor that calls
steps that way. With datatrove installed it is a real PipelineStep subclass, so
datatrove's stats and dependency checks apply.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable, Iterator

import provaudit

try:  # pragma: no cover - depends on what is installed
    from datatrove.pipeline.base import PipelineStep as _StepBase
except ImportError:
    _StepBase = object

__all__ = ["ProvauditAudit", "shard_dirs"]

# Gates judge per-source shares, which one shard sees only a part of.
_POLICY_OPTIONS = ("policy", "fail_on")


def shard_dirs(output_folder: str | os.PathLike[str], world_size: int) -> list[Path]:
    """The per-rank audit directories of a run with `world_size` tasks, in rank order."""
    return [Path(output_folder) / f"shard-{rank:05d}" for rank in range(world_size)]


class ProvauditAudit(_StepBase):  # type: ignore[misc, valid-type]
    """Audit `data_folder` (a path or object-store URL) into `output_folder`.

    Keyword options are `provaudit scan` flags, as in `provaudit.scan()`. `policy` and
    `fail_on` are refused when the run has more than one task: check the merged audit
    (`provaudit verify MERGED --ledger-only --policy FILE`).
    """

    name = "provaudit audit"
    type = "AUDIT"

    def __init__(self, data_folder: str | os.PathLike[str],
                 output_folder: str | os.PathLike[str], **options: Any) -> None:
        super().__init__()
        self.data_folder = os.fspath(data_folder)
        self.output_folder = Path(output_folder)
        if "shard" in options or "out" in options:
            raise TypeError("ProvauditAudit sets --shard and --out from the task's rank; "
                            "drop them from the options")
        self.options = options
        self.audit_dir: Path | None = None

    def audit(self, rank: int = 0, world_size: int = 1) -> Path:
        """Run this task's scan (resumable) and return its audit directory."""
        options = dict(self.options)
        if world_size > 1:
            gates = [name for name in _POLICY_OPTIONS if options.get(name)]
            if gates:
                raise ValueError(f"{', '.join(gates)} would judge each of the {world_size} "
                                 "shards on a part of the data; check the merged audit instead")
            out = shard_dirs(self.output_folder, world_size)[rank]
            options.update(shard=(rank, world_size), resume=True)
        else:
            out = self.output_folder
        self.audit_dir = provaudit.scan(self.data_folder, out=out, **options)
        return self.audit_dir

    def run(self, data: Iterable[Any] | None = None, rank: int = 0,
            world_size: int = 1) -> Iterator[Any]:
        # Scan first: unusable arguments fail the task before any document is processed.
        self.audit(rank, world_size)
        if data:
            yield from data

    def __call__(self, data: Iterable[Any] | None = None, rank: int = 0,
                 world_size: int = 1) -> Iterator[Any]:
        return self.run(data, rank, world_size)
