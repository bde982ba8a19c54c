"""Tests of the provaudit Python package against the real binary and fixtures/demo.

Run against the installed wheel (what .ci/python-wheel.sh does, in a fresh venv):

    python -m unittest discover -v -s python/tests

or against a source checkout with `PYTHONPATH=python PROVAUDIT_BIN=target/debug/provaudit`.
With PROVAUDIT_EXPECT_WHEEL=1 the tests also check that the module and the binary are the
installed wheel's. The pyarrow tests print SKIPPED when pyarrow is not importable.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import provaudit
from provaudit.pipeline import ProvauditAudit, shard_dirs

REPO = Path(__file__).resolve().parents[2]
DEMO = str(REPO / "fixtures" / "demo")

try:
    import pyarrow  # noqa: F401

    HAVE_ARROW = True
except ImportError:
    HAVE_ARROW = False
NO_ARROW = "SKIPPED: pyarrow not installed"


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


_tmp: tempfile.TemporaryDirectory[str] | None = None


def setUpModule() -> None:  # one scan of the demo, shared by the tests that only read it
    global _tmp
    _tmp = tempfile.TemporaryDirectory(prefix="provaudit-py-")
    Scratch.tmp = Path(_tmp.name)
    Scratch.demo_audit = provaudit.scan(DEMO, out=Scratch.tmp / "demo")


def tearDownModule() -> None:
    if _tmp is not None:
        _tmp.cleanup()


class Scratch(unittest.TestCase):
    """Tests with the module's temporary directory and its scan of the demo."""

    tmp: Path
    demo_audit: Path


class FlagTests(unittest.TestCase):
    def test_keyword_options_become_flags(self) -> None:
        flags = provaudit.to_flags({
            "text_unit": "file", "near_duplicates": True, "hidden": False, "config": None,
            "exclude": ["*.tmp", "cache/**"], "shard": (1, 4), "threads": 2,
            "fail_on": {"pii.max_record_share": "1%"}, "baseline": Path("prior"),
        })
        self.assertEqual(flags, [
            "--text-unit", "file", "--near-duplicates", "--exclude", "*.tmp",
            "--exclude", "cache/**", "--shard", "1/4", "--threads", "2",
            "--fail-on", "pii.max_record_share=1%", "--baseline", "prior"])

    def test_out_is_not_an_option(self) -> None:
        with self.assertRaises(TypeError):
            provaudit.scan(DEMO, o="x")


class BinaryTests(unittest.TestCase):
    def test_bad_override_is_named(self) -> None:
        with mock.patch.dict(os.environ, {"PROVAUDIT_BIN": "/nonexistent/provaudit"}):
            with self.assertRaises(provaudit.BinaryNotFound) as caught:
                provaudit.binary()
        self.assertIn("PROVAUDIT_BIN", str(caught.exception))

    @unittest.skipUnless(os.environ.get("PROVAUDIT_EXPECT_WHEEL") == "1",
                         "SKIPPED: not running from an installed wheel")
    def test_module_and_binary_come_from_the_wheel(self) -> None:
        env = {k: v for k, v in os.environ.items() if k != "PROVAUDIT_BIN"}
        with mock.patch.dict(os.environ, env, clear=True):
            found = Path(provaudit.binary())
        prefix = Path(sys.prefix).resolve()
        self.assertTrue(found.is_relative_to(prefix), f"{found} is not in {prefix}")
        self.assertTrue(Path(provaudit.__file__).resolve().is_relative_to(prefix))
        version = subprocess.run([str(found), "--version"], capture_output=True, text=True,
                                 check=True).stdout
        self.assertIn(provaudit.__version__, version)


class ScanTests(Scratch):
    def test_scan_equals_the_command_line(self) -> None:
        # The demo has one broken file: exit 1 is a complete audit, returned, not raised.
        cli = self.tmp / "cli"
        done = subprocess.run([provaudit.binary(), "scan", DEMO, "--out", str(cli), "-q"],
                              capture_output=True, check=False)
        self.assertEqual(done.returncode, 1, done.stderr)
        self.assertEqual(self.demo_audit, self.tmp / "demo")
        self.assertTrue((self.demo_audit / "summary.json").is_file())
        self.assertEqual((self.demo_audit / "ledger.jsonl").read_bytes(),
                         (cli / "ledger.jsonl").read_bytes())
        statuses = {json.loads(line)["status"] for line in lines(cli / "ledger.jsonl")}
        self.assertTrue(statuses & {"error", "partial"}, statuses)

    def test_default_out_is_a_new_directory(self) -> None:
        audit = provaudit.scan([DEMO], include=["web-zh/**"], no_report=True)
        try:
            self.assertTrue((audit / "summary.json").is_file())
            self.assertNotEqual(audit.resolve(), Path.cwd().resolve())
            paths = [json.loads(line)["path"] for line in lines(audit / "ledger.jsonl")]
            self.assertTrue(paths and all(p.startswith("web-zh/") for p in paths), paths)
        finally:
            import shutil

            shutil.rmtree(audit)

    def test_options_reach_the_binary(self) -> None:
        audit = provaudit.scan(DEMO, out=self.tmp / "file-unit", text_unit="file",
                               no_report=True)
        summary = json.loads((audit / "summary.json").read_text(encoding="utf-8"))
        self.assertIn("file", json.dumps(summary.get("options")))
        self.assertFalse((audit / "disclosure.md").exists())
        self.assertNotEqual((audit / "ledger.jsonl").read_bytes(),
                            (self.demo_audit / "ledger.jsonl").read_bytes())

    def test_unusable_arguments_raise_scan_error(self) -> None:
        with self.assertRaises(provaudit.ScanError) as caught:
            provaudit.scan(self.tmp / "no-such-dir", out=self.tmp / "missing")
        err = caught.exception
        self.assertEqual(err.returncode, 2)
        self.assertTrue(err.stderr.strip())
        self.assertIn("scan", err.command)

    def test_broken_policy_raises_with_the_audit(self) -> None:
        out = self.tmp / "gated"
        with self.assertRaises(provaudit.PolicyViolation) as caught:
            provaudit.scan(DEMO, out=out, fail_on={"pii.max_record_share": 0})
        err = caught.exception
        self.assertEqual(err.returncode, 3)
        self.assertEqual(err.audit_dir, out)
        self.assertTrue((out / "summary.json").is_file())
        self.assertTrue(err.violations)
        self.assertTrue(all("source" in v for v in err.violations), err.violations)
        self.assertNotIsInstance(err, provaudit.ScanError)

    def test_merge_of_one_shard_each(self) -> None:
        shards = [provaudit.scan(DEMO, out=self.tmp / f"m{i}", shard=(i, 2), no_report=True)
                  for i in range(2)]
        merged = provaudit.merge(shards, out=self.tmp / "merged")
        self.assertEqual((merged / "ledger.jsonl").read_bytes(),
                         (self.demo_audit / "ledger.jsonl").read_bytes())


