"""Issue 3 acceptance: the whole identity-card chain through real HTTP, the citizen using only the keyboard.

Citizen, in Chromium against the live server, keyboard only: every field, button and link is reached with Tab
(never focused by script, never clicked), filled by typing, switched with Space, activated with Enter. Sign-in on
the real login page → pré-demande for an adult's first CNI, every step → validation and number → search of an
equipped mairie → booking of a slot for that number; axe-core runs on the result, booking and dossier pages.
Agents, through the Django test client against the same database (real URLs, middleware, views and forms): the
mairie agent lodges the pré-demande at the counter → the instructor starts instruction and accepts → the simulated
production runs (`titles_production_process`) → the SMS is sent → the mairie agent hands the title over.
The coordination API shows the booking, then the consumed number with the same appointment, now attended (the
lodging marks it so; an attended appointment stays listed, as an appointment software keeps it registered).
At the end the citizen opens the dossier from "Mes démarches" and reads its timeline; the audit journal holds
every agent action in order and its hash chain verifies (`audit_verify`).
"""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from guichet.api.models import ClientKind
from guichet.api.services import api_client_issue
from guichet.appointments.models import AgendaSettings, Appointment, AppointmentStatus
from guichet.appointments.services import slots_generate
from guichet.audit.models import AuditEntry
from guichet.dossiers.models import Dossier
from guichet.dossiers.templatetags.dossiers_tags import event_description
from guichet.dossiers.workflow import Status
from guichet.notifications.channels.sms import MemorySmsProvider
from guichet.procedures.identity_documents.counter import counter_checklist
from guichet.procedures.identity_documents.counter_models import CounterSession
from guichet.procedures.identity_documents.models import CoordinationStatus, PreDemande
from guichet.procedures.identity_documents.production import titles_production_process
from guichet.territory.models import PlaceKind
from guichet.territory.opening_hours import PARIS
from guichet.testing.browser import axe_violations, format_violations
from guichet.testing.personas import PASSWORD, ensure_place, ensure_test_territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOBILE_TYPED, MOBILE_STORED = "06 12 34 56 78", "+33612345678"


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    MemorySmsProvider.outbox.clear()
    yield
    MemorySmsProvider.outbox.clear()


@pytest.fixture
def rennes_mairie(personas, communes):
    """The mairie agent's own mairie (Rennes, equipped with stations), with an open agenda for two weeks."""
    place = ensure_place(PlaceKind.MAIRIE, ensure_test_territory())
    assert place.collection_stations > 0
    AgendaSettings.objects.create(place=place, weeks_ahead=2)
    slots_generate(place=place)
    return place


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def coordination_status(db):
    """Reads a number's status and appointments through the coordination API, as an appointment editor would."""
    _client, token = api_client_issue(name="Éditeur de test", kind=ClientKind.COORDINATION_EDITOR, actor=None)

    def read(number: str) -> dict:
        response = Client().get(
            "/api/ants-coordination/status",
            {"application_ids": number},
            HTTP_X_RDV_OPT_AUTH_TOKEN=token,
            HTTP_ACCEPT="application/json",
        )
        assert response.status_code == 200, response.content
        return response.json()[number]

    return read


# --- keyboard-only helpers -----------------------------------------------------------------------------------------


def field(page, name, value=None):
    selector = f'[name="{name}"]' if value is None else f'[name="{name}"][value="{value}"]'
    return page.locator(f"main {selector}")


TAB_STOPS_LIMIT = 150


def tab_to(page, target):
    """Presses Tab until `target` has the focus, as a keyboard user moves through the page; fails if it never
    does (an element out of the tab order could not be reached without a mouse)."""
    target.wait_for()
    for _ in range(TAB_STOPS_LIMIT):
        if target.evaluate("element => element === document.activeElement"):
            return target
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} is not reachable with the Tab key from {page.url}")


def type_in(page, name, text):
    """Tabs to the field, replaces its content by typing; checks that the keystrokes landed."""
    target = tab_to(page, field(page, name))
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    assert target.input_value() == text, name
    return target


def type_date(page, name, day, month, year):
    """A native date field takes its parts in the browser's own order (day first in French, month first in
    American English): a first entry tells which; Shift+Tab goes back to the first part and the real date is
    typed over it."""
    target = tab_to(page, field(page, name))
    page.keyboard.type("01022000")
    day_first = target.input_value() == "2000-02-01"
    assert day_first or target.input_value() == "2000-01-02", target.input_value()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    first, second = (day, month) if day_first else (month, day)
    page.keyboard.type(f"{first:02d}{second:02d}{year:04d}")
    assert target.input_value() == f"{year:04d}-{month:02d}-{day:02d}", name
    return target


