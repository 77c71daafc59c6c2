"""The counter-to-hand-over chain through real HTTP: counter lodges → instruction accepts → production →
available (SMS) → hand-over, then the public tracking page; timeline and journal hold every step."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.audit.models import AuditEntry
from guichet.dossiers.models import Dossier
from guichet.dossiers.workflow import Status
from guichet.instruction.models import InvalidatedTitle
from guichet.notifications.channels.sms import MemorySmsProvider
from guichet.notifications.models import Notification
from guichet.procedures.identity_documents.counter import counter_checklist
from guichet.procedures.identity_documents.counter_models import CounterSession
from guichet.procedures.identity_documents.models import CoordinationStatus, PreDemande
from guichet.procedures.identity_documents.production import titles_production_process
from guichet.procedures.identity_documents.tests.counter_factories import fiscal_stamp, validated_predemande


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    MemorySmsProvider.outbox.clear()
    yield
    MemorySmsProvider.outbox.clear()


def test_counter_to_handover_through_http(personas, verified_client, django_capture_on_commit_callbacks):
    citizen, agent, instructor = personas["citizen"], personas["mairie_agent"], personas["instructor"]
    predemande = validated_predemande(
        applicant=citizen,
        titles=("cni", "passeport"),
        motive="loss",
    )  # adult, loss: 25 € for the CNI, 86 € for the passport
    fiscal_stamp(number="1000200030004000", amount_cents=2500)
    fiscal_stamp(number="5000600070008000", amount_cents=8600)

    # --- mairie counter ------------------------------------------------------------------------------------------
    client = verified_client(agent)
    assert client.get(reverse("town_hall:counter_home")).status_code == 200
    bad = client.post(reverse("town_hall:counter_home"), {"number": "ABC"})
    assert bad.status_code == 400 and "10 caractères" in bad.content.decode()
    unknown = client.post(reverse("town_hall:counter_home"), {"number": "ZZZZ ZZZZ ZZ"})
    assert unknown.status_code == 400 and "Aucune pré-demande" in unknown.content.decode()
    typed = " ".join([predemande.number[:4].lower(), predemande.number[4:8], predemande.number[8:]])
    found = client.post(reverse("town_hall:counter_home"), {"number": typed})
    session = CounterSession.objects.get(predemande=predemande)
    assert found.status_code == 302 and found["Location"] == reverse("town_hall:counter_session", args=[session.pk])
    page = client.get(found["Location"])
    assert page.status_code == 200 and "La déclaration de perte" in page.content.decode()

    refused = client.post(reverse("town_hall:counter_lodge", args=[session.pk]), {"originals": ["photo"]})
    assert refused.status_code == 400 and "recueil" in refused.content.decode()
    assert client.post(reverse("town_hall:counter_capture", args=[session.pk])).status_code == 302
    lodged = client.post(
        reverse("town_hall:counter_lodge", args=[session.pk]),
        {
            "originals": [item.key for item in counter_checklist(predemande)],
            "stamp_cni": "1000 2000 3000 4000",
            "stamp_passeport": "5000600070008000",
        },
    )
    assert lodged.status_code == 302
    predemande.refresh_from_db()
    assert predemande.status == CoordinationStatus.CONSUMED
    receipt = client.get(lodged["Location"])
    assert receipt.status_code == 200
    assert predemande.counter_receipt_number[:4] in receipt.content.decode()
    pdf = client.get(reverse("town_hall:counter_receipt_pdf", args=[session.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    again = client.post(reverse("town_hall:counter_home"), {"number": predemande.number})
    assert "déjà été déposée" in again.content.decode()

    dossiers = {link.title: link.dossier for link in predemande.titles.select_related("dossier")}
    assert all(d.status == Status.SUBMITTED for d in dossiers.values())
    assert Notification.objects.filter(event_key=f"dossier-{dossiers['cni'].pk}-lodged").exists()

    # --- instruction -----------------------------------------------------------------------------------------------
    client = verified_client(instructor)
    cni = dossiers["cni"]
    queue = client.get(reverse("instruction:home"), {"procedure": "cni", "department": "35"})
    assert queue.status_code == 200 and cni.display_reference in queue.content.decode()
    client.post(reverse("instruction:dossier_assign", args=[cni.reference]))
    started = client.post(
        reverse("instruction:dossier_transition", args=[cni.reference, "start_instruction"]),
        {"version": Dossier.objects.get(pk=cni.pk).version},
    )
    assert started.status_code == 302
    detail = client.get(reverse("instruction:dossier_detail", args=[cni.reference])).content.decode()
    assert "Contrôles avant décision" in detail
    assert "Autre demande en cours" not in detail  # the passport is another title, not another CNI
    no_motive = client.post(reverse("instruction:identity_decide", args=[cni.reference, "accept"]), {"motive": ""})
    assert no_motive.status_code == 400
    accepted = client.post(
        reverse("instruction:identity_decide", args=[cni.reference, "accept"]),
        {"motive": "conditions_met", "comment": "RAS"},
    )
    assert accepted.status_code == 302
    cni.refresh_from_db()
    assert cni.status == Status.ACCEPTED
    assert InvalidatedTitle.objects.filter(dossier=cni, reason="loss").exists()

    # --- production (simulated printer, frozen clock passed as `now`) ---------------------------------------------
    now = timezone.now()
    assert titles_production_process(now=now).started == 1
    titles_production_process(now=now + timedelta(days=11))  # printed and shipped in a batch
    with django_capture_on_commit_callbacks(execute=True):
        run = titles_production_process(now=now + timedelta(days=15))  # arrived at the mairie
    assert run.made_available == 1
    cni.refresh_from_db()
    assert cni.status == Status.AVAILABLE
    assert [m.to for m in MemorySmsProvider.outbox] == ["+33612345678"]
    assert "Mairie de Rennes" in MemorySmsProvider.outbox[0].text
    with django_capture_on_commit_callbacks(execute=True):
        titles_production_process(now=now + timedelta(days=16))
    assert len(MemorySmsProvider.outbox) == 1  # idempotent

    # --- hand-over at the lodging mairie -------------------------------------------------------------------------
    client = verified_client(agent)
    assert cni.display_reference in client.get(reverse("town_hall:counter_home")).content.decode()
    url = reverse("town_hall:handover_title", args=[cni.reference])
    assert client.get(url).status_code == 200
    unchecked = client.post(url, {})
    assert unchecked.status_code == 400 and "identité de la personne venue" in unchecked.content.decode()
    assert client.post(url, {"identity_checked": "on"}).status_code == 302
    cni.refresh_from_db()
    assert cni.status == Status.DELIVERED

    # --- timeline and journal ------------------------------------------------------------------------------------
    transitions = [e.data["transition"] for e in cni.events.filter(kind="transition")]
    assert transitions == ["submit", "start_instruction", "accept", "start_production", "make_available", "deliver"]
    assert cni.events.filter(kind="note", data__note="shipped_to_mairie").exists()
    journaled = set(
        AuditEntry.objects.filter(dossier_id=cni.pk, action="dossier_transition").values_list(
            "data__transition", flat=True
        )
    )
    assert journaled == set(transitions)

    # --- public tracking -------------------------------------------------------------------------------------------
    client.logout()
    tracking = client.post(
        reverse("public:tracking"), {"reference": predemande.counter_receipt_number, "birth_date": "17/05/1990"}
    )
    body = tracking.content.decode()
    assert tracking.status_code == 200 and "Titre remis" in body
    assert "Martin" not in body and "Camille" not in body
    wrong = client.post(
        reverse("public:tracking"), {"reference": predemande.counter_receipt_number, "birth_date": "18/05/1990"}
    )
    unknown_number = client.post(reverse("public:tracking"), {"reference": "ZZZZZZZZZZ", "birth_date": "17/05/1990"})
    assert "Aucune demande trouvée" in wrong.content.decode()
    assert wrong.content.decode().count("Aucune demande") == unknown_number.content.decode().count("Aucune demande")
    assert PreDemande.objects.get(pk=predemande.pk).status == CoordinationStatus.CONSUMED
