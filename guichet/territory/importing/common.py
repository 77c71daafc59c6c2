"""Source files, limits and the report shared by reading and writing."""

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.core.exceptions import DomainError

from ..models import CommuneKind

REGIONS_FILE = "cog/regions.json"
DEPARTMENTS_FILE = "cog/departements.json"
COMMUNES_FILE = "cog/communes.json"
POSTAL_CODES_FILE = "codes-postaux.json"
COORDINATES_FILE = "communes-coordonnees.csv"
SOURCE_FILES = (REGIONS_FILE, DEPARTMENTS_FILE, COMMUNES_FILE, POSTAL_CODES_FILE, COORDINATES_FILE)

BATCH_SIZE = 2000
_DATA_YEAR = re.compile(r"data of (\d{4})")
_SUB_COMMUNE_KINDS = {CommuneKind.DELEGATED.value, CommuneKind.ASSOCIATED.value}


class TerritoryImportError(DomainError):
    code = "territory_import_failed"
    default_message = gettext_lazy("L'import du référentiel territorial a échoué ; rien n'a été enregistré.")


@dataclass(frozen=True)
class ImportIssue:
    """One rejected record: where it is, which field, what value, and why (in French)."""

    file: str
    index: int  # 1-based position of the record in its file (line number for the CSV file)
    field: str
    value: str
    reason: str

    def __str__(self) -> str:
        return _("%(file)s, enregistrement n° %(index)d, champ « %(field)s » = « %(value)s » : %(reason)s") % {
            "file": self.file,
            "index": self.index,
            "field": self.field,
            "value": self.value,
            "reason": self.reason,
        }


@dataclass
class StepCount:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    rejected: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted

    def summary(self) -> str:
        return _(
            "%(read)d lus, %(created)d créés, %(updated)d modifiés, %(unchanged)d inchangés, "
            "%(deleted)d supprimés, %(rejected)d rejetés"
        ) % asdict(self)


@dataclass
class ImportReport:
    version: str
    skipped: bool = False
    counts: dict[str, StepCount] = field(default_factory=dict)
    issues: list[ImportIssue] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(step.changed for step in self.counts.values())


Progress = Callable[[str], None]
StrOrPromise = str | Promise
