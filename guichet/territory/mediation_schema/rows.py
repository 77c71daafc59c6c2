"""Import, first pass: the report, and the records read out of a CSV or JSON file."""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .fields import FIELDS, REQUIRED, SEPARATOR


@dataclass(frozen=True)
class ImportIssue:
    line: int  # CSV: physical line of the file (header = 1); JSON: position of the record (first = 1)
    field: str
    value: str
    reason: str
    line_rejected: bool  # True: nothing of this line was imported; False: only this value was left out


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    rejected_lines: int = 0
    issues: list[ImportIssue] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "rejected_lines": self.rejected_lines,
            "issues": [issue.__dict__ for issue in self.issues],
        }


@dataclass
class _Row:
    line: int
    values: dict[str, str]
    broken_encoding: bool = False


def _decode_lines(content: bytes) -> tuple[str, set[int]]:
    """The text, and the numbers of the lines that were not valid UTF-8 (decoded with replacement characters)."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        return content.decode("utf-8"), set()
    except UnicodeDecodeError:
        pass
    broken: set[int] = set()
    lines = []
    for number, raw in enumerate(content.split(b"\n"), start=1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            broken.add(number)
            lines.append(raw.decode("utf-8", errors="replace"))
    return "\n".join(lines), broken


def _csv_rows(content: bytes, report: ImportReport) -> Iterator[_Row]:
    text, broken = _decode_lines(content)
    first_line = text.split("\n", 1)[0]
    # The schema's CSV uses commas; spreadsheets set to French often save with semicolons: both are read.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        report.issues.append(ImportIssue(1, "", "", _("Le fichier est vide."), True))
        return
    if 1 in broken:
        report.issues.append(ImportIssue(1, "", "", _("Encodage invalide : le fichier doit être en UTF-8."), True))
        return
    for name in header:
        if name not in FIELDS:
            report.issues.append(
                ImportIssue(1, name, "", _("Colonne inconnue du schéma national : elle est ignorée."), False)
            )
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        report.issues.append(
            ImportIssue(
                1,
                ", ".join(missing),
                "",
                _("Colonnes obligatoires absentes de l'en-tête : aucune ligne n'a pu être importée."),
                True,
            )
        )
        return
    previous_end = 1
    for cells in reader:
        start, end = previous_end + 1, reader.line_num
        previous_end = end
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            report.issues.append(
                ImportIssue(
                    start,
                    "",
                    "",
                    _("La ligne compte %(found)d colonnes au lieu de %(expected)d.")
                    % {"found": len(cells), "expected": len(header)},
                    True,
                )
            )
            report.rejected_lines += 1
            continue
        values = {name: cell for name, cell in zip(header, cells, strict=True) if name in FIELDS}
        yield _Row(start, values, broken_encoding=any(start <= number <= end for number in broken))


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return SEPARATOR.join(_json_text(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _json_rows(content: bytes, report: ImportReport) -> Iterator[_Row]:
    text, broken = _decode_lines(content)
    if broken:
        lines = ", ".join(str(number) for number in sorted(broken))
        report.issues.append(
            ImportIssue(
                0,
                "",
                "",
                _("Encodage invalide (lignes %(lines)s) : le fichier doit être en UTF-8.") % {"lines": lines},
                True,
            )
        )
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        report.issues.append(ImportIssue(error.lineno, "", "", _("Le fichier n'est pas un JSON lisible."), True))
        return
    if isinstance(data, dict):
        data = data.get("lieux", data.get("data", [data]))
    if not isinstance(data, list):
        report.issues.append(ImportIssue(0, "", "", _("Une liste de lieux est attendue."), True))
        return
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            report.issues.append(ImportIssue(number, "", "", _("Cet enregistrement n'est pas un objet."), True))
            report.rejected_lines += 1
            continue
        for name in item:
            if name not in FIELDS:
                report.issues.append(
                    ImportIssue(number, name, "", _("Champ inconnu du schéma national : il est ignoré."), False)
                )
        yield _Row(number, {name: _json_text(value) for name, value in item.items() if name in FIELDS})
