from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.audit.models import AuditAction, AuditEntry
from guichet.dossiers.models import Dossier
from guichet.dossiers.workflow import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def instructor_client(verified_client, personas):
    return verified_client(personas["instructor"])


def test_queue_gate_login_role_and_second_factor(client, personas):
    url = reverse("instruction:home")
    assert reverse("account:login") in client.get(url)["Location"]
    client.force_login(personas["citizen"])
    assert client.get(url).status_code == 403
    client.force_login(personas["instructor"])
    response = client.get(url)
    assert response.status_code == 302 and "compte" in response["Location"]


def test_queue_lists_submitted_dossiers_with_keyset_links(instructor_client, citizen, make_dossier):
    dossiers = [make_dossier(citizen, "submitted") for _ in range(27)]
    base = timezone.now() - timedelta(days=3)
    for index, dossier in enumerate(dossiers):
        Dossier.objects.filter(pk=dossier.pk).update(submitted_at=base + timedelta(minutes=index))
    draft = make_dossier(citizen, "draft")
    first = instructor_client.get(reverse("instruction:home"))
    page = first.content.decode()
    assert first.status_code == 200
    assert dossiers[0].display_reference in page and dossiers[25].display_reference not in page
    assert draft.display_reference not in page
    # Each row links to its own dossier page (links built from one resolved URL, not a {% url %} per row).
    for dossier in dossiers[:25]:
        assert f'href="{reverse("instruction:dossier_detail", args=[dossier.reference])}"' in page
    next_url = first.context["next_url"]
    assert next_url and first.context["previous_url"] is None
    second = instructor_client.get(next_url)
    assert dossiers[25].display_reference in second.content.decode()
    assert second.context["next_url"] is None
    back = instructor_client.get(second.context["previous_url"])
    assert dossiers[0].display_reference in back.content.decode()


def test_queue_invalid_cursor_and_filters_get_a_clear_message(instructor_client):
    response = instructor_client.get(reverse("instruction:home"), {"page": "forged"})
    assert response.status_code == 400
    assert "Le lien de pagination n&#x27;est plus valide" in response.content.decode()
    response = instructor_client.get(reverse("instruction:home"), {"status": "draft"})
    assert response.status_code == 400


def test_each_opening_of_a_dossier_is_journaled(instructor_client, citizen, make_dossier):
    dossier = make_dossier(citizen, "submitted")
    url = reverse("instruction:dossier_detail", args=[dossier.reference])
    assert instructor_client.get(url).status_code == 200
    assert instructor_client.get(url).status_code == 200
    entries = AuditEntry.objects.filter(action=AuditAction.DOSSIER_VIEWED, dossier_id=dossier.pk)
    assert entries.count() == 2
    assert {e.actor_role for e in entries} == {"instructor"}


def test_drafts_and_forged_references_answer_404(instructor_client, citizen, make_dossier):
    draft = make_dossier(citizen, "draft")
    assert instructor_client.get(reverse("instruction:dossier_detail", args=[draft.reference])).status_code == 404
    assert instructor_client.get("/instruction/dossiers/ZZZZZZZZZZ/").status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.DOSSIER_VIEWED).exists()


def test_transition_buttons_come_from_abilities(instructor_client, citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "in_instruction", instructor=personas["instructor"])
    page = instructor_client.get(reverse("instruction:dossier_detail", args=[dossier.reference])).content.decode()
    for name in ("accept", "refuse", "request_complement"):
        assert reverse("instruction:dossier_transition", args=[dossier.reference, name]) in page
    assert reverse("instruction:dossier_transition", args=[dossier.reference, "withdraw"]) not in page


def test_accept_after_confirmation(instructor_client, citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "in_instruction", instructor=personas["instructor"])
    url = reverse("instruction:dossier_transition", args=[dossier.reference, "accept"])
    assert "Confirmez-vous cette action ?" in instructor_client.get(url).content.decode()
    assert instructor_client.post(url, {"version": dossier.version}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.ACCEPTED


def test_complement_request_needs_a_reason_the_citizen_then_reads(
    instructor_client, client, citizen, personas, make_dossier
):
    dossier = make_dossier(citizen, "in_instruction", instructor=personas["instructor"])
    url = reverse("instruction:dossier_transition", args=[dossier.reference, "request_complement"])
    response = instructor_client.post(url, {"version": dossier.version})
    assert response.status_code == 400
    assert "Indiquez le motif" in response.content.decode()
    instructor_client.post(url, {"version": dossier.version, "reason": "Photo illisible"})
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_COMPLEMENT
    instructor_client.logout()
    client.force_login(citizen)
    page = client.get(reverse("citizen:dossier_detail", args=[dossier.reference])).content.decode()
    assert "Photo illisible" in page


def test_illegal_transition_answers_404_and_changes_nothing(instructor_client, citizen, make_dossier):
    dossier = make_dossier(citizen, "submitted")
    url = reverse("instruction:dossier_transition", args=[dossier.reference, "accept"])
    assert instructor_client.post(url, {"version": dossier.version}).status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_take_a_dossier(instructor_client, citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "submitted")
    response = instructor_client.post(reverse("instruction:dossier_assign", args=[dossier.reference]))
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.assigned_to == personas["instructor"]
    assert instructor_client.get(reverse("instruction:dossier_assign", args=[dossier.reference])).status_code == 405


def test_instructor_download_is_journaled_as_document_viewed(instructor_client, citizen, make_dossier):
    dossier = make_dossier(citizen, "submitted")
    document = dossier.documents.get()
    response = instructor_client.get(reverse("instruction:document_download", args=[dossier.reference, document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    entry = AuditEntry.objects.get(action=AuditAction.DOCUMENT_VIEWED)
    assert entry.dossier_id == dossier.pk and entry.object_id == str(document.pk)


def test_queue_page_query_count_does_not_grow_with_the_page(instructor_client, citizen, make_dossier):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert instructor_client.get(reverse("instruction:home")).status_code == 200
        return len(captured)

    make_dossier(citizen, "submitted")
    count_queries()  # the session is refreshed at most once a minute: let this first request do it
    few = count_queries()
    for _ in range(12):
        make_dossier(citizen, "submitted")
    assert count_queries() == few
