"""Changes to the directory's places by a préfecture admin, each journaled."""

from typing import Any

from django.db import transaction

from guichet.audit.services import Actor, audit_record

from .models import Place, PlaceKind


def _changed_fields(place: Place, values: dict[str, Any]) -> list[str]:
    return sorted(name for name, value in values.items() if getattr(place, name) != value)


@transaction.atomic
def place_create(*, values: dict[str, Any], actor: Actor) -> Place:
    """Creates a place from validated `values` (model field names); the journal keeps field names, not values."""
    place = Place(**values)
    place.full_clean()
    place.save()
    audit_record(
        action="place_created",
        actor=actor,
        object_type="place",
        object_id=place.pk,
        data={"department": place.department_id, "kind": place.kind},
    )
    return place


@transaction.atomic
def place_update(*, place: Place, values: dict[str, Any], actor: Actor) -> Place:
    """Updates a place; the journal lists the fields that changed."""
    changed = _changed_fields(place, values)
    for name, value in values.items():
        setattr(place, name, value)
    place.full_clean()
    place.save()
    audit_record(
        action="place_updated",
        actor=actor,
        object_type="place",
        object_id=place.pk,
        data={"department": place.department_id, "fields": changed},
    )
    return place


@transaction.atomic
def places_demo_enrich(*, department_code: str, actor: Actor) -> int:
    """Fills the directory details the brochure promises for a département's points numériques (demo seed only).

    Points numériques in préfectures and sous-préfectures have a computer, a scanner and a printer, and a mediator
    (brochure §3). Returns how many places were changed; each change is journaled.
    """
    changed = 0
    for place in Place.objects.filter(department_id=department_code, kind=PlaceKind.POINT_NUMERIQUE):
        values = {
            "mediator_present": True,
            "has_scanner": True,
            "has_printer": True,
            "services": place.services
            or ["Aide aux démarches administratives", "Accès internet et matériel informatique"],
            "access_modes": place.access_modes or ["Se présenter"],
            "support_modes": place.support_modes or ["Accompagnement individuel", "En autonomie"],
            "fees": place.fees or ["Gratuit"],
        }
        if _changed_fields(place, values):
            place_update(place=place, values=values, actor=actor)
            changed += 1
    return changed
