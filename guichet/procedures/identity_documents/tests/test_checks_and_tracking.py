from datetime import date

import pytest
from django.core.cache import cache

from guichet.accounts.models import VerifiedIdentity
from guichet.dossiers.services import dossier_transition
from guichet.instruction.models import InvalidatedTitle
from guichet.procedures.identity_documents.checks import identity_dossier_decide, instruction_checks, normalize_name
from guichet.procedures.identity_documents.counter import (
    counter_capture,
    counter_lodge,
    counter_place_of,
    counter_session_open,
)
from guichet.procedures.identity_documents.tracking import MAX_ATTEMPTS, tracking_attempt_allowed, tracking_lookup

from .counter_factories import ALL_ORIGINALS, stamps_for, validated_predemande


def _lodged(citizen, agent, **kwargs):
    predemande = validated_predemande(applicant=citizen, **kwargs)
    place = counter_place_of(agent=agent)
    assert place is not None
    session = counter_capture(
        session=counter_session_open(predemande=predemande, agent=agent, place=place), agent=agent
    )
    result = counter_lodge(session=session, agent=agent, checked_originals=ALL_ORIGINALS, stamps=stamps_for(predemande))
    return result.predemande, result.dossiers[0]


def _alerts(dossier):
    return {check.code for check in instruction_checks(dossier=dossier) if check.is_alert}


def test_names_are_compared_without_accents_case_or_punctuation():
    assert normalize_name("Lefèvre-Dupont") == normalize_name("LEFEVRE DUPONT")


def test_another_open_request_for_the_same_person_is_flagged(personas):
    citizen, agent = personas["citizen"], personas["mairie_agent"]
    _, first = _lodged(citizen, agent)
    assert "other_open_request" not in _alerts(first)
    _, second = _lodged(citizen, agent, family_name="MARTIN", given_names="camille")
    assert "other_open_request" in _alerts(second)
    _, other_person = _lodged(citizen, agent, birth_date=date(1991, 5, 17))
    assert "other_open_request" not in _alerts(other_person)


def test_a_title_declared_lost_is_flagged_on_later_requests_and_invalidated_for_ever(personas):
    citizen, agent, instructor = personas["citizen"], personas["mairie_agent"], personas["instructor"]
    _, lost = _lodged(citizen, agent, motive="loss", extra_data={"previous_titles": {"cni": {"number": "X12345"}}})
    lost = dossier_transition(dossier=lost, name="start_instruction", actor=instructor)
    identity_dossier_decide(dossier=lost, actor=instructor, decision="refuse", motive_code="other", comment="Doublon")
    record = InvalidatedTitle.objects.get(dossier=lost)
    assert record.reason == "loss" and record.document_number == "X12345"
    _, later = _lodged(citizen, agent)
    assert "title_declared_lost_or_stolen" in _alerts(later)


def test_civil_status_mismatch_with_the_verified_identity_is_flagged(personas):
    citizen, agent = personas["citizen"], personas["mairie_agent"]
    VerifiedIdentity.objects.create(
        user=citizen, source="franceconnect", given_name="Camille", family_name="Martin", birthdate=date(1990, 5, 17)
    )
    _, same = _lodged(citizen, agent)
    assert "civil_status_mismatch" not in _alerts(same)
    _, different = _lodged(citizen, agent, family_name="Bernard", birth_date=date(1990, 5, 18))
    mismatch = next(c for c in instruction_checks(dossier=different) if c.code == "civil_status_mismatch")
    assert mismatch.is_alert and len(mismatch.details) == 2


def test_tracking_needs_the_right_birth_date_and_reveals_no_personal_data(personas):
    predemande, dossier = _lodged(personas["citizen"], personas["mairie_agent"])
    for reference in (predemande.number, predemande.counter_receipt_number, dossier.reference.lower()):
        result = tracking_lookup(reference=reference, birth_date=date(1990, 5, 17))
        assert result is not None and result.titles[0].status_label == "Déposé"
        assert "Martin" not in repr(result)
    assert tracking_lookup(reference=predemande.number, birth_date=date(1990, 5, 18)) is None
    assert tracking_lookup(reference="", birth_date=date(1990, 5, 17)) is None
    assert tracking_lookup(reference="x" * 300, birth_date=date(1990, 5, 17)) is None


def test_tracking_attempts_are_limited_per_client():
    cache.clear()
    assert all(tracking_attempt_allowed(client_key="192.0.2.1") for _ in range(MAX_ATTEMPTS))
    assert not tracking_attempt_allowed(client_key="192.0.2.1")
    assert tracking_attempt_allowed(client_key="192.0.2.2")
    cache.clear()


@pytest.mark.parametrize("payload", [{}, {"reference": "ABC", "birth_date": "31/02/1990"}, {"birth_date": "x"}])
def test_public_tracking_page_answers_bad_input_with_a_message(client, db, payload):
    cache.clear()
    response = client.post("/suivi/", payload)
    assert response.status_code == 400
    assert "Saisissez" in response.content.decode()


def test_public_tracking_page_throttles_with_a_clear_message(client, db):
    cache.clear()
    for _ in range(MAX_ATTEMPTS):
        client.post("/suivi/", {"reference": "ZZZZZZZZZZ", "birth_date": "01/01/1990"})
    response = client.post("/suivi/", {"reference": "ZZZZZZZZZZ", "birth_date": "01/01/1990"})
    assert response.status_code == 429 and "Trop de tentatives" in response.content.decode()
    cache.clear()
