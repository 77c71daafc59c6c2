"""Electronic fiscal stamps: bought, entered, checked, used once, refunded."""

from datetime import timedelta

import pytest
from django.utils import timezone

from guichet.audit.models import AuditEntry
from guichet.core.exceptions import PermissionDenied
from guichet.core.regulated import regulated_value
from guichet.payments import services
from guichet.payments.errors import StampMalformed, StampRefused
from guichet.payments.models import FiscalStamp, StampStatus
from guichet.payments.providers import FakeStampProvider, luhn_is_valid

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(citizen, test_procedure):
    from guichet.dossiers.services import dossier_create

    return dossier_create(procedure=test_procedure.code, applicant=citizen, actor=citizen)


@pytest.fixture
def other_dossier(other_citizen, test_procedure):
    from guichet.dossiers.services import dossier_create

    return dossier_create(procedure=test_procedure.code, applicant=other_citizen, actor=other_citizen)


def demo(amount_cents: int, status: str = FakeStampProvider.VALID, serial: str = "0000001") -> str:
    return FakeStampProvider.demo_number(amount_cents=amount_cents, status=status, serial=serial)


def test_purchase_gives_a_16_digit_single_use_stamp_with_regulated_periods(citizen):
    stamp = services.stamp_purchase(amount_cents=8600, actor=citizen)
    today = timezone.localdate()
    assert len(stamp.number) == 16 and stamp.number.isdigit() and luhn_is_valid(stamp.number)
    assert stamp.status == StampStatus.AVAILABLE and stamp.provider == "fake"
    assert stamp.valid_until == today + timedelta(days=regulated_value(services.VALIDITY_DAYS, on=today))
    assert stamp.refundable_until == today + timedelta(days=regulated_value(services.REFUND_DAYS, on=today))
    entry = AuditEntry.objects.get(object_type="fiscal_stamp", data__change="stamp_purchased")
    assert entry.data["amount_cents"] == 8600 and entry.data["stamp_end"] == stamp.number[-4:]


def test_a_zero_purchase_is_refused(citizen):
    with pytest.raises(Exception) as refused:
        services.stamp_purchase(amount_cents=0, actor=citizen)
    assert "montant nul" in str(refused.value)


@pytest.mark.parametrize("raw", ["123", "12345678901234567", "1234 5678 9012 345a", ""])
def test_malformed_numbers_are_refused_with_a_clear_message(raw):
    with pytest.raises(StampMalformed) as refused:
        services.stamp_check(raw, 8600)
    assert "16 chiffres" in refused.value.message


def test_a_stamp_bought_elsewhere_is_checked_by_the_provider_and_registered(citizen):
    number = demo(8600)
    spaced = " ".join(number[i : i + 4] for i in range(0, 16, 4))
    stamp = services.stamp_register_external(number=spaced, amount_cents=8600, actor=citizen)
    assert stamp.number == number and stamp.provider == "external" and stamp.amount_cents == 8600
    assert services.stamp_register_external(number=number, amount_cents=8600, actor=citizen) == stamp  # idempotent


@pytest.mark.parametrize(
    ("number", "code", "words"),
    [
        (demo(8600)[:-1] + str((int(demo(8600)[-1]) + 1) % 10), "stamp_unknown", "inconnu"),
        ("1234567812345670", "stamp_unknown", "inconnu"),
        (demo(8600, FakeStampProvider.USED), "stamp_already_used", "déjà été utilisé"),
        (demo(8600, FakeStampProvider.EXPIRED), "stamp_expired", "plus valable"),
        (demo(2500), "stamp_wrong_amount", "25,00"),
    ],
)
def test_external_stamps_that_cannot_pay_are_refused(citizen, number, code, words):
    with pytest.raises(StampRefused) as refused:
        services.stamp_register_external(number=number, amount_cents=8600, actor=citizen)
    assert refused.value.code == code
    assert words in refused.value.message
    assert not FiscalStamp.objects.exists()


def test_wrong_amount_message_names_both_amounts(citizen):
    stamp = services.stamp_purchase(amount_cents=2500, actor=citizen)
    with pytest.raises(StampRefused) as refused:
        services.stamp_check(stamp.number, 8600)
    assert refused.value.code == "stamp_wrong_amount"
    assert "25,00" in refused.value.message and "86,00" in refused.value.message


