"""The fee table shown to the public (catalogue pages): every amount in force on a day, with its territory variants.

Same regulated values as `fees.fee_due`, read for display: one line per case, then the départements where the
amount differs (Guyane, Mayotte…).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from guichet.core.models import RegulatedValue
from guichet.core.regulated import RegulatedValueMissing, regulated_value

from .fees import (
    CNI_DAMAGE,
    CNI_LOSS_OR_THEFT,
    CNI_STANDARD,
    PASSPORT_ADULT,
    PASSPORT_AGE_0_14,
    PASSPORT_AGE_15_17,
    PASSPORT_AGE_BANDS,
)
from .models import Title


@dataclass(frozen=True)
class FeeLine:
    label: str
    amount_cents: int
    territory_code: str  # "" for the national amount
    effective_from: date
    is_unverified: bool = False


def _lines(key: str, label: str, on: date) -> list[FeeLine]:
    rows = (
        RegulatedValue.objects.filter(key=key, effective_from__lte=on)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gt=on))
        .order_by("territory_code", "-effective_from")
    )
    in_force: dict[str, RegulatedValue] = {}
    for row in rows:
        in_force.setdefault(row.territory_code, row)
    national = in_force.pop("", None)
    if national is None:
        return []
    lines = [_line(label, national, "")]
    for code, row in sorted(in_force.items()):
        if row.value.get("amount_cents") != national.value.get("amount_cents"):
            lines.append(_line(label, row, code))
    return lines


def _line(label: str, row: RegulatedValue, territory_code: str) -> FeeLine:
    return FeeLine(
        label=label,
        amount_cents=int(row.value["amount_cents"]),
        territory_code=territory_code,
        effective_from=row.effective_from,
        is_unverified=bool(row.value.get("is_unverified", False)),
    )


def fee_schedule(*, title: str, on: date) -> list[FeeLine]:
    """Lines for the CNI or the passport; empty when the regulated values are missing (the page says so)."""
    try:
        if title == Title.PASSPORT:
            bands = regulated_value(PASSPORT_AGE_BANDS, on=on)
            cases = [
                (PASSPORT_ADULT, _("Adulte (%(age)s ans et plus)") % {"age": bands["adult_from"]}),
                (
                    PASSPORT_AGE_15_17,
                    _("Mineur de %(low)s à %(high)s ans")
                    % {"low": bands["teenager_from"], "high": bands["adult_from"] - 1},
                ),
                (PASSPORT_AGE_0_14, _("Enfant de moins de %(age)s ans") % {"age": bands["teenager_from"]}),
            ]
        else:
            cases = [
                (CNI_STANDARD, _("Première demande, ou renouvellement en rendant l'ancienne carte")),
                (CNI_LOSS_OR_THEFT, _("Remplacement après une perte ou un vol")),
                (CNI_DAMAGE, _("Remplacement d'une carte abîmée")),
            ]
    except RegulatedValueMissing:
        return []
    return [line for key, label in cases for line in _lines(key, label, on)]
