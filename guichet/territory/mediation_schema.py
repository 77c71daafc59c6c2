"""Import and export of places in the national mediation-places schema (INTEROP.md §4), CSV and JSON.

Export: one record per active place of the mediation kinds, with the schema's exact keys; multi-valued fields
joined with `|`; JSON uses the same keys and the same string values as the CSV.

Import: every record is checked field by field. A problem that prevents placing the record (missing required
field, duplicate id, bad INSEE code, broken encoding, another département) rejects the line; a bad optional value
(unknown vocabulary value, impossible coordinates, unreadable opening hours, bad URL or e-mail) is left out and
reported, and the rest of the line is imported. Unknown `typologie` codes are kept as text. Nothing is dropped
without a line in the report.
"""

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from guichet.audit.services import Actor, audit_record

from . import opening_hours, vocabularies
from .codes import is_commune_code, is_postal_code
from .models import Commune, Department, Place, PlaceKind, PostalCode

FIELDS: tuple[str, ...] = (
    "id",
    "nom",
    "pivot",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "latitude",
    "longitude",
    "typologie",
    "services",
    "structure_parente",
    "telephone",
    "courriels",
    "site_web",
    "presentation_resume",
    "presentation_detail",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "modalites_acces",
    "modalites_accompagnement",
    "fiche_acces_libre",
    "itinerance",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "autres_formations_labels",
    "horaires",
    "prise_rdv",
    "date_maj",
    "source",
)
REQUIRED: tuple[str, ...] = ("id", "nom", "pivot", "commune", "code_postal", "adresse", "date_maj")
SEPARATOR = "|"
# Schema field → closed vocabulary (multi-valued).
CLOSED_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "services": vocabularies.SERVICES,
    "modalites_acces": vocabularies.ACCESS_MODES,
    "modalites_accompagnement": vocabularies.SUPPORT_MODES,
    "frais_a_charge": vocabularies.FEES,
    "publics_specifiquement_adresses": vocabularies.AUDIENCES,
    "prise_en_charge_specifique": vocabularies.SPECIFIC_SUPPORT,
}
# Schema field → Place attribute, for the multi-valued fields stored as lists.
LIST_ATTRIBUTES: dict[str, str] = {
    "typologie": "typologies",
    "services": "services",
    "publics_specifiquement_adresses": "audiences",
    "prise_en_charge_specifique": "specific_support",
    "frais_a_charge": "fees",
    "modalites_acces": "access_modes",
    "modalites_accompagnement": "support_modes",
    "itinerance": "itinerance",
    "dispositif_programmes_nationaux": "national_programmes",
    "formations_labels": "labels",
    "autres_formations_labels": "other_labels",
}
# Schema field → Place attribute, for the plain text fields.
TEXT_ATTRIBUTES: dict[str, str] = {
    "nom": "name",
    "commune": "city",
    "code_postal": "postal_code",
    "code_insee": "commune_code",
    "adresse": "address",
    "complement_adresse": "address_complement",
    "structure_parente": "parent_structure",
    "telephone": "phone",
    "site_web": "website",
    "presentation_resume": "summary",
    "presentation_detail": "description",
    "fiche_acces_libre": "accessibility_url",
    "horaires": "opening_hours",
    "prise_rdv": "appointment_url",
    "source": "source",
}
URL_FIELDS = ("site_web", "fiche_acces_libre", "prise_rdv")
# Places of these kinds are mediation places (or help a citizen with a title) and go to the national map.
EXPORTED_KINDS: tuple[str, ...] = (
    PlaceKind.POINT_NUMERIQUE,
    PlaceKind.ESPACE_NUMERIQUE,
    PlaceKind.MAIRIE,
    PlaceKind.PREFECTURE,
    PlaceKind.SOUS_PREFECTURE,
)
KIND_TYPOLOGIES: dict[str, str] = {
    PlaceKind.POINT_NUMERIQUE: "PREF",
    PlaceKind.PREFECTURE: "PREF",
    PlaceKind.SOUS_PREFECTURE: "PREF",
    PlaceKind.MAIRIE: "MUNI",
    PlaceKind.ESPACE_NUMERIQUE: "Autre",
}
PIVOT_PATTERN = re.compile(r"^(?:\d{14}|W\d{9})$")
GUICHET_ID_PATTERN = re.compile(r"^guichet-(\d+)$")
MAX_LENGTHS: dict[str, int] = {
    "id": 100,
    "nom": 200,
    "commune": 150,
    "adresse": 250,
    "complement_adresse": 250,
    "structure_parente": 200,
    "telephone": 30,
    "presentation_resume": 500,
    "horaires": 500,
    "source": 100,
}


