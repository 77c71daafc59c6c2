"""Counter pages: the paper path and bad inputs answered with French messages, nothing lost, never a 500."""

import pytest
from django.urls import reverse

from guichet.accounts.models import User
from guichet.procedures.identity_documents.counter_models import CounterSession
from guichet.procedures.identity_documents.models import PreDemande
from guichet.territory.models import Place


@pytest.fixture
def agent_client(personas, verified_client):
    return verified_client(personas["mairie_agent"])


PAPER = {
    "family_name": "Durand",
    "given_names": "Léa Marie",
    "birth_date": "03/02/1985",
    "titles": ["cni"],
    "motive": "first",
    "email": "",
    "mobile_phone": "06 12 34 56 78",
}


def test_paper_form_creates_a_counter_account_and_opens_the_session(agent_client):
    response = agent_client.post(reverse("town_hall:counter_paper_form"), PAPER)
    session = CounterSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("town_hall:counter_session", args=[session.pk])
    assert session.is_paper_form and session.applicant_created_at_counter
    assert session.predemande.mobile_phone == "+33612345678"
    page = agent_client.get(response["Location"]).content.decode()
    assert "Formulaire papier" in page and "Compte créé au guichet" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"birth_date": "31/02/1985"}, "Saisissez une date valide"),
        ({"birth_date": "01/01/2999"}, "dans le futur"),
        ({"titles": []}, "au moins un titre"),
        ({"mobile_phone": "01 23 45 67 89"}, "mobile"),
        ({"email": "pas-une-adresse"}, "adresse"),
    ],
)
def test_paper_form_bad_inputs_keep_what_was_typed(agent_client, change, message):
    users_before = User.objects.count()
    response = agent_client.post(reverse("town_hall:counter_paper_form"), {**PAPER, **change})
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert "Durand" in body  # what the agent typed is still there
    assert not PreDemande.objects.exists() and User.objects.count() == users_before


def test_agent_of_an_unequipped_mairie_is_told_so(agent_client, personas):
    Place.objects.filter(staff__user=personas["mairie_agent"]).update(collection_stations=0)
    page = agent_client.get(reverse("town_hall:counter_home"))
    assert page.status_code == 200 and "Aucune mairie équipée" in page.content.decode()
    posted = agent_client.post(reverse("town_hall:counter_home"), {"number": "ABCDEFGH23"})
    assert posted.status_code == 400


def test_empty_search_and_other_mairies_sessions(agent_client, personas):
    empty = agent_client.post(reverse("town_hall:counter_home"), {"number": ""})
    assert empty.status_code == 400 and "scannez le QR code" in empty.content.decode()
    assert agent_client.get(reverse("town_hall:counter_session", args=[999999])).status_code == 404
    assert agent_client.get(reverse("town_hall:handover_title", args=["not-a-reference"])).status_code == 404


def test_opening_the_handover_page_is_journaled(verified_client, personas):
    """The hand-over page shows the holder's civil status: the agent's access appears in the citizen's journal."""
    from datetime import timedelta

    from django.utils import timezone

    from guichet.audit.models import AuditAction, AuditEntry
    from guichet.dossiers.services import dossier_transition
    from guichet.procedures.identity_documents.counter import (
        counter_capture,
        counter_lodge,
        counter_place_of,
        counter_session_open,
    )
    from guichet.procedures.identity_documents.production import titles_production_process
    from guichet.procedures.identity_documents.tests.counter_factories import (
        ACCEPTED,
        ALL_ORIGINALS,
        stamps_for,
        validated_predemande,
    )

    citizen, agent, instructor = personas["citizen"], personas["mairie_agent"], personas["instructor"]
    predemande = validated_predemande(applicant=citizen)
    place = counter_place_of(agent=agent)
    assert place is not None
    session = counter_capture(
        session=counter_session_open(predemande=predemande, agent=agent, place=place), agent=agent
    )
    dossier = counter_lodge(
        session=session, agent=agent, checked_originals=ALL_ORIGINALS, stamps=stamps_for(predemande)
    ).dossiers[0]
    dossier = dossier_transition(dossier=dossier, name="start_instruction", actor=instructor)
    dossier_transition(dossier=dossier, name="accept", actor=instructor, data=ACCEPTED)
    now = timezone.now()
    for days in (0, 11, 15):
        titles_production_process(now=now + timedelta(days=days))
    dossier.refresh_from_db()
    assert dossier.status == "available"
    before = AuditEntry.objects.filter(action=AuditAction.DOSSIER_VIEWED, dossier_id=dossier.pk).count()
    page = verified_client(agent).get(reverse("town_hall:handover_title", args=[dossier.reference]))
    assert page.status_code == 200
    after = AuditEntry.objects.filter(action=AuditAction.DOSSIER_VIEWED, dossier_id=dossier.pk)
    latest = after.last()
    assert after.count() == before + 1 and latest is not None and latest.actor_role == "mairie_agent"
