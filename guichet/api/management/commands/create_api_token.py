from django.core.management.base import BaseCommand, CommandError

from guichet.api.models import ClientKind
from guichet.api.services import api_client_issue
from guichet.core.exceptions import InvalidInput
from guichet.territory.models import Place


class Command(BaseCommand):
    help = (
        "Crée un jeton d'API pour un éditeur (coordination), le moteur national (créneaux) ou un professionnel "
        "(--kind professional --lieu ID) ; l'affiche une fois."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="nom de l'éditeur ou du service")
        parser.add_argument("--kind", choices=ClientKind.values, default=ClientKind.COORDINATION_EDITOR)
        parser.add_argument(
            "--lieu", type=int, help="identifiant du lieu (école de conduite, garage) d'un jeton de professionnel"
        )

    def handle(self, *args, **options) -> None:
        if not options["name"].strip():
            raise CommandError("Indiquez un nom.")
        place = None
        if options["lieu"] is not None:
            place = Place.objects.filter(pk=options["lieu"]).first()
            if place is None:
                raise CommandError("Aucun lieu ne porte cet identifiant.")
        try:
            client, token = api_client_issue(name=options["name"], kind=options["kind"], actor=None, place=place)
        except InvalidInput as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Client n° {client.pk} ({client.get_kind_display()}).")
        self.stdout.write("Jeton (conservez-le, il ne sera plus jamais affiché) :")
        self.stdout.write(token)
