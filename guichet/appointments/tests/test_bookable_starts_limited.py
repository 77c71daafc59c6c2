"""A limited search (the citizen's search page) reads the first week first: it must find exactly the first starts
an unlimited search finds, also when the first week is full and the rest of the window has to be read."""

from datetime import timedelta

from django.utils import timezone

from guichet.appointments.models import AppointmentSlot, Closure, Slot
from guichet.appointments.selectors import FIRST_WINDOW, bookable_starts
from guichet.appointments.services import appointment_book
from guichet.territory.opening_hours import PARIS

from .conftest import NUMBER


def _search(mairie, *, files=1, limit=None):
    now = timezone.now()
    return bookable_starts(
        place_ids=[mairie.pk],
        start=now,
        end=now + timedelta(weeks=2),
        files_count=files,
        now=now,
        limit_per_place=limit,
    ).get(mairie.pk, [])


def test_limited_search_gives_the_first_starts_of_the_unlimited_one(agenda):
    mairie = agenda.place
    everything = _search(mairie)
    assert len(everything) > 6
    assert _search(mairie, limit=6) == everything[:6]
    assert _search(mairie, files=2, limit=4) == _search(mairie, files=2)[:4]


def test_limited_search_reads_past_a_full_first_week(agenda, django_assert_num_queries):
    mairie = agenda.place
    first_week = Slot.objects.filter(place=mairie, starts_at__lt=timezone.now() + FIRST_WINDOW)
    first_slot = first_week.order_by("starts_at").first()
    assert first_slot is not None
    booked = appointment_book(place=mairie, starts_at=first_slot.starts_at, application_id=NUMBER, actor=None)
    AppointmentSlot.objects.bulk_create(
        AppointmentSlot(appointment=booked, slot=slot) for slot in first_week.exclude(holders__is_active=True)
    )
    everything = _search(mairie)
    assert everything and everything[0] >= timezone.now() + FIRST_WINDOW
    with django_assert_num_queries(4):  # settings, the window's closures, then the free slots of each part
        assert _search(mairie, limit=4) == everything[:4]


def test_limited_search_reads_a_place_again_when_its_first_free_starts_fall_on_closed_days(
    agenda, django_assert_num_queries
):
    # PostgreSQL reads the first few free starts of each place only; here all of them are on closed days.
    mairie = agenda.place
    first_days = sorted({s.starts_at.astimezone(PARIS).date() for s in Slot.objects.filter(place=mairie)})[:2]
    Closure.objects.create(place=mairie, starts_on=first_days[0], ends_on=first_days[1], reason="Travaux")
    everything = _search(mairie)
    assert everything and everything[0].astimezone(PARIS).date() > first_days[1]
    assert _search(mairie, limit=2) == everything[:2]
    assert _search(mairie, limit=6) == everything[:6]
