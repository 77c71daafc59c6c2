import pytest
from django.test import Client
from django.urls import reverse

from guichet.audit.models import AuditAction, AuditEntry
from guichet.dossiers.models import AccessRole, Document, Dossier
from guichet.dossiers.services import dossier_access_grant, dossier_record_view
from guichet.dossiers.tests.fixtures import jpeg_bytes, pdf_bytes, png_bytes, upload
from guichet.dossiers.workflow import Status
from guichet.portals.citizen.views import DOSSIER_GROUP_PAGE_SIZE

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen_client(client, citizen):
    client.force_login(citizen)
    return client


def detail_url(dossier):
    return reverse("citizen:dossier_detail", args=[dossier.reference])


def test_dashboard_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("citizen:home"))
    assert response.status_code == 302
    assert reverse("account:login") in response["Location"]


def test_dashboard_empty_state_with_an_empty_registry(citizen_client):
    response = citizen_client.get(reverse("citizen:home"))
    assert response.status_code == 200
    assert "Vous n'avez aucune démarche en cours" in response.content.decode()


def test_dashboard_survives_a_dossier_whose_procedure_is_not_installed(citizen_client, citizen):
    Dossier.objects.create(procedure="retired_procedure", applicant=citizen)
    response = citizen_client.get(reverse("citizen:home"))
    assert response.status_code == 200
    assert "retired_procedure" in response.content.decode()


def test_dashboard_lists_drafts_to_resume_with_status_badges(citizen_client, citizen, other_citizen, make_dossier):
    draft = make_dossier(citizen, "draft")
    submitted = make_dossier(citizen, "submitted")
    foreign = make_dossier(other_citizen, "draft")
    page = citizen_client.get(reverse("citizen:home")).content.decode()
    assert "Brouillons à terminer" in page
    assert detail_url(draft) in page and detail_url(submitted) in page
    assert detail_url(foreign) not in page
    assert "fr-badge--new" in page and "fr-badge--info" in page


def test_dashboard_shows_six_per_group_and_links_to_the_whole_group(citizen_client, citizen, make_dossier):
    drafts = [make_dossier(citizen, "draft") for _ in range(8)]
    page = citizen_client.get(reverse("citizen:home")).content.decode()
    assert sum(detail_url(draft) in page for draft in drafts) == 6
    assert "Voir vos 8 brouillons" in page
    assert reverse("citizen:dossier_group", args=["brouillons"]) in page


def test_a_dashboard_group_is_listed_in_full_a_page_at_a_time(citizen_client, citizen, other_citizen, make_dossier):
    drafts = [make_dossier(citizen, "draft") for _ in range(DOSSIER_GROUP_PAGE_SIZE + 1)]
    foreign = make_dossier(other_citizen, "draft")
    submitted = make_dossier(citizen, "submitted")
    url = reverse("citizen:dossier_group", args=["brouillons"])
    first = citizen_client.get(url).content.decode()
    second = citizen_client.get(url, {"page": 2}).content.decode()
    assert f"{DOSSIER_GROUP_PAGE_SIZE + 1} démarches" in first
    shown = [draft for draft in drafts if detail_url(draft) in first or detail_url(draft) in second]
    assert len(shown) == len(drafts)
    assert sum(detail_url(draft) in second for draft in drafts) == 1
    assert f"{url}?page=2" in first and f"{url}?page=1" in second
    for page in (first, second):
        assert detail_url(foreign) not in page and detail_url(submitted) not in page
    # A page number that cannot be read gives the first page, one past the end the last: never an error.
    assert citizen_client.get(url, {"page": "abc"}).content.decode().count("fr-card__title") == DOSSIER_GROUP_PAGE_SIZE
    assert citizen_client.get(url, {"page": 99}).content.decode().count("fr-card__title") == 1


def test_an_empty_group_says_so_and_an_unknown_group_is_not_found(citizen_client):
    page = citizen_client.get(reverse("citizen:dossier_group", args=["terminees"]))
    assert page.status_code == 200
    assert "Aucune démarche dans cette liste." in page.content.decode()
    assert citizen_client.get(reverse("citizen:dossier_group", args=["toutes"])).status_code == 404


