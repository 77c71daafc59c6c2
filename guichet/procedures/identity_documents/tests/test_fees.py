"""Stamp amounts by title, motive, age on the day of the request and territory, read from regulated values."""

from datetime import date

import pytest

from guichet.core.models import RegulatedValue

from ..fees import (
    PASSPORT_ADULT,
    age_on,
    department_of_commune,
    fee_due,
)
from ..models import Motive, Title

ON = date(2026, 11, 28)


def born(years: int, *, day_after: bool = False) -> date:
    """Born exactly `years` years before ON (turning that age today), or one day later (still a year younger)."""
    return date(ON.year - years, ON.month, ON.day + (1 if day_after else 0))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "motive", "birth", "department", "expected_cents", "unverified"),
    [
        (Title.PASSPORT, Motive.FIRST, born(30), "", 8600, False),
        (Title.PASSPORT, Motive.FIRST, born(18), "35", 8600, False),
        (Title.PASSPORT, Motive.FIRST, born(18, day_after=True), "35", 4200, False),
        (Title.PASSPORT, Motive.RENEWAL_EXPIRED, born(15), "75", 4200, False),
        (Title.PASSPORT, Motive.FIRST, born(15, day_after=True), "", 1700, False),
        (Title.PASSPORT, Motive.FIRST, born(0), "", 1700, False),
        (Title.PASSPORT, Motive.LOSS, born(40), "", 8600, False),
        (Title.PASSPORT, Motive.FIRST, born(40), "973", 4300, False),
        (Title.PASSPORT, Motive.FIRST, born(16), "973", 2100, False),
        (Title.PASSPORT, Motive.FIRST, born(10), "973", 850, False),
        (Title.PASSPORT, Motive.FIRST, born(40), "976", 8600, False),
        (Title.PASSPORT, Motive.FIRST, born(10), "976", 1700, False),
        (Title.CNI, Motive.FIRST, born(40), "", 0, False),
        (Title.CNI, Motive.RENEWAL_EXPIRED, born(40), "", 0, False),
        (Title.CNI, Motive.LOSS, born(40), "35", 2500, False),
        (Title.CNI, Motive.THEFT, born(12), "", 2500, False),
        (Title.CNI, Motive.LOSS, born(40), "973", 1250, False),
        (Title.CNI, Motive.THEFT, born(40), "976", 2500, False),
        (Title.CNI, Motive.DAMAGE, born(40), "", 0, True),
    ],
)
def test_fee_due_follows_the_fee_tables(title, motive, birth, department, expected_cents, unverified):
    fee = fee_due(title=title, motive=motive, birth_date=birth, on=ON, department_code=department)
    assert fee.amount_cents == expected_cents
    assert fee.is_unverified is unverified
    assert fee.is_due is (expected_cents > 0)


@pytest.mark.django_db
def test_a_new_rate_applies_from_its_effective_date_only():
    RegulatedValue.objects.filter(key=PASSPORT_ADULT, territory_code="", effective_until__isnull=True).update(
        effective_until=date(2027, 1, 1)
    )
    RegulatedValue.objects.create(
        key=PASSPORT_ADULT, value={"amount_cents": 9000}, effective_from=date(2027, 1, 1), source="test"
    )
    before = fee_due(title=Title.PASSPORT, motive=Motive.FIRST, birth_date=date(1980, 1, 1), on=date(2026, 12, 31))
    after = fee_due(title=Title.PASSPORT, motive=Motive.FIRST, birth_date=date(1980, 1, 1), on=date(2027, 1, 1))
    assert (before.amount_cents, after.amount_cents) == (8600, 9000)


@pytest.mark.django_db
def test_fee_rows_cite_their_source():
    rows = RegulatedValue.objects.filter(key__startswith="identity_documents.fee.")
    assert rows.count() >= 13
    assert all(row.source for row in rows)


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2000, 2, 29), date(2018, 2, 28), 17),
        (date(2000, 2, 29), date(2018, 3, 1), 18),
        (date(2010, 6, 1), date(2026, 5, 31), 15),
        (date(2010, 6, 1), date(2026, 6, 1), 16),
    ],
)
def test_age_is_counted_in_completed_years(birth, on, age):
    assert age_on(birth, on) == age


@pytest.mark.parametrize(
    ("commune", "department"), [("35238", "35"), ("97302", "973"), ("97611", "976"), ("2A004", "2A")]
)
def test_department_of_commune(commune, department):
    assert department_of_commune(commune) == department
