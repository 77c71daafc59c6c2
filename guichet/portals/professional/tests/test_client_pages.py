"""A professional files a client's procedure from the portal: mandate with its price, consent, dossier, submission."""

from html import unescape

import pytest
from django.urls import reverse

from guichet.dossiers import registry
from guichet.dossiers.models import Dossier
from guichet.dossiers.tests.fixtures import png_bytes, upload
from guichet.mandates.models import Mandate
from guichet.mandates.services import CONSENT_SENTENCE, mandate_revoke
from guichet.mandates.tests.factories import MOBILE
from guichet.notifications.models import Notification
from guichet.notifications.rendering import render_sms
from guichet.trusted_parties.models import Approval, ApprovalStatus
from guichet.trusted_parties.tests.clients import CLIENT_ADDRESS, NEW_VEHICLE


@pytest.fixture
def new_vehicle_procedure():
    registry.register(NEW_VEHICLE)
    yield
    registry.unregister(NEW_VEHICLE.code)


@pytest.fixture
def garage(personas):
    return personas["car_professional"].role_assignments.get().place


@pytest.fixture
def garage_client(personas, verified_client):
    return verified_client(personas["car_professional"])


def _propose(garage_client, garage, client, method="typed"):
    return garage_client.post(
        reverse("professional:client_mandate_new", args=[garage.pk]),
        {"client_email": client.email, "procedure": NEW_VEHICLE.code, "fee": "35.50", "consent_method": method},
    )


def _filed(garage_client, garage, personas) -> Dossier:
    response = _propose(garage_client, garage, personas["citizen"])
    mandate = Mandate.objects.get()
    assert response["Location"] == reverse("professional:client_mandate_consent", args=[mandate.reference])
    consent = garage_client.get(response["Location"]).content.decode()
    assert "35,50 €" in consent  # the price, shown on the client's side before they agree
    agreed = garage_client.post(response["Location"], {"code_or_text": CONSENT_SENTENCE})
    assert agreed["Location"] == reverse("professional:client_dossier_new", args=[mandate.reference])
    created = garage_client.post(agreed["Location"], CLIENT_ADDRESS)
    dossier = Dossier.objects.get()
    assert created["Location"] == reverse("professional:client_dossier", args=[dossier.reference])
    return dossier


def test_the_whole_filing_from_the_portal(garage_client, garage, personas, new_vehicle_procedure):
    dossier = _filed(garage_client, garage, personas)
    assert dossier.applicant == personas["citizen"] and dossier.data["delivery"]["city"] == "Rennes"
    page = unescape(
        garage_client.get(reverse("professional:client_dossier", args=[dossier.reference])).content.decode()
    )
    assert "8 rue de la Monnaie" in page and "Pièce d'identité" in page
    garage_client.post(
        reverse("professional:client_dossier_upload", args=[dossier.reference]),
        {"kind": "identity", "file": upload(png_bytes())},
    )
    garage_client.post(reverse("professional:client_dossier_action", args=[dossier.reference, "submit"]))
    dossier.refresh_from_db()
    assert dossier.status == "submitted"
    listing = garage_client.get(reverse("professional:clients", args=[garage.pk])).content.decode()
    assert dossier.display_reference in listing


def test_the_sms_code_carries_the_price(garage_client, garage, personas, new_vehicle_procedure):
    citizen = personas["citizen"]
    citizen.mobile_phone = MOBILE
    citizen.save()
    _propose(garage_client, garage, citizen, method="sms_code")
    notification = Notification.objects.get(template="mandate_consent_code")  # sent by the outbox after commit
    assert "35,50 €" in render_sms(template="mandate_consent_code", context=notification.context)


def test_without_a_procedure_for_its_operations_the_portal_says_so(garage_client, garage, personas):
    page = unescape(garage_client.get(reverse("professional:clients", args=[garage.pk])).content.decode())
    assert "Aucune des démarches déjà ouvertes en ligne" in page
    response = garage_client.post(
        reverse("professional:client_mandate_new", args=[garage.pk]),
        {"client_email": personas["citizen"].email, "procedure": "cni", "fee": "10", "consent_method": "typed"},
    )
    assert response.status_code == 400 and not Mandate.objects.exists()


