from django_tasks import task

from .services.purge import identity_documents_purge


@task()
def purge_identity_documents() -> int:
    """Daily: removes identity documents kept past the retention delay (see the management command)."""
    return identity_documents_purge()
