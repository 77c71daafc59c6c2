"""Appointments written straight to the database, in any state and at any time (past included), for tests of
what happens after the booking: the booking service itself refuses past times."""

from datetime import datetime, timedelta

from django.utils import timezone

from guichet.appointments.models import Appointment, AppointmentStatus
from guichet.territory.models import Place


def appointment_written(
    place: Place, number: str, *, starts_at: datetime | None = None, status: str = AppointmentStatus.BOOKED
) -> Appointment:
    """One 15-minute appointment on station 1, with the dates its status requires."""
    starts_at = starts_at or (timezone.now() - timedelta(hours=1)).replace(second=0, microsecond=0)
    now = timezone.now()
    return Appointment.objects.create(
        application_id=number,
        place=place,
        station=1,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=15),
        status=status,
        cancelled_at=now if status == AppointmentStatus.CANCELLED else None,
        attendance_recorded_at=now if status in (AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW) else None,
    )
