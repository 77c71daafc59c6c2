"""What a title costs (timbre fiscal), from regulated values in force on the day of the request.

Passport: by the applicant's age on that day; CNI: free, except after a loss or a theft. Guyane (973) and
Mayotte (976) have their own rows where the fiches give them (DOMAIN.md §2.2–2.3).
"""

from dataclasses import dataclass
from datetime import date

from guichet.core.regulated import regulated_value

from .models import Motive, Title

PASSPORT_ADULT = "identity_documents.fee.passport.adult"
PASSPORT_AGE_15_17 = "identity_documents.fee.passport.age_15_17"
PASSPORT_AGE_0_14 = "identity_documents.fee.passport.age_0_14"
CNI_LOSS_OR_THEFT = "identity_documents.fee.cni.loss_or_theft"
CNI_DAMAGE = "identity_documents.fee.cni.damage"
CNI_STANDARD = "identity_documents.fee.cni.standard"
# Age bounds are rules too: the band a child falls in is read on the day of the request.
PASSPORT_AGE_BANDS = "identity_documents.fee.passport.age_bands"


@dataclass(frozen=True)
class Fee:
    title: str
    amount_cents: int
    key: str
    is_unverified: bool = False

    @property
    def is_due(self) -> bool:
        return self.amount_cents > 0


def age_on(birth_date: date, on: date) -> int:
    """Completed years on `on` (someone born on 29 February turns a year older on 1 March in common years)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def department_of_commune(commune_code: str) -> str:
    """INSEE commune code → département code (97x for overseas, 2A/2B for Corsica)."""
    code = (commune_code or "").strip().upper()
    return code[:3] if code.startswith("97") else code[:2]


def _passport_key(age: int, on: date, territory_code: str) -> str:
    bands = regulated_value(PASSPORT_AGE_BANDS, on=on, territory_code=territory_code)
    if age >= bands["adult_from"]:
        return PASSPORT_ADULT
    if age >= bands["teenager_from"]:
        return PASSPORT_AGE_15_17
    return PASSPORT_AGE_0_14


def fee_due(*, title: str, motive: str, birth_date: date, on: date, department_code: str = "") -> Fee:
    """The stamp amount due for one title; `department_code` is the applicant's département of residence."""
    if title == Title.PASSPORT:
        key = _passport_key(age_on(birth_date, on), on, department_code)
    elif motive in (Motive.LOSS, Motive.THEFT):
        key = CNI_LOSS_OR_THEFT
    elif motive == Motive.DAMAGE:
        key = CNI_DAMAGE
    else:
        key = CNI_STANDARD
    value = regulated_value(key, on=on, territory_code=department_code)
    return Fee(
        title=title,
        amount_cents=int(value["amount_cents"]),
        key=key,
        is_unverified=bool(value.get("is_unverified", False)),
    )


def format_euros(amount_cents: int) -> str:
    """8600 → "86,00 €" (French notation)."""
    euros, cents = divmod(amount_cents, 100)
    return f"{euros},{cents:02d}\u00a0€"
