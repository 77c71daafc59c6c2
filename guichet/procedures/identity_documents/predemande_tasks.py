from django_tasks import task

from .predemande import predemande_expire_overdue


@task()
def expire_predemandes() -> int:
    """Daily: pré-demandes past their validity end become expired (same as `manage.py expire_predemandes`)."""
    return predemande_expire_overdue()
