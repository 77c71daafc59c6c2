from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guichet.audit.services import Actor
from guichet.territory.mediation_schema import places_import
from guichet.territory.models import Department


class Command(BaseCommand):
    help = "Importe des lieux au format du schéma national des lieux de médiation numérique (CSV ou JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=["csv", "json"], help="par défaut, d'après l'extension du fichier")
        parser.add_argument("--departement", help="n'importe que les lieux de ce département (code COG)")

    def handle(self, *args, **options) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        file_format = options["format"] or ("json" if path.suffix.lower() == ".json" else "csv")
        department = None
        if options["departement"]:
            department = Department.objects.filter(code=options["departement"].upper()).first()
            if department is None:
                raise CommandError(f"Département inconnu : {options['departement']}")
        report = places_import(
            content=path.read_bytes(),
            file_format=file_format,
            department=department,
            actor=Actor(user_id=None, role="system", organisation="manage.py places_import"),
        )
        for issue in report.issues:
            scope = "ligne rejetée" if issue.line_rejected else "valeur écartée"
            self.stderr.write(f"ligne {issue.line} · {issue.field or '-'} · {issue.value!r} · {issue.reason} ({scope})")
        self.stdout.write(
            f"{report.created} lieu(x) créé(s), {report.updated} mis à jour, "
            f"{report.rejected_lines} ligne(s) rejetée(s)."
        )
