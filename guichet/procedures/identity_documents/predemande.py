"""Pré-demande services: start one, save its steps, validate it, expire it; attach fiscal stamps.

Reading helpers (who may see a pré-demande, its checklist and fees) sit at the end and never write.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.audit.models import AuditAction
from guichet.audit.services import SYSTEM, audit_record
from guichet.core import references
from guichet.core.exceptions import InvalidInput, TransitionNotAllowed
from guichet.core.regulated import regulated_value
from guichet.dossiers.models import Dossier, EventKind
from guichet.dossiers.policy import CITIZEN_CAPACITIES, DossierPolicy
from guichet.dossiers.services import dossier_create, dossier_transition
from guichet.dossiers.services.actors import account_agent_role, audit_actor, event_record
from guichet.dossiers.workflow import Actor, Status
from guichet.payments.models import FiscalStamp
from guichet.payments.services import stamp_purchase, stamp_refund, stamp_register_external

from .checklist import RULES_KEY, ChecklistCase, ChecklistItem, ChecklistRules, HeldTitle, build_checklist
from .fees import Fee, age_on, department_of_commune, fee_due
from .models import CoordinationStatus, Motive, PreDemande, PreDemandeTitle, Title

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
    for dossier in Dossier.objects.filter(predemande_title__predemande=locked).order_by("pk"):
        event_record(
            dossier=dossier,
            kind=EventKind.NOTE,
            actor=_who(actor, locked, dossier),
            data={"note": "predemande_validated", "valid_until": locked.valid_until.isoformat()},
        )
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


# --- fiscal stamps -------------------------------------------------------------------------------------------------


def _fee_for(predemande: PreDemande, title: str) -> Fee:
    fees = {fee.title: fee for fee in predemande_fees(predemande)}
    if title not in fees:
        raise InvalidInput(_("Ce titre ne fait pas partie de cette pré-demande."), code="title_not_requested")
    if not fees[title].is_due:
        raise InvalidInput(_("Aucun timbre fiscal n'est dû pour ce titre."), code="no_fee_due")
    if (predemande.data.get("stamps") or {}).get(title):
        raise InvalidInput(_("Un timbre est déjà enregistré pour ce titre."), code="stamp_already_attached")
    return fees[title]


def _attach(predemande: PreDemande, title: str, stamp: FiscalStamp, actor: Any) -> PreDemande:
    locked = PreDemande.objects.select_for_update().get(pk=predemande.pk)
    stamps = dict(locked.data.get("stamps") or {})
    stamps[title] = stamp.number
    locked.data = {**locked.data, "stamps": stamps}
    locked.save(update_fields=["data", "updated_at"])
    predemande.data = locked.data
    _journal(predemande=locked, actor=actor, change="stamp_attached", title=title, stamp_end=stamp.number[-4:])
    return locked


@transaction.atomic
def predemande_stamp_buy(*, predemande: PreDemande, title: str, actor: Any) -> FiscalStamp:
    if predemande.status not in OPEN_STATUSES:
        raise TransitionNotAllowed(_("Cette pré-demande n'est plus utilisable."), code="predemande_closed")
    fee = _fee_for(predemande, title)
    stamp = stamp_purchase(amount_cents=fee.amount_cents, actor=actor)
    _attach(predemande, title, stamp, actor)
    return stamp


@transaction.atomic
def predemande_stamp_enter(*, predemande: PreDemande, title: str, number: str, actor: Any) -> FiscalStamp:
    """A stamp bought elsewhere: the provider checks it exists, is unused, unexpired and of the amount due."""
    if predemande.status not in OPEN_STATUSES:
        raise TransitionNotAllowed(_("Cette pré-demande n'est plus utilisable."), code="predemande_closed")
    fee = _fee_for(predemande, title)
    stamp = stamp_register_external(number=number, amount_cents=fee.amount_cents, actor=actor)
    others = PreDemande.objects.exclude(pk=predemande.pk).filter(
        Q(data__stamps__cni=stamp.number) | Q(data__stamps__passeport=stamp.number)
    )
    if others.exists() or stamp.number in (predemande.data.get("stamps") or {}).values():
        raise InvalidInput(
            _("Ce timbre est déjà rattaché à une autre demande : un timbre ne sert qu'une fois."),
            code="stamp_already_attached",
        )
    _attach(predemande, title, stamp, actor)
    return stamp


@transaction.atomic
def predemande_stamp_refund(*, predemande: PreDemande, title: str, actor: Any) -> FiscalStamp:
    number = (predemande.data.get("stamps") or {}).get(title)
    stamp = FiscalStamp.objects.filter(number=number).first() if number else None
    if stamp is None:
        raise InvalidInput(_("Aucun timbre n'est enregistré pour ce titre."), code="no_stamp")
    refunded = stamp_refund(stamp=stamp, actor=actor)
    locked = PreDemande.objects.select_for_update().get(pk=predemande.pk)
    stamps = {k: v for k, v in (locked.data.get("stamps") or {}).items() if k != title}
    locked.data = {**locked.data, "stamps": stamps}
    locked.save(update_fields=["data", "updated_at"])
    predemande.data = locked.data
    _journal(predemande=locked, actor=actor, change="stamp_detached", title=title)
    return refunded


# --- reading -------------------------------------------------------------------------------------------------------


def predemande_for_citizen(*, user: Any, number: str) -> PreDemande | None:
    """The pré-demande if `user` is its applicant, who started it, or a representative of one of its dossiers."""
    if user is None or not user.is_authenticated:
        return None
    predemande = PreDemande.objects.filter(number=references.normalize(number)).first()
    if predemande is None:
        return None
    if user.pk in (predemande.applicant_id, predemande.created_by_id):
        return predemande
    for link in predemande.titles.select_related("dossier"):
        if DossierPolicy.dossier_roles(user, link.dossier, capacities=CITIZEN_CAPACITIES):
            return predemande
    return None


def predemande_titles(predemande: PreDemande) -> list[str]:
    return sorted(predemande.titles.values_list("title", flat=True))


def predemande_request_date(predemande: PreDemande) -> date:
    return timezone.localdate(predemande.validated_at) if predemande.validated_at else timezone.localdate()


def predemande_fees(predemande: PreDemande, *, on: date | None = None) -> list[Fee]:
    on = on or predemande_request_date(predemande)
    birth = (predemande.data.get(CIVIL_STATUS) or {}).get("birth_date")
    if not birth:
        return []
    department = department_of_commune((predemande.data.get(ADDRESS) or {}).get("commune_code", ""))
    return [
        fee_due(
            title=title,
            motive=predemande.motive,
            birth_date=date.fromisoformat(birth),
            on=on,
            department_code=department,
        )
        for title in predemande_titles(predemande)
    ]


def _held_titles(predemande: PreDemande, requested: list[str]) -> tuple[HeldTitle, ...]:
    previous = predemande.data.get(PREVIOUS_TITLES) or {}
    held = []
    lost = predemande.motive in (Motive.LOSS, Motive.THEFT)
    for kind in (Title.CNI, Title.PASSPORT):
        entry = previous.get(kind) or {}
        if not (entry.get("number") or entry.get("issued_on") or entry.get("expires_on")):
            continue
        held.append(
            HeldTitle(
                kind=kind,
                issued_on=date.fromisoformat(entry["issued_on"]) if entry.get("issued_on") else None,
                expires_on=date.fromisoformat(entry["expires_on"]) if entry.get("expires_on") else None,
                is_lost_or_stolen=lost and kind in requested,
            )
        )
    return tuple(held)


def birth_commune_is_connected(commune_code: str, *, on: date) -> bool:
    return bool(commune_code) and commune_code in regulated_value(CONNECTED_COMMUNES, on=on)


def predemande_checklist(predemande: PreDemande, *, on: date | None = None) -> list[ChecklistItem]:
    on = on or predemande_request_date(predemande)
    civil = predemande.data.get(CIVIL_STATUS) or {}
    representative = predemande.data.get("representative") or {}
    requested = predemande_titles(predemande)
    case = ChecklistCase(
        titles=frozenset(requested),
        motive=predemande.motive,
        on=on,
        is_minor=predemande.is_for_minor,
        born_abroad=bool(civil.get("born_abroad")),
        birth_commune_connected=birth_commune_is_connected(civil.get("birth_commune_code", ""), on=on),
        held_titles=_held_titles(predemande, requested),
        fees_cents={fee.title: fee.amount_cents for fee in predemande_fees(predemande, on=on)},
        representative_link=representative.get("link", ""),
        parents_separated=bool(representative.get("parents_separated")),
    )
    return build_checklist(case, ChecklistRules.from_value(regulated_value(RULES_KEY, on=on)))


def predemande_stamps(predemande: PreDemande) -> dict[str, FiscalStamp]:
    numbers = predemande.data.get("stamps") or {}
    by_number = {s.number: s for s in FiscalStamp.objects.filter(number__in=list(numbers.values()))}
    return {title: by_number[n] for title, n in numbers.items() if n in by_number}


def predemande_for_dossier(*, dossier: Dossier) -> PreDemande | None:
    link = PreDemandeTitle.objects.filter(dossier=dossier).select_related("predemande").first()
    return link.predemande if link else None
