from django.core.management.base import BaseCommand

from guichet.procedures.identity_documents.predemande import predemande_expire_overdue


class Command(BaseCommand):
    help = "Expire pré-demandes (declared or validated) whose validity period has ended. Safe to run repeatedly."

    def handle(self, *args, **options) -> None:
        count = predemande_expire_overdue()
        self.stdout.write(f"{count} pré-demande(s) expired.")
