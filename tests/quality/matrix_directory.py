"""Authorization-matrix entries of the public directory (`/lieux/…`) and the préfecture's place management.

To wire in: ``EXPECTATIONS.update(matrix_directory.EXPECTATIONS)`` in `tests.quality.authorization_matrix`.
No extra fixture: the samples create what they need (a place of the préfecture persona's département 35 and one
of the matrix context's other département, 22) with `get_or_create`, without communes (the matrix context loads
none), so a valid POST leaves the commune code empty.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from .authorization_matrix import (
    EVERYONE_NOT_FOUND,
    EVERYONE_OK,
    NOT_FOUND,
    OK,
    Entry,
    MatrixContext,
    entry,
    portal_outcomes,
    redirect_to,
)

TO_PLACES = redirect_to("prefecture:places")


def _place(context: MatrixContext, department_code: str) -> Any:
    from guichet.territory.models import Department, Place, PlaceKind

    department = Department.objects.get(code=department_code)
    place, _created = Place.objects.get_or_create(
        name=f"Espace numérique de la matrice ({department_code})",
        department=department,
        defaults={"kind": PlaceKind.ESPACE_NUMERIQUE, "opening_hours": "Mo-Fr 09:00-17:00", "city": "Rennes"},
    )
    return place


def _own_place(context: MatrixContext) -> dict[str, Any]:
    return {"place_id": _place(context, "35").pk}


def _other_place(context: MatrixContext) -> dict[str, Any]:
    return {"place_id": _place(context, "22").pk}


def _place_form(context: MatrixContext) -> dict[str, Any]:
    return {
        "kind": "espace_numerique",
        "name": "Espace numérique de la matrice (35)",
        "department": "35",
        "opening_hours": "Mo-Fr 09:00-17:00",
        "city": "Rennes",
        "collection_stations": "0",
        "is_active": "on",
    }


def _import_file(context: MatrixContext) -> dict[str, Any]:
    from guichet.territory.mediation_schema import FIELDS

    return {
        "department": "35",
        "file": SimpleUploadedFile("lieux.csv", (",".join(FIELDS) + "\r\n").encode("utf-8"), "text/csv"),
    }


def _admin_only(admin: Any) -> dict[str, Any]:
    """`portal_for(Role.PREFECTURE_ADMIN)`: the outcome for the verified admin, the portal's usual refusals else."""
    return {**portal_outcomes("prefecture_admin"), "prefecture_admin": admin}


EXPECTATIONS: dict[str, Entry] = {
    # Public directory: open to all, stable URLs that préfecture websites link to.
    "public:directory_search": entry(get=EVERYONE_OK),
    "public:directory_department": entry(get=EVERYONE_OK, sample_kwargs=lambda context: {"code": "35"}),
    "public:directory_department@unknown": entry(
        get=EVERYONE_NOT_FOUND, sample_kwargs=lambda context: {"code": "20"}, note="20 is no longer a département"
    ),
    "public:directory_place": entry(
        get=EVERYONE_OK,
        sample_kwargs=_own_place,
        get_may_write=True,
        note="the sample place is created on first use; the view itself writes nothing",
    ),
    "public:directory_place@unknown": entry(
        get=EVERYONE_NOT_FOUND, sample_kwargs=lambda context: {"place_id": 987654321}
    ),
    "public:directory_export_csv": entry(get=EVERYONE_OK, is_page=False, note="CSV of the national schema"),
    "public:directory_export_json": entry(get=EVERYONE_OK, is_page=False, note="JSON of the national schema"),
    # Préfecture admin: the places of their own département only (2FA required).
    "prefecture:places": entry(get=portal_outcomes("prefecture_admin")),
    "prefecture:place_create": entry(
        get=portal_outcomes("prefecture_admin"),
        post=_admin_only(TO_PLACES),
        post_data=_place_form,
    ),
    "prefecture:place_edit": entry(
        get=portal_outcomes("prefecture_admin"),
        post=_admin_only(TO_PLACES),
        sample_kwargs=_own_place,
        post_data=_place_form,
        get_may_write=True,
        note="the sample place is created on first use; the view itself writes nothing on GET",
    ),
    "prefecture:place_edit@other_department": entry(
        get=_admin_only(NOT_FOUND),
        post=_admin_only(NOT_FOUND),
        sample_kwargs=_other_place,
        post_data=_place_form,
        get_may_write=True,
        note="a place of another département answers 404 (its sample is created on first use)",
    ),
    "prefecture:places_import": entry(
        get=portal_outcomes("prefecture_admin"),
        post=_admin_only(OK),
        post_data=_import_file,
        note="the report is shown on the same page",
    ),
}
