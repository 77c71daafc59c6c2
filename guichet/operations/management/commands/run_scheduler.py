from django.core.management.base import BaseCommand

from guichet.operations.schedule import JOBS, run_forever


class Command(BaseCommand):
    help = "Lance les tâches périodiques (notifications, fabrication, rappels, expirations, purge) à leur rythme."

    def add_arguments(self, parser):
        parser.add_argument("--tick", type=int, default=30, help="secondes entre deux vérifications")
        parser.add_argument(
            "--once", action="store_true", help="exécute une seule fois chaque tâche due, puis s'arrête"
        )

    def handle(self, *args, tick: int, once: bool, **options):
        names = ", ".join(f"{job.command} ({job.every_seconds} s)" for job in JOBS)
        self.stdout.write(f"Tâches périodiques : {names}")
        run_forever(tick_seconds=tick, iterations=1 if once else None)
