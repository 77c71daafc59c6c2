import time

from django.core.management.base import BaseCommand

from guichet.notifications.services import notification_dispatch_due


class Command(BaseCommand):
    help = (
        "Relance l'envoi des notifications en attente dont la tâche a été perdue (par exemple après l'arrêt "
        "brutal d'un worker). Sans risque si lancée plusieurs fois ou en parallèle."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="Nombre maximal de notifications par passage.")
        parser.add_argument(
            "--every", type=int, default=0, help="Tourne en boucle, un passage toutes les N secondes (0 : un seul)."
        )

    def handle(self, *args, limit: int, every: int, **options):
        while True:
            count = notification_dispatch_due(limit=limit)
            self.stdout.write(f"{count} notification(s) relancée(s).")
            if every <= 0:
                return
            time.sleep(every)
