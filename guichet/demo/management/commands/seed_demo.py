from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guichet.demo.seeding import TerritoryMissing, seed_demo


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent) : lieux du département 35 et un compte par rôle."

    def handle(self, *args, **options):
        if not getattr(settings, "GUICHET_DEMO_DATA_ALLOWED", False):
            raise CommandError("Les données de démonstration sont interdites avec ces réglages (production).")
        try:
            seed_demo(progress=lambda message: self.stdout.write(f"  {message}"))
        except TerritoryMissing as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
