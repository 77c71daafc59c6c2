from django.core.management.base import BaseCommand

from guichet.appointments.selectors import equipped_place_or_none
from guichet.appointments.services import slots_generate, slots_generate_all


class Command(BaseCommand):
    help = "Crée les créneaux des semaines à venir dans les agendas des mairies équipées (sans doublon)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--place", type=int, help="identifiant d'un seul lieu")

    def handle(self, *args, **options) -> None:
        if options.get("place"):
            place = equipped_place_or_none(place_id=options["place"])
            if place is None:
                self.stderr.write("Aucune mairie équipée avec un agenda ouvert ne porte cet identifiant.")
                return
            created = slots_generate(place=place)
        else:
            created = slots_generate_all()
        self.stdout.write(f"{created} créneau(x) créé(s).")
