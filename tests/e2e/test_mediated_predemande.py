"""Issue 4 acceptance: a visitor without an account is helped at a point numérique, through real HTTP.

Mediator in Chromium against the live server: sign-in with the second factor → assisted session → the visitor's
account created with them (they type their own password) → identity checked face to face (document seen) →
mandate for the CNI, consent by the code the visitor receives by SMS (read from the SMS outbox) → pré-demande filled
in and validated for them → récépissé PDF downloaded over HTTP: its text (pypdf) and its QR code (page rendered by
pdfium, decoded by zxing-cpp) give the pré-demande number.
Visitor, later, in another browser: confirms the e-mail address, signs in, sees the dossier and its history (the
mediator's structure acting on their behalf) and the journal of who acted, then revokes the mandate in « Mes
mandats ». The mediator, still in the session, is refused at once (403, nothing changed, the refusal journaled).
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from guichet.accounts.models import IdentityAssurance, User
from guichet.audit.models import AuditEntry
from guichet.dossiers.models import Dossier, DossierAccess
from guichet.mandates.models import Mandate, MandateStatus
from guichet.notifications.channels.sms import MemorySmsProvider
from guichet.procedures.identity_documents.models import CoordinationStatus, PreDemande
from guichet.testing.browser import axe_violations, format_violations, sign_in
from guichet.testing.pdf_reading import pdf_qr_codes, pdf_text
from guichet.testing.reference_data import reference_data_reseed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISITOR_EMAIL, VISITOR_PASSWORD, VISITOR_MOBILE = "lea.robert@example.fr", "Un-Mot-De-Passe-Solide-42", "+33698765432"


@pytest.fixture(autouse=True)
def clean_outboxes():
    MemorySmsProvider.outbox.clear()
    yield
    MemorySmsProvider.outbox.clear()


@pytest.fixture
def browser_context(chromium):
    contexts = []

    def new():
        context = chromium.new_context(locale="fr-FR", timezone_id="Europe/Paris")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield new
    for context in contexts:
        context.close()


def main_text(page) -> str:
    return page.locator("main").inner_text()


def submit(page, button_text: str) -> None:
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=button_text, exact=True).click()


def test_a_visitor_is_helped_from_no_account_to_a_printed_receipt_then_revokes_the_mandate(
    browser_context, live_server, personas, communes
):
    reference_data_reseed()  # the regulated values of the data migrations (a transactional test flushed them)
    mediator = personas["mediator"]
    point = mediator.role_assignments.get().place
    base = live_server.url
    axe_reports: list[str] = []

    def check_accessibility(page) -> None:
        if violations := axe_violations(page):
            axe_reports.append(format_violations(page.url, violations))

    # --- the mediator opens an assisted session --------------------------------------------------------------------
    page = browser_context()
    sign_in(page, base_url=base, user=mediator)
    page.goto(base + reverse("mediator:home"))
    submit(page, "Ouvrir une session accompagnée")
    assert page.url == base + reverse("mediator:session")

    # --- no account yet: created with the visitor, who types their own password ---------------------------------
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Créer son compte avec elle").click()
    check_accessibility(page)
    page.fill("main [name=email]", VISITOR_EMAIL)
    page.fill("main [name=first_name]", "Léa")
    page.fill("main [name=last_name]", "Robert")
    page.fill("main [name=mobile_phone]", "06 98 76 54 32")
    page.fill("main [name=password1]", VISITOR_PASSWORD)
    page.fill("main [name=password2]", VISITOR_PASSWORD)
    submit(page, "Créer le compte")
    visitor = User.objects.get(email=VISITOR_EMAIL)
    assert visitor.mobile_phone == VISITOR_MOBILE and visitor.email_verified_at is None
    assert "Léa Robert" in main_text(page)

    # --- identity checked face to face -------------------------------------------------------------------------
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Vérifier son identité en face à face").click()
    check_accessibility(page)
    page.select_option("main [name=document_type]", "passport")
    page.fill("main [name=given_name]", "Léa")
    page.fill("main [name=family_name]", "Robert")
    page.fill("main [name=birthdate]", "1990-05-17")
    page.locator("main [name=checked]").check(force=True)
    submit(page, "Confirmer la vérification")
    visitor.refresh_from_db()
    assert visitor.identity_assurance == IdentityAssurance.VERIFIED_IN_PERSON
    assert visitor.verified_identity.document_type == "passport"
    assert "Pièce vue : Passeport" in main_text(page)

    # --- mandate for the CNI, consent by the code texted to the visitor -----------------------------------------
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Proposer un mandat").click()
    check_accessibility(page)
    page.locator("main [name=procedures][value=cni]").check(force=True)
    page.locator("main [name=duration][value=one_week]").check(force=True)
    page.locator("main [name=consent_method][value=sms_code]").check(force=True)
    submit(page, "Proposer le mandat")
    mandate = Mandate.objects.get(citizen=visitor)
    assert "finissant par 32" in main_text(page)
    check_accessibility(page)
    [sms] = [m for m in MemorySmsProvider.outbox if m.to == VISITOR_MOBILE]
    code = re.search(r"\b(\d{6})\b", sms.text).group(1)  # type: ignore[union-attr]
    assert point.name in sms.text or "Point numérique" in sms.text
    page.fill("main [name=code_or_text]", code)
    submit(page, "Je donne mon accord")
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.ACTIVE and mandate.procedures == ["cni"]

    # --- the pré-demande, filled in with the visitor -----------------------------------------------------------
    page.select_option("main [name=procedure]", "cni")
    submit(page, "Commencer cette démarche pour la personne")
    assert page.url == base + reverse("mediator:predemande_start")
    page.locator("main [name=titles][value=cni]").check(force=True)
    page.locator("main [name=for_whom][value=self]").check(force=True)
    page.select_option("main [name=motive]", "first")
    submit(page, "Commencer la pré-demande")
    predemande = PreDemande.objects.get(applicant=visitor)
    assert predemande.created_by == mediator

    page.fill("main [name=last_name]", "Robert")
    page.fill("main [name=given_names]", "Léa")
    page.locator("main [name=sex][value=F]").check(force=True)
    page.fill("main [name=birth_date]", "1990-05-17")
    page.locator("main [name=born_abroad][value='0']").check(force=True)
    page.fill("main [name=birth_commune_search]", "Cesson")
    submit(page, "Rechercher la commune")
    page.select_option("main [name=birth_commune_code]", "35051")
    submit(page, "Enregistrer et continuer")
    for name, value in (
        ("parent1_last_name", "Robert"),
        ("parent1_given_names", "Jean"),
        ("parent1_birth_date", "1960-02-03"),
        ("parent1_birth_place", "Rennes"),
        ("parent2_last_name", "Le Goff"),
        ("parent2_given_names", "Marie"),
        ("parent2_birth_date", "1962-09-30"),
        ("parent2_birth_place", "Brest"),
    ):
        page.fill(f"main [name={name}]", value)
    submit(page, "Enregistrer et continuer")
    page.fill("main [name=height_cm]", "168")
    page.select_option("main [name=eye_colour]", "green")
    submit(page, "Enregistrer et continuer")
    page.fill("main [name=street]", "3 rue de la Monnaie")
    page.fill("main [name=postal_code]", "35000")
    submit(page, "Enregistrer et continuer")
    page.fill("main [name=mobile_phone]", "06 98 76 54 32")
    submit(page, "Enregistrer et continuer")
    submit(page, "Enregistrer et continuer")  # no previous title
    assert page.url == base + reverse("mediator:predemande_review", args=[predemande.number])
    check_accessibility(page)
    submit(page, "Valider ma pré-demande")
    predemande.refresh_from_db()
    assert predemande.status == CoordinationStatus.VALIDATED
    assert page.url == base + reverse("mediator:predemande_result", args=[predemande.number])
    assert predemande.display_number in main_text(page)
    check_accessibility(page)

    # --- the récépissé, printed: a real PDF whose text and QR code give the number -----------------------------
    receipt_url = base + reverse("mediator:predemande_receipt", args=[predemande.number])
    response = page.request.get(receipt_url)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert predemande.display_number in text and "Pièces originales à apporter" in text
    assert pdf_qr_codes(pdf) == [predemande.number]

    # --- later: the visitor confirms their address, signs in, reads the dossier and its journal ----------------
    [welcome] = [m for m in mail.outbox if VISITOR_EMAIL in m.to]
    link = re.search(r"https?://[^/\s]+(/compte/\S+)", str(welcome.body))
    assert link, welcome.body
    visitor_page = browser_context()
    visitor_page.goto(base + link.group(1))  # the site URL of the settings is not the live server's
    with visitor_page.expect_navigation():
        visitor_page.locator("main form button[type=submit]").first.click()
    visitor.refresh_from_db()
    assert visitor.email_verified_at is not None
    sign_in(visitor_page, base_url=base, user=visitor, password=VISITOR_PASSWORD)
    visitor_page.goto(base + reverse("citizen:home"))
    dossier = Dossier.objects.get(applicant=visitor, procedure="cni")
    assert dossier.display_reference in main_text(visitor_page)  # listed in « Mes démarches »
    visitor_page.goto(base + reverse("citizen:dossier_detail", args=[dossier.reference]))
    history = main_text(visitor_page)
    assert f"{point.name} (médiateur numérique, pour le compte du demandeur)" in history
    assert "Dossier créé" in history
    check_accessibility(visitor_page)
    journal = AuditEntry.objects.filter(subject_user_id=visitor.pk, actor_id=mediator.pk)
    assert journal.filter(action="assisted_step", data__step="dossier_filed").exists()
    assert {entry.actor_organisation for entry in journal.exclude(actor_organisation="")} == {point.name}
    assert all(entry.on_behalf_of_id == visitor.pk for entry in journal if entry.action.startswith("assisted"))

    # --- the visitor revokes the mandate -----------------------------------------------------------------------
    visitor_page.goto(base + reverse("citizen:mandates"))
    assert mandate.display_reference in main_text(visitor_page) and point.name in main_text(visitor_page)
    check_accessibility(visitor_page)
    submit(visitor_page, f"Révoquer le mandat {mandate.display_reference}")
    assert "ne peut plus agir pour vous" in visitor_page.locator("body").inner_text()
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.REVOKED
    assert not DossierAccess.objects.filter(dossier=dossier, user=mediator, revoked_at__isnull=True).exists()

    # --- the mediator is refused at once ------------------------------------------------------------------------
    refused = page.goto(base + reverse("mediator:predemande_result", args=[predemande.number]))
    assert refused is not None and refused.status == 403
    assert "révoqué" in main_text(page)
    check_accessibility(page)
    step = page.request.post(
        base + reverse("mediator:predemande_step", args=[predemande.number, "description"]),
        form={"height_cm": "170", "eye_colour": "blue", "csrfmiddlewaretoken": _csrf(page)},
        headers={"Referer": base + reverse("mediator:session")},
    )
    assert step.status == 403
    predemande.refresh_from_db()
    assert predemande.data["physical"]["height_cm"] == 168  # nothing changed
    assert (
        AuditEntry.objects.filter(action="assisted_step", data__step="refused", data__reason="mandate_revoked").count()
        == 2
    )
    assert not axe_reports, "\n".join(axe_reports)


def _csrf(page) -> str:
    return next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "csrftoken")
