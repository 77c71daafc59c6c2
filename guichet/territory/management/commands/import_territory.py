import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.territory.importing import TerritoryImportError, territory_import

# Beyond this many rejected records, the rest are only counted unless -v 2 is given.
SHOWN_ISSUES = 200


def default_source() -> Path:
    configured = os.environ.get("GUICHET_TERRITORY_DATA")
    if configured:
        return Path(configured)
    return Path(settings.BASE_DIR).parent / "shared" / "data"


class Command(BaseCommand):
    help = (
        "Importe régions, départements, communes, codes postaux et coordonnées depuis les données de référence "
        "(idempotent : une version déjà importée est ignorée sauf avec --force)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source",
            type=Path,
            default=None,
            help="Dossier des données (défaut : $GUICHET_TERRITORY_DATA, sinon ../shared/data).",
        )
        parser.add_argument("--force", action="store_true", help="Réimporte même si cette version l'est déjà.")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["source"] or default_source()
        verbosity: int = options["verbosity"]
        started = time.perf_counter()
        try:
            report = territory_import(
                source=source, force=options["force"], progress=lambda line: self.stdout.write(line)
            )
        except TerritoryImportError as error:
            raise CommandError(error.message) from error
        if report.issues:
            self.stderr.write(
                self.style.WARNING(
                    ngettext(
                        "%(count)d enregistrement rejeté, le reste a été importé :",
                        "%(count)d enregistrements rejetés, le reste a été importé :",
                        len(report.issues),
                    )
                    % {"count": len(report.issues)}
                )
            )
            shown = report.issues if verbosity >= 2 else report.issues[:SHOWN_ISSUES]
            for issue in shown:
                self.stderr.write(f"  {issue}")
            if len(shown) < len(report.issues):
                self.stderr.write(
                    "  "
                    + _("… et %(count)d autres (détail complet avec -v 2).")
                    % {"count": len(report.issues) - len(shown)}
                )
        elapsed = time.perf_counter() - started
        if not report.skipped:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Référentiel territorial %(version)s importé en %(seconds).1f s (%(changed)d modifications).")
                    % {"version": report.version, "seconds": elapsed, "changed": report.changed}
                )
            )
