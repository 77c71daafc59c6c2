from django.conf import settings
from django.core.management.base import BaseCommand

from guichet.dossiers.services.purge import identity_documents_purge


class Command(BaseCommand):
    help = "Deletes identity documents of dossiers decided more than GUICHET_IDENTITY_DOCUMENT_RETENTION_DAYS ago."

    def handle(self, *args, **options) -> None:
        count = identity_documents_purge()
        days = settings.GUICHET_IDENTITY_DOCUMENT_RETENTION_DAYS
        self.stdout.write(f"{count} identity document(s) purged (retention: {days} days).")
