"""Accessibility of the mairie's day agenda with bookings in every state and the "not attended" button
(axe-core, Chromium)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import RoleAssignment
from guichet.accounts.roles import Role
from guichet.appointments.models import AppointmentStatus
from guichet.appointments.tests.factories import appointment_written
from guichet.testing.browser import axe_violations, format_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_day_agenda_with_attendance_has_no_axe_violation(chromium, live_server, personas):
    agent = personas["mairie_agent"]
    place = RoleAssignment.objects.get(user=agent, role=Role.MAIRIE_AGENT).place
    start = (timezone.now() - timedelta(hours=3)).replace(second=0, microsecond=0)
    for index, (number, status) in enumerate(
        [
            ("Q2W3E4R5T6", AppointmentStatus.BOOKED),
            ("A2B3C4D5E6", AppointmentStatus.ATTENDED),
            ("Z9Y8X7W6V5", AppointmentStatus.NO_SHOW),
        ]
    ):
        appointment_written(place, number, starts_at=start + timedelta(minutes=15 * index), status=status)
    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    sign_in(page, base_url=live_server.url, user=agent)
    path = f"{reverse('town_hall:agenda_day')}?jour={timezone.localdate(start).isoformat()}"
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 200
    assert page.locator("main form[method=post] button").count() == 1  # only the booked one can be marked
    violations = axe_violations(page)
    assert not violations, format_violations(path, violations)
    context.close()
