from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import RoleAssignment
from guichet.accounts.roles import Role
from guichet.appointments.models import AgendaSettings, Closure, Slot
from guichet.appointments.selectors import bookable_starts
from guichet.appointments.services import appointment_book, closure_create
from guichet.audit.models import AuditEntry
from guichet.territory.models import Place, PlaceKind
from guichet.territory.opening_hours import PARIS

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_client(verified_client, personas):
    return verified_client(personas["mairie_agent"])


@pytest.fixture
def agent_place(personas) -> Place:
    place = RoleAssignment.objects.get(user=personas["mairie_agent"], role=Role.MAIRIE_AGENT).place
    assert place is not None
    return place


SETTINGS = {
    "minutes_per_file": 20,
    "max_files_per_booking": 3,
    "weeks_ahead": 2,
    "booking_notice_hours": 4,
    "is_active": "on",
}


def test_agent_saves_settings_and_generates_slots(agent_client, agent_place):
    page = agent_client.get(reverse("town_hall:agenda_home"))
    assert page.status_code == 200
    response = agent_client.post(reverse("town_hall:agenda_home"), SETTINGS)
    assert response.status_code == 302
    agenda = AgendaSettings.objects.get(place=agent_place)
    assert (agenda.minutes_per_file, agenda.weeks_ahead, agenda.booking_notice_hours) == (20, 2, 4)
    assert AuditEntry.objects.filter(action="agenda_settings_updated", object_id=str(agent_place.pk)).exists()
    count = Slot.objects.filter(place=agent_place).count()
    assert count > 0  # a new slot length generates the grid again
    agent_client.post(reverse("town_hall:agenda_generate"))
    assert Slot.objects.filter(place=agent_place).count() == count
    slot = Slot.objects.filter(place=agent_place).first()
    assert slot is not None and (slot.ends_at - slot.starts_at) == timedelta(minutes=20)


def test_invalid_settings_are_explained_and_kept(agent_client, agent_place):
    response = agent_client.post(reverse("town_hall:agenda_home"), {**SETTINGS, "minutes_per_file": 2})
    assert response.status_code == 400
    assert response.context["form"].data["minutes_per_file"] == "2"
    assert not AgendaSettings.objects.filter(place=agent_place).exists()


def test_closure_add_and_delete(agent_client, agent_place):
    agent_client.post(reverse("town_hall:agenda_home"), SETTINGS)
    day = timezone.now().astimezone(PARIS).date() + timedelta(days=3)
    response = agent_client.post(
        reverse("town_hall:agenda_closure_add"), {"starts_on": day, "ends_on": day, "reason": "Formation"}
    )
    assert response.status_code == 302
    closure = Closure.objects.get(place=agent_place)
    assert not any(s.starts_at.astimezone(PARIS).date() == day for s in Slot.objects.filter(place=agent_place))
    agent_client.post(reverse("town_hall:agenda_closure_delete", args=[closure.pk]))
    assert not Closure.objects.exists()


def test_closure_with_end_before_start_is_refused(agent_client, agent_place):
    response = agent_client.post(
        reverse("town_hall:agenda_closure_add"),
        {"starts_on": "2030-05-10", "ends_on": "2030-05-09", "reason": "Erreur"},
    )
    assert response.status_code == 400
    assert "ne peut pas précéder" in response.content.decode()
    assert not Closure.objects.exists()


def test_closure_of_another_mairie_answers_404(agent_client, agent_place):
    other = Place.objects.create(
        kind=PlaceKind.MAIRIE, name="Mairie de Vitré", department=agent_place.department, collection_stations=1
    )
    closure = closure_create(place=other, starts_on=date(2030, 1, 2), ends_on=date(2030, 1, 2), reason="x", actor=None)
    response = agent_client.post(reverse("town_hall:agenda_closure_delete", args=[closure.pk]))
    assert response.status_code == 404
    assert Closure.objects.filter(pk=closure.pk).exists()


def test_day_view_lists_bookings_and_is_journaled(agent_client, agent_place):
    agent_client.post(reverse("town_hall:agenda_home"), {**SETTINGS, "minutes_per_file": 15, "booking_notice_hours": 0})
    now = timezone.now()
    start = bookable_starts(place_ids=[agent_place.pk], start=now, end=now + timedelta(days=14))[agent_place.pk][0]
    appointment_book(place=agent_place, starts_at=start, application_id="Q2W3E4R5T6", actor=None)
    day = start.astimezone(PARIS).date()
    response = agent_client.get(reverse("town_hall:agenda_day"), {"jour": day.isoformat()})
    assert response.status_code == 200
    assert "Q2W3E4R5T6" in response.content.decode()
    assert AuditEntry.objects.filter(action="agenda_day_viewed", object_id=str(agent_place.pk)).exists()
    garbage = agent_client.get(reverse("town_hall:agenda_day"), {"jour": "demain"})
    assert garbage.status_code == 200


def test_agent_of_a_mairie_without_station_sees_an_explanation(agent_client, agent_place):
    Place.objects.filter(pk=agent_place.pk).update(collection_stations=0)
    response = agent_client.get(reverse("town_hall:agenda_home"))
    assert response.status_code == 200
    assert "pas de dispositif de recueil" in response.content.decode()
    assert agent_client.post(reverse("town_hall:agenda_generate")).status_code == 404


def test_other_roles_are_refused(client, personas):
    client.force_login(personas["citizen"])
    assert client.get(reverse("town_hall:agenda_home")).status_code == 403