def test_an_unknown_client_is_explained(garage_client, garage, new_vehicle_procedure):
    response = garage_client.post(
        reverse("professional:client_mandate_new", args=[garage.pk]),
        {"client_email": "personne@example.fr", "procedure": NEW_VEHICLE.code, "fee": "10", "consent_method": "typed"},
    )
    assert response.status_code == 400 and "Aucun compte Guichet" in unescape(response.content.decode())


def test_suspension_closes_the_mandate_and_dossier_pages(garage_client, garage, personas, new_vehicle_procedure):
    dossier = _filed(garage_client, garage, personas)
    Approval.objects.filter(place=garage).update(status=ApprovalStatus.SUSPENDED)
    mandate = Mandate.objects.get()
    for url in (
        reverse("professional:client_dossier", args=[dossier.reference]),
        reverse("professional:client_dossier_new", args=[mandate.reference]),
        reverse("professional:client_mandate_consent", args=[mandate.reference]),
    ):
        response = garage_client.get(url)
        assert response.status_code == 403 and "suspendu" in response.content.decode(), url
    response = garage_client.post(reverse("professional:client_dossier_action", args=[dossier.reference, "submit"]))
    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == "draft"


def test_a_revoked_mandate_is_refused_with_its_reason(garage_client, garage, personas, new_vehicle_procedure):
    dossier = _filed(garage_client, garage, personas)
    mandate_revoke(mandate=Mandate.objects.get(), actor=personas["citizen"])
    response = garage_client.get(reverse("professional:client_dossier", args=[dossier.reference]))
    assert response.status_code == 403 and "révoqué" in unescape(response.content.decode())


def test_other_organisations_mandates_and_dossiers_answer_404(
    personas, verified_client, garage_client, garage, new_vehicle_procedure
):
    dossier = _filed(garage_client, garage, personas)
    reference = Mandate.objects.get().reference
    school_client = verified_client(personas["driving_school"])
    assert school_client.get(reverse("professional:client_dossier", args=[dossier.reference])).status_code == 404
    assert school_client.get(reverse("professional:client_mandate_consent", args=[reference])).status_code == 404
    assert school_client.get(reverse("professional:client_dossier", args=["ZZZZZZZZZZ"])).status_code == 404


def test_the_client_mandate_opens_the_dossier_in_the_professional_portal_only(
    garage_client, garage, personas, new_vehicle_procedure
):
    dossier = _filed(garage_client, garage, personas)
    # The professional portal, behind the approval and mandate checks, lets the staff member work on it.
    assert garage_client.get(reverse("professional:client_dossier", args=[dossier.reference])).status_code == 200
    garage_client.post(
        reverse("professional:client_dossier_upload", args=[dossier.reference]),
        {"kind": "identity", "file": upload(png_bytes())},
    )
    document = dossier.documents.get()
    # The citizen portal does not take a trusted party's grant: no page, no download, no action, no listing.
    assert garage_client.get(reverse("citizen:dossier_detail", args=[dossier.reference])).status_code == 404
    download = reverse("citizen:document_download", args=[dossier.reference, document.pk])
    assert garage_client.get(download).status_code == 404
    action = reverse("citizen:dossier_transition", args=[dossier.reference, "submit"])
    assert garage_client.post(action).status_code == 404
    home = garage_client.get(reverse("citizen:home"))
    assert home.status_code == 200 and dossier.display_reference not in home.content.decode()
    garage_client.post(reverse("professional:client_dossier_action", args=[dossier.reference, "submit"]))
    dossier.refresh_from_db()
    assert dossier.status == "submitted"
    assert dossier.accesses.get(user=personas["car_professional"]).role == "trusted_party"


def test_the_clients_timeline_names_the_establishment_as_trusted_party(
    garage_client, garage, personas, new_vehicle_procedure, verified_client
):
    dossier = _filed(garage_client, garage, personas)
    garage_client.post(
        reverse("professional:client_dossier_upload", args=[dossier.reference]),
        {"kind": "identity", "file": upload(png_bytes())},
    )
    garage_client.post(reverse("professional:client_dossier_action", args=[dossier.reference, "submit"]))
    client_page = verified_client(personas["citizen"]).get(reverse("citizen:dossier_detail", args=[dossier.reference]))
    page = unescape(client_page.content.decode())
    assert f"{garage.name} (tiers de confiance, pour le compte du demandeur)" in page
