"""Import, last pass: matching each record to a place, then creating or updating it, journaled."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from guichet.audit.services import Actor, audit_record

from ..models import Commune, Department, Place, PlaceKind, PostalCode
from .checking import _LineRejected, _RowReader
from .fields import GUICHET_ID_PATTERN
from .rows import ImportReport, _csv_rows, _json_rows


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
