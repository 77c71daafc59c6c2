"""The booking pages (citizen) and agenda pages (mairie agent), visited in Chromium: no axe-core violation."""

import os
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.appointments.selectors import bookable_starts
from guichet.appointments.services import appointment_book, closure_create
from guichet.territory.opening_hours import PARIS

from . import booking_fixtures
from .test_dossier_pages_accessibility import CHROMIUM_ARGS, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

mairies = booking_fixtures.mairies
make_predemande = booking_fixtures.make_predemande


def test_booking_and_agenda_pages_have_no_axe_violations(
    live_server, verified_client, personas, mairies, make_predemande, monkeypatch
):
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    from guichet.testing.browser import axe_violations, format_violations

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    citizen, agent = personas["citizen"], personas["mairie_agent"]
    rennes = mairies["rennes"]
    predemande = make_predemande(citizen)
    now = timezone.now()
    starts = bookable_starts(place_ids=[rennes.pk], start=now, end=now + timedelta(days=14))[rennes.pk]
    appointment = appointment_book(place=rennes, starts_at=starts[0], application_id=predemande.number, actor=citizen)
    closure_create(
        place=rennes,
        starts_on=now.date() + timedelta(days=20),
        ends_on=now.date() + timedelta(days=21),
        reason="Pont",
        actor=agent,
    )
    confirm_query = urlencode(
        {"lieu": rennes.pk, "debut": starts[1].astimezone(PARIS).strftime("%Y-%m-%dT%H:%M"), "dossiers": 1}
    )
    citizen_client = Client()
    citizen_client.force_login(citizen)
    citizen_pages = [
        reverse("citizen:booking_search"),
        reverse("citizen:booking_search") + "?where=Rennes&radius_km=20&files=1",
        reverse("citizen:booking_confirm") + "?" + confirm_query,
        reverse("citizen:booking_list"),
        reverse("citizen:booking_detail", args=[appointment.reference]),
        reverse("citizen:booking_cancel", args=[appointment.reference]),
        reverse("citizen:booking_move", args=[appointment.reference]),
    ]
    agent_pages = [
        reverse("town_hall:agenda_home"),
        reverse("town_hall:agenda_closure_add"),
        reverse("town_hall:agenda_day") + "?jour=" + starts[0].astimezone(PARIS).date().isoformat(),
    ]
    failures = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for cookie, pages in (
                (session_cookie(citizen_client, live_server), citizen_pages),
                (session_cookie(verified_client(agent), live_server), agent_pages),
            ):
                context = browser.new_context()
                context.add_cookies([cookie])  # type: ignore[list-item]
                page = context.new_page()
                for path in pages:
                    response = page.goto(live_server.url + path)
                    assert response is not None and response.status == 200, path
                    violations = axe_violations(page)
                    if violations:
                        failures.append(format_violations(path, violations))
                context.close()
        finally:
            browser.close()
    assert not failures, "\n".join(failures)
