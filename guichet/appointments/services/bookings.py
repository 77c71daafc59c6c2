"""Booking services: book, cancel and move an appointment."""

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from guichet.core import references
from guichet.territory.models import Place
from guichet.territory.opening_hours import PARIS

from .. import selectors
from ..errors import (
    AgendaNotOpen,
    AppointmentNotActive,
    PlaceClosed,
    SecondAppointmentNeedsConfirmation,
    SlotInPast,
    SlotNotOffered,
    SlotTaken,
    TooManyFiles,
)
from ..models import AgendaSettings, Appointment, AppointmentSlot, AppointmentStatus, Slot
from .common import _journal
from .reminders import appointment_confirmation_send


def _open_agenda(place: Place) -> AgendaSettings:
    agenda = AgendaSettings.objects.filter(place=place, is_active=True).first()
    if agenda is None or not place.is_equipped or not place.is_active:
        raise AgendaNotOpen()
    return agenda


def _check_bookable_time(*, place: Place, agenda: AgendaSettings, starts_at: datetime, files_count: int) -> None:
    if not 1 <= files_count <= agenda.max_files_per_booking:
        raise TooManyFiles()
    if starts_at < timezone.now() + timedelta(hours=agenda.booking_notice_hours):
        raise SlotInPast()
    if selectors.is_closed_on(place=place, day=starts_at.astimezone(PARIS).date()):
        raise PlaceClosed()


def _station_runs(*, place: Place, starts_at: datetime, files_count: int, length: int) -> list[list[int]]:
    """Slot ids of every station offering `files_count` consecutive free base slots from `starts_at`."""
    end = starts_at + timedelta(minutes=length * files_count)
    slots = Slot.objects.filter(place=place, starts_at__gte=starts_at, starts_at__lt=end).order_by(
        "station", "starts_at"
    )
    if not slots.exists():
        raise SlotNotOffered()
    taken = AppointmentSlot.objects.filter(slot=OuterRef("pk"), is_active=True)
    by_station: dict[int, list[Slot]] = {}
    for slot in slots.filter(~Exists(taken)):
        by_station.setdefault(slot.station, []).append(slot)
    runs = []
    for station_slots in by_station.values():
        if len(station_slots) != files_count or station_slots[0].starts_at != starts_at:
            continue
        if all(station_slots[i].ends_at == station_slots[i + 1].starts_at for i in range(files_count - 1)):
            runs.append([slot.pk for slot in station_slots])
    return runs


@transaction.atomic
def appointment_book(
    *,
    place: Place,
    starts_at: datetime,
    application_id: str,
    actor: Any,
    files_count: int = 1,
    contact_email: str = "",
    contact_mobile: str = "",
    confirm_second: bool = False,
    replaces: Appointment | None = None,
) -> Appointment:
    """Books `files_count` consecutive base slots of one station, all or nothing.

    The caller (portal or API) has checked that the pré-demande is `validated`. Raises `SlotTaken` with the next
    free starts when another booking won the slot, `SecondAppointmentNeedsConfirmation` when the number already
    holds an appointment and the person has not confirmed they want a second one.
    """
    number = references.normalize(application_id)
    agenda = _open_agenda(place)
    _check_bookable_time(place=place, agenda=agenda, starts_at=starts_at, files_count=files_count)
    if not confirm_second and selectors.has_upcoming_appointment(number=number):
        raise SecondAppointmentNeedsConfirmation()
    runs = _station_runs(place=place, starts_at=starts_at, files_count=files_count, length=agenda.minutes_per_file)
    booked_by = actor if getattr(actor, "is_authenticated", False) else None
    appointment = None
    for slot_ids in runs:
        slots = list(Slot.objects.filter(pk__in=slot_ids).order_by("starts_at"))
        try:
            with transaction.atomic():
                appointment = Appointment.objects.create(
                    application_id=number,
                    place=place,
                    station=slots[0].station,
                    starts_at=slots[0].starts_at,
                    ends_at=slots[-1].ends_at,
                    files_count=files_count,
                    booked_by=booked_by,
                    contact_email=contact_email,
                    contact_mobile=contact_mobile,
                )
                AppointmentSlot.objects.bulk_create(
                    [AppointmentSlot(appointment=appointment, slot=slot) for slot in slots]
                )
            break
        except IntegrityError:
            appointment = None  # another booking took one of these slots first: try the next station
    if appointment is None:
        raise SlotTaken(
            suggestions=selectors.next_bookable_starts(place=place, after=starts_at, files_count=files_count)
        )
    _journal(
        "appointment_booked",
        actor,
        object_type="appointment",
        object_id=appointment.reference,
        data={"place_id": place.pk, "starts_at": appointment.starts_at.isoformat(), "files": files_count},
    )
    appointment_confirmation_send(appointment=appointment, replaced=replaces)
    return appointment


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, actor: Any, reason: str = "") -> Appointment:
    """Cancels a booked appointment and frees its slots; `reason` (a stable code) is journaled when the system
    cancels it (e.g. the file was lodged elsewhere)."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if not appointment.is_active:
        raise AppointmentNotActive()
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = timezone.now()
    appointment.save(update_fields=["status", "cancelled_at", "updated_at"])
    appointment.slot_links.update(is_active=False)
    _journal(
        "appointment_cancelled",
        actor,
        object_type="appointment",
        object_id=appointment.reference,
        data={"reason": reason} if reason else None,
    )
    return appointment


@transaction.atomic
def appointment_move(
    *, appointment: Appointment, starts_at: datetime, actor: Any, place: Place | None = None
) -> Appointment:
    """Cancels and books again in one transaction: if the new slot cannot be had, the old one is kept."""
    cancelled = appointment_cancel(appointment=appointment, actor=actor)
    moved = appointment_book(
        place=place or cancelled.place,
        starts_at=starts_at,
        application_id=cancelled.application_id,
        files_count=cancelled.files_count,
        contact_email=cancelled.contact_email,
        contact_mobile=cancelled.contact_mobile,
        actor=actor,
        confirm_second=True,
        replaces=cancelled,
    )
    if moved.booked_by_id is None and cancelled.booked_by_id is not None:
        moved.booked_by_id = cancelled.booked_by_id
        moved.save(update_fields=["booked_by", "updated_at"])
    _journal(
        "appointment_moved",
        actor,
        object_type="appointment",
        object_id=moved.reference,
        data={"from": cancelled.reference},
    )
    return moved
