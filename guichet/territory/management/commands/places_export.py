from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from guichet.territory.directory import places_for_export
from guichet.territory.mediation_schema import export_records, records_to_csv, records_to_json


class Command(BaseCommand):
    help = "Exporte les lieux au format du schéma national des lieux de médiation numérique (CSV ou JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("--departement", help="n'exporte que les lieux de ce département (code COG)")
        parser.add_argument("--output", type=Path, help="fichier de sortie (par défaut, la sortie standard)")

    def handle(self, *args, **options) -> None:
        department = (options["departement"] or "").upper() or None
        records = export_records(places_for_export(department_code=department))
        text = records_to_json(records) if options["format"] == "json" else records_to_csv(records)
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
            self.stdout.write(f"{len(records)} lieu(x) exporté(s) dans {options['output']}.")
        else:
            self.stdout.write(text, ending="")
