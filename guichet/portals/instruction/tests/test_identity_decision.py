"""Deciding on a CNI or passport: a motive from the list, free text, clear refusals; the citizen reads the motive
on the timeline and in the e-mail."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from guichet.core.exceptions import InvalidInput
from guichet.dossiers.models import AccessRole
from guichet.dossiers.services import dossier_access_grant, dossier_create, dossier_transition
from guichet.dossiers.workflow import Status
from guichet.instruction.models import DecisionMotive
from guichet.testing.personas import ensure_test_territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cni_in_instruction(personas):
    citizen, agent, instructor = personas["citizen"], personas["mairie_agent"], personas["instructor"]
    dossier = dossier_create(procedure="cni", applicant=citizen, actor=citizen, department=ensure_test_territory())
    dossier_access_grant(dossier=dossier, user=agent, role=AccessRole.MAIRIE_AGENT, actor=agent)
    dossier = dossier_transition(dossier=dossier, name="submit", actor=agent)
    return dossier_transition(dossier=dossier, name="start_instruction", actor=instructor)


@pytest.fixture
def instructor(personas, verified_client):
    return verified_client(personas["instructor"])


def decide_url(dossier, decision: str) -> str:
    return reverse("instruction:identity_decide", args=[dossier.reference, decision])


def test_refusal_page_offers_the_refusal_motives_and_free_text(instructor, cni_in_instruction):
    page = unescape(instructor.get(decide_url(cni_in_instruction, "refuse")).content.decode())
    assert "Motif du refus" in page and 'name="comment"' in page
    for motive in DecisionMotive.objects.filter(decision="refuse", is_active=True):
        if not motive.procedures or "cni" in motive.procedures:
            assert f'value="{motive.code}"' in page, motive.code
    assert 'value="conditions_met"' not in page  # an acceptance motive is not offered for a refusal


def test_refusal_without_motive_is_refused_with_a_clear_message(instructor, cni_in_instruction):
    response = instructor.post(decide_url(cni_in_instruction, "refuse"), {"motive": "", "comment": "Photo floue"})
    assert response.status_code == 400
    assert "Un refus doit être motivé : choisissez le motif du refus dans la liste." in unescape(
        response.content.decode()
    )
    cni_in_instruction.refresh_from_db()
    assert cni_in_instruction.status == Status.IN_INSTRUCTION


def test_a_motive_to_be_explained_needs_the_free_text(instructor, cni_in_instruction):
    response = instructor.post(decide_url(cni_in_instruction, "refuse"), {"motive": "other", "comment": "  "})
    assert response.status_code == 400
    assert "expliquez la décision au demandeur" in unescape(response.content.decode())
    cni_in_instruction.refresh_from_db()
    assert cni_in_instruction.status == Status.IN_INSTRUCTION


def test_refusal_motive_reaches_the_timeline_and_the_email(
    instructor, client, citizen, cni_in_instruction, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = instructor.post(
            decide_url(cni_in_instruction, "refuse"),
            {"motive": "identity_not_established", "comment": "L'acte de naissance présenté ne correspond pas."},
        )
    assert response.status_code == 302
    cni_in_instruction.refresh_from_db()
    assert cni_in_instruction.status == Status.REFUSED
    reason = "Identité non établie. L'acte de naissance présenté ne correspond pas."

    client.force_login(citizen)
    page = unescape(client.get(reverse("citizen:dossier_detail", args=[cni_in_instruction.reference])).content.decode())
    timeline = page.split('id="historique"', 1)[1]
    assert "Demande refusée" in timeline and f"Motif : {reason}" in timeline

    [email] = [message for message in mail.outbox if message.to == [citizen.email]]
    assert f"Motif : {reason}" in email.body
    assert "Nouvelle étape : Refusé" in email.body


def test_generic_accept_and_refuse_pages_send_to_the_motive_page(instructor, cni_in_instruction):
    detail = instructor.get(reverse("instruction:dossier_detail", args=[cni_in_instruction.reference])).content.decode()
    for decision in ("accept", "refuse"):
        assert reverse("instruction:dossier_transition", args=[cni_in_instruction.reference, decision]) not in detail
        assert decide_url(cni_in_instruction, decision) in detail
        generic = reverse("instruction:dossier_transition", args=[cni_in_instruction.reference, decision])
        for response in (instructor.get(generic), instructor.post(generic, {"version": cni_in_instruction.version})):
            assert response.status_code == 302 and response["Location"] == decide_url(cni_in_instruction, decision)
    cni_in_instruction.refresh_from_db()
    assert cni_in_instruction.status == Status.IN_INSTRUCTION


def test_an_identity_decision_without_motive_is_refused_by_the_service(personas, cni_in_instruction):
    with pytest.raises(InvalidInput) as refused:
        dossier_transition(dossier=cni_in_instruction, name="refuse", actor=personas["instructor"])
    assert refused.value.code == "decision_motive_required"
    cni_in_instruction.refresh_from_db()
    assert cni_in_instruction.status == Status.IN_INSTRUCTION
