"""Start a pré-demande, save its steps, validate it, expire it."""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.core.exceptions import InvalidInput, TransitionNotAllowed
from guichet.core.regulated import regulated_value
from guichet.dossiers.models import Dossier
from guichet.dossiers.services import dossier_create, dossier_transition
from guichet.dossiers.workflow import Status

from ..fees import age_on
from ..models import CoordinationStatus, Motive, PreDemande, PreDemandeTitle, Title
from .common import (
    CIVIL_STATUS,
    CONTACT,
    OPEN_STATUSES,
    REPRESENTATIVE_FIELDS,
    REQUIRED_STEPS,
    STEPS,
    VALIDITY_DAYS,
    MinorWithoutRepresentative,
    PreDemandeIncomplete,
    RepresentativeLink,
    _journal,
    _note,
)


def _clean_representative(representative: dict[str, Any] | None) -> dict[str, Any]:
    representative = dict(representative or {})
    if any(not str(representative.get(name) or "").strip() for name in REPRESENTATIVE_FIELDS):
        raise MinorWithoutRepresentative()
    if representative["link"] not in RepresentativeLink.values:
        raise MinorWithoutRepresentative()
    return {
        "link": representative["link"],
        "last_name": str(representative["last_name"]).strip(),
        "given_names": str(representative["given_names"]).strip(),
        "parents_separated": bool(representative.get("parents_separated", False)),
    }


@transaction.atomic
def predemande_start(
    *,
    applicant: Any,
    actor: Any,
    titles: Iterable[str],
    motive: str,
    is_for_minor: bool = False,
    representative: dict[str, Any] | None = None,
) -> PreDemande:
    """A declared pré-demande with one draft dossier per requested title.

    For a minor, `applicant` is the parent's or guardian's account and `representative` records who they are.
    """
    wanted = sorted(set(titles))
    if not wanted or any(t not in Title.values for t in wanted):
        raise InvalidInput(_("Choisissez la carte d'identité, le passeport, ou les deux."), code="invalid_titles")
    if motive not in Motive.values:
        raise InvalidInput(_("Choisissez le motif de votre demande dans la liste."), code="invalid_motive")
    data: dict[str, Any] = {}
    if is_for_minor:
        data["representative"] = _clean_representative(representative)
    today = timezone.localdate()
    predemande = PreDemande.objects.create(
        applicant=applicant,
        created_by=actor,
        is_for_minor=is_for_minor,
        motive=motive,
        data=data,
        # A draft left alone expires too: the same period as a validated one, counted from its start.
        valid_until=today + timedelta(days=int(regulated_value(VALIDITY_DAYS, on=today))),
    )
    for title in wanted:
        dossier = dossier_create(
            procedure=title, applicant=applicant, actor=actor, data={"predemande": predemande.number}
        )
        PreDemandeTitle.objects.create(predemande=predemande, title=title, dossier=dossier)
    _journal(
        predemande=predemande,
        actor=actor,
        change="predemande_started",
        titles=wanted,
        motive=motive,
        is_for_minor=is_for_minor,
    )
    return predemande


def _lock_declared(predemande: PreDemande) -> PreDemande:
    locked = PreDemande.objects.select_for_update().get(pk=predemande.pk)
    if locked.status != CoordinationStatus.DECLARED:
        raise TransitionNotAllowed(
            _("Cette pré-demande est déjà validée ou n'est plus utilisable : elle ne peut plus être modifiée."),
            code="predemande_not_editable",
        )
    return locked


@transaction.atomic
def predemande_save_step(*, predemande: PreDemande, step: str, values: dict[str, Any], actor: Any) -> PreDemande:
    """Stores one step's cleaned values (JSON-ready) server-side, so the draft can be resumed anywhere."""
    if step not in STEPS:
        raise InvalidInput(_("Cette étape n'existe pas."), code="unknown_step")
    locked = _lock_declared(predemande)
    if step == CONTACT:
        locked.mobile_phone = str(values.get("mobile_phone") or "")
        values = {"has_mobile_phone": bool(locked.mobile_phone)}
    locked.data = {**locked.data, step: values}
    locked.save(update_fields=["data", "mobile_phone", "updated_at"])
    _journal(predemande=locked, actor=actor, change="predemande_step_saved", step=step)
    _note(predemande=locked, actor=actor, note="predemande_step_saved", step=step)
    predemande.data, predemande.mobile_phone = locked.data, locked.mobile_phone
    return locked


