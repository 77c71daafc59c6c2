"""Background jobs (django-tasks): they take no objects, only run the idempotent processes."""

from django_tasks import task

from .handover import titles_uncollected_process
from .production import titles_production_process


@task()
def titles_production_run() -> dict[str, int]:
    run = titles_production_process()
    return {"started": run.started, "shipped": run.shipped, "made_available": run.made_available}


@task()
def titles_uncollected_run() -> dict[str, int]:
    run = titles_uncollected_process()
    return {"reminded": run.reminded, "destroyed": run.destroyed}
