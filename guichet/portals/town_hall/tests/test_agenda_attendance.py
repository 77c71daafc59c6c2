"""From the day's agenda, the mairie agent marks a past booking as not attended; the citizen reads it."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import RoleAssignment
from guichet.accounts.roles import Role
from guichet.appointments.models import Appointment, AppointmentStatus
from guichet.appointments.tests.factories import appointment_written
from guichet.audit.models import AuditEntry
from guichet.procedures.identity_documents.tests.counter_factories import validated_predemande
from guichet.territory.models import Place, PlaceKind
from guichet.territory.opening_hours import PARIS

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_place(personas) -> Place:
    place = RoleAssignment.objects.get(user=personas["mairie_agent"], role=Role.MAIRIE_AGENT).place
    assert place is not None
    return place


def _booking(place, number: str, *, minutes_from_now: int) -> Appointment:
    starts_at = (timezone.now() + timedelta(minutes=minutes_from_now)).replace(second=0, microsecond=0)
    return appointment_written(place, number, starts_at=starts_at)


def _day_url(appointment: Appointment) -> str:
    return f"{reverse('town_hall:agenda_day')}?jour={appointment.starts_at.astimezone(PARIS).date().isoformat()}"


def test_agent_marks_a_past_booking_not_attended_and_the_citizen_reads_it(personas, verified_client, agent_place):
    citizen, agent = personas["citizen"], personas["mairie_agent"]
    predemande = validated_predemande(applicant=citizen)
    past = _booking(agent_place, predemande.number, minutes_from_now=-30)
    client = verified_client(agent)
    day = client.get(_day_url(past)).content.decode()
    action = reverse("town_hall:agenda_no_show", args=[past.reference])
    assert f'action="{action}"' in day and "Réservé" in day

    response = client.post(action)
    assert response.status_code == 302 and response["Location"] == _day_url(past)
    past.refresh_from_db()
    assert past.status == AppointmentStatus.NO_SHOW
    assert AuditEntry.objects.filter(action="appointment_no_show", actor_id=agent.pk).count() == 1
    day = client.get(_day_url(past)).content.decode()
    assert "Non honoré" in day and f'action="{action}"' not in day  # no button any more

    dossier = predemande.titles.get().dossier
    page = verified_client(citizen).get(reverse("citizen:dossier_detail", args=[dossier.reference])).content.decode()
    local = past.starts_at.astimezone(PARIS)
    assert f"à {local:%H:%M} non honoré — {agent_place.name}" in page


def test_a_booking_still_to_come_cannot_be_marked_and_keeps_its_status(personas, verified_client, agent_place):
    upcoming = _booking(agent_place, "Q2W3E4R5T6", minutes_from_now=90)
    client = verified_client(personas["mairie_agent"])
    assert f'action="{reverse("town_hall:agenda_no_show", args=[upcoming.reference])}"' not in (
        client.get(_day_url(upcoming)).content.decode()
    )
    response = client.post(reverse("town_hall:agenda_no_show", args=[upcoming.reference]), follow=True)
    assert "ne peut être déclaré non honoré qu'après son heure de début" in unescape(response.content.decode())
    upcoming.refresh_from_db()
    assert upcoming.status == AppointmentStatus.BOOKED


def test_a_booking_of_another_mairie_answers_404(personas, verified_client, agent_place):
    other = Place.objects.create(
        kind=PlaceKind.MAIRIE, name="Mairie de Fougères", department=agent_place.department, collection_stations=1
    )
    elsewhere = _booking(other, "Q2W3E4R5T6", minutes_from_now=-30)
    response = verified_client(personas["mairie_agent"]).post(
        reverse("town_hall:agenda_no_show", args=[elsewhere.reference])
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == AppointmentStatus.BOOKED
