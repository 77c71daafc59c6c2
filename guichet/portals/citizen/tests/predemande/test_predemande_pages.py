"""The citizen's pré-demande pages through real HTTP: start, steps, review, result, récépissé, stamps."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import User
from guichet.payments.models import FiscalStamp, StampStatus
from guichet.payments.providers import FakeStampProvider
from guichet.procedures.identity_documents import predemande as services
from guichet.procedures.identity_documents.models import CoordinationStatus, PreDemande
from guichet.procedures.identity_documents.tests.factories import make_predemande, step_values

pytestmark = pytest.mark.django_db
SLUGS = ["etat-civil", "filiation", "description", "adresse", "telephone", "titres"]


@pytest.fixture
def citizen_client(citizen) -> Client:
    client = Client()
    client.force_login(citizen)
    return client


def start(client: Client, **changes) -> PreDemande:
    data = {"titles": ["cni", "passeport"], "for_whom": "self", "motive": "first", **changes}
    response = client.post(reverse("citizen:predemande_start"), data)
    assert response.status_code == 302, text(response)[:2000]
    return PreDemande.objects.latest("pk")


def text(response) -> str:
    return html.unescape(response.content.decode())


def step_url(predemande: PreDemande, slug: str) -> str:
    return reverse("citizen:predemande_step", args=[predemande.number, slug])


def test_the_whole_predemande_works_without_javascript(citizen_client, communes):
    assert citizen_client.get(reverse("citizen:predemande_start")).status_code == 200
    predemande = start(citizen_client)
    values = step_values()
    # Searching the birth commune: the page comes back with the matches and keeps what was typed, unsaved.
    searched = citizen_client.post(
        step_url(predemande, "etat-civil"),
        {**values["civil_status"], "birth_commune_code": "", "birth_commune_search": "Cesson", "action": "search"},
    )
    assert searched.status_code == 200
    assert 'value="35051"' in text(searched) and "Camille Anne" in text(searched)
    predemande.refresh_from_db()
    assert "civil_status" not in predemande.data
    for slug, step in zip(SLUGS, services.STEPS, strict=True):
        page = citizen_client.get(step_url(predemande, slug))
        assert page.status_code == 200
        response = citizen_client.post(step_url(predemande, slug), {**values[step], "action": "save"})
        assert response.status_code == 302, (slug, text(response)[:3000])
    assert response["Location"] == reverse("citizen:predemande_review", args=[predemande.number])
    review = citizen_client.get(response["Location"])
    assert "Pièces originales à apporter" in text(review)
    validated = citizen_client.post(response["Location"])
    assert validated["Location"] == reverse("citizen:predemande_result", args=[predemande.number])
    predemande.refresh_from_db()
    assert predemande.status == CoordinationStatus.VALIDATED
    result = citizen_client.get(validated["Location"]).content.decode()
    assert predemande.display_number in result
    assert "<svg" in result and "QR code de la pré-demande" in result
    assert "acte de naissance" in result
    assert predemande.valid_until is not None and predemande.valid_until.strftime("%Y") in result
    pdf = citizen_client.get(reverse("citizen:predemande_receipt", args=[predemande.number]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def test_a_draft_is_resumed_from_another_device_via_my_procedures(citizen, citizen_client, communes):
    predemande = start(citizen_client)
    values = step_values()
    citizen_client.post(step_url(predemande, "etat-civil"), {**values["civil_status"], "action": "save"})
    citizen_client.logout()
    other_device = Client()
    other_device.force_login(citizen)
    home = other_device.get(reverse("citizen:home")).content.decode()
    resume_url = reverse("citizen:predemande_resume", args=[predemande.number])
    assert resume_url in home
    resumed = other_device.get(resume_url)
    assert resumed["Location"] == step_url(predemande, "filiation")
    civil_page = other_device.get(step_url(predemande, "etat-civil")).content.decode()
    assert 'value="Martin"' in civil_page and "Cesson-Sévigné" in civil_page


def test_bad_input_is_explained_and_nothing_is_saved(citizen_client, communes):
    predemande = start(citizen_client)
    values = step_values(civil_status={"birth_date": "2999-01-01"})
    response = citizen_client.post(step_url(predemande, "etat-civil"), {**values["civil_status"], "action": "save"})
    assert response.status_code == 400
    assert "La date de naissance ne peut pas être dans le futur." in text(response)
    assert 'value="Martin"' in text(response)  # what was typed is kept
    predemande.refresh_from_db()
    assert "civil_status" not in predemande.data


def test_a_minors_request_without_representative_is_refused_on_the_page(citizen_client):
    response = citizen_client.post(
        reverse("citizen:predemande_start"),
        {
            "titles": ["cni"],
            "for_whom": "minor",
            "motive": "first",
            "representative_link": "",
            "representative_last_name": "",
            "representative_given_names": "",
        },
    )
    assert response.status_code == 400
    assert "représentant légal" in text(response)
    assert not PreDemande.objects.exists()


def test_a_minors_request_with_representative_starts(citizen_client, citizen):
    predemande = start(
        citizen_client,
        titles=["passeport"],
        for_whom="minor",
        representative_link="guardian",
        representative_last_name="Martin",
        representative_given_names="Camille",
    )
    assert predemande.is_for_minor and predemande.applicant == citizen
    assert predemande.data["representative"]["link"] == "guardian"


def test_other_people_get_404_and_anonymous_people_the_login_page(citizen, communes):
    predemande = make_predemande(citizen)
    stranger = Client()
    stranger.force_login(User.objects.create_user(email="x@example.fr", password="Another-Password-123"))
    urls = [
        reverse("citizen:predemande_result", args=[predemande.number]),
        reverse("citizen:predemande_receipt", args=[predemande.number]),
        reverse("citizen:predemande_resume", args=[predemande.number]),
        reverse("citizen:predemande_review", args=[predemande.number]),
        step_url(predemande, "etat-civil"),
    ]
    for url in urls:
        assert stranger.get(url).status_code == 404, url
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "/compte/" in anonymous["Location"]
    assert (
        stranger.post(reverse("citizen:predemande_stamp_buy", args=[predemande.number]), {"title": "cni"}).status_code
        == 404
    )


def test_no_receipt_before_validation_and_no_edit_after(citizen, citizen_client, communes):
    draft = make_predemande(citizen, validate=False)
    assert citizen_client.get(reverse("citizen:predemande_receipt", args=[draft.number])).status_code == 404
    assert citizen_client.get(reverse("citizen:predemande_result", args=[draft.number])).status_code == 302
    validated = make_predemande(citizen)
    response = citizen_client.post(step_url(validated, "description"), {"height_cm": "190", "eye_colour": "blue"})
    assert response.status_code == 302
    validated.refresh_from_db()
    assert validated.data["physical"]["height_cm"] == 168


def test_buying_then_refunding_a_stamp(citizen, citizen_client, communes):
    predemande = make_predemande(citizen, titles=("passeport",))
    bought = citizen_client.post(
        reverse("citizen:predemande_stamp_buy", args=[predemande.number]), {"title": "passeport"}
    )
    assert bought.status_code == 302
    predemande.refresh_from_db()
    stamp = FiscalStamp.objects.get(number=predemande.data["stamps"]["passeport"])
    assert stamp.amount_cents == 8600 and stamp.purchased_by == citizen
    page = citizen_client.get(reverse("citizen:predemande_result", args=[predemande.number])).content.decode()
    assert stamp.number in page
    citizen_client.post(reverse("citizen:predemande_stamp_refund", args=[predemande.number]), {"title": "passeport"})
    stamp.refresh_from_db()
    predemande.refresh_from_db()
    assert stamp.status == StampStatus.REFUNDED and "passeport" not in predemande.data["stamps"]


def test_entering_a_stamp_of_the_wrong_amount_or_already_used(citizen, citizen_client, communes):
    predemande = make_predemande(citizen, titles=("passeport",))
    url = reverse("citizen:predemande_stamp_enter", args=[predemande.number])
    wrong = FakeStampProvider.demo_number(amount_cents=2500)
    response = citizen_client.post(url, {"title": "passeport", "stamp_number": wrong})
    assert response.status_code == 400
    assert "25,00" in text(response) and "86,00" in text(response)
    used = FakeStampProvider.demo_number(amount_cents=8600, status=FakeStampProvider.USED)
    response = citizen_client.post(url, {"title": "passeport", "stamp_number": used})
    assert response.status_code == 400 and "déjà été utilisé" in text(response)
    good = FakeStampProvider.demo_number(amount_cents=8600, serial="4242424")
    assert citizen_client.post(url, {"title": "passeport", "stamp_number": good}).status_code == 302
    predemande.refresh_from_db()
    assert predemande.data["stamps"] == {"passeport": good}
    # The same stamp entered on another pré-demande is refused: a stamp serves once.
    other = make_predemande(citizen, titles=("passeport",))
    response = citizen_client.post(
        reverse("citizen:predemande_stamp_enter", args=[other.number]), {"title": "passeport", "stamp_number": good}
    )
    assert response.status_code == 400 and "ne sert qu'une fois" in text(response)


def test_no_stamp_is_sold_for_a_free_title(citizen, citizen_client, communes):
    predemande = make_predemande(citizen, titles=("cni",))
    citizen_client.post(reverse("citizen:predemande_stamp_buy", args=[predemande.number]), {"title": "cni"})
    assert not FiscalStamp.objects.exists()


def test_my_procedures_reads_the_resume_links_of_every_draft_in_one_query(citizen, citizen_client, communes):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = make_predemande(citizen, titles=("cni", "passeport"), validate=False)

    def dashboard() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            page = citizen_client.get(reverse("citizen:home")).content.decode()
        return page, len(queries)

    citizen_client.get(reverse("citizen:home"))  # the session refresh's write happens once
    page, with_one = dashboard()
    assert page.count(reverse("citizen:predemande_resume", args=[first.number])) == 2  # its two titles' dossiers
    others = [make_predemande(citizen, validate=False) for _ in range(3)]
    page, with_four = dashboard()
    assert with_four == with_one
    for predemande in [first, *others]:
        assert reverse("citizen:predemande_resume", args=[predemande.number]) in page