def test_a_stamp_is_consumed_once_and_a_reused_stamp_is_refused(citizen, dossier, other_dossier):
    stamp = services.stamp_purchase(amount_cents=8600, actor=citizen)
    used = services.stamp_consume(number=stamp.number, dossier=dossier, actor=citizen, amount_cents=8600)
    assert used.status == StampStatus.CONSUMED and used.consumed_for_dossier_id == dossier.pk
    # The same dossier asking again changes nothing.
    assert services.stamp_consume(number=stamp.number, dossier=dossier, actor=citizen).status == StampStatus.CONSUMED
    with pytest.raises(StampRefused) as refused:
        services.stamp_consume(number=stamp.number, dossier=other_dossier, actor=citizen, amount_cents=8600)
    assert refused.value.code == "stamp_already_used"
    assert "ne sert qu'une fois" in refused.value.message
    with pytest.raises(StampRefused):
        services.stamp_check(stamp.number, 8600)
    assert AuditEntry.objects.filter(data__change="stamp_consumed", dossier_id=dossier.pk).count() == 1


def test_consuming_an_unregistered_external_stamp_checks_it_first(citizen, dossier):
    used = services.stamp_consume(
        number=demo(8600, serial="7777777"), dossier=dossier, actor=citizen, amount_cents=8600
    )
    assert used.provider == "external" and used.status == StampStatus.CONSUMED
    with pytest.raises(StampRefused) as refused:
        services.stamp_consume(number=demo(4200, serial="1111111"), dossier=dossier, actor=citizen, amount_cents=8600)
    assert refused.value.code == "stamp_wrong_amount"


def test_an_expired_stamp_cannot_be_consumed(citizen, dossier):
    stamp = services.stamp_purchase(amount_cents=8600, actor=citizen)
    FiscalStamp.objects.filter(pk=stamp.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    with pytest.raises(StampRefused) as refused:
        services.stamp_consume(number=stamp.number, dossier=dossier, actor=citizen, amount_cents=8600)
    assert refused.value.code == "stamp_expired"


def test_an_unused_stamp_is_refunded_to_its_buyer_only(citizen, other_citizen, dossier):
    stamp = services.stamp_purchase(amount_cents=8600, actor=citizen)
    with pytest.raises(PermissionDenied):
        services.stamp_refund(stamp=stamp, actor=other_citizen)
    refunded = services.stamp_refund(stamp=stamp, actor=citizen)
    assert refunded.status == StampStatus.REFUNDED and refunded.refunded_at is not None
    with pytest.raises(StampRefused) as refused:
        services.stamp_consume(number=stamp.number, dossier=dossier, actor=citizen, amount_cents=8600)
    assert refused.value.code == "stamp_refunded"
    with pytest.raises(StampRefused):
        services.stamp_refund(stamp=stamp, actor=citizen)


def test_used_or_late_stamps_are_not_refunded(citizen, dossier):
    used = services.stamp_purchase(amount_cents=8600, actor=citizen)
    services.stamp_consume(number=used.number, dossier=dossier, actor=citizen)
    with pytest.raises(StampRefused) as refused:
        services.stamp_refund(stamp=used, actor=citizen)
    assert refused.value.code == "stamp_already_used"
    late = services.stamp_purchase(amount_cents=8600, actor=citizen)
    FiscalStamp.objects.filter(pk=late.pk).update(refundable_until=timezone.localdate() - timedelta(days=1))
    with pytest.raises(StampRefused) as refused:
        services.stamp_refund(stamp=late, actor=citizen)
    assert refused.value.code == "stamp_refund_too_late"


def test_stamps_bought_elsewhere_are_not_refunded_here(citizen):
    stamp = services.stamp_register_external(number=demo(8600), amount_cents=8600, actor=citizen)
    with pytest.raises(PermissionDenied):
        services.stamp_refund(stamp=stamp, actor=citizen)


def test_the_provider_is_chosen_by_a_setting(settings, citizen):
    settings.GUICHET_STAMP_PROVIDER = "guichet.payments.tests.test_stamps.RecordingProvider"
    stamp = services.stamp_purchase(amount_cents=1700, actor=citizen)
    assert stamp.provider == "recording" and stamp.number == "5555555555555555"


class RecordingProvider(FakeStampProvider):
    name = "recording"

    def sell(self, *, amount_cents: int):
        from guichet.payments.providers import SoldStamp

        return SoldStamp(number="5555555555555555", provider_reference="REC-1")
