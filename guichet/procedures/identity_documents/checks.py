"""Checks shown to the instructor on a CNI or passport dossier, and the civil-status helpers they rely on.

The pré-demande's civil status is read from the step the pré-demande forms write (`data["civil_status"]`:
`last_name`, `given_names`, `birth_date` as an ISO date, `birth_commune_code`), and a previous title from
`data["previous_titles"][<title>]["number"]`.
"""

import hashlib
import hmac
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from guichet.accounts.selectors import verified_identity_of
from guichet.dossiers.models import Dossier
from guichet.dossiers.workflow import Status
from guichet.instruction.models import DecisionMotive, InvalidationReason
from guichet.instruction.selectors import invalidated_titles_of
from guichet.instruction.services import dossier_decide, invalidated_title_record

from .models import Motive, PreDemande, PreDemandeTitle
from .predemande import CIVIL_STATUS, PREVIOUS_TITLES

# A request counts as "open" from lodging until the title is made (refused, withdrawn, delivered… are closed).
OPEN_REQUEST_STATUSES = (
    Status.SUBMITTED,
    Status.IN_INSTRUCTION,
    Status.AWAITING_COMPLEMENT,
    Status.ACCEPTED,
    Status.IN_PRODUCTION,
)


def normalize_name(raw: str) -> str:
    """Upper-case, no accents, no punctuation or spaces: "Lefèvre-Dupont" and "LEFEVRE DUPONT" match."""
    decomposed = unicodedata.normalize("NFKD", raw or "")
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).upper()


def _first_given_name(raw: str) -> str:
    parts = (raw or "").replace(",", " ").split()
    return parts[0] if parts else ""


@dataclass(frozen=True)
class CivilStatus:
    family_name: str
    given_names: str
    birth_date: date | None
    birth_commune_code: str

    @property
    def is_complete(self) -> bool:
        return bool(self.family_name and self.given_names and self.birth_date)


def civil_status_of(predemande: PreDemande) -> CivilStatus:
    data = (predemande.data or {}).get(CIVIL_STATUS) or {}
    raw_birth = data.get("birth_date") or ""
    try:
        birth = date.fromisoformat(raw_birth) if raw_birth else None
    except (TypeError, ValueError):
        birth = None
    return CivilStatus(
        family_name=str(data.get("last_name") or ""),
        given_names=str(data.get("given_names") or ""),
        birth_date=birth,
        birth_commune_code=str(data.get("birth_commune_code") or ""),
    )


def holder_key(status: CivilStatus) -> str:
    """A keyed hash of the normalised civil status: matches a person across requests without storing who."""
    material = "|".join(
        [
            normalize_name(status.family_name),
            normalize_name(_first_given_name(status.given_names)),
            status.birth_date.isoformat() if status.birth_date else "",
        ]
    )
    return hmac.new(settings.SECRET_KEY.encode(), material.encode(), hashlib.sha256).hexdigest()