def test_dossier_page_shows_status_timeline_documents_and_access_log(citizen_client, citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "submitted")
    instructor = personas["instructor"]
    dossier_record_view(dossier=dossier, actor=instructor, role="instructor")
    page = citizen_client.get(detail_url(dossier)).content.decode()
    assert dossier.display_reference in page
    assert "Historique du dossier" in page
    assert "Qui a consulté ou modifié ce dossier" in page
    assert "CERT titres d&#x27;identité de Rennes" in page
    assert instructor.last_name not in page
    assert reverse("citizen:document_download", args=[dossier.reference, dossier.documents.get().pk]) in page


@pytest.mark.parametrize("reference", ["AAAA", "ZZZZZZZZZZ", "../../etc", "%00", "2222222222"])
def test_forged_references_answer_404(citizen_client, reference):
    assert citizen_client.get(f"/usager/dossiers/{reference}/").status_code == 404


def test_someone_elses_dossier_answers_404_everywhere(citizen_client, other_citizen, make_dossier):
    dossier = make_dossier(other_citizen, "submitted")
    document = dossier.documents.get()
    urls = [
        detail_url(dossier),
        reverse("citizen:document_download", args=[dossier.reference, document.pk]),
        reverse("citizen:dossier_transition", args=[dossier.reference, "withdraw"]),
    ]
    for url in urls:
        assert citizen_client.get(url).status_code == 404, url
    assert citizen_client.post(reverse("citizen:document_upload", args=[dossier.reference])).status_code == 404
    assert citizen_client.post(urls[2], {"version": dossier.version}).status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_agent_grants_do_not_open_the_citizen_portal(verified_client, citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "draft")
    agent = personas["mairie_agent"]
    dossier_access_grant(dossier=dossier, user=agent, role=AccessRole.MAIRIE_AGENT, actor=citizen)
    # Even past their second factor, agents reach a dossier only through their own portal.
    client = verified_client(agent)
    assert client.get(detail_url(dossier)).status_code == 404


def test_representative_sees_the_dossier_and_downloads_are_journaled(client, citizen, other_citizen, make_dossier):
    dossier = make_dossier(citizen, "submitted")
    dossier_access_grant(dossier=dossier, user=other_citizen, role=AccessRole.REPRESENTATIVE, actor=citizen)
    client.force_login(other_citizen)
    page = client.get(detail_url(dossier))
    assert page.status_code == 200
    assert "Accès accordé : Représentant sous mandat" in page.content.decode()
    document = dossier.documents.get()
    response = client.get(reverse("citizen:document_download", args=[dossier.reference, document.pk]))
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.DOCUMENT_VIEWED, actor_role="representative").count() == 1


def test_upload_stores_a_valid_file(citizen_client, citizen, make_dossier):
    dossier = make_dossier(citizen, "draft")
    response = citizen_client.post(
        reverse("citizen:document_upload", args=[dossier.reference]),
        {"kind": "identity", "file": upload(jpeg_bytes(), name="photo.jpg")},
    )
    assert response.status_code == 302
    assert Document.objects.filter(dossier=dossier, content_type="image/jpeg").count() == 1


