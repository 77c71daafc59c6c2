from datetime import date

import pytest

from guichet.core.models import RegulatedValue
from guichet.core.regulated import RegulatedValueMissing, regulated_value


@pytest.fixture
def fee_history(db):
    RegulatedValue.objects.create(key="fee", value=4, effective_from=date(2010, 1, 1), effective_until=date(2021, 1, 1))
    RegulatedValue.objects.create(key="fee", value=11, effective_from=date(2021, 1, 1))
    RegulatedValue.objects.create(key="fee", value=5.5, effective_from=date(2021, 1, 1), territory_code="973")


def test_the_value_in_force_on_the_date_is_returned(fee_history):
    assert regulated_value("fee", on=date(2020, 12, 31)) == 4
    assert regulated_value("fee", on=date(2021, 1, 1)) == 11


def test_a_territory_specific_value_wins_and_others_fall_back_to_the_national_one(fee_history):
    assert regulated_value("fee", on=date(2025, 6, 1), territory_code="973") == 5.5
    assert regulated_value("fee", on=date(2025, 6, 1), territory_code="35") == 11


def test_missing_value_is_a_clear_error(fee_history):
    with pytest.raises(RegulatedValueMissing, match="fee"):
        regulated_value("fee", on=date(2000, 1, 1))
    with pytest.raises(RegulatedValueMissing):
        regulated_value("unknown", on=date(2025, 1, 1))
