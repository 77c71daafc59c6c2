"""The mediator portal through real HTTP (Django test client): session, account, identity, mandate, dossiers,
pré-demande, refusals after revocation or out of scope, and the citizen's side (Mes mandats, timeline)."""

import html
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import IdentityAssurance, RoleAssignment, User
from guichet.accounts.roles import Role
from guichet.audit.models import AuditEntry
from guichet.dossiers import registry
from guichet.dossiers.models import Dossier
from guichet.dossiers.tests.fixtures import png_bytes, upload
from guichet.dossiers.tests.procedures import TEST_PROCEDURE
from guichet.mandates.models import Mandate, MandateStatus
from guichet.mandates.services import CONSENT_SENTENCE
from guichet.mandates.tests.factories import MOBILE, last_sms_code
from guichet.mediation.models import AssistedSession
from guichet.notifications.channels.sms import MemorySmsProvider
from guichet.procedures.identity_documents import predemande as services
from guichet.procedures.identity_documents.models import CoordinationStatus, PreDemande
from guichet.procedures.identity_documents.tests.factories import step_values
from guichet.territory.models import Place, PlaceKind

pytestmark = pytest.mark.django_db
SLUGS = ["etat-civil", "filiation", "description", "adresse", "telephone", "titres"]


@pytest.fixture(autouse=True)
def generic_procedure():
    registry.register(TEST_PROCEDURE)
    MemorySmsProvider.outbox.clear()
    yield
    registry.unregister(TEST_PROCEDURE.code)
    MemorySmsProvider.outbox.clear()


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def mediator_client(personas, verified_client) -> Client:
    client = verified_client(personas["mediator"])
    response = client.post(
        reverse("mediator:session_open"), {"place": personas["mediator"].role_assignments.get().place_id}
    )
    assert response.status_code == 302 and response["Location"] == reverse("mediator:session")
    return client


def with_visitor(client: Client, visitor: User) -> None:
    found = client.post(reverse("mediator:visitor_search"), {"email": visitor.email})
    assert found.status_code == 200, text(found)
    match = re.search(r'name="visitor" value="([^"]+)"', found.content.decode())
    assert match, text(found)
    token = match.group(1)
    assert client.post(reverse("mediator:visitor_attach"), {"visitor": token}).status_code == 302


def mandate_by_typing(client: Client, procedures=("test_generic",), duration="one_week") -> Mandate:
    proposed = client.post(
        reverse("mediator:mandate_new"),
        {"procedures": list(procedures), "dossier": "", "duration": duration, "consent_method": "typed"},
    )
    assert proposed.status_code == 302, text(proposed)
    mandate = Mandate.objects.latest("pk")
    page = client.get(proposed["Location"])
    assert "Côté personne accompagnée" in text(page) and mandate.consent_text in text(page)
    wrong = client.post(proposed["Location"], {"code_or_text": "d'accord"})
    assert wrong.status_code == 400 and "ne correspond pas" in text(wrong)
    assert client.post(proposed["Location"], {"code_or_text": CONSENT_SENTENCE}).status_code == 302
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.ACTIVE
    return mandate


