"""The periodic jobs Guichet needs, and a small runner that calls each when it is due.

Every job is an idempotent management command, so running one twice, late, or from two hosts does no harm;
cron or a systemd timer can call the same commands instead of `run_scheduler`.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    command: str
    every_seconds: int


MINUTE, HOUR = 60, 3600
JOBS: tuple[Job, ...] = (
    Job("notifications_dispatch_due", MINUTE),
    Job("titles_production_process", 5 * MINUTE),
    Job("send_appointment_reminders", 15 * MINUTE),
    Job("end_idle_assisted_sessions", 5 * MINUTE),
    Job("expire_predemandes", HOUR),
    Job("titles_uncollected_process", HOUR),
    Job("generate_appointment_slots", 6 * HOUR),
    Job("purge_identity_documents", 24 * HOUR),
    Job("purge_idempotency_keys", 24 * HOUR),
)


def run_due_jobs(last_run: dict[str, float], *, now: float, run: Callable[[str], object] = call_command) -> list[str]:
    """Runs every job whose interval has passed since its last run (or that never ran); returns their names.

    A failing job is logged and retried at its next interval; it never stops the others.
    """
    ran = []
    for job in JOBS:
        if now - last_run.get(job.command, float("-inf")) < job.every_seconds:
            continue
        last_run[job.command] = now
        try:
            run(job.command)
        except Exception:  # a job's failure must not stop the scheduler
            logger.exception("periodic job failed", extra={"job": job.command})
        ran.append(job.command)
    return ran


def run_forever(*, tick_seconds: int = 30, iterations: int | None = None) -> None:
    last_run: dict[str, float] = {}
    done = 0
    while iterations is None or done < iterations:
        run_due_jobs(last_run, now=time.monotonic())
        done += 1
        if iterations is None or done < iterations:
            time.sleep(tick_seconds)
