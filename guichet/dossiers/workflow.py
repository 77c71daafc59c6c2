"""The generic lifecycle of every dossier. Procedures may add steps, only by extending this table."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.transitions import Transition, TransitionTable


class Status(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposé")
    IN_INSTRUCTION = "in_instruction", _("En instruction")
    AWAITING_COMPLEMENT = "awaiting_complement", _("En attente de complément")
    ACCEPTED = "accepted", _("Accepté")
    REFUSED = "refused", _("Refusé")
    WITHDRAWN = "withdrawn", _("Retiré")
    IN_PRODUCTION = "in_production", _("En fabrication")
    AVAILABLE = "available", _("Disponible")
    DELIVERED = "delivered", _("Remis")
    EXPIRED = "expired", _("Expiré")
    DESTROYED = "destroyed", _("Détruit")


class Actor(models.TextChoices):
    """Who may fire a transition: the dossier-level role of the person acting, or the system."""

    APPLICANT = "applicant", _("Demandeur")
    REPRESENTATIVE = "representative", _("Représentant sous mandat")
    MAIRIE_AGENT = "mairie_agent", _("Agent de mairie")
    INSTRUCTOR = "instructor", _("Instructeur")
    MEDIATOR = "mediator", _("Médiateur")
    SYSTEM = "system", _("Système")


CITIZEN_SIDE = {Actor.APPLICANT, Actor.REPRESENTATIVE, Actor.MEDIATOR}
OPEN_STATUSES = frozenset({Status.DRAFT, Status.SUBMITTED, Status.IN_INSTRUCTION, Status.AWAITING_COMPLEMENT})
DECIDED_STATUSES = frozenset(
    {Status.ACCEPTED, Status.REFUSED, Status.IN_PRODUCTION, Status.AVAILABLE, Status.DELIVERED, Status.DESTROYED}
)
QUEUE_STATUSES = frozenset({Status.SUBMITTED, Status.IN_INSTRUCTION, Status.AWAITING_COMPLEMENT})

LIFECYCLE = TransitionTable(
    {
        "submit": Transition(source={Status.DRAFT}, target=Status.SUBMITTED, by=CITIZEN_SIDE | {Actor.MAIRIE_AGENT}),
        "start_instruction": Transition(
            source={Status.SUBMITTED}, target=Status.IN_INSTRUCTION, by={Actor.INSTRUCTOR, Actor.SYSTEM}
        ),
        "request_complement": Transition(
            source={Status.IN_INSTRUCTION}, target=Status.AWAITING_COMPLEMENT, by={Actor.INSTRUCTOR}
        ),
        "provide_complement": Transition(
            source={Status.AWAITING_COMPLEMENT}, target=Status.IN_INSTRUCTION, by=CITIZEN_SIDE | {Actor.MAIRIE_AGENT}
        ),
        "accept": Transition(source={Status.IN_INSTRUCTION}, target=Status.ACCEPTED, by={Actor.INSTRUCTOR}),
        "refuse": Transition(
            source={Status.IN_INSTRUCTION, Status.AWAITING_COMPLEMENT}, target=Status.REFUSED, by={Actor.INSTRUCTOR}
        ),
        "withdraw": Transition(
            source={Status.DRAFT, Status.SUBMITTED, Status.IN_INSTRUCTION, Status.AWAITING_COMPLEMENT},
            target=Status.WITHDRAWN,
            by={Actor.APPLICANT, Actor.REPRESENTATIVE},
        ),
        "start_production": Transition(source={Status.ACCEPTED}, target=Status.IN_PRODUCTION, by={Actor.SYSTEM}),
        "make_available": Transition(
            source={Status.IN_PRODUCTION}, target=Status.AVAILABLE, by={Actor.SYSTEM, Actor.MAIRIE_AGENT}
        ),
        "deliver": Transition(
            source={Status.AVAILABLE}, target=Status.DELIVERED, by={Actor.MAIRIE_AGENT, Actor.SYSTEM}
        ),
        "expire": Transition(
            source={Status.DRAFT, Status.AWAITING_COMPLEMENT}, target=Status.EXPIRED, by={Actor.SYSTEM}
        ),
        "destroy": Transition(source={Status.AVAILABLE}, target=Status.DESTROYED, by={Actor.SYSTEM}),
    }
)
