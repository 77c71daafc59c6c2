from datetime import date, timedelta

import pytest
from django.utils import timezone

from guichet.audit.models import AuditEntry
from guichet.core.exceptions import DomainError, InvalidInput, ObjectNotFound, PermissionDenied
from guichet.dossiers.workflow import Status
from guichet.payments.models import StampStatus
from guichet.procedures.identity_documents.counter import (
    PaperForm,
    counter_capture,
    counter_lodge,
    counter_paper_start,
    counter_place_of,
    counter_session_open,
    predemande_for_counter,
    predemande_number_parse,
)
from guichet.procedures.identity_documents.models import CoordinationStatus

from .counter_factories import ALL_ORIGINALS, fiscal_stamp, validated_predemande


@pytest.fixture
def agent(personas):
    return personas["mairie_agent"]


@pytest.fixture
def place(agent):
    return counter_place_of(agent=agent)


def _open_and_capture(predemande, agent, place):
    session = counter_session_open(predemande=predemande, agent=agent, place=place)
    return counter_capture(session=session, agent=agent)


def test_number_is_normalised_from_typed_or_scanned_text():
    assert predemande_number_parse(" 7kq2-m9xd f4 ") == "7KQ2M9XDF4"
    assert predemande_number_parse("abcd efgh 23") == "ABCDEFGH23"
    assert predemande_number_parse("https://guichet.example/predemande/ABCDEFGH23") == "ABCDEFGH23"


@pytest.mark.parametrize("raw", ["", "ABC", "ABCDEFGH2", "ÀBCDEFGH23!", "12345678901234567890X"])
def test_malformed_numbers_are_refused_with_a_french_message(raw):
    with pytest.raises(InvalidInput) as error:
        predemande_for_counter(raw_number=raw)
    assert error.value.code == "predemande_number_malformed"
    assert "10 caractères" in error.value.message


def test_unknown_expired_consumed_and_unfinished_predemandes_are_refused(citizen):
    with pytest.raises(ObjectNotFound) as unknown:
        predemande_for_counter(raw_number="ZZZZZZZZZZ")
    assert unknown.value.code == "predemande_unknown"
    expired = validated_predemande(applicant=citizen, valid_until=timezone.localdate() - timedelta(days=1))
    consumed = validated_predemande(applicant=citizen, status=CoordinationStatus.CONSUMED)
    declared = validated_predemande(applicant=citizen, status=CoordinationStatus.DECLARED)
    codes = {}
    for predemande in (expired, consumed, declared):
        with pytest.raises(DomainError) as error:
            predemande_for_counter(raw_number=predemande.number.lower())
        codes[predemande.pk] = error.value.code
    assert codes == {
        expired.pk: "predemande_expired",
        consumed.pk: "predemande_consumed",
        declared.pk: "predemande_not_validated",
    }


def test_lodging_consumes_the_predemande_and_submits_each_dossier(citizen, agent, place):
    predemande = validated_predemande(applicant=citizen, titles=("cni", "passeport"))
    fiscal_stamp(number="1111222233334444", amount_cents=8600)
    session = _open_and_capture(predemande, agent, place)
    result = counter_lodge(
        session=session, agent=agent, checked_originals=ALL_ORIGINALS, stamps={"passeport": "1111 2222 3333 4444"}
    )
    predemande.refresh_from_db()
    assert predemande.status == CoordinationStatus.CONSUMED
    assert predemande.lodged_at_place == place
    assert predemande.consumed_at is not None
    assert len(predemande.counter_receipt_number) == 12
    assert {d.status for d in result.dossiers} == {Status.SUBMITTED}
    assert all(d.department_id == place.department_id for d in result.dossiers)
    for dossier in result.dossiers:
        submit = dossier.events.filter(kind="transition").get()
        assert submit.actor_role == "mairie_agent"
        assert submit.data["details"]["counter_receipt"] == predemande.counter_receipt_number
    assert AuditEntry.objects.filter(action="dossier_transition", actor_id=agent.pk).count() == 2
    assert AuditEntry.objects.filter(object_type="predemande", data__change="predemande_consumed").exists()
    # A second lodging of the same number is refused.
    with pytest.raises(DomainError) as again:
        predemande_for_counter(raw_number=predemande.number)
    assert again.value.code == "predemande_consumed"


