"""Reading the source files and checking every record; a malformed record is reported and skipped."""

import csv
import io
import json
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..codes import (
    department_code_of_commune,
    is_commune_code,
    is_department_code,
    is_postal_code,
    is_region_code,
    search_key,
)
from ..models import CommuneKind
from .common import (
    _SUB_COMMUNE_KINDS,
    COMMUNES_FILE,
    COORDINATES_FILE,
    DEPARTMENTS_FILE,
    POSTAL_CODES_FILE,
    REGIONS_FILE,
    ImportIssue,
    StrOrPromise,
    TerritoryImportError,
)


@dataclass
class _Parsed:
    regions: list[dict[str, Any]] = field(default_factory=list)
    departments: list[dict[str, Any]] = field(default_factory=list)
    communes: list[dict[str, Any]] = field(default_factory=list)
    postal_codes: list[dict[str, Any]] = field(default_factory=list)
    commune_keys_in_file: set[tuple[str, str]] = field(default_factory=set)
    postal_keys_in_file: set[tuple[str, str, str]] = field(default_factory=set)
    read: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    issues: list[ImportIssue] = field(default_factory=list)
    coordinates: dict[str, int] = field(default_factory=dict)


class _Record:
    """Checks the fields of one record, collecting issues; `is_valid` turns false at the first problem."""

    def __init__(self, file: str, index: int, data: Any, issues: list[ImportIssue]) -> None:
        self.file, self.index, self.issues = file, index, issues
        self.is_valid = True
        if not isinstance(data, dict):
            self.data: dict[str, Any] = {}
            self.reject("-", data, _("l'enregistrement n'est pas un objet JSON"))
        else:
            self.data = data

    def reject(self, field_name: str, value: Any, reason: StrOrPromise) -> None:
        self.is_valid = False
        self.issues.append(ImportIssue(self.file, self.index, field_name, _shown(value), str(reason)))

    def text(self, field_name: str, *, max_length: int, required: bool = True) -> str:
        value = self.data.get(field_name)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.reject(field_name, value, _("texte obligatoire manquant"))
            return ""
        if len(value) > max_length:
            self.reject(field_name, value, _("texte trop long (%(max)d caractères au plus)") % {"max": max_length})
            return ""
        return value.strip()

    def code(self, field_name: str, check: Callable[[str], bool], reason: StrOrPromise) -> str:
        value = self.data.get(field_name)
        if not isinstance(value, str) or not check(value):
            self.reject(field_name, value, reason)
            return ""
        return value


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "…"


COMMUNE_CODE_REASON = gettext_lazy(
    "code commune INSEE mal formé (5 caractères : 2 chiffres, 2A ou 2B suivis de 3 chiffres ; 97x ou 98x outre-mer)"
)
DEPARTMENT_CODE_REASON = gettext_lazy("code de département inconnu ou mal formé (01 à 95, 2A, 2B, 971 à 989)")
REGION_CODE_REASON = gettext_lazy("code de région mal formé")
POSTAL_CODE_REASON = gettext_lazy("code postal mal formé (5 chiffres)")
UNKNOWN_REGION_REASON = gettext_lazy("région absente du fichier des régions")
UNKNOWN_KIND_REASON = gettext_lazy("type de commune inconnu")


def _read_and_check(source: Path) -> _Parsed:
    parsed = _Parsed()
    _check_regions(_load_json_list(source, REGIONS_FILE), parsed)
    _check_departments(_load_json_list(source, DEPARTMENTS_FILE), parsed)
    _check_communes(_load_json_list(source, COMMUNES_FILE), parsed)
    _check_postal_codes(_load_json_list(source, POSTAL_CODES_FILE), parsed)
    _place_communes(_load_coordinates(source, parsed), parsed)
    return parsed


def _read_bytes(source: Path, relative: str) -> bytes:
    path = source / relative
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise TerritoryImportError(
            _("Fichier introuvable : %(path)s. Rien n'a été importé.") % {"path": path}, code="missing_file"
        ) from None
    except OSError as error:
        raise TerritoryImportError(
            _("Impossible de lire %(path)s (%(reason)s). Rien n'a été importé.")
            % {"path": path, "reason": error.strerror},
            code="unreadable_file",
        ) from None


def _load_json_list(source: Path, relative: str) -> list[Any]:
    content = _read_bytes(source, relative)
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise TerritoryImportError(
            _("%(file)s n'est pas encodé en UTF-8. Rien n'a été importé.") % {"file": relative}, code="broken_file"
        ) from None
    except json.JSONDecodeError as error:
        raise TerritoryImportError(
            _("%(file)s n'est pas un JSON valide (ligne %(line)d, colonne %(column)d). Rien n'a été importé.")
            % {"file": relative, "line": error.lineno, "column": error.colno},
            code="broken_file",
        ) from None
    if not isinstance(data, list):
        raise TerritoryImportError(
            _("%(file)s doit contenir une liste d'enregistrements. Rien n'a été importé.") % {"file": relative},
            code="broken_file",
        )
    return data


