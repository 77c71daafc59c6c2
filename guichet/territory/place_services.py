"""Changes to the directory's places by a préfecture admin, each journaled."""

from typing import Any

from django.db import transaction

from guichet.audit.services import Actor, audit_record

from .models import Place


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
