from django.core.management.base import BaseCommand

from guichet.api.demo import seed_demo_appointments


class Command(BaseCommand):
    help = "Crée les pré-demandes, jetons et créneaux de démonstration des API de rendez-vous (si autorisé)."

    def handle(self, *args, **options) -> None:
        seed_demo_appointments(progress=self.stdout.write)