def _check_regions(records: list[Any], parsed: _Parsed) -> None:
    seen: set[str] = set()
    for index, data in enumerate(records, start=1):
        record = _Record(REGIONS_FILE, index, data, parsed.issues)
        code = record.code("code", is_region_code, REGION_CODE_REASON)
        name = record.text("nom", max_length=100)
        if record.is_valid and code in seen:
            record.reject("code", code, _("code en double dans le fichier"))
        if record.is_valid:
            seen.add(code)
            parsed.regions.append({"code": code, "name": name})
        else:
            parsed.rejected["regions"] += 1
    parsed.read["regions"] = len(records)


def _check_departments(records: list[Any], parsed: _Parsed) -> None:
    regions = {row["code"] for row in parsed.regions}
    seen: set[str] = set()
    for index, data in enumerate(records, start=1):
        record = _Record(DEPARTMENTS_FILE, index, data, parsed.issues)
        code = record.code("code", is_department_code, DEPARTMENT_CODE_REASON)
        name = record.text("nom", max_length=100)
        region = record.code("region", regions.__contains__, UNKNOWN_REGION_REASON)
        chef_lieu = record.code("chefLieu", is_commune_code, COMMUNE_CODE_REASON)
        if record.is_valid and code in seen:
            record.reject("code", code, _("code en double dans le fichier"))
        if record.is_valid:
            seen.add(code)
            parsed.departments.append({"code": code, "name": name, "region_id": region, "chef_lieu_code": chef_lieu})
        else:
            parsed.rejected["departments"] += 1
    parsed.read["departments"] = len(records)


def _check_communes(records: list[Any], parsed: _Parsed) -> None:
    regions = {row["code"] for row in parsed.regions}
    departments = {row["code"] for row in parsed.departments}
    kinds = set(CommuneKind.values)
    seen: set[tuple[str, str]] = set()
    for index, data in enumerate(records, start=1):
        record = _Record(COMMUNES_FILE, index, data, parsed.issues)
        if isinstance(record.data.get("code"), str) and isinstance(record.data.get("type"), str):
            parsed.commune_keys_in_file.add((record.data["code"], record.data["type"]))
        code = record.code("code", is_commune_code, COMMUNE_CODE_REASON)
        kind = record.code("type", kinds.__contains__, UNKNOWN_KIND_REASON)
        name = record.text("nom", max_length=150)
        department = record.code("departement", is_department_code, DEPARTMENT_CODE_REASON)
        if department and department not in departments:
            record.reject("departement", department, _("département absent du fichier des départements"))
        region = record.code("region", regions.__contains__, UNKNOWN_REGION_REASON)
        parent = ""
        if kind in _SUB_COMMUNE_KINDS:
            parent = record.code("chefLieu", is_commune_code, COMMUNE_CODE_REASON)
        elif kind == CommuneKind.MUNICIPAL_ARRONDISSEMENT:
            parent = record.code("commune", is_commune_code, COMMUNE_CODE_REASON)
        elif code and department and department_code_of_commune(code) != department:
            # Former communes may have moved to another département; current ones carry its number.
            record.reject("departement", department, _("ne correspond pas au début du code commune %s") % code)
        population = record.data.get("population")
        if population is not None and (
            not isinstance(population, int) or isinstance(population, bool) or population < 0
        ):
            record.reject("population", population, _("la population doit être un entier positif ou nul"))
            population = None
        postal_codes = record.data.get("codesPostaux", [])
        if not isinstance(postal_codes, list):
            record.reject("codesPostaux", postal_codes, _("une liste de codes postaux est attendue"))
            postal_codes = []
        for postal_code in postal_codes:
            if not isinstance(postal_code, str) or not is_postal_code(postal_code):
                record.reject("codesPostaux", postal_code, POSTAL_CODE_REASON)
        if record.is_valid and (code, kind) in seen:
            record.reject("code", code, _("commune en double dans le fichier (même code et même type)"))
        if not record.is_valid:
            parsed.rejected["communes"] += 1
            continue
        seen.add((code, kind))
        parsed.communes.append(
            {
                "code": code,
                "kind": kind,
                "name": name,
                "search_name": search_key(name)[:150],
                "department_id": department,
                "region_id": region,
                "parent_code": parent,
                "population": population,
                "latitude": None,
                "longitude": None,
                "coordinates_estimated": False,
                "postal_codes": postal_codes,
            }
        )
    parsed.read["communes"] = len(records)


