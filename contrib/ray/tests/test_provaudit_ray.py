"""Unit tests of the Ray driver that need no running cluster.

The task body (`scan_shard`) is called directly, in this process, against the fake
provaudit, so its decisions (done, reused, retry, give up) are checked in about a second;
ci_test.sh checks the same paths through a real Ray cluster. Run with
`python3 -m unittest discover -s contrib/ray/tests` (needs `ray` importable).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
import unittest
from pathlib import Path
from typing import Any
from unittest import mock

HERE = Path(__file__).resolve().parent
FAKE = str(HERE / "fake_provaudit.py")
_spec = importlib.util.spec_from_file_location("provaudit_ray", HERE.parent / "provaudit_ray.py")
assert _spec is not None and _spec.loader is not None
driver = importlib.util.module_from_spec(_spec)
sys.modules["provaudit_ray"] = driver  # dataclasses look their module up by name
_spec.loader.exec_module(driver)


class ParseArgsTest(unittest.TestCase):
    def parse_fails(self, argv: list[str]) -> None:
        with self.assertRaises(SystemExit) as raised, mock.patch("sys.stderr"):
            driver.parse_args(argv)
        self.assertEqual(raised.exception.code, 2)

    def test_splits_driver_and_scan_arguments(self) -> None:
        args, scan = driver.parse_args(
            ["--shards", "4", "--work-dir", "w", "--out", "f", "--", "data", "--exclude", "*.bin"])
        self.assertEqual((args.shards, args.max_retries, args.num_cpus_per_task), (4, 3, 1.0))
        self.assertEqual(scan, ["data", "--exclude", "*.bin"])

    def test_rejects_unusable_arguments(self) -> None:
        base = ["--shards", "2", "--work-dir", "w", "--out", "f"]
        self.parse_fails([*base, "data"])  # no '--'
        self.parse_fails([*base, "--"])  # no roots
        self.parse_fails(["--shards", "0", "--work-dir", "w", "--out", "f", "--", "data"])
        for flag in (["--out", "x"], ["--out=x"], ["-ox"], ["--shard", "0/2"], ["--resume"]):
            self.parse_fails([*base, "--", "data", *flag])
        # A policy would judge each shard on part of the data: it belongs after the merge.
        self.parse_fails([*base, "--", "data", "--policy", "p.toml"])
        self.parse_fails([*base, "--", "data", "--fail-on", "pii.max_record_share=0.01"])


class CommandTest(unittest.TestCase):
    def test_shard_names_sort_in_order(self) -> None:
        self.assertEqual(driver.shard_name(7, 64), "shard-007")
        self.assertEqual(driver.shard_name(12, 5000), "shard-0012")

    def test_exit_descriptions(self) -> None:
        self.assertEqual(driver.describe_exit(1), "exit 1 (some files had read errors)")
        self.assertEqual(driver.describe_exit(-9), "killed by SIGKILL")
        self.assertEqual(driver.describe_exit(101), "exit 101")

    def test_threads_follow_reserved_cpus_unless_given(self) -> None:
        argv = ["--shards", "2", "--work-dir", "w", "--out", "f", "--num-cpus-per-task", "1.5",
                "--", "data"]
        args, scan = driver.parse_args(argv)
        specs = driver.build_specs(args, scan, "provaudit", Path("/w"), Path("/w/run"))
        self.assertEqual(specs[1].command[:9], ["provaudit", "scan", "--shard", "1/2", "--out",
                                                "/w/shard-001", "--resume", "-q", "--threads"])
        self.assertEqual(specs[1].command[9:], ["2", "data"])
        specs = driver.build_specs(args, [*scan, "--threads=8"], "provaudit", Path("/w"),
                                   Path("/w/run"))
        self.assertNotIn("--threads", specs[0].command)


class ScanShardTest(unittest.TestCase):
    """scan_shard against the fake, on a three-file dataset with one unreadable file."""

    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="prt-unit."))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        data = self.tmp / "data"
        data.mkdir()
        for name in ("a.txt", "b.txt", "broken.jsonl"):
            (data / name).write_text(name)
        self.run_dir = self.tmp / "work" / ".provaudit-ray" / "run-test"
        self.run_dir.mkdir(parents=True)

    def spec(self, index: int = 0, binary: str = FAKE, fail_first: bool = False,
             run_dir: Path | None = None) -> Any:
        out = self.tmp / "work" / driver.shard_name(index, 3)
        command = [binary, "scan", "--shard", f"{index}/3", "--out", str(out), "--resume",
                   "-q", "data"]
        return driver.ShardSpec(index, 3, command, str(out), str(self.tmp),
                                str(run_dir or self.run_dir), fail_first)

    def test_scans_then_reuses(self) -> None:
        first = driver.scan_shard(self.spec(2))  # shard 2 of 3 holds broken.jsonl
        self.assertEqual((first.code, first.reused, first.fatal), (1, False, None))
        again = driver.scan_shard(self.spec(2))
        self.assertEqual((again.code, again.reused), (1, True))
        self.assertEqual(driver.read_attempts(self.spec(2)), ["ok", "ok"])

    def test_crash_raises_for_a_retry_and_the_retry_completes(self) -> None:
        env = {"FAKE_PROVAUDIT_FAIL_SHARD": "1", "FAKE_PROVAUDIT_STATE": str(self.tmp / "st")}
        with mock.patch.dict(os.environ, env):
            with self.assertRaisesRegex(driver.ShardAttemptFailed, "killed by SIGKILL"):
                driver.scan_shard(self.spec(1))
            done = driver.scan_shard(self.spec(1))
        self.assertEqual((done.code, done.reused), (0, False))
        records = driver.read_attempts(self.spec(1))
        self.assertEqual(len(records), 2)
        self.assertIn("SIGKILL", records[0])

    def test_testing_hook_fails_only_the_first_attempt(self) -> None:
        with self.assertRaisesRegex(driver.ShardAttemptFailed, driver.FAIL_ONCE_ENV):
            driver.scan_shard(self.spec(0, fail_first=True))
        self.assertEqual(driver.scan_shard(self.spec(0, fail_first=True)).code, 0)

    def test_unusable_arguments_are_not_retried(self) -> None:
        with mock.patch.dict(os.environ, {"FAKE_PROVAUDIT_BAD_SHARD": "0"}):
            outcome = driver.scan_shard(self.spec(0))
        self.assertEqual(outcome.code, 2)
        self.assertIn("unusable arguments", outcome.fatal)

    def test_missing_binary_and_unshared_work_dir_are_fatal(self) -> None:
        outcome = driver.scan_shard(self.spec(0, binary=str(self.tmp / "no-such-provaudit")))
        self.assertIn("cannot run", outcome.fatal)
        outcome = driver.scan_shard(self.spec(0, run_dir=self.tmp / "elsewhere"))
        self.assertIn("not visible on node", outcome.fatal)


if __name__ == "__main__":
    unittest.main()
