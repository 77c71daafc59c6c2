"""Entry points: the version of a data folder and the import itself."""

import hashlib
from pathlib import Path

from django.db import DatabaseError
from django.utils.translation import gettext as _

from guichet.audit.services import SYSTEM, Actor

from ..models import TerritoryImport
from .common import _DATA_YEAR, SOURCE_FILES, ImportReport, Progress, TerritoryImportError
from .reading import _read_and_check, _read_bytes
from .writing import _write


def territory_data_version(*, source: Path) -> str:
    """`cog-<year>-<hash>`: the year the README announces (if any) and a hash of the five data files."""
    digest = hashlib.sha256()
    for relative in SOURCE_FILES:
        content = _read_bytes(source, relative)
        digest.update(f"{relative}\0{len(content)}\0".encode())
        digest.update(content)
    readme = source / "README.md"
    year_match = _DATA_YEAR.search(readme.read_text(encoding="utf-8", errors="replace")) if readme.is_file() else None
    prefix = f"cog-{year_match.group(1)}" if year_match else "cog"
    return f"{prefix}-{digest.hexdigest()[:20]}"


def territory_import(
    *, source: Path, force: bool = False, actor: Actor = SYSTEM, progress: Progress | None = None
) -> ImportReport:
    """Imports the reference data found in `source`; skips when this exact version is already the latest import."""
    say = progress or (lambda message: None)
    source = Path(source)
    if not source.is_dir():
        raise TerritoryImportError(
            _("Le dossier de données %(path)s est introuvable ; indiquez-le avec --source.") % {"path": source}
        )
    version = territory_data_version(source=source)
    latest = TerritoryImport.objects.order_by("-imported_at", "-pk").first()
    if latest is not None and latest.version == version and not force:
        say(_("Version %(version)s déjà importée : rien à faire (--force pour réimporter).") % {"version": version})
        return ImportReport(version=version, skipped=True)

    say(_("Lecture et contrôle des fichiers (version %(version)s)…") % {"version": version})
    parsed = _read_and_check(source)
    report = ImportReport(version=version, issues=parsed.issues)
    try:
        _write(parsed, report, actor=actor, say=say)
    except DatabaseError as error:
        raise TerritoryImportError(
            _("La base de données a refusé l'import (%(reason)s) ; rien n'a été enregistré.")
            % {"reason": type(error).__name__},
            code="database_refused",
        ) from error
    return report