def _check_postal_codes(records: list[Any], parsed: _Parsed) -> None:
    communes = {row["code"] for row in parsed.communes}
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for index, data in enumerate(records, start=1):
        record = _Record(POSTAL_CODES_FILE, index, data, parsed.issues)
        raw_key = tuple(record.data.get(name) for name in ("codePostal", "codeCommune", "libelleAcheminement"))
        if all(isinstance(part, str) for part in raw_key):
            parsed.postal_keys_in_file.add(raw_key)  # type: ignore[arg-type]
        postal_code = record.code("codePostal", is_postal_code, POSTAL_CODE_REASON)
        commune_code = record.code("codeCommune", is_commune_code, COMMUNE_CODE_REASON)
        if commune_code and commune_code not in communes:
            record.reject("codeCommune", commune_code, _("commune absente du fichier des communes"))
        label = record.text("libelleAcheminement", max_length=100, required=False)
        if record.is_valid:
            rows[(postal_code, commune_code, label)] = {
                "code": postal_code,
                "commune_code": commune_code,
                "routing_label": label,
            }
        else:
            parsed.rejected["postal_codes"] += 1
    added_from_cog = 0
    # The COG also lists postal codes per commune; keep those the La Poste file lacks (mostly overseas).
    listed = {(key[0], key[1]) for key in rows}
    for commune in parsed.communes:
        for postal_code in commune["postal_codes"]:
            if (postal_code, commune["code"]) not in listed:
                listed.add((postal_code, commune["code"]))
                rows[(postal_code, commune["code"], "")] = {
                    "code": postal_code,
                    "commune_code": commune["code"],
                    "routing_label": "",
                }
                parsed.postal_keys_in_file.add((postal_code, commune["code"], ""))
                added_from_cog += 1
    parsed.postal_codes = list(rows.values())
    # Counted as read: the La Poste rows plus the pairs only the COG lists.
    parsed.read["postal_codes"] = len(records) + added_from_cog


def _load_coordinates(source: Path, parsed: _Parsed) -> dict[str, tuple[float, float]]:
    content = _read_bytes(source, COORDINATES_FILE)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TerritoryImportError(
            _("%(file)s n'est pas encodé en UTF-8. Rien n'a été importé.") % {"file": COORDINATES_FILE},
            code="broken_file",
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    expected = {"code_insee", "latitude", "longitude"}
    if not reader.fieldnames or not expected <= set(reader.fieldnames):
        raise TerritoryImportError(
            _("%(file)s doit avoir les colonnes code_insee, latitude et longitude. Rien n'a été importé.")
            % {"file": COORDINATES_FILE},
            code="broken_file",
        )
    current = {row["code"] for row in parsed.communes if row["kind"] == CommuneKind.CURRENT}
    centres: dict[str, tuple[float, float]] = {}
    read = 0
    try:
        for row in reader:
            read += 1
            record = _Record(COORDINATES_FILE, reader.line_num, row, parsed.issues)
            code = record.code("code_insee", is_commune_code, COMMUNE_CODE_REASON)
            if code and code not in current:
                record.reject("code_insee", code, _("commune absente du fichier des communes"))
            latitude = _coordinate(record, "latitude", limit=90)
            longitude = _coordinate(record, "longitude", limit=180)
            if record.is_valid and latitude is not None and longitude is not None:
                centres[code] = (latitude, longitude)
            else:
                parsed.rejected["coordinates"] += 1
    except csv.Error as error:
        raise TerritoryImportError(
            _("%(file)s est illisible ligne %(line)d (%(reason)s). Rien n'a été importé.")
            % {"file": COORDINATES_FILE, "line": reader.line_num, "reason": error},
            code="broken_file",
        ) from None
    parsed.read["coordinates"] = read
    return centres


def _coordinate(record: _Record, name: str, *, limit: int) -> float | None:
    raw = record.data.get(name)
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        record.reject(name, raw, _("nombre décimal attendu"))
        return None
    if not math.isfinite(value) or not -limit <= value <= limit:
        record.reject(name, raw, _("hors limites (de -%(limit)d à %(limit)d degrés)") % {"limit": limit})
        return None
    return value


def _place_communes(centres: dict[str, tuple[float, float]], parsed: _Parsed) -> None:
    """Known centres for current communes; others take their parent's centre, else their département's mean."""
    by_department: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in parsed.communes:
        if row["kind"] == CommuneKind.CURRENT and row["code"] in centres:
            by_department[row["department_id"]].append(centres[row["code"]])
    department_means = {
        code: (
            round(math.fsum(lat for lat, _lon in points) / len(points), 6),
            round(math.fsum(lon for _lat, lon in points) / len(points), 6),
        )
        for code, points in by_department.items()
    }
    counts = {"known": 0, "from_parent": 0, "department_mean": 0, "none": 0}
    for row in parsed.communes:
        if row["kind"] == CommuneKind.CURRENT and row["code"] in centres:
            row["latitude"], row["longitude"] = centres[row["code"]]
            counts["known"] += 1
        elif row["parent_code"] in centres:
            row["latitude"], row["longitude"] = centres[row["parent_code"]]
            row["coordinates_estimated"] = True
            counts["from_parent"] += 1
        elif row["department_id"] in department_means:
            row["latitude"], row["longitude"] = department_means[row["department_id"]]
            row["coordinates_estimated"] = True
            counts["department_mean"] += 1
        else:
            counts["none"] += 1
    parsed.coordinates = counts