def predemande_missing_steps(predemande: PreDemande) -> list[str]:
    return [step for step in REQUIRED_STEPS if step not in (predemande.data or {})]


def predemande_next_step(predemande: PreDemande) -> str | None:
    """The first step never saved (contact included), or None when every step was seen."""
    return next((step for step in STEPS if step not in (predemande.data or {})), None)


def _consistency_errors(predemande: PreDemande, today: date) -> list[str]:
    errors = []
    civil = predemande.data.get(CIVIL_STATUS) or {}
    birth = civil.get("birth_date")
    if birth:
        birth_date = date.fromisoformat(birth)
        if birth_date > today:
            errors.append(_("La date de naissance ne peut pas être dans le futur."))
        elif predemande.is_for_minor and age_on(birth_date, today) >= 18:
            errors.append(_("La personne concernée est majeure : elle doit faire sa pré-demande elle-même."))
        elif not predemande.is_for_minor and age_on(birth_date, today) < 18:
            errors.append(
                _("La personne concernée est mineure : la pré-demande doit être faite par un parent ou un tuteur.")
            )
    if predemande.is_for_minor:
        try:
            _clean_representative(predemande.data.get("representative"))
        except MinorWithoutRepresentative as error:
            errors.append(error.message)
    return errors


@transaction.atomic
def predemande_validate(*, predemande: PreDemande, actor: Any) -> PreDemande:
    """Declared → validated: the number becomes bookable until `valid_until`."""
    locked = _lock_declared(predemande)
    today = timezone.localdate()
    missing = predemande_missing_steps(locked)
    if missing:
        raise PreDemandeIncomplete(
            _("Votre pré-demande n'est pas complète : terminez d'abord toutes les étapes."), missing=missing
        )
    errors = _consistency_errors(locked, today)
    if errors:
        raise PreDemandeIncomplete(" ".join(errors), code="predemande_inconsistent")
    now = timezone.now()
    locked.status = CoordinationStatus.VALIDATED
    locked.validated_at = now
    locked.valid_until = today + timedelta(days=int(regulated_value(VALIDITY_DAYS, on=today)))
    locked.save(update_fields=["status", "validated_at", "valid_until", "updated_at"])
    _note(predemande=locked, actor=actor, note="predemande_validated", valid_until=locked.valid_until.isoformat())
    _journal(
        predemande=locked,
        actor=actor,
        change="predemande_validated",
        valid_until=locked.valid_until.isoformat(),
    )
    predemande.status, predemande.validated_at, predemande.valid_until = (
        locked.status,
        locked.validated_at,
        locked.valid_until,
    )
    return locked


def predemande_expire_overdue(*, today: date | None = None) -> int:
    """Declared or validated pré-demandes whose validity ended become expired; their draft dossiers expire too.

    Idempotent: a second run finds nothing to do. Each one is handled in its own transaction.
    """
    today = today or timezone.localdate()
    candidates = PreDemande.objects.filter(status__in=OPEN_STATUSES, valid_until__lt=today).values_list("pk", flat=True)
    expired = 0
    for pk in list(candidates):
        with transaction.atomic():
            changed = PreDemande.objects.filter(pk=pk, status__in=OPEN_STATUSES, valid_until__lt=today).update(
                status=CoordinationStatus.EXPIRED, updated_at=timezone.now()
            )
            if not changed:
                continue
            expired += 1
            predemande = PreDemande.objects.get(pk=pk)
            for dossier in Dossier.objects.filter(predemande_title__predemande=predemande, status=Status.DRAFT):
                dossier_transition(dossier=dossier, name="expire", actor=None)
            _journal(predemande=predemande, actor=None, change="predemande_expired")
    return expired
