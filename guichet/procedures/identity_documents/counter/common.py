"""Shared by the counter services: formats, the error, the agent as journal actor, and where the agent works."""

import re
from typing import Any

from django.utils.translation import gettext as _

from guichet.accounts.models import RoleAssignment
from guichet.accounts.roles import Role
from guichet.audit.services import Actor as AuditActor
from guichet.core.exceptions import DomainError, PermissionDenied
from guichet.territory.models import Place, PlaceKind

NUMBER_FORMAT = re.compile(r"^[A-Z0-9]{10}$")
STAMP_FORMAT = re.compile(r"^[0-9]{16}$")


class CounterError(DomainError):
    code = "counter_error"


def _organisation(place: Place) -> str:
    return place.name


def _agent_actor(agent: Any, place: Place, applicant_id: int | None = None) -> AuditActor:
    return AuditActor(
        user_id=agent.pk, role=Role.MAIRIE_AGENT.value, organisation=_organisation(place), on_behalf_of_id=applicant_id
    )


# --- where the agent works ------------------------------------------------------------------------------------


def counter_places_of(*, agent: Any) -> list[Place]:
    """The equipped mairies where `agent` holds an active mairie-agent role."""
    assignments = RoleAssignment.objects.filter(
        user=agent,
        role=Role.MAIRIE_AGENT,
        revoked_at__isnull=True,
        place__kind=PlaceKind.MAIRIE,
        place__is_active=True,
        place__collection_stations__gt=0,
    ).select_related("place")
    return [a.place for a in assignments if a.is_active and a.place is not None]


def counter_place_of(*, agent: Any) -> Place | None:
    places = counter_places_of(agent=agent)
    return places[0] if places else None


def _check_agent_place(agent: Any, place: Place) -> None:
    if place not in counter_places_of(agent=agent):
        raise PermissionDenied(
            _("Vous ne pouvez recevoir des demandes que dans une mairie équipée où vous êtes agent."),
            code="not_an_agent_of_this_counter",
        )
