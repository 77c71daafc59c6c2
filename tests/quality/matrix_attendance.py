"""Authorization-matrix entries for appointment attendance: a mairie agent marks a past booking of their own
mairie as not attended (POST only, from the day's agenda). Samples are made directly in the database: a booking
whose time has passed cannot be taken through the booking service."""

from __future__ import annotations

from typing import Any

from .authorization_matrix import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    TWO_FACTOR,
    Entry,
    MatrixContext,
    entry,
    outcomes,
    redirect_to,
)
from .matrix_appointments import MAIRIE_AGENT_POST_ONLY, _persona_mairie


def _past_booking(context: MatrixContext, *, at_persona_mairie: bool) -> dict[str, Any]:
    from guichet.appointments.models import Appointment
    from guichet.appointments.tests.factories import appointment_written
    from guichet.territory.models import Place, PlaceKind

    place = _persona_mairie(context)
    if not at_persona_mairie:
        place, _ = Place.objects.get_or_create(
            kind=PlaceKind.MAIRIE,
            name="Mairie de Fougères",
            defaults={"department": place.department, "collection_stations": 1},
        )
    number = "MATRIXPAS1" if at_persona_mairie else "MATRIXPAS2"
    appointment = Appointment.objects.filter(application_id=number).first() or appointment_written(place, number)
    return {"reference": appointment.reference}


EXPECTATIONS: dict[str, Entry] = {
    "town_hall:agenda_no_show": entry(
        get=MAIRIE_AGENT_POST_ONLY,
        post=outcomes(
            anonymous=LOGIN,
            default=FORBIDDEN,
            mairie_agent=redirect_to("town_hall:agenda_day"),
            mairie_agent_unverified=TWO_FACTOR,
        ),
        sample_kwargs=lambda context: _past_booking(context, at_persona_mairie=True),
        is_page=False,
        note="the agent's POST marks the past booking not attended, then shows that day's agenda again",
    ),
    "town_hall:agenda_no_show@other_mairie": entry(
        get=MAIRIE_AGENT_POST_ONLY,
        post=outcomes(anonymous=LOGIN, default=FORBIDDEN, mairie_agent=NOT_FOUND, mairie_agent_unverified=TWO_FACTOR),
        sample_kwargs=lambda context: _past_booking(context, at_persona_mairie=False),
        is_page=False,
    ),
}
