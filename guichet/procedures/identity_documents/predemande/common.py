"""Shared by the pré-demande services: steps, statuses, errors, and journaling."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy

from guichet.audit.models import AuditAction
from guichet.audit.services import SYSTEM, audit_record
from guichet.audit.services import Actor as AuditActor
from guichet.core.exceptions import InvalidInput
from guichet.dossiers.models import Dossier, EventKind
from guichet.dossiers.services.actors import account_agent_role, audit_actor, event_record
from guichet.dossiers.workflow import Actor

from ..models import CoordinationStatus, PreDemande

VALIDITY_DAYS = "identity_documents.predemande.validity_days"
CONNECTED_COMMUNES = "identity_documents.comedec.connected_communes"

CIVIL_STATUS, PARENTS, PHYSICAL, ADDRESS, CONTACT, PREVIOUS_TITLES = (
    "civil_status",
    "parents",
    "physical",
    "address",
    "contact",
    "previous_titles",
)
STEPS: tuple[str, ...] = (CIVIL_STATUS, PARENTS, PHYSICAL, ADDRESS, CONTACT, PREVIOUS_TITLES)
REQUIRED_STEPS: tuple[str, ...] = (CIVIL_STATUS, PARENTS, PHYSICAL, ADDRESS, PREVIOUS_TITLES)
OPEN_STATUSES = (CoordinationStatus.DECLARED, CoordinationStatus.VALIDATED)


class RepresentativeLink(models.TextChoices):
    MOTHER = "mother", gettext_lazy("Sa mère")
    FATHER = "father", gettext_lazy("Son père")
    GUARDIAN = "guardian", gettext_lazy("Son tuteur ou sa tutrice")


REPRESENTATIVE_FIELDS = ("link", "last_name", "given_names")


class MinorWithoutRepresentative(InvalidInput):
    code = "minor_without_representative"
    default_message = gettext_lazy(
        "La pré-demande d'un enfant mineur doit être faite par son représentant légal : indiquez votre lien avec "
        "l'enfant (mère, père ou tuteur), votre nom et vos prénoms."
    )


class PreDemandeIncomplete(InvalidInput):
    code = "predemande_incomplete"


def _who(actor: Any, predemande: PreDemande, dossier: Dossier | None = None):
    if actor is None:
        return SYSTEM
    role = Actor.APPLICANT if actor.pk == predemande.applicant_id else account_agent_role(actor)
    return audit_actor(actor, role, dossier)


def predemande_audit_record(
    *,
    predemande: PreDemande,
    action: str,
    who: AuditActor,
    data: dict[str, Any],
    object_type: str = "predemande",
    object_id: int | str | None = None,
) -> None:
    """One journal entry per dossier of the pré-demande, each carrying its dossier id, so that every dossier's
    journal (and the applicant's "who accessed my dossier" table) shows what was done on the pré-demande."""
    dossier_ids: list[int | None] = list(
        Dossier.objects.filter(predemande_title__predemande=predemande).order_by("pk").values_list("pk", flat=True)
    )
    for dossier_id in dossier_ids or [None]:
        audit_record(
            action=action,
            actor=who,
            dossier_id=dossier_id,
            subject_user_id=predemande.applicant_id,
            object_type=object_type,
            object_id=predemande.pk if object_id is None else object_id,
            data=data,
        )


def _journal(*, predemande: PreDemande, actor: Any, change: str, **data: Any) -> None:
    first = Dossier.objects.filter(predemande_title__predemande=predemande).order_by("pk").first()
    predemande_audit_record(
        predemande=predemande,
        action=AuditAction.DOSSIER_CHANGED,
        who=_who(actor, predemande, first),
        data={"change": change, **data},
    )


def _note(*, predemande: PreDemande, actor: Any, note: str, title: str | None = None, **data: Any) -> None:
    """A line on the timeline of each dossier of the pré-demande (of one title's dossier only when `title` is
    given): `note` says what happened, `data` what the text needs (no personal data)."""
    dossiers = Dossier.objects.filter(predemande_title__predemande=predemande).order_by("pk")
    if title is not None:
        dossiers = dossiers.filter(predemande_title__title=title)
        data["title"] = title
    for dossier in dossiers:
        event_record(
            dossier=dossier, kind=EventKind.NOTE, actor=_who(actor, predemande, dossier), data={"note": note, **data}
        )
