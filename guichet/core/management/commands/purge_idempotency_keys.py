from django.core.management.base import BaseCommand

from guichet.core.idempotency import idempotency_keys_purge


class Command(BaseCommand):
    help = "Supprime les clés d'idempotence de plus d'un jour (les doubles envois arrivent en quelques minutes)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{idempotency_keys_purge()} clé(s) supprimée(s).")