def age_on(birth_date: date | None, day: date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class Check:
    code: str
    is_alert: bool
    title: str
    details: list[str]


def _same_person_open_requests(predemande: PreDemande, dossier: Dossier, title: str) -> list[Dossier]:
    status = civil_status_of(predemande)
    if not status.birth_date:
        return []
    key = holder_key(status)
    candidates = same_person_candidates(birth_date=status.birth_date, dossier=dossier, title=title)
    return [c.dossier for c in candidates if holder_key(civil_status_of(c.predemande)) == key]


def same_person_candidates(*, birth_date: date, dossier: Dossier, title: str) -> QuerySet[PreDemandeTitle]:
    """Open requests of `title` whose pré-demande gives this birth date (the index `predemande_birth_date`), other
    than `dossier`; the caller keeps those whose holder key matches."""
    return (
        PreDemandeTitle.objects.filter(
            title=title,
            predemande__data__civil_status__birth_date=birth_date.isoformat(),
            dossier__status__in=OPEN_REQUEST_STATUSES,
        )
        .exclude(dossier=dossier)
        .select_related("predemande", "dossier")
    )


def _mismatches(predemande: PreDemande, identity: Any) -> list[str]:
    if identity is None:
        return []
    declared = civil_status_of(predemande)
    problems = []
    if normalize_name(identity.family_name) != normalize_name(declared.family_name):
        problems.append(_("Nom de naissance différent de l'identité vérifiée."))
    if normalize_name(_first_given_name(identity.given_name)) != normalize_name(
        _first_given_name(declared.given_names)
    ):
        problems.append(_("Premier prénom différent de l'identité vérifiée."))
    if identity.birthdate and declared.birth_date and identity.birthdate != declared.birth_date:
        problems.append(_("Date de naissance différente de l'identité vérifiée."))
    if (
        identity.birthplace_code
        and declared.birth_commune_code
        and identity.birthplace_code != declared.birth_commune_code
    ):
        problems.append(_("Commune de naissance différente de l'identité vérifiée."))
    return problems


def instruction_checks_link(*, dossier: Dossier, **annotations: Any) -> PreDemandeTitle | None:
    """The dossier's pré-demande link as `instruction_checks` needs it: the pré-demande, its lodging place and the
    applicant's verified identity (`link.applicant_identity`, None if none) come in the same query, with the
    caller's `annotations` (whatever else its page shows)."""
    link = (
        PreDemandeTitle.objects.filter(dossier=dossier)
        .select_related("predemande__lodged_at_place", "dossier__applicant__verified_identity")
        .annotate(**annotations)
        .first()
    )
    if link is not None:
        applicant = link.dossier.applicant
        try:
            link.applicant_identity = applicant.verified_identity  # type: ignore[attr-defined]
        except ObjectDoesNotExist:
            link.applicant_identity = None  # type: ignore[attr-defined]
    return link


def instruction_checks(*, dossier: Dossier, link: PreDemandeTitle | None = None) -> list[Check]:
    """What the instructor must look at before deciding. Empty for dossiers that are not CNI or passport.

    `link` is `instruction_checks_link(dossier=dossier)` when the caller already has it (3 queries in all, else 4)."""
    if link is None:
        link = instruction_checks_link(dossier=dossier)
    if link is None:
        return []
    predemande = link.predemande
    checks: list[Check] = []

    others = _same_person_open_requests(predemande, dossier, link.title)
    checks.append(
        Check(
            code="other_open_request",
            is_alert=bool(others),
            title=_("Autre demande en cours pour la même personne")
            if others
            else _("Aucune autre demande en cours de ce titre pour la même personne"),
            details=[
                _("Dossier %(reference)s — %(status)s")
                % {"reference": other.display_reference, "status": Status(other.status).label}
                for other in others
            ],
        )
    )

    status = civil_status_of(predemande)
    invalidated = list(invalidated_titles_of(holder_key=holder_key(status))) if status.birth_date else []
    checks.append(
        Check(
            code="title_declared_lost_or_stolen",
            is_alert=bool(invalidated),
            title=_("Titre précédent déclaré perdu ou volé")
            if invalidated
            else _("Aucun titre déclaré perdu ou volé pour cette personne"),
            details=[
                _("%(title)s invalidé le %(date)s (%(reason)s)")
                % {
                    "title": record.title_kind,
                    "date": record.recorded_at.strftime("%d/%m/%Y"),
                    "reason": record.get_reason_display(),
                }
                for record in invalidated
            ],
        )
    )

    identity = (
        link.__dict__["applicant_identity"]
        if "applicant_identity" in link.__dict__
        else verified_identity_of(user=dossier.applicant)
    )
    mismatches = _mismatches(predemande, identity)
    has_identity = identity is not None
    checks.append(
        Check(
            code="civil_status_mismatch",
            is_alert=bool(mismatches),
            title=_("Écarts d'état civil avec l'identité vérifiée")
            if mismatches
            else (
                _("État civil conforme à l'identité vérifiée")
                if has_identity
                else _("Pas d'identité vérifiée à comparer (FranceConnect ou face à face)")
            ),
            details=mismatches,
        )
    )
    if not status.is_complete:
        checks.append(
            Check(
                code="civil_status_incomplete",
                is_alert=True,
                title=_("État civil incomplet dans la pré-demande"),
                details=[],
            )
        )
    return checks


_UNREAD: Any = object()

LOSS_OR_THEFT = {Motive.LOSS: InvalidationReason.LOSS, Motive.THEFT: InvalidationReason.THEFT}


@transaction.atomic
def identity_dossier_decide(
    *,
    dossier: Dossier,
    actor: Any,
    decision: str,
    motive_code: str,
    comment: str = "",
    motives: Sequence[DecisionMotive] | None = None,
) -> Dossier:
    """The instructor's decision on a CNI or passport. A loss or theft declared in the pré-demande makes the
    previous title invalid for ever, whatever the decision on the new one. `motives`: see `dossier_decide`."""
    # Read before the decision, whose journal entry locks the audit chain until this transaction commits.
    link = PreDemandeTitle.objects.select_related("predemande").filter(dossier=dossier).first()
    decided = dossier_decide(
        dossier=dossier, actor=actor, decision=decision, motive_code=motive_code, comment=comment, motives=motives
    )
    previous_title_invalidate_if_declared(dossier=decided, actor=actor, link=link)
    return decided


def previous_title_invalidate_if_declared(*, dossier: Dossier, actor: Any, link: Any = _UNREAD) -> None:
    """Records the previous title as invalid for ever when the pré-demande declared it lost or stolen; called at
    the decision and again at production start (a decision taken on the generic page), idempotently. `link`: the
    dossier's `PreDemandeTitle` with its pré-demande (or None) when the caller read it already."""
    if link is _UNREAD:
        link = PreDemandeTitle.objects.select_related("predemande").filter(dossier=dossier).first()
    if link is None or link.predemande.motive not in LOSS_OR_THEFT:
        return
    previous = ((link.predemande.data or {}).get(PREVIOUS_TITLES) or {}).get(link.title) or {}
    invalidated_title_record(
        dossier=dossier,
        title_kind=link.title,
        holder_key=holder_key(civil_status_of(link.predemande)),
        reason=LOSS_OR_THEFT[Motive(link.predemande.motive)],
        actor=actor,
        document_number=str(previous.get("number", "")) if isinstance(previous, dict) else "",
    )
