"""Airflow DAG: a nightly provaudit re-audit, failing the run when the policy is broken.

One BashOperator task runs contrib/cron/provaudit-scheduled, the same tested script a cron
job or systemd timer runs: it re-audits with --baseline of the previous complete audit,
applies the policy, keeps the newest runs and points AUDITS/latest at the new audit. Its
exit code decides the task:
  0  complete audit (read errors, if any, are rows in the ledger)   -> success
  3  complete audit that breaks the policy                          -> failed, alerts
  2  unusable arguments or the scan could not run                   -> failed, alerts
  75 the previous run still holds the lock                          -> skipped
A second task publishes the audit's summary (the incremental reuse and the totals) to the
task log and XCom for downstream tasks.

Configure with Airflow Variables (Admin -> Variables: provaudit_roots, provaudit_audits,
provaudit_policy, provaudit_keep, provaudit_scheduled) or edit the defaults below. Needs on
the workers: provaudit (the binary, or `pip install provaudit` from the wheel: it puts the
binary on the environment's PATH) and contrib/cron/provaudit-scheduled (its path is the
Variable provaudit_scheduled).
Works with Airflow 2.7+ and 3.x.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

try:  # Airflow 3
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.sdk import DAG, task
except ImportError:  # Airflow 2
    from airflow import DAG
    from airflow.decorators import task
    from airflow.operators.bash import BashOperator

EXIT_LOCKED = 75


def setting(name: str, default: str) -> str:
    """A Jinja reference to the Airflow Variable `provaudit_<name>`, read when the task
    runs (not when the scheduler parses this file)."""
    return "{{ var.value.get('provaudit_%s', '%s') }}" % (name, default)


# Roots: space-separated paths or URLs. The values must not contain spaces otherwise.
ROOTS = setting("roots", "/srv/datasets")
AUDITS = setting("audits", "/var/lib/provaudit/audits")
POLICY = setting("policy", "/etc/provaudit/policy.toml")
KEEP = setting("keep", "14")
SCRIPT = setting("scheduled", "/usr/local/bin/provaudit-scheduled")

command = f"{SCRIPT} --audits {AUDITS} --policy {POLICY} --keep {KEEP} -- {ROOTS}"

with DAG(
    dag_id="provaudit_nightly",
    description="Incremental provaudit re-audit with a policy gate",
    schedule="30 2 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,                 # each run audits the data as it is now
    max_active_runs=1,             # the script also locks, this avoids queued duplicates
    default_args={
        "retries": 0,              # exit 2 and 3 give the same answer when retried
        "email_on_failure": True,  # or on_failure_callback=... to page or post
        "execution_timeout": timedelta(hours=12),
    },
    tags=["provaudit", "data-governance"],
) as dag:
    audit = BashOperator(
        task_id="reaudit",
        bash_command=command,
        skip_on_exit_code=EXIT_LOCKED,
    )

    @task
    def publish(audits: str) -> dict:
        """Log and return (XCom) the new audit's reuse figures and totals."""
        latest = Path(audits) / "latest"
        summary = json.loads((latest / "summary.json").read_text(encoding="utf-8"))
        figures = {
            "audit": str(latest.resolve()),
            "incremental": summary.get("incremental"),
            "totals": {k: v for k, v in (summary.get("totals") or {}).items()
                       if isinstance(v, (int, float))},
        }
        print(json.dumps(figures, indent=2))
        return figures

    audit >> publish(AUDITS)
