import time

from django.core.management.base import BaseCommand

from guichet.notifications.services import notification_deliver_batch


class Command(BaseCommand):
    help = (
        "Envoie les notifications dues par lots (plusieurs processus peuvent tourner en parallèle : chaque "
        "notification n'est prise que par l'un d'eux). S'arrête quand il n'y a plus rien à envoyer, sauf avec --every."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=200, help="Notifications prises à la fois.")
        parser.add_argument(
            "--every", type=float, default=0, help="Tourne en boucle : attend N secondes quand rien n'est dû."
        )

    def handle(self, *args, batch: int, every: float, **options):
        totals: dict[str, int] = {}
        while True:
            outcomes = notification_deliver_batch(limit=batch)
            for outcome, count in outcomes.items():
                totals[outcome] = totals.get(outcome, 0) + count
            if outcomes:
                continue
            if every <= 0:
                break
            time.sleep(every)
        summary = ", ".join(f"{outcome}={count}" for outcome, count in sorted(totals.items())) or "rien à envoyer"
        self.stdout.write(f"Notifications : {summary}.")