def test_lodging_refuses_unchecked_originals_and_missing_capture_without_losing_anything(citizen, agent, place):
    predemande = validated_predemande(applicant=citizen)
    session = counter_session_open(predemande=predemande, agent=agent, place=place)
    with pytest.raises(InvalidInput) as no_capture:
        counter_lodge(session=session, agent=agent, checked_originals=ALL_ORIGINALS)
    assert no_capture.value.code == "capture_missing"
    session = counter_capture(session=session, agent=agent)
    with pytest.raises(InvalidInput) as unchecked:
        counter_lodge(session=session, agent=agent, checked_originals=["photo"])
    assert unchecked.value.code == "originals_not_checked"
    assert "current_cni" in list(unchecked.value.details["missing"])  # type: ignore[call-overload]
    session.refresh_from_db()
    assert session.capture["is_acceptable"] is True
    predemande.refresh_from_db()
    assert predemande.status == CoordinationStatus.VALIDATED


def test_stamp_is_required_single_use_and_of_the_right_amount(citizen, agent, place):
    predemande = validated_predemande(applicant=citizen, titles=("passeport",))  # adult passport: 86 €
    fiscal_stamp(number="9999888877776666", amount_cents=1700)
    session = _open_and_capture(predemande, agent, place)
    with pytest.raises(InvalidInput) as missing:
        counter_lodge(session=session, agent=agent, checked_originals=ALL_ORIGINALS, stamps={})
    assert missing.value.code == "stamp_required"
    with pytest.raises(InvalidInput) as wrong:
        counter_lodge(
            session=session, agent=agent, checked_originals=ALL_ORIGINALS, stamps={"passeport": "9999888877776666"}
        )
    assert wrong.value.code == "stamp_wrong_amount"
    used = fiscal_stamp(number="5555666677778888", amount_cents=8600)
    counter_lodge(session=session, agent=agent, checked_originals=ALL_ORIGINALS, stamps={"passeport": used.number})
    used.refresh_from_db()
    assert used.status == StampStatus.CONSUMED
    other = validated_predemande(applicant=citizen, titles=("passeport",))
    other_session = _open_and_capture(other, agent, place)
    with pytest.raises(InvalidInput) as reused:
        counter_lodge(
            session=other_session, agent=agent, checked_originals=ALL_ORIGINALS, stamps={"passeport": used.number}
        )
    assert reused.value.code == "stamp_already_used"


def test_fingerprints_are_captured_from_twelve_only(citizen, agent, place):
    child = validated_predemande(applicant=citizen, birth_date=timezone.localdate() - timedelta(days=365 * 11))
    teen = validated_predemande(applicant=citizen, birth_date=timezone.localdate() - timedelta(days=365 * 13))
    assert _open_and_capture(child, agent, place).capture["fingerprints"] is None
    assert _open_and_capture(teen, agent, place).capture["fingerprints"]["quality_scores"]


def test_an_agent_of_an_unequipped_mairie_cannot_open_a_counter(citizen, agent, place):
    place.collection_stations = 0
    place.save()
    predemande = validated_predemande(applicant=citizen)
    with pytest.raises(PermissionDenied):
        counter_session_open(predemande=predemande, agent=agent, place=place)


def test_paper_form_creates_a_flagged_account_and_lodges(agent, place):
    form = PaperForm(
        family_name="Durand", given_names="Léa", birth_date=date(1985, 2, 3), titles=["cni"], motive="first"
    )
    session = counter_paper_start(form=form, agent=agent, place=place)
    assert session.is_paper_form and session.applicant_created_at_counter
    assert session.predemande.applicant.email.endswith("@comptoir.invalid")
    session = counter_capture(session=session, agent=agent)
    result = counter_lodge(session=session, agent=agent, checked_originals=ALL_ORIGINALS)
    assert result.dossiers[0].status == Status.SUBMITTED


def test_paper_form_finds_an_existing_account_by_email_and_refuses_future_births(citizen, agent, place):
    form = PaperForm(
        family_name="Martin",
        given_names="Camille",
        birth_date=date(1990, 5, 17),
        titles=["passeport"],
        motive="first",
        email=citizen.email.upper(),
    )
    session = counter_paper_start(form=form, agent=agent, place=place)
    assert session.predemande.applicant == citizen and not session.applicant_created_at_counter
    future = PaperForm(
        family_name="X",
        given_names="Y",
        birth_date=timezone.localdate() + timedelta(days=2),
        titles=["cni"],
        motive="first",
    )
    with pytest.raises(InvalidInput) as error:
        counter_paper_start(form=future, agent=agent, place=place)
    assert error.value.code == "birth_date_in_future"
