"""Reading mandates: the citizen's own list, a structure's list, one mandate for its citizen or its staff."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from guichet.core import references
from guichet.territory.models import Place

from .durations import duration_get
from .models import Mandate, MandateStatus
from .services import format_fee, mandate_scope_text, staff_role_at


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


@dataclass(frozen=True)
class MandateSummary:
    """What people read about a mandate, in words: its scope, duration, price and state."""

    mandate: Mandate
    scope: str
    duration: str
    fee: str
    status: str
    status_label: str

    @property
    def is_pending(self) -> bool:
        return self.status == MandateStatus.PENDING

    @property
    def is_active(self) -> bool:
        return self.status == MandateStatus.ACTIVE

    @property
    def can_be_ended(self) -> bool:
        return self.status in (MandateStatus.PENDING, MandateStatus.ACTIVE)


def mandate_summary(mandate: Mandate) -> MandateSummary:
    duration = duration_get(mandate.duration)
    status = mandate.status
    return MandateSummary(
        mandate=mandate,
        scope=mandate_scope_text(mandate),
        duration=str(duration.label) if duration else mandate.duration,
        fee=format_fee(mandate.fee_cents),
        status=status,
        status_label=str(MandateStatus(status).label),
    )
