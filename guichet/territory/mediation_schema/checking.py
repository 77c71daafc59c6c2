"""Import, second pass: each record checked field by field into Place attributes."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from .. import opening_hours, vocabularies
from ..codes import is_commune_code, is_postal_code
from ..models import Commune
from .fields import (
    CLOSED_VOCABULARIES,
    FIELDS,
    LIST_ATTRIBUTES,
    MAX_LENGTHS,
    PIVOT_PATTERN,
    REQUIRED,
    SEPARATOR,
    TEXT_ATTRIBUTES,
    URL_FIELDS,
)
from .rows import ImportIssue, ImportReport, _Row


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
