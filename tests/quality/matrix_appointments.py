"""Authorization matrix entries for mairie appointments: citizen booking pages, mairie agenda pages, and the
machine APIs under /api (token-based: every persona without a token gets the contract's 401).

Wire with `EXPECTATIONS.update(matrix_appointments.EXPECTATIONS)` in `authorization_matrix.py`. Sample objects
(an appointment of the citizen persona, one of a stranger, closures) are created on demand by the helpers below
from the `MatrixContext` personas: the persona mairie (Mairie de Rennes, 4 stations) gets an open agenda and slots.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from .authorization_matrix import (
    EVERYONE_OK,
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    SIGNED_IN_OK,
    TWO_FACTOR,
    Entry,
    MatrixContext,
    Outcome,
    entry,
    outcomes,
    portal_outcomes,
    redirect_to,
)

UNAUTHORIZED = Outcome("401 (API token missing)", 401, denies=True)
BAD_REQUEST = Outcome("400 (form errors shown)", 400, denies=True)
API_REFUSED = outcomes(anonymous=UNAUTHORIZED, default=UNAUTHORIZED)
API_METHOD_REFUSED = outcomes(anonymous=NOT_ALLOWED, default=NOT_ALLOWED)
EVERYONE_NOT_FOUND = outcomes(anonymous=NOT_FOUND, default=NOT_FOUND)


def _persona_mairie(context: MatrixContext):
    from guichet.accounts.models import RoleAssignment
    from guichet.accounts.roles import Role
    from guichet.appointments.models import AgendaSettings
    from guichet.appointments.services import slots_generate

    place = RoleAssignment.objects.get(user=context.personas["mairie_agent"], role=Role.MAIRIE_AGENT).place
    assert place is not None
    _agenda, created = AgendaSettings.objects.get_or_create(place=place, defaults={"weeks_ahead": 2})
    if created:
        slots_generate(place=place)
    return place


def _appointment_of(context: MatrixContext, *, stranger: bool) -> Any:
    from guichet.accounts.models import User
    from guichet.appointments.models import Appointment
    from guichet.appointments.selectors import bookable_starts
    from guichet.appointments.services import appointment_book

    if stranger:
        owner, _ = User.objects.get_or_create(email="autre.usager@example.fr", defaults={"first_name": "Alex"})
    else:
        owner = context.personas["citizen"]
    existing = Appointment.objects.filter(booked_by=owner).first()
    if existing is not None:
        return existing
    place = _persona_mairie(context)
    now = timezone.now()
    starts = bookable_starts(place_ids=[place.pk], start=now, end=now + timedelta(days=14))[place.pk]
    return appointment_book(
        place=place,
        starts_at=starts[1 if stranger else 0],
        application_id="MATRIX0002" if stranger else "MATRIX0001",
        actor=owner,
        confirm_second=True,
    )


def _closure(context: MatrixContext, *, of_persona_mairie: bool) -> Any:
    from guichet.appointments.models import Closure
    from guichet.territory.models import Place, PlaceKind

    if of_persona_mairie:
        place = _persona_mairie(context)
    else:
        persona_place = _persona_mairie(context)
        place, _ = Place.objects.get_or_create(
            kind=PlaceKind.MAIRIE,
            name="Mairie de Vitré",
            defaults={"department": persona_place.department, "collection_stations": 1},
        )
    closure = Closure.objects.filter(place=place).first()
    return closure or Closure.objects.create(
        place=place, starts_on=date(2031, 1, 2), ends_on=date(2031, 1, 3), reason="Inventaire"
    )


def _citizen_reference(context: MatrixContext) -> dict[str, Any]:
    return {"reference": _appointment_of(context, stranger=False).reference}


def _stranger_reference(context: MatrixContext) -> dict[str, Any]:
    return {"reference": _appointment_of(context, stranger=True).reference}


OWNER_ONLY = outcomes(anonymous=LOGIN, default=NOT_FOUND, citizen=OK)
# Agents must pass their second factor before any page, the citizen pages included.
NOBODY_BUT_LOGIN = outcomes(anonymous=LOGIN, default=NOT_FOUND)
MAIRIE_AGENT_POST_ONLY = outcomes(
    anonymous=LOGIN, default=FORBIDDEN, mairie_agent=NOT_ALLOWED, mairie_agent_unverified=TWO_FACTOR
)


def _mairie_agent_redirect(target: str) -> dict[str, Outcome]:
    return outcomes(
        anonymous=LOGIN,
        default=FORBIDDEN,
        mairie_agent=redirect_to(target),
        mairie_agent_unverified=TWO_FACTOR,
    )


def _unverified_agents_to_two_factor(table: dict[str, Outcome]) -> dict[str, Outcome]:
    """portal_for(Role.CITIZEN) also asks agents (who hold a second factor) to pass it first."""
    return {
        audience: TWO_FACTOR if audience.endswith("_unverified") else outcome for audience, outcome in table.items()
    }


SETTINGS_POST = {
    "minutes_per_file": 15,
    "max_files_per_booking": 3,
    "weeks_ahead": 2,
    "booking_notice_hours": 2,
    "is_active": "on",
}

EXPECTATIONS: dict[str, Entry] = {
    # Citizen booking pages (portal_for(Role.CITIZEN): every signed-in account is a citizen).
    "citizen:booking_search": entry(get=_unverified_agents_to_two_factor(SIGNED_IN_OK)),
    "citizen:booking_confirm": entry(
        get=_unverified_agents_to_two_factor(outcomes(anonymous=LOGIN, default=redirect_to("citizen:booking_search"))),
        post=_unverified_agents_to_two_factor(outcomes(anonymous=LOGIN, default=redirect_to("citizen:booking_search"))),
        note="without ?lieu=&debut=&dossiers= the page sends back to the search (a message explains why)",
    ),
    "citizen:booking_list": entry(get=_unverified_agents_to_two_factor(SIGNED_IN_OK)),
    "citizen:booking_detail": entry(get=_unverified_agents_to_two_factor(OWNER_ONLY), sample_kwargs=_citizen_reference),
    "citizen:booking_detail@stranger": entry(
        get=_unverified_agents_to_two_factor(NOBODY_BUT_LOGIN), sample_kwargs=_stranger_reference
    ),
    "citizen:booking_move": entry(
        get=_unverified_agents_to_two_factor(OWNER_ONLY),
        post=_unverified_agents_to_two_factor(outcomes(anonymous=LOGIN, default=NOT_FOUND, citizen=BAD_REQUEST)),
        sample_kwargs=_citizen_reference,
        note="POST without a chosen slot: 400 with a French message, the appointment is kept",
    ),
    "citizen:booking_move@stranger": entry(
        get=_unverified_agents_to_two_factor(NOBODY_BUT_LOGIN),
        post=_unverified_agents_to_two_factor(NOBODY_BUT_LOGIN),
        sample_kwargs=_stranger_reference,
    ),
    "citizen:booking_ics": entry(
        get=_unverified_agents_to_two_factor(OWNER_ONLY), sample_kwargs=_citizen_reference, is_page=False
    ),
    "citizen:booking_ics@stranger": entry(
        get=_unverified_agents_to_two_factor(NOBODY_BUT_LOGIN), sample_kwargs=_stranger_reference, is_page=False
    ),
    "citizen:booking_cancel": entry(
        get=_unverified_agents_to_two_factor(OWNER_ONLY),
        post=_unverified_agents_to_two_factor(
            outcomes(anonymous=LOGIN, default=NOT_FOUND, citizen=redirect_to("citizen:booking_list"))
        ),
        sample_kwargs=_citizen_reference,
        note="the citizen's POST cancels the sample appointment; later audiences then get 404 as well",
    ),
    "citizen:booking_cancel@stranger": entry(
        get=_unverified_agents_to_two_factor(NOBODY_BUT_LOGIN),
        post=_unverified_agents_to_two_factor(NOBODY_BUT_LOGIN),
        sample_kwargs=_stranger_reference,
    ),
    # Mairie agenda: agents of the mairie only, scoped to the place of their role assignment.
    "town_hall:agenda_home": entry(
        get=portal_outcomes("mairie_agent"),
        post=_mairie_agent_redirect("town_hall:agenda_home"),
        post_data=lambda context: SETTINGS_POST,
    ),
    "town_hall:agenda_generate": entry(
        get=MAIRIE_AGENT_POST_ONLY,
        post=_mairie_agent_redirect("town_hall:agenda_home"),
        post_data=lambda context: {},
    ),
    "town_hall:agenda_closure_add": entry(
        get=portal_outcomes("mairie_agent"),
        post=_mairie_agent_redirect("town_hall:agenda_home"),
        post_data=lambda context: {"starts_on": "2031-02-03", "ends_on": "2031-02-04", "reason": "Travaux"},
    ),
    "town_hall:agenda_closure_delete": entry(
        get=MAIRIE_AGENT_POST_ONLY,
        post=_mairie_agent_redirect("town_hall:agenda_home"),
        sample_kwargs=lambda context: {"closure_id": _closure(context, of_persona_mairie=True).pk},
    ),
    "town_hall:agenda_closure_delete@other_mairie": entry(
        get=MAIRIE_AGENT_POST_ONLY,
        post=outcomes(anonymous=LOGIN, default=FORBIDDEN, mairie_agent=NOT_FOUND, mairie_agent_unverified=TWO_FACTOR),
        sample_kwargs=lambda context: {"closure_id": _closure(context, of_persona_mairie=False).pk},
    ),
    "town_hall:agenda_day": entry(
        get=portal_outcomes("mairie_agent"),
        get_may_write=True,  # journals the agent's access to the day's bookings
    ),
    # Machine APIs (INTEROP.md §1–2): token in a header, never a session; no persona holds a token.
    "api:status": entry(get=API_REFUSED, is_page=False, note="x-rdv-opt-auth-token"),
    "api:appointment_create": entry(
        get=API_METHOD_REFUSED, post=API_REFUSED, is_page=False, note="POST and DELETE share this path"
    ),
    "api:appointment_delete": entry(get=API_METHOD_REFUSED, post=API_REFUSED, is_page=False),
    "api:managed_meeting_points": entry(get=API_REFUSED, is_page=False, note="X-HUB-RDV-AUTH-TOKEN"),
    "api:available_time_slots": entry(get=API_REFUSED, is_page=False),
    "api:search_application_ids": entry(get=API_REFUSED, is_page=False),
    "api:openapi-json": entry(get=EVERYONE_OK, is_page=False, note="the public OpenAPI schema"),
    "api:openapi-view": entry(get=EVERYONE_OK, is_page=False, note="Swagger UI's own markup (JavaScript)"),
    "api:api-root": entry(get=EVERYONE_NOT_FOUND, is_page=False, note="django-ninja's root: nothing there"),
}
