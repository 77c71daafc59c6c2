"""Shared by the pré-demande services: steps, statuses, errors, and journaling."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy

from guichet.audit.models import AuditAction
from guichet.audit.services import SYSTEM, audit_record
from guichet.core.exceptions import InvalidInput
from guichet.dossiers.models import Dossier
from guichet.dossiers.services.actors import account_agent_role, audit_actor
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


def _journal(*, predemande: PreDemande, actor: Any, change: str, **data: Any) -> None:
    dossiers: list[Dossier | None] = list(
        Dossier.objects.filter(predemande_title__predemande=predemande).order_by("pk")
    )
    for dossier in dossiers or [None]:
        audit_record(
            action=AuditAction.DOSSIER_CHANGED,
            actor=_who(actor, predemande, dossier),
            dossier_id=dossier.pk if dossier else None,
            subject_user_id=predemande.applicant_id,
            object_type="predemande",
            object_id=predemande.pk,
            data={"change": change, **data},
        )
