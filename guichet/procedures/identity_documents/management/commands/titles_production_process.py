from django.core.management.base import BaseCommand

from guichet.procedures.identity_documents.production import titles_production_process


class Command(BaseCommand):
    help = "Simulated printer: starts accepted CNI/passports, ships printed ones, makes arrived ones available."

    def handle(self, *args, **options) -> None:
        run = titles_production_process()
        self.stdout.write(f"started={run.started} shipped={run.shipped} made_available={run.made_available}")
