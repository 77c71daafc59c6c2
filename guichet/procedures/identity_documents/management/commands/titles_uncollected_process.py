from django.core.management.base import BaseCommand

from guichet.procedures.identity_documents.handover import titles_uncollected_process


class Command(BaseCommand):
    help = "Reminds holders of titles waiting at the mairie, and destroys those not collected in time (idempotent)."

    def handle(self, *args, **options) -> None:
        run = titles_uncollected_process()
        self.stdout.write(f"reminded={run.reminded} destroyed={run.destroyed}")