def tick(page, name, value):
    """A checkbox, or the radio button a group's tab stop lands on, switched on with the space bar."""
    target = tab_to(page, field(page, name, value))
    if not target.is_checked():
        page.keyboard.press("Space")
    assert target.is_checked(), (name, value)


def choose(page, name, typed, expected_value):
    """A closed <select>: typing the start of an option's text selects it (type-ahead)."""
    target = tab_to(page, field(page, name))
    page.keyboard.type(typed)
    assert target.input_value() == expected_value, name


def activate(page, target):
    """Tabs to a button or a link and presses Enter; waits for the page the server answers with."""
    tab_to(page, target)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def press(page, button_text):
    activate(page, page.locator("main").get_by_role("button", name=button_text, exact=True))


def follow(page, link_text):
    activate(page, page.locator("main").get_by_role("link", name=link_text).first)


def main_text(page) -> str:
    return page.locator("main").inner_text()


# --- the chain -----------------------------------------------------------------------------------------------------


def test_identity_card_chain_from_keyboard_to_handover(
    page, live_server, personas, rennes_mairie, verified_client, coordination_status
):
    citizen, agent, instructor = personas["citizen"], personas["mairie_agent"], personas["instructor"]
    base = live_server.url
    axe_reports: list[str] = []

    def check_accessibility() -> None:
        if violations := axe_violations(page):
            axe_reports.append(format_violations(page.url, violations))

    # --- citizen signs in on the real login page (no second factor for this persona) -----------------------------
    page.goto(base + reverse("account:login"))
    login_form = page.locator('form:has(input[name="password"])').first
    tab_to(page, login_form.locator('input[name="username"]'))
    page.keyboard.type(citizen.email)
    tab_to(page, login_form.locator('input[name="password"]'))
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")  # implicit submission from the password field
    assert not page.url.startswith(base + reverse("account:login")), page.url

    # --- pré-demande: start ----------------------------------------------------------------------------------------
    page.goto(base + reverse("citizen:home"))
    follow(page, "Faire une pré-demande de carte d'identité ou de passeport")
    page.wait_for_url(re.compile(re.escape(reverse("citizen:predemande_start")) + "$"))
    tick(page, "titles", "cni")
    tick(page, "for_whom", "self")
    choose(page, "motive", "Première", "first")
    press(page, "Commencer la pré-demande")
    predemande = PreDemande.objects.get(applicant=citizen)
    assert predemande.status == CoordinationStatus.DECLARED
    page.wait_for_url(re.compile(re.escape(reverse("citizen:predemande_step", args=[predemande.number, "etat-civil"]))))

    # --- step: état civil, with the birth commune found through the no-JavaScript search ---------------------------
    type_in(page, "last_name", "Martin")
    type_in(page, "given_names", "Camille Anne")
    tick(page, "sex", "F")
    type_date(page, "birth_date", 17, 5, 1990)
    tick(page, "born_abroad", "0")
    type_in(page, "birth_commune_search", "Cesson")
    press(page, "Rechercher la commune")
    assert field(page, "last_name").input_value() == "Martin"  # what was typed came back
    choose(page, "birth_commune_code", "Cesson", "35051")
    press(page, "Enregistrer et continuer")
    page.wait_for_url(re.compile("/filiation/"))

    # --- step: filiation ---------------------------------------------------------------------------------------------
    type_in(page, "parent1_last_name", "Martin")
    type_in(page, "parent1_given_names", "Jean")
    type_date(page, "parent1_birth_date", 3, 2, 1960)
    type_in(page, "parent1_birth_place", "Rennes")
    type_in(page, "parent2_last_name", "Le Goff")
    type_in(page, "parent2_given_names", "Marie")
    type_date(page, "parent2_birth_date", 30, 9, 1962)
    type_in(page, "parent2_birth_place", "Brest")
    press(page, "Enregistrer et continuer")
    page.wait_for_url(re.compile("/description/"))

    # --- step: description -------------------------------------------------------------------------------------------
    type_in(page, "height_cm", "168")
    choose(page, "eye_colour", "Vert", "green")
    press(page, "Enregistrer et continuer")
    page.wait_for_url(re.compile("/adresse/"))

    # --- step: adresse (one commune for 35000: it is taken without choosing) ----------------------------------------
    type_in(page, "street", "3 rue de la Monnaie")
    type_in(page, "postal_code", "35000")
    press(page, "Enregistrer et continuer")
    page.wait_for_url(re.compile("/telephone/"))

    # --- step: téléphone (needed for the SMS at the end) ------------------------------------------------------------
    type_in(page, "mobile_phone", MOBILE_TYPED)
    press(page, "Enregistrer et continuer")
    page.wait_for_url(re.compile("/titres/"))

    # --- step: titres déjà obtenus (none for a first request) --------------------------------------------------------
    press(page, "Enregistrer et continuer")
    page.wait_for_url(re.compile(re.escape(reverse("citizen:predemande_review", args=[predemande.number]))))

    # --- review, validation, number ----------------------------------------------------------------------------------
    assert "Pièces originales à apporter" in main_text(page)
    press(page, "Valider ma pré-demande")
    page.wait_for_url(re.compile(re.escape(reverse("citizen:predemande_result", args=[predemande.number]))))
    predemande.refresh_from_db()
    assert predemande.status == CoordinationStatus.VALIDATED
    assert predemande.mobile_phone == MOBILE_STORED
    assert predemande.data["civil_status"]["birth_commune_code"] == "35051"
    assert predemande.data["address"]["commune_code"] == "35238"
    assert predemande.display_number in main_text(page)
    check_accessibility()

    # --- booking: search an equipped mairie by postal code, take the soonest slot ----------------------------------
    page.goto(base + reverse("citizen:home"))
    follow(page, "Prendre rendez-vous en mairie")
    page.wait_for_url(re.compile(re.escape(reverse("citizen:booking_search")) + "$"))
    type_in(page, "where", "35000")
    press(page, "Rechercher les créneaux")
    assert rennes_mairie.name in main_text(page)
    soonest = page.locator("main").get_by_role("link", name=re.compile(re.escape(f"— {rennes_mairie.name}"))).first
    activate(page, soonest)
    page.wait_for_url(re.compile(re.escape(reverse("citizen:booking_confirm"))))
    assert field(page, "application_id").input_value() == predemande.number  # pre-filled: the only validated one
    press(page, "Réserver ce créneau")
    appointment = Appointment.objects.get()
    page.wait_for_url(re.compile(re.escape(reverse("citizen:booking_detail", args=[appointment.reference]))))
    assert appointment.application_id == predemande.number and appointment.place == rennes_mairie
    assert appointment.booked_by == citizen and appointment.status == AppointmentStatus.BOOKED
    assert appointment.starts_at > timezone.now()
    confirmation = main_text(page)
    assert rennes_mairie.name in confirmation and predemande.number in confirmation
    assert appointment.starts_at.astimezone(PARIS).strftime("%H:%M") in confirmation
    check_accessibility()

    # What other appointment software sees for this number (coordination API, INTEROP.md §1): validated, one booking.
    coordination = coordination_status(predemande.number)
    assert coordination["status"] == CoordinationStatus.VALIDATED
    assert [item["meeting_point_id"] for item in coordination["appointments"]] == [str(rennes_mairie.pk)]

    # --- mairie counter (Django test client, real HTTP stack) -------------------------------------------------------
    client = verified_client(agent)
    found = client.post(reverse("town_hall:counter_home"), {"number": predemande.display_number})
    session = CounterSession.objects.get(predemande=predemande)
    assert found.status_code == 302 and found["Location"] == reverse("town_hall:counter_session", args=[session.pk])
    assert client.get(found["Location"]).status_code == 200
    assert client.post(reverse("town_hall:counter_capture", args=[session.pk])).status_code == 302
    lodge_data = {"originals": [item.key for item in counter_checklist(predemande)]}
    lodged = client.post(reverse("town_hall:counter_lodge", args=[session.pk]), lodge_data)
    assert lodged.status_code == 302, lodged.content.decode()[:2000]
    predemande.refresh_from_db()
    assert predemande.status == CoordinationStatus.CONSUMED
    cni = Dossier.objects.get(pk=predemande.titles.get(title="cni").dossier_id)
    coordination = coordination_status(predemande.number)
    assert coordination["status"] == CoordinationStatus.CONSUMED  # the number can no longer be booked elsewhere
    assert [item["meeting_point_id"] for item in coordination["appointments"]] == [str(rennes_mairie.pk)]
    assert cni.status == Status.SUBMITTED

    # --- instruction -------------------------------------------------------------------------------------------------
    client = verified_client(instructor)
    client.post(reverse("instruction:dossier_assign", args=[cni.reference]))
    started = client.post(
        reverse("instruction:dossier_transition", args=[cni.reference, "start_instruction"]),
        {"version": Dossier.objects.get(pk=cni.pk).version},
    )
    assert started.status_code == 302
    assert client.get(reverse("instruction:dossier_detail", args=[cni.reference])).status_code == 200
    accepted = client.post(
        reverse("instruction:identity_decide", args=[cni.reference, "accept"]),
        {"motive": "conditions_met", "comment": ""},
    )
    assert accepted.status_code == 302, accepted.content.decode()[:2000]
    cni.refresh_from_db()
    assert cni.status == Status.ACCEPTED

    # --- production (simulated printer; the clock is passed as `now`) and the SMS ----------------------------------
    now = timezone.now()
    assert titles_production_process(now=now).started == 1
    titles_production_process(now=now + timedelta(days=11))  # printed, shipped in a batch to the mairie
    assert titles_production_process(now=now + timedelta(days=15)).made_available == 1
    cni.refresh_from_db()
    assert cni.status == Status.AVAILABLE
    assert [message.to for message in MemorySmsProvider.outbox] == [MOBILE_STORED]
    assert rennes_mairie.name in MemorySmsProvider.outbox[0].text

    # --- hand-over at the counter ------------------------------------------------------------------------------------
    client = verified_client(agent)
    assert cni.display_reference in client.get(reverse("town_hall:counter_home")).content.decode()
    handover = reverse("town_hall:handover_title", args=[cni.reference])
    assert client.get(handover).status_code == 200
    assert client.post(handover, {"identity_checked": "on"}).status_code == 302
    cni.refresh_from_db()
    assert cni.status == Status.DELIVERED

    # --- the citizen reads the timeline in Chromium -----------------------------------------------------------------
    transitions = [event.data["transition"] for event in cni.events.filter(kind="transition").order_by("pk")]
    assert transitions == ["submit", "start_instruction", "accept", "start_production", "make_available", "deliver"]
    page.goto(base + reverse("citizen:home"))
    dossier_url = reverse("citizen:dossier_detail", args=[cni.reference])
    activate(page, page.locator(f'main a[href="{dossier_url}"]').first)  # "Mes démarches" lists the dossier
    page.wait_for_url(re.compile(re.escape(dossier_url) + "$"))
    timeline = page.locator("main .guichet-timeline").inner_text()
    with translation.override("fr"):
        described = [str(event_description(event)) for event in cni.events.order_by("pk")]
    missing = [text for text in described if text not in timeline]
    assert not missing, f"absent from the citizen's timeline: {missing}\n{timeline}"
    assert cni.display_reference in main_text(page)
    check_accessibility()

    # --- the journal: every agent action, and an intact hash chain --------------------------------------------------
    journaled = set(
        AuditEntry.objects.filter(dossier_id=cni.pk, action="dossier_transition").values_list(
            "data__transition", flat=True
        )
    )
    assert journaled == set(transitions)
    journal = [
        (entry.actor_id, entry.action, entry.data.get("change") or entry.data.get("transition") or "")
        for entry in AuditEntry.objects.filter(
            Q(dossier_id=cni.pk) | Q(actor_id__in=[agent.pk, instructor.pk])
        ).order_by("sequence")
    ]
    expected_in_order = [
        (agent.pk, "dossier_viewed", ""),  # the pré-demande opened at the counter
        (agent.pk, "dossier_changed", "biometrics_captured"),
        (agent.pk, "dossier_changed", "predemande_consumed"),
        (agent.pk, "dossier_transition", "submit"),
        (instructor.pk, "dossier_changed", "assigned"),
        (instructor.pk, "dossier_transition", "start_instruction"),
        (instructor.pk, "dossier_viewed", ""),
        (instructor.pk, "dossier_transition", "accept"),
        (None, "dossier_transition", "start_production"),
        (None, "dossier_transition", "make_available"),
        (agent.pk, "dossier_transition", "deliver"),
        (agent.pk, "dossier_changed", "title_handed_over"),
    ]
    remaining = iter(journal)
    missing_entries = [step for step in expected_in_order if step not in remaining]
    assert not missing_entries, f"not journaled in this order: {missing_entries}\njournal: {journal}"
    output = StringIO()
    call_command("audit_verify", stdout=output)  # raises CommandError on any broken link
    assert "Journal intègre." in output.getvalue()

    # The lodging marked the booking attended; the pré-demande's coordination status says the number was used.
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ATTENDED
    assert appointment.attendance_recorded_at is not None
    assert PreDemande.objects.get(pk=predemande.pk).status == CoordinationStatus.CONSUMED
    assert not axe_reports, "axe-core violations on the citizen's pages:\n" + "\n".join(axe_reports)
