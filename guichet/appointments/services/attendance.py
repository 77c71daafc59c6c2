"""Whether the person came: attended when the file is lodged at the counter, not attended when a mairie agent
says so after the time has passed."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet.core import references
from guichet.territory.models import Place

from ..errors import AppointmentNotActive, AppointmentNotStarted
from ..models import Appointment, AppointmentStatus
from .bookings import appointment_cancel
from .common import _journal

RELEASED_AFTER_LODGING = "predemande_consumed"


@dataclass(frozen=True)
class LodgingSettlement:
    attended: Appointment | None
    released: list[Appointment]


@transaction.atomic
def appointments_settle_on_lodging(
    *, application_id: str, place: Place, actor: Any, now: datetime | None = None
) -> LodgingSettlement:
    """The file of this pré-demande number was lodged at `place`'s counter.

    - Its booked appointment at that mairie nearest to now becomes `attended` (if it lay ahead, its slots are
      freed for someone else: nobody will come at that time any more);
    - its other booked appointments still to come, here or elsewhere, are cancelled and their slots freed: the
      number cannot be lodged twice. Past ones elsewhere stay as they are (their mairie may mark them not
      attended).
    """
    now = now or timezone.now()
    number = references.normalize(application_id)
    booked = list(
        Appointment.objects.select_for_update()
        .filter(application_id=number, status=AppointmentStatus.BOOKED)
        .order_by("starts_at", "pk")
    )
    here = [appointment for appointment in booked if appointment.place_id == place.pk]
    attended = min(here, key=lambda appointment: abs(appointment.starts_at - now), default=None)
    if attended is not None:
        attended.status = AppointmentStatus.ATTENDED
        attended.attendance_recorded_at = now
        attended.save(update_fields=["status", "attendance_recorded_at", "updated_at"])
        if attended.starts_at > now:
            attended.slot_links.update(is_active=False)
        _journal(
            "appointment_attended",
            actor,
            object_type="appointment",
            object_id=attended.reference,
            data={"place_id": place.pk, "early": attended.starts_at > now},
        )
    released = [
        appointment_cancel(appointment=appointment, actor=actor, reason=RELEASED_AFTER_LODGING)
        for appointment in booked
        if appointment is not attended and appointment.starts_at > now
    ]
    return LodgingSettlement(attended=attended, released=released)


@transaction.atomic
def appointment_mark_no_show(*, appointment: Appointment, actor: Any, now: datetime | None = None) -> Appointment:
    """A mairie agent records that nobody came. Only for a booked appointment whose time has begun; the slots
    stay held (the time is gone)."""
    now = now or timezone.now()
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if locked.status != AppointmentStatus.BOOKED:
        raise AppointmentNotActive()
    if locked.starts_at > now:
        raise AppointmentNotStarted()
    locked.status = AppointmentStatus.NO_SHOW
    locked.attendance_recorded_at = now
    locked.save(update_fields=["status", "attendance_recorded_at", "updated_at"])
    _journal("appointment_no_show", actor, object_type="appointment", object_id=locked.reference)
    return locked