def test_a_new_account_is_created_with_the_visitor_who_types_their_own_password(
    mediator_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = mediator_client.post(
            reverse("mediator:account_create"),
            {
                "email": "lea.robert@example.fr",
                "first_name": "Léa",
                "last_name": "Robert",
                "mobile_phone": "06 98 76 54 32",
                "password1": "Un-Mot-De-Passe-Solide-42",
                "password2": "Un-Mot-De-Passe-Solide-42",
            },
        )
    assert response.status_code == 302, text(response)
    user = User.objects.get(email="lea.robert@example.fr")
    assert user.check_password("Un-Mot-De-Passe-Solide-42")
    [message] = mail.outbox
    assert message.to == ["lea.robert@example.fr"] and "/compte/" in message.body
    assert AssistedSession.objects.get().citizen == user


def test_without_a_password_the_visitor_gets_a_link_to_choose_it(mediator_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = mediator_client.post(
            reverse("mediator:account_create"),
            {"email": "noe@example.fr", "first_name": "Noé", "last_name": "Petit", "password1": "", "password2": ""},
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert "choisissez votre mot de passe" in message.subject.lower()
    link = re.search(r"http\S+/mot-de-passe/\S+", str(message.body))
    assert link, message.body


def test_identity_is_checked_face_to_face(mediator_client, visitor):
    with_visitor(mediator_client, visitor)
    incomplete = mediator_client.post(reverse("mediator:identity_check"), {"document_type": "passport"})
    assert incomplete.status_code == 400
    response = mediator_client.post(
        reverse("mediator:identity_check"),
        {
            "document_type": "national_id_card",
            "given_name": "Camille",
            "family_name": "Martin",
            "birthdate": "1990-05-17",
            "checked": "on",
        },
    )
    assert response.status_code == 302
    visitor.refresh_from_db()
    assert visitor.identity_assurance == IdentityAssurance.VERIFIED_IN_PERSON
    assert AuditEntry.objects.filter(action="identity_verified", data__document_type="national_id_card").exists()


def test_sms_consent_through_the_pages_wrong_code_then_right_one(
    mediator_client, visitor, django_capture_on_commit_callbacks
):
    with_visitor(mediator_client, visitor)
    with django_capture_on_commit_callbacks(execute=True):
        proposed = mediator_client.post(
            reverse("mediator:mandate_new"),
            {"procedures": ["test_generic"], "dossier": "", "duration": "one_month", "consent_method": "sms_code"},
        )
    assert proposed.status_code == 302
    page = mediator_client.get(proposed["Location"])
    assert "finissant par 78" in text(page)
    code = last_sms_code(MOBILE)
    wrong = mediator_client.post(proposed["Location"], {"code_or_text": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 400 and "Essais restants : 4" in text(wrong)
    assert mediator_client.post(proposed["Location"], {"code_or_text": code}).status_code == 302
    replay = mediator_client.post(proposed["Location"], {"code_or_text": code})
    assert replay.status_code == 302 and Mandate.objects.get().is_active  # nothing pending any more


def test_a_generic_dossier_is_created_scanned_and_filed_under_the_mandate(mediator_client, visitor):
    with_visitor(mediator_client, visitor)
    refused = mediator_client.post(reverse("mediator:procedure_start"), {"procedure": "test_generic"})
    assert refused.status_code == 403 and "Aucun mandat" in text(refused)
    assert not Dossier.objects.exists()

    mandate_by_typing(mediator_client)
    started = mediator_client.post(reverse("mediator:procedure_start"), {"procedure": "test_generic"})
    assert started.status_code == 302
    dossier = Dossier.objects.get(applicant=visitor)
    detail = reverse("mediator:dossier_detail", args=[dossier.reference])
    assert started["Location"] == detail
    uploaded = mediator_client.post(
        reverse("mediator:dossier_upload", args=[dossier.reference]),
        {"kind": "identity", "file": upload(png_bytes())},
    )
    assert uploaded.status_code == 302
    submitted = mediator_client.post(reverse("mediator:dossier_transition", args=[dossier.reference, "submit"]))
    assert submitted.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "submitted"
    page = text(mediator_client.get(detail))
    assert "médiateur numérique, pour le compte du demandeur" in page


def test_the_predemande_is_filled_for_the_visitor_and_its_receipt_printed(mediator_client, visitor, communes):
    with_visitor(mediator_client, visitor)
    refused = mediator_client.post(
        reverse("mediator:predemande_start"), {"titles": ["cni"], "for_whom": "self", "motive": "first"}
    )
    assert refused.status_code == 403
    mandate_by_typing(mediator_client, procedures=("cni",))
    started = mediator_client.post(
        reverse("mediator:predemande_start"), {"titles": ["cni"], "for_whom": "self", "motive": "first"}
    )
    assert started.status_code == 302, text(started)
    predemande = PreDemande.objects.get(applicant=visitor)
    values = step_values()
    for slug, step in zip(SLUGS, services.STEPS, strict=True):
        url = reverse("mediator:predemande_step", args=[predemande.number, slug])
        response = mediator_client.post(url, {**values[step], "action": "save"})
        assert response.status_code == 302, (slug, text(response)[:2000])
    review = reverse("mediator:predemande_review", args=[predemande.number])
    assert mediator_client.post(review).status_code == 302
    predemande.refresh_from_db()
    assert predemande.status == CoordinationStatus.VALIDATED
    result = text(mediator_client.get(reverse("mediator:predemande_result", args=[predemande.number])))
    assert predemande.display_number in result and "Acheter un timbre" not in result  # stamps stay the visitor's
    receipt = mediator_client.get(reverse("mediator:predemande_receipt", args=[predemande.number]))
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    # The mediator who started it does not reach it through the citizen portal.
    assert mediator_client.get(reverse("citizen:predemande_result", args=[predemande.number])).status_code == 404


def test_after_the_citizen_revokes_the_mediator_is_refused_and_nothing_changes(
    mediator_client, visitor, verified_client, communes
):
    with_visitor(mediator_client, visitor)
    mandate = mandate_by_typing(mediator_client, procedures=("test_generic",))
    mediator_client.post(reverse("mediator:procedure_start"), {"procedure": "test_generic"})
    dossier = Dossier.objects.get(applicant=visitor)

    citizen = Client()
    citizen.force_login(visitor)
    listed = text(citizen.get(reverse("citizen:mandates")))
    assert mandate.display_reference in listed and "Point numérique" in listed
    revoked = citizen.post(reverse("citizen:mandate_revoke", args=[mandate.reference]))
    assert revoked.status_code == 302
    assert "ne peut plus agir pour vous" in text(citizen.get(revoked["Location"]))

    refused = mediator_client.get(reverse("mediator:dossier_detail", args=[dossier.reference]))
    assert refused.status_code == 403 and "révoqué" in text(refused)
    upload_refused = mediator_client.post(
        reverse("mediator:dossier_upload", args=[dossier.reference]),
        {"kind": "identity", "file": upload(png_bytes())},
    )
    assert upload_refused.status_code == 403 and not dossier.documents.exists()
    assert AuditEntry.objects.filter(action="assisted_step", data__step="refused").count() == 2
    # Someone else's mandate cannot be revoked from the citizen portal.
    stranger = Client()
    stranger.force_login(User.objects.create_user("x@example.fr", "Another-Password-123"))
    assert stranger.post(reverse("citizen:mandate_revoke", args=[mandate.reference])).status_code == 404


def test_a_dossier_of_someone_else_answers_404(mediator_client, visitor, other_citizen):
    from guichet.dossiers.services import dossier_create

    with_visitor(mediator_client, visitor)
    foreign = dossier_create(procedure="test_generic", applicant=other_citizen, actor=other_citizen)
    assert mediator_client.get(reverse("mediator:dossier_detail", args=[foreign.reference])).status_code == 404


def test_pages_need_an_open_session(personas, verified_client):
    client = verified_client(personas["mediator"])
    response = client.get(reverse("mediator:session"))
    assert response.status_code == 302 and response["Location"] == reverse("mediator:home")


def test_ending_the_session_by_hand(mediator_client):
    assert mediator_client.post(reverse("mediator:session_end")).status_code == 302
    assert AssistedSession.objects.get().end_reason == "closed"


def test_an_agent_of_a_mairie_without_station_uses_the_assisted_mode(personas, verified_client, department):
    agent = personas["mairie_agent"]
    client = verified_client(agent)
    assert client.get(reverse("mediator:home")).status_code == 403  # Rennes is equipped
    small = Place.objects.create(kind=PlaceKind.MAIRIE, name="Mairie de Saint-Aubin", department=department)
    RoleAssignment.objects.create(user=agent, role=Role.MAIRIE_AGENT, place=small)
    assert "Accompagner une personne" in text(client.get(reverse("town_hall:home")))
    assert client.get(reverse("mediator:home")).status_code == 200
    assert client.post(reverse("mediator:session_open"), {"place": small.pk}).status_code == 302
    assert AssistedSession.objects.get(helper=agent).place == small
