from datetime import timedelta

from django.utils import timezone

from guichet.appointments.models import AgendaSettings, Slot
from guichet.appointments.services import closure_create, slots_generate, slots_generate_all
from guichet.territory.opening_hours import PARIS, french_public_holidays

from .conftest import at


def test_slots_follow_opening_hours_on_every_station(agenda, mairie, booking_day):
    slots = Slot.objects.filter(place=mairie, starts_at__gte=at(booking_day, 0), starts_at__lt=at(booking_day, 23))
    # 09:00–12:00 in 15-minute slots: 12 per station, 2 stations.
    assert slots.count() == 24
    assert {s.station for s in slots} == {1, 2}
    assert min(s.starts_at for s in slots) == at(booking_day, 9)
    assert max(s.ends_at for s in slots) == at(booking_day, 12)


def test_generation_is_idempotent(agenda, mairie):
    count = Slot.objects.filter(place=mairie).count()
    assert count > 0
    assert slots_generate(place=mairie) == 0
    assert slots_generate_all() == 0
    assert Slot.objects.filter(place=mairie).count() == count


def test_no_slot_on_weekends_holidays_or_in_the_past(agenda, mairie):
    slots = list(Slot.objects.filter(place=mairie))
    holidays = set()
    for year in {s.starts_at.year for s in slots}:
        holidays |= french_public_holidays(year, department_code="35")
    for slot in slots:
        local = slot.starts_at.astimezone(PARIS)
        assert local.weekday() < 5
        assert local.date() not in holidays
    assert all(slot.starts_at > timezone.now() for slot in slots)


def test_no_slot_beyond_weeks_ahead(agenda, mairie):
    today = timezone.now().astimezone(PARIS).date()
    last = Slot.objects.filter(place=mairie).order_by("-starts_at").values_list("starts_at", flat=True).first()
    assert last is not None
    assert last.astimezone(PARIS).date() < today + timedelta(weeks=2)


def test_closure_removes_free_slots_and_generation_skips_it(agenda, mairie, booking_day, django_user_model):
    closure_create(place=mairie, starts_on=booking_day, ends_on=booking_day, reason="Pont", actor=None)
    day_slots = Slot.objects.filter(place=mairie, starts_at__gte=at(booking_day, 0), starts_at__lt=at(booking_day, 23))
    assert not day_slots.exists()
    slots_generate(place=mairie)
    assert not day_slots.exists()


def test_inactive_agenda_gets_no_slot(mairie):
    AgendaSettings.objects.create(place=mairie, is_active=False)
    assert slots_generate(place=mairie) == 0
