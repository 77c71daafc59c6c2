"""The generic lifecycle of every dossier. Procedures may add steps, only by extending this table."""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.core.transitions import Transition, TransitionTable

StrOrPromise = str | Promise


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
    # An approved professional's staff member filing a client's procedure under a client mandate (never the
    # citizen portal: they act only from the professional portal, where the approval is checked first).
    TRUSTED_PARTY = "trusted_party", _("Tiers de confiance")
    MAIRIE_AGENT = "mairie_agent", _("Agent de mairie")
    INSTRUCTOR = "instructor", _("Instructeur")
    MEDIATOR = "mediator", _("Médiateur")
    SYSTEM = "system", _("Système")


CITIZEN_SIDE = {Actor.APPLICANT, Actor.REPRESENTATIVE, Actor.MEDIATOR}
# Who may lodge a dossier and answer a request for a complement: the citizen's side, the counter, and a trusted
# party filing for its client. Withdrawing stays the applicant's (or their representative's) decision.
FILING_SIDE = CITIZEN_SIDE | {Actor.MAIRIE_AGENT, Actor.TRUSTED_PARTY}
OPEN_STATUSES = frozenset({Status.DRAFT, Status.SUBMITTED, Status.IN_INSTRUCTION, Status.AWAITING_COMPLEMENT})
DECIDED_STATUSES = frozenset(
    {Status.ACCEPTED, Status.REFUSED, Status.IN_PRODUCTION, Status.AVAILABLE, Status.DELIVERED, Status.DESTROYED}
)
QUEUE_STATUSES = frozenset({Status.SUBMITTED, Status.IN_INSTRUCTION, Status.AWAITING_COMPLEMENT})

LIFECYCLE = TransitionTable(
    {
        "submit": Transition(source={Status.DRAFT}, target=Status.SUBMITTED, by=FILING_SIDE),
        "start_instruction": Transition(
            source={Status.SUBMITTED}, target=Status.IN_INSTRUCTION, by={Actor.INSTRUCTOR, Actor.SYSTEM}
        ),
        "request_complement": Transition(
            source={Status.IN_INSTRUCTION}, target=Status.AWAITING_COMPLEMENT, by={Actor.INSTRUCTOR}
        ),
        "provide_complement": Transition(
            source={Status.AWAITING_COMPLEMENT}, target=Status.IN_INSTRUCTION, by=FILING_SIDE
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


# What people read on buttons and confirmation pages for each step of the generic lifecycle.
TRANSITION_TEXTS: dict[str, tuple[StrOrPromise, StrOrPromise]] = {
    "submit": (_("Déposer le dossier"), _("Une fois déposé, le dossier sera transmis pour instruction.")),
    "start_instruction": (_("Commencer l'instruction"), _("Le demandeur verra que son dossier est en instruction.")),
    "request_complement": (
        _("Demander un complément"),
        _("Le demandeur devra compléter son dossier avant que l'instruction reprenne."),
    ),
    "provide_complement": (
        _("Transmettre le complément"),
        _("Le dossier complété sera renvoyé au service instructeur."),
    ),
    "accept": (_("Accepter la demande"), _("La décision sera communiquée au demandeur.")),
    "refuse": (_("Refuser la demande"), _("La décision sera communiquée au demandeur.")),
    "withdraw": (_("Retirer la demande"), _("Le dossier sera clos et ne pourra plus être modifié.")),
    "start_production": (_("Lancer la fabrication"), ""),
    "make_available": (_("Déclarer le titre disponible"), ""),
    "deliver": (_("Remettre le titre"), ""),
    "expire": (_("Clore le dossier expiré"), ""),
    "destroy": (_("Déclarer le titre détruit"), ""),
}
# What the applicant's timeline says when a dossier took each step (procedures may say it more precisely).
TIMELINE_TEXTS: dict[str, StrOrPromise] = {
    "submit": _("Dossier déposé"),
    "start_instruction": _("Instruction commencée"),
    "request_complement": _("Complément demandé par le service instructeur"),
    "provide_complement": _("Complément transmis au service instructeur"),
    "accept": _("Demande acceptée"),
    "refuse": _("Demande refusée"),
    "withdraw": _("Demande retirée"),
    "start_production": _("Titre en fabrication"),
    "make_available": _("Titre disponible"),
    "deliver": _("Titre remis"),
    "expire": _("Dossier expiré"),
    "destroy": _("Titre détruit"),
}
# Steps whose author may (or should) give a reason the applicant will read.
TRANSITIONS_WITH_REASON = frozenset({"request_complement", "refuse"})
