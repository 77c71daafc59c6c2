from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.appointments import selectors
from guichet.appointments.errors import (
    PlaceClosed,
    SecondAppointmentNeedsConfirmation,
    SlotInPast,
    SlotNotOffered,
    SlotTaken,
    TooManyFiles,
)
from guichet.appointments.models import Appointment, AppointmentSlot, AppointmentStatus, Slot
from guichet.appointments.services import appointment_book, appointment_cancel, appointment_move, closure_create
from guichet.audit.models import AuditEntry

from .conftest import NUMBER, OTHER_NUMBER, at


def book(place, starts_at, number=NUMBER, **kwargs):
    return appointment_book(place=place, starts_at=starts_at, application_id=number, actor=None, **kwargs)


def test_booking_holds_one_base_slot_per_file_on_one_station(agenda, mairie, booking_day):
    appointment = book(mairie, at(booking_day, 9), files_count=3)
    links = list(appointment.slot_links.select_related("slot").order_by("slot__starts_at"))
    assert [link.slot.starts_at for link in links] == [
        at(booking_day, 9),
        at(booking_day, 9, 15),
        at(booking_day, 9, 30),
    ]
    assert {link.slot.station for link in links} == {appointment.station}
    assert appointment.ends_at == at(booking_day, 9, 45)
    assert AuditEntry.objects.filter(action="appointment_booked", object_id=appointment.reference).exists()


def test_second_booking_of_same_time_takes_the_other_station_then_is_refused(agenda, mairie, booking_day):
    first = book(mairie, at(booking_day, 10))
    second = book(mairie, at(booking_day, 10), number=OTHER_NUMBER)
    assert {first.station, second.station} == {1, 2}
    with pytest.raises(SlotTaken) as refused:
        book(mairie, at(booking_day, 10), number="Q2W3E4R5T6")
    # The next free starts of the same mairie are suggested, the taken one is not.
    assert refused.value.suggestions
    assert at(booking_day, 10) not in refused.value.suggestions
    assert refused.value.suggestions[0] == at(booking_day, 10, 15)


def test_multi_file_booking_is_all_or_nothing(agenda, mairie, booking_day):
    book(mairie, at(booking_day, 11, 30), number=OTHER_NUMBER)
    book(mairie, at(booking_day, 11, 30), number="Q2W3E4R5T6")
    # 11:00 + 3 files needs 11:00, 11:15, 11:30 on one station: 11:30 is taken on both.
    with pytest.raises(SlotTaken):
        book(mairie, at(booking_day, 11), files_count=3)
    assert not Appointment.objects.filter(application_id=NUMBER).exists()
    assert AppointmentSlot.objects.filter(is_active=True).count() == 2


def test_database_refuses_two_active_holders_of_one_slot(agenda, mairie, booking_day):
    appointment = book(mairie, at(booking_day, 9))
    slot = appointment.slot_links.get().slot
    other = Appointment.objects.create(
        application_id=OTHER_NUMBER, place=mairie, station=slot.station, starts_at=slot.starts_at, ends_at=slot.ends_at
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentSlot.objects.create(appointment=other, slot=slot)


def test_past_slot_refused(agenda, mairie):
    past = Slot.objects.filter(place=mairie).order_by("starts_at").first()
    assert past is not None
    with pytest.raises(SlotInPast):
        book(mairie, timezone.now() - timedelta(hours=1))


def test_slot_within_booking_notice_refused(agenda, mairie):
    with pytest.raises(SlotInPast):
        book(mairie, timezone.now() + timedelta(minutes=30))


def test_closed_day_refused(agenda, mairie, booking_day):
    closure_create(place=mairie, starts_on=booking_day, ends_on=booking_day, reason="Travaux", actor=None)
    with pytest.raises(PlaceClosed):
        book(mairie, at(booking_day, 9))


def test_time_outside_the_grid_refused(agenda, mairie, booking_day):
    with pytest.raises(SlotNotOffered):
        book(mairie, at(booking_day, 15))


def test_too_many_files_refused(agenda, mairie, booking_day):
    with pytest.raises(TooManyFiles):
        book(mairie, at(booking_day, 9), files_count=4)


def test_second_appointment_needs_explicit_confirmation(agenda, mairie, booking_day):
    book(mairie, at(booking_day, 9))
    with pytest.raises(SecondAppointmentNeedsConfirmation):
        book(mairie, at(booking_day, 10))
    second = book(mairie, at(booking_day, 10), confirm_second=True)
    assert second.is_active
    assert selectors.appointments_of_numbers(numbers=[NUMBER]).count() == 2


def test_cancel_frees_the_slots(agenda, mairie, booking_day):
    appointment = book(mairie, at(booking_day, 9), files_count=2)
    appointment_cancel(appointment=appointment, actor=None)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert not AppointmentSlot.objects.filter(is_active=True).exists()
    again = book(mairie, at(booking_day, 9), number=OTHER_NUMBER, files_count=2)
    assert again.station == 1


def test_move_books_the_new_slot_and_frees_the_old(agenda, mairie, booking_day):
    appointment = book(mairie, at(booking_day, 9))
    moved = appointment_move(appointment=appointment, starts_at=at(booking_day, 11), actor=None)
    assert moved.starts_at == at(booking_day, 11)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert selectors.appointments_of_numbers(numbers=[NUMBER]).get() == moved


def test_failed_move_keeps_the_old_appointment(agenda, mairie, booking_day):
    appointment = book(mairie, at(booking_day, 9))
    book(mairie, at(booking_day, 11), number=OTHER_NUMBER)
    book(mairie, at(booking_day, 11), number="Q2W3E4R5T6")
    with pytest.raises(SlotTaken):
        appointment_move(appointment=appointment, starts_at=at(booking_day, 11), actor=None)
    appointment.refresh_from_db()
    assert appointment.is_active
    assert appointment.slot_links.filter(is_active=True).count() == 1


def test_bookable_starts_need_consecutive_free_slots(agenda, mairie, booking_day):
    book(mairie, at(booking_day, 9, 30), number=OTHER_NUMBER)
    book(mairie, at(booking_day, 9, 30), number="Q2W3E4R5T6")
    starts = selectors.bookable_starts(
        place_ids=[mairie.pk], start=at(booking_day, 0), end=at(booking_day, 23), files_count=2
    )[mairie.pk]
    assert at(booking_day, 9) in starts
    assert at(booking_day, 9, 15) not in starts  # would need 09:30
    assert at(booking_day, 9, 30) not in starts
    assert at(booking_day, 11, 45) not in starts  # would run past noon
    assert starts == sorted(set(starts))
