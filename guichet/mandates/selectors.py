"""Reading mandates: the citizen's own list, a structure's list, one mandate for its citizen or its staff."""

from typing import Any

from django.db.models import QuerySet

from guichet.core import references
from guichet.territory.models import Place

from .models import Mandate
from .services import staff_role_at


def mandates_of_citizen(*, citizen: Any) -> QuerySet[Mandate]:
    return Mandate.objects.filter(citizen_id=citizen.pk).select_related("holder", "dossier")


def mandates_of_holder(*, holder: Place) -> QuerySet[Mandate]:
    return Mandate.objects.filter(holder=holder).select_related("citizen", "dossier")


def mandate_of_citizen(*, citizen: Any, reference: str) -> Mandate | None:
    return mandates_of_citizen(citizen=citizen).filter(reference=references.normalize(reference or "")).first()


def mandate_for_staff(*, user: Any, reference: str) -> Mandate | None:
    """The mandate if `user` is active staff of its holder (for the right kind); None otherwise, as if missing."""
    mandate = (
        Mandate.objects.filter(reference=references.normalize(reference or ""))
        .select_related("holder", "citizen", "dossier")
        .first()
    )
    if mandate is None or staff_role_at(user=user, holder=mandate.holder, kind=mandate.kind) is None:
        return None
    return mandate
