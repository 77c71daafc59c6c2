"""Attendance: attended when the file is lodged, not attended when the mairie says so; slots and constraints."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.appointments import selectors
from guichet.appointments.errors import AppointmentNotActive, AppointmentNotStarted
from guichet.appointments.models import AgendaSettings, Appointment, AppointmentSlot, AppointmentStatus
from guichet.appointments.services import (
    appointment_book,
    appointment_mark_no_show,
    appointments_settle_on_lodging,
    slots_generate,
)
from guichet.audit.models import AuditEntry
from guichet.territory.models import Place, PlaceKind

from .conftest import NUMBER, OTHER_NUMBER, at, next_working_day


def book(place, starts_at, number=NUMBER, **kwargs):
    return appointment_book(place=place, starts_at=starts_at, application_id=number, actor=None, **kwargs)


@pytest.fixture
def other_mairie(mairie) -> Place:
    place = Place.objects.create(
        kind=PlaceKind.MAIRIE,
        name="Mairie de Vitré",
        department=mairie.department,
        commune_code="35360",
        city="Vitré",
        postal_code="35500",
        opening_hours="Mo-Fr 09:00-12:00",
        collection_stations=1,
    )
    AgendaSettings.objects.create(place=place, weeks_ahead=2)
    slots_generate(place=place)
    return place


def test_lodging_at_the_time_marks_the_appointment_attended_and_it_keeps_its_slots(agenda, mairie, booking_day):
    appointment = book(mairie, at(booking_day, 9), files_count=2)
    settled = appointments_settle_on_lodging(
        application_id=NUMBER.lower(), place=mairie, actor=None, now=at(booking_day, 9, 10)
    )
    appointment.refresh_from_db()
    assert settled.attended == appointment and settled.released == []
    assert appointment.status == AppointmentStatus.ATTENDED
    assert appointment.attendance_recorded_at == at(booking_day, 9, 10)
    # The time was used: both base slots stay held, and the one-holder-per-slot constraint still guards them.
    assert appointment.slot_links.filter(is_active=True).count() == 2
    held = appointment.slot_links.first()
    assert held is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        other = Appointment.objects.create(
            application_id=OTHER_NUMBER,
            place=mairie,
            station=appointment.station,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
        )
        AppointmentSlot.objects.create(appointment=other, slot=held.slot)
    assert AuditEntry.objects.filter(action="appointment_attended", object_id=appointment.reference).exists()


def test_lodging_early_frees_the_slots_and_cancels_the_other_bookings_still_to_come(
    agenda, mairie, other_mairie, booking_day
):
    here = book(mairie, at(booking_day, 10))
    elsewhere = book(other_mairie, at(next_working_day(booking_day, skip=1), 9), confirm_second=True)
    settled = appointments_settle_on_lodging(application_id=NUMBER, place=mairie, actor=None)
    here.refresh_from_db()
    elsewhere.refresh_from_db()
    assert settled.attended == here and settled.released == [elsewhere]
    assert here.status == AppointmentStatus.ATTENDED
    assert elsewhere.status == AppointmentStatus.CANCELLED
    # Nobody will come at those times any more: both slots can be booked by someone else.
    assert not AppointmentSlot.objects.filter(is_active=True).exists()
    assert book(mairie, at(booking_day, 10), number=OTHER_NUMBER).station == here.station
    cancelled = AuditEntry.objects.get(action="appointment_cancelled", object_id=elsewhere.reference)
    assert cancelled.data == {"reason": "predemande_consumed"}


def test_lodging_without_a_booking_here_changes_nothing_past(agenda, mairie, other_mairie, booking_day):
    past_elsewhere = book(other_mairie, at(booking_day, 9))
    settled = appointments_settle_on_lodging(application_id=NUMBER, place=mairie, actor=None, now=at(booking_day, 11))
    past_elsewhere.refresh_from_db()
    assert settled.attended is None and settled.released == []
    assert past_elsewhere.status == AppointmentStatus.BOOKED  # its mairie may still mark it not attended


def test_no_show_only_for_a_booked_appointment_whose_time_has_come(agenda, mairie, booking_day):
    appointment = book(mairie, at(booking_day, 9))
    with pytest.raises(AppointmentNotStarted):
        appointment_mark_no_show(appointment=appointment, actor=None, now=at(booking_day, 8, 59))
    marked = appointment_mark_no_show(appointment=appointment, actor=None, now=at(booking_day, 9, 20))
    assert marked.status == AppointmentStatus.NO_SHOW
    assert marked.attendance_recorded_at == at(booking_day, 9, 20)
    assert marked.slot_links.filter(is_active=True).count() == 1  # the time is gone, the slot stays used
    with pytest.raises(AppointmentNotActive):
        appointment_mark_no_show(appointment=marked, actor=None, now=at(booking_day, 9, 30))
    attended = book(mairie, at(booking_day, 10), number=OTHER_NUMBER)
    appointments_settle_on_lodging(application_id=OTHER_NUMBER, place=mairie, actor=None, now=at(booking_day, 10))
    with pytest.raises(AppointmentNotActive):
        appointment_mark_no_show(appointment=attended, actor=None, now=at(booking_day, 11))
    assert AuditEntry.objects.filter(action="appointment_no_show", object_id=appointment.reference).count() == 1


def test_the_day_list_shows_attended_and_not_attended_but_not_cancelled(agenda, mairie, booking_day):
    from guichet.appointments.services import appointment_cancel

    no_show = book(mairie, at(booking_day, 9))
    attended = book(mairie, at(booking_day, 9, 15), number=OTHER_NUMBER)
    cancelled = book(mairie, at(booking_day, 9, 30), number="Q2W3E4R5T6")
    appointment_mark_no_show(appointment=no_show, actor=None, now=at(booking_day, 9, 5))
    appointments_settle_on_lodging(application_id=OTHER_NUMBER, place=mairie, actor=None, now=at(booking_day, 9, 16))
    appointment_cancel(appointment=cancelled, actor=None)
    listed = list(selectors.day_appointments(place=mairie, day=booking_day))
    assert listed == [no_show, attended]
    # What other software is told: the attended one, not the one nobody came to, nor the cancelled one.
    reported = selectors.appointments_of_numbers(numbers=[NUMBER, OTHER_NUMBER, "Q2W3E4R5T6"])
    assert list(reported) == [attended]


@pytest.mark.parametrize(
    "values",
    [
        {"status": AppointmentStatus.ATTENDED},  # no date recorded
        {"status": AppointmentStatus.NO_SHOW},
        {"status": AppointmentStatus.CANCELLED},
        {"status": "vanished"},
    ],
)
def test_the_database_refuses_an_incoherent_status(mairie, values):
    starts_at = timezone.now() - timedelta(hours=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            application_id=NUMBER,
            place=mairie,
            station=1,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=15),
            **values,
        )
