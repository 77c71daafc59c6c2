from django.core.management.base import BaseCommand

from guichet.mediation.services import assisted_sessions_end_idle


class Command(BaseCommand):
    help = "Termine les sessions accompagnées restées sans activité (idempotent)."

    def handle(self, *args, **options):
        ended = assisted_sessions_end_idle()
        self.stdout.write(f"sessions accompagnées terminées pour inactivité : {ended}")