# --- export --------------------------------------------------------------------------------------------------


def _join(values: Iterable[str]) -> str:
    return SEPARATOR.join(values)


def _number(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def place_to_record(place: Place) -> dict[str, str]:
    """One place as a record of the national schema: every field, as text."""
    record = {name: str(getattr(place, attribute) or "") for name, attribute in TEXT_ATTRIBUTES.items()}
    record.update({name: _join(getattr(place, attribute)) for name, attribute in LIST_ATTRIBUTES.items()})
    if not place.typologies and place.kind in KIND_TYPOLOGIES:
        record["typologie"] = KIND_TYPOLOGIES[place.kind]
    record["id"] = place.schema_id or f"guichet-{place.pk}"
    record["pivot"] = place.pivot or place.siret
    record["latitude"] = _number(place.latitude)
    record["longitude"] = _number(place.longitude)
    record["courriels"] = _join([email for email in (place.email, *place.other_emails) if email])
    updated = place.data_updated_on or (place.updated_at.date() if place.updated_at else date.today())
    record["date_maj"] = updated.isoformat()
    record["source"] = place.source or "Guichet"
    return {name: record[name] for name in FIELDS}


def records_to_csv(records: Iterable[dict[str, str]]) -> str:
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return stream.getvalue()


def records_to_json(records: Iterable[dict[str, str]]) -> str:
    return json.dumps(list(records), ensure_ascii=False, indent=2)


def export_records(places: Iterable[Place]) -> list[dict[str, str]]:
    return sorted((place_to_record(place) for place in places), key=lambda record: record["id"])


def record_problems(record: dict[str, str]) -> list[str]:
    """What makes an exported record invalid against the field list and vocabularies (empty when valid)."""
    problems = []
    if list(record) != list(FIELDS):
        problems.append(f"fields differ: {list(record)}")
    for name in REQUIRED:
        if not record.get(name, "").strip():
            problems.append(f"{name} missing")
    for name, vocabulary in CLOSED_VOCABULARIES.items():
        values = [value for value in record.get(name, "").split(SEPARATOR) if value]
        problems.extend(f"{name}: {value!r}" for value in vocabularies.unknown_values(values, vocabulary))
    return problems


# --- import --------------------------------------------------------------------------------------------------


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


class _LineRejected(Exception):
    pass


class _RowReader:
    """Reads one record into Place attributes, noting each problem in the report."""

    def __init__(self, row: _Row, report: ImportReport) -> None:
        self.row = row
        self.report = report
        self.values = {name: row.values.get(name, "").strip() for name in FIELDS}
        self.issues: list[ImportIssue] = []

    def value_issue(self, name: str, value: str, reason: str) -> None:
        self.issues.append(ImportIssue(self.row.line, name, value, reason, False))

    def line_issue(self, name: str, value: str, reason: str) -> None:
        self.issues.append(ImportIssue(self.row.line, name, value, reason, True))

    def attributes(self) -> dict[str, Any]:
        if self.row.broken_encoding:
            self.line_issue("", "", _("Encodage invalide : la ligne contient des caractères qui ne sont pas en UTF-8."))
            raise _LineRejected
        for name in REQUIRED:
            if not self.values[name]:
                self.line_issue(name, "", _("Champ obligatoire manquant."))
        for name, limit in MAX_LENGTHS.items():
            if len(self.values[name]) > limit:
                self.line_issue(
                    name,
                    self.values[name][:60],
                    _("Valeur trop longue (%(limit)d caractères au plus).") % {"limit": limit},
                )
        if any(issue.line_rejected for issue in self.issues):
            raise _LineRejected
        attributes: dict[str, Any] = {attribute: self.values[name] for name, attribute in TEXT_ATTRIBUTES.items()}
        attributes["schema_id"] = self.values["id"]
        attributes["pivot"] = self._pivot()
        attributes["siret"] = attributes["pivot"] if attributes["pivot"].isdigit() else ""
        attributes["postal_code"] = self._postal_code()
        attributes["commune_code"] = self._commune_code()
        attributes["data_updated_on"] = self._date()
        attributes.update(self._coordinates())
        attributes.update(self._lists())
        attributes.update(self._emails())
        for name in URL_FIELDS:
            attributes[TEXT_ATTRIBUTES[name]] = self._url(name)
        attributes["opening_hours"] = self._hours()
        return attributes

    def _pivot(self) -> str:
        value = self.values["pivot"].replace(" ", "")
        if not PIVOT_PATTERN.match(value):
            self.line_issue(
                "pivot",
                self.values["pivot"],
                _("Le pivot doit être un SIRET (14 chiffres) ou un RNA (W suivi de 9 chiffres)."),
            )
            raise _LineRejected
        return value

    def _postal_code(self) -> str:
        value = self.values["code_postal"]
        if not is_postal_code(value):
            self.line_issue("code_postal", value, _("Le code postal doit comporter exactement 5 chiffres."))
            raise _LineRejected
        return value

    def _commune_code(self) -> str:
        value = self.values["code_insee"].upper()
        if not value:
            return ""
        if not is_commune_code(value) or not Commune.objects.filter(code=value).exists():
            self.line_issue("code_insee", value, _("Code INSEE inconnu : aucune commune ne porte ce code."))
            raise _LineRejected
        return value

    def _date(self) -> date:
        value = self.values["date_maj"]
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.line_issue("date_maj", value, _("Date invalide : le format attendu est AAAA-MM-JJ."))
            raise _LineRejected from None

    def _coordinates(self) -> dict[str, float | None]:
        latitude, longitude = self.values["latitude"], self.values["longitude"]
        if not latitude and not longitude:
            return {"latitude": None, "longitude": None}
        try:
            lat, lon = float(latitude.replace(",", ".")), float(longitude.replace(",", "."))
        except ValueError:
            lat = lon = float("nan")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            self.value_issue(
                "latitude|longitude",
                f"{latitude}|{longitude}",
                _("Coordonnées impossibles : la latitude va de -90 à 90 et la longitude de -180 à 180 ; non reprises."),
            )
            return {"latitude": None, "longitude": None}
        return {"latitude": lat, "longitude": lon}

    def _lists(self) -> dict[str, list[str]]:
        lists: dict[str, list[str]] = {}
        for name, attribute in LIST_ATTRIBUTES.items():
            values = [value.strip() for value in self.values[name].split(SEPARATOR) if value.strip()]
            vocabulary = CLOSED_VOCABULARIES.get(name)
            if vocabulary is not None:
                for unknown in vocabularies.unknown_values(values, vocabulary):
                    self.value_issue(name, unknown, _("Valeur inconnue du vocabulaire national : non reprise."))
                values = [value for value in values if value in vocabulary]
            lists[attribute] = list(dict.fromkeys(values))
        return lists

    def _emails(self) -> dict[str, Any]:
        emails = []
        for value in (item.strip() for item in self.values["courriels"].split(SEPARATOR) if item.strip()):
            try:
                EmailValidator()(value)
            except ValidationError:
                self.value_issue("courriels", value, _("Adresse électronique invalide : non reprise."))
                continue
            emails.append(value)
        return {"email": emails[0] if emails else "", "other_emails": emails[1:]}

    def _url(self, name: str) -> str:
        value = self.values[name]
        if not value:
            return ""
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            self.value_issue(name, value, _("Adresse web invalide : non reprise."))
            return ""
        if len(value) > 200:
            self.value_issue(name, value[:60], _("Adresse web trop longue : non reprise."))
            return ""
        return value

    def _hours(self) -> str:
        value = self.values["horaires"]
        if not value:
            return ""
        problems = opening_hours.validate(value)
        if problems:
            self.value_issue(
                "horaires",
                value,
                _("Horaires illisibles (%(problems)s) : non repris.") % {"problems": " ".join(problems)},
            )
            return ""
        return value


def _department_for(attributes: dict[str, Any]) -> str | None:
    if attributes["commune_code"]:
        return Commune.objects.filter(code=attributes["commune_code"]).values_list("department_id", flat=True).first()
    commune_codes = PostalCode.objects.filter(code=attributes["postal_code"]).values("commune_code")
    departments = set(Commune.objects.filter(code__in=commune_codes).values_list("department_id", flat=True))
    return departments.pop() if len(departments) == 1 else None


def _existing_place(schema_id: str) -> Place | None:
    place = Place.objects.filter(schema_id=schema_id).first()
    if place is None:
        match = GUICHET_ID_PATTERN.match(schema_id)
        if match:
            place = Place.objects.filter(pk=int(match.group(1)), schema_id="").first()
    return place


@transaction.atomic
def places_import(
    *, content: bytes, file_format: str, actor: Actor, department: Department | None = None
) -> ImportReport:
    """Imports a file of the national schema (`file_format` "csv" or "json"); `department` limits it to one.

    Places are matched by their schema id and updated, or created (as espaces numériques, or points numériques
    for the `PREF` typologie). Each created or updated place is journaled, and the run as a whole.
    """
    report = ImportReport()
    rows = _json_rows(content, report) if file_format == "json" else _csv_rows(content, report)
    seen: dict[str, int] = {}
    for row in rows:
        reader = _RowReader(row, report)
        try:
            attributes = reader.attributes()
            schema_id = attributes["schema_id"]
            if schema_id in seen:
                reader.line_issue(
                    "id",
                    schema_id,
                    _("Identifiant en double : déjà présent ligne %(line)d.") % {"line": seen[schema_id]},
                )
                raise _LineRejected
            seen[schema_id] = row.line
            department_code = _department_for(attributes)
            if department_code is None:
                reader.line_issue(
                    "code_postal",
                    attributes["postal_code"],
                    _("Impossible de situer ce lieu dans un département : indiquez le code INSEE."),
                )
                raise _LineRejected
            if department is not None and department_code != department.code:
                reader.line_issue(
                    "code_insee",
                    attributes["commune_code"] or attributes["postal_code"],
                    _("Ce lieu n'est pas dans votre département (%(code)s) : ligne ignorée.")
                    % {"code": department.code},
                )
                raise _LineRejected
            place = _existing_place(schema_id)
            if place is not None and department is not None and place.department_id != department.code:
                reader.line_issue("id", schema_id, _("Cet identifiant désigne un lieu d'un autre département."))
                raise _LineRejected
        except _LineRejected:
            report.issues.extend(reader.issues)
            report.rejected_lines += 1
            continue
        report.issues.extend(reader.issues)
        created = place is None
        if place is None:
            kind = PlaceKind.POINT_NUMERIQUE if "PREF" in attributes["typologies"] else PlaceKind.ESPACE_NUMERIQUE
            place = Place(kind=kind, mediator_present="Accompagnement individuel" in attributes["support_modes"])
        for attribute, value in attributes.items():
            setattr(place, attribute, value)
        place.department_id = department_code
        place.save()
        audit_record(
            action="place_imported",
            actor=actor,
            object_type="place",
            object_id=place.pk,
            data={"created": created, "department": department_code},
        )
        if created:
            report.created += 1
        else:
            report.updated += 1
    audit_record(
        action="places_import",
        actor=actor,
        object_type="department",
        object_id=department.code if department else "",
        data={
            "format": file_format,
            "created": report.created,
            "updated": report.updated,
            "rejected_lines": report.rejected_lines,
            "issues": len(report.issues),
        },
    )
    return report