class ArrowTests(Scratch):
    def test_missing_pyarrow_says_what_to_install(self) -> None:
        blocked = {name: None for name in ("pyarrow", "pyarrow.parquet", "pyarrow.json")}
        with mock.patch.dict(sys.modules, blocked):
            with self.assertRaises(ImportError) as caught:
                provaudit.ledger(self.demo_audit)
        self.assertIn("provaudit[arrow]", str(caught.exception))

    def test_not_an_audit_directory(self) -> None:
        with self.assertRaises(FileNotFoundError) as caught:
            provaudit.findings(self.tmp)
        self.assertIn("not a provaudit audit directory", str(caught.exception))

    @unittest.skipUnless(HAVE_ARROW, NO_ARROW)
    def test_ledger_table_has_a_row_per_file(self) -> None:
        table = provaudit.ledger(self.demo_audit)
        rows = [json.loads(line) for line in lines(self.demo_audit / "ledger.jsonl")]
        self.assertEqual(table.num_rows, len(rows))
        self.assertEqual(table.column("path").to_pylist(), [r["path"] for r in rows])
        self.assertIn("sha256", table.column_names)

    @unittest.skipUnless(HAVE_ARROW, NO_ARROW)
    def test_findings_table_has_a_row_per_line(self) -> None:
        table = provaudit.findings(self.demo_audit)
        rows = [json.loads(line) for line in lines(self.demo_audit / "findings.jsonl")]
        self.assertGreater(len(rows), 0)
        self.assertEqual(table.num_rows, len(rows))
        self.assertEqual(table.column("type").to_pylist(), [r["type"] for r in rows])
        self.assertEqual(table.schema.field("record").type, pyarrow.int64())

    @unittest.skipUnless(HAVE_ARROW, NO_ARROW)
    def test_no_findings_is_an_empty_table_with_the_columns(self) -> None:
        audit = provaudit.scan(DEMO, out=self.tmp / "none", findings="none", no_report=True)
        table = provaudit.findings(audit)
        self.assertEqual(table.num_rows, 0)
        self.assertEqual(table.schema, provaudit.findings_schema())


class Doc:
    """A stand-in for datatrove's Document: the step must pass it through untouched."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.metadata: dict[str, str] = {}


class PipelineTests(Scratch):
    def test_ranks_audit_shards_that_merge_to_the_whole(self) -> None:
        out = self.tmp / "pipeline"
        step = ProvauditAudit(DEMO, out, no_report=True)
        docs = [Doc("a"), Doc("b")]
        for rank in range(3):
            passed = list(step(iter(docs), rank=rank, world_size=3))
            self.assertEqual([id(d) for d in passed], [id(d) for d in docs])
            self.assertEqual(step.audit_dir, shard_dirs(out, 3)[rank])
        merged = provaudit.merge(shard_dirs(out, 3), out=out / "merged")
        self.assertEqual((merged / "ledger.jsonl").read_bytes(),
                         (self.demo_audit / "ledger.jsonl").read_bytes())

    def test_one_task_writes_the_audit_itself(self) -> None:
        out = self.tmp / "single-task"
        self.assertEqual(list(ProvauditAudit(DEMO, out, no_report=True).run(None)), [])
        self.assertEqual((out / "ledger.jsonl").read_bytes(),
                         (self.demo_audit / "ledger.jsonl").read_bytes())

    def test_gates_are_refused_on_shards(self) -> None:
        step = ProvauditAudit(DEMO, self.tmp / "refused", policy="policy.toml")
        with self.assertRaises(ValueError):
            list(step.run(None, rank=0, world_size=2))
        self.assertFalse((self.tmp / "refused").exists())

    def test_is_a_datatrove_step_when_datatrove_is_installed(self) -> None:
        with contextlib.suppress(ImportError):
            base = importlib.import_module("datatrove.pipeline.base").PipelineStep
            self.assertIsInstance(ProvauditAudit(DEMO, self.tmp / "dt"), base)
            return
        self.skipTest("SKIPPED: datatrove not installed")


if __name__ == "__main__":
    unittest.main()