@pytest.mark.parametrize(
    ("content", "name", "kind", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "photo.jpg", "identity", "type de fichier n&#x27;est pas accepté"),
        (b"", "vide.pdf", "identity", "vide"),
        (png_bytes() + b"PK\x03\x04\x14\x00" + b"x" * 50, "photo.png", "identity", "autres données"),
        (pdf_bytes(javascript=True), "scan.pdf", "identity", "éléments actifs"),
        (pdf_bytes() + b" " * 300_000, "facture.pdf", "proof_of_address", "trop volumineux"),
        (png_bytes(), "photo.png", "unknown_kind", "Sélectionnez un choix valide"),
    ],
)
def test_bad_uploads_get_a_french_message_and_nothing_is_stored(
    citizen_client, citizen, make_dossier, content, name, kind, message
):
    dossier = make_dossier(citizen, "draft")
    response = citizen_client.post(
        reverse("citizen:document_upload", args=[dossier.reference]), {"kind": kind, "file": upload(content, name)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.filter(dossier=dossier).exists()


def test_upload_requires_csrf(citizen, make_dossier):
    dossier = make_dossier(citizen, "draft")
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    response = client.post(
        reverse("citizen:document_upload", args=[dossier.reference]), {"kind": "identity", "file": upload(png_bytes())}
    )
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_download_is_an_uncached_attachment(citizen_client, citizen, make_dossier):
    dossier = make_dossier(citizen, "submitted")
    document = dossier.documents.get()
    response = citizen_client.get(reverse("citizen:document_download", args=[dossier.reference, document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    # The applicant's own downloads are not "someone accessed my dossier".
    assert not AuditEntry.objects.filter(action=AuditAction.DOCUMENT_VIEWED).exists()


def test_document_of_another_dossier_answers_404(citizen_client, citizen, other_citizen, make_dossier):
    mine = make_dossier(citizen, "submitted")
    theirs = make_dossier(other_citizen, "submitted")
    url = reverse("citizen:document_download", args=[mine.reference, theirs.documents.get().pk])
    assert citizen_client.get(url).status_code == 404


def test_submit_through_the_confirmation_page(citizen_client, citizen, make_dossier):
    dossier = make_dossier(citizen, "draft")
    citizen_client.post(
        reverse("citizen:document_upload", args=[dossier.reference]), {"kind": "identity", "file": upload(png_bytes())}
    )
    url = reverse("citizen:dossier_transition", args=[dossier.reference, "submit"])
    confirm = citizen_client.get(url)
    assert confirm.status_code == 200
    assert "Confirmez-vous cette action ?" in confirm.content.decode()
    response = citizen_client.post(url, {"version": dossier.version})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_submit_without_required_document_explains_what_is_missing(citizen_client, citizen, make_dossier):
    dossier = make_dossier(citizen, "draft")
    url = reverse("citizen:dossier_transition", args=[dossier.reference, "submit"])
    response = citizen_client.post(url, {"version": dossier.version}, follow=True)
    assert "Il manque des pièces obligatoires" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT


def test_stale_confirmation_is_refused_with_a_message(citizen_client, citizen, make_dossier):
    dossier = make_dossier(citizen, "submitted")
    url = reverse("citizen:dossier_transition", args=[dossier.reference, "withdraw"])
    response = citizen_client.post(url, {"version": dossier.version - 1}, follow=True)
    assert "modifié entre-temps" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_instructor_only_transition_answers_404_to_the_citizen(citizen_client, citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "in_instruction", instructor=personas["instructor"])
    url = reverse("citizen:dossier_transition", args=[dossier.reference, "accept"])
    assert citizen_client.post(url, {"version": dossier.version}).status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_INSTRUCTION


def test_purged_document_is_listed_but_no_longer_downloadable(citizen_client, citizen, make_dossier):
    from django.utils import timezone

    dossier = make_dossier(citizen, "submitted")
    document = dossier.documents.get()
    Document.objects.filter(pk=document.pk).update(file="", purged_at=timezone.now())
    page = citizen_client.get(detail_url(dossier)).content.decode()
    assert "Supprimée après la décision" in page
    url = reverse("citizen:document_download", args=[dossier.reference, document.pk])
    assert citizen_client.get(url).status_code == 404


def test_draft_page_lists_missing_required_documents(citizen_client, citizen, make_dossier):
    dossier = make_dossier(citizen, "draft")
    page = citizen_client.get(detail_url(dossier)).content.decode()
    assert "Pièces obligatoires à ajouter" in page and "Pièce d&#x27;identité" in page
    citizen_client.post(
        reverse("citizen:document_upload", args=[dossier.reference]), {"kind": "identity", "file": upload(png_bytes())}
    )
    assert "Pièces obligatoires à ajouter" not in citizen_client.get(detail_url(dossier)).content.decode()
