from django.core.management.base import BaseCommand, CommandError

from guichet.api.models import ClientKind
from guichet.api.services import api_client_issue


class Command(BaseCommand):
    help = "Crée un jeton d'API pour un éditeur (coordination) ou le moteur national (créneaux) ; l'affiche une fois."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="nom de l'éditeur ou du service")
        parser.add_argument("--kind", choices=ClientKind.values, default=ClientKind.COORDINATION_EDITOR)

    def handle(self, *args, **options) -> None:
        if not options["name"].strip():
            raise CommandError("Indiquez un nom.")
        client, token = api_client_issue(name=options["name"], kind=options["kind"], actor=None)
        self.stdout.write(f"Client n° {client.pk} ({client.get_kind_display()}).")
        self.stdout.write("Jeton (conservez-le, il ne sera plus jamais affiché) :")
        self.stdout.write(token)
