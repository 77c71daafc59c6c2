from io import StringIO

import pytest
from django.core.management import call_command, get_commands

from guichet.operations.schedule import JOBS, run_due_jobs


def test_every_scheduled_job_is_an_installed_command():
    assert {job.command for job in JOBS} <= set(get_commands())


def test_jobs_run_when_due_and_a_failure_does_not_stop_the_others():
    calls: list[str] = []

    def run(command: str) -> None:
        calls.append(command)
        if command == "expire_predemandes":
            raise RuntimeError("boom")

    last_run: dict[str, float] = {}
    first = run_due_jobs(last_run, now=1000.0, run=run)
    assert first == [job.command for job in JOBS]  # everything runs at start, the failing one included
    assert run_due_jobs(last_run, now=1030.0, run=run) == []
    assert run_due_jobs(last_run, now=1061.0, run=run) == ["notifications_dispatch_due"]
    assert "titles_production_process" in run_due_jobs(last_run, now=1000.0 + 5 * 60 + 1, run=run)


@pytest.mark.django_db
def test_run_scheduler_once_runs_the_real_commands():
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "notifications_dispatch_due" in out.getvalue()
