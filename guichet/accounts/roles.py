"""Roles and what each is attached to. A person may hold several roles, each scoped to a place or territory."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.territory.models import PlaceKind


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Usager")
    MAIRIE_AGENT = "mairie_agent", _("Agent de mairie")
    INSTRUCTOR = "instructor", _("Instructeur")
    MEDIATOR = "mediator", _("Médiateur numérique")
    DRIVING_SCHOOL_STAFF = "driving_school_staff", _("École de conduite")
    CAR_PROFESSIONAL_STAFF = "car_professional_staff", _("Professionnel de l'automobile")
    PREFECTURE_ADMIN = "prefecture_admin", _("Administrateur de préfecture")
    PLATFORM_ADMIN = "platform_admin", _("Administrateur de la plateforme")


# For each role: the kinds of place it may be attached to (empty: attached to a département or to nothing).
ROLE_PLACE_KINDS: dict[str, frozenset[str]] = {
    Role.MAIRIE_AGENT: frozenset({PlaceKind.MAIRIE}),
    Role.INSTRUCTOR: frozenset({PlaceKind.INSTRUCTION_CENTRE}),
    Role.MEDIATOR: frozenset(
        {PlaceKind.POINT_NUMERIQUE, PlaceKind.ESPACE_NUMERIQUE, PlaceKind.PREFECTURE, PlaceKind.SOUS_PREFECTURE}
    ),
    Role.DRIVING_SCHOOL_STAFF: frozenset({PlaceKind.DRIVING_SCHOOL}),
    Role.CAR_PROFESSIONAL_STAFF: frozenset({PlaceKind.CAR_PROFESSIONAL}),
}
ROLES_SCOPED_TO_DEPARTMENT = frozenset({Role.PREFECTURE_ADMIN})
ROLES_WITHOUT_SCOPE = frozenset({Role.PLATFORM_ADMIN})

# Every role but the citizen's must pass a second factor before reaching its portal.
ROLES_REQUIRING_TWO_FACTOR = frozenset(set(Role) - {Role.CITIZEN})

# The portal each role works in, by URL namespace.
ROLE_PORTAL = {
    Role.CITIZEN: "citizen",
    Role.MAIRIE_AGENT: "town_hall",
    Role.INSTRUCTOR: "instruction",
    Role.MEDIATOR: "mediator",
    Role.DRIVING_SCHOOL_STAFF: "professional",
    Role.CAR_PROFESSIONAL_STAFF: "professional",
    Role.PREFECTURE_ADMIN: "prefecture",
    Role.PLATFORM_ADMIN: "admin",
}
