"""The mairie counter (recueil): retrieve the pré-demande, check originals, stamp, capture, lodge.

The originals to check and the fees due come from the pré-demande itself (`predemande_checklist`,
`predemande_fees`); stamps are consumed through the payments service, which is safe under concurrency.
"""

import contextlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import RoleAssignment, User
from guichet.accounts.roles import Role
from guichet.audit.models import AuditAction
from guichet.audit.services import Actor as AuditActor
from guichet.audit.services import audit_record
from guichet.core import references
from guichet.core.exceptions import DomainError, InvalidInput, ObjectNotFound, PermissionDenied
from guichet.core.regulated import regulated_value
from guichet.dossiers.models import AccessRole, Dossier
from guichet.dossiers.services import AccessAlreadyGranted, dossier_access_grant, dossier_create, dossier_transition
from guichet.instruction.services import dossier_status_notify
from guichet.payments.services import stamp_consume
from guichet.territory.models import Place, PlaceKind

from .checklist import ChecklistItem
from .checks import age_on, civil_status_of
from .collection_device import CollectionDevice, capture_all, collection_device
from .models import (
    CoordinationStatus,
    CounterSession,
    CounterSessionStatus,
    Motive,
    PreDemande,
    PreDemandeTitle,
    Title,
)
from .predemande import CIVIL_STATUS, predemande_checklist, predemande_fees

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


# --- retrieving the pré-demande -------------------------------------------------------------------------------


def predemande_number_parse(raw: str) -> str:
    """What the agent typed or the scanner read (the QR code holds the number) → the 10-character number."""
    text = (raw or "").strip()
    # A scanner may read a URL or a labelled payload: the number is its last 10-character block.
    candidates = re.findall(r"(?<![A-Za-z0-9])[A-Za-z0-9]{10}$", text) if re.search(r"[/:=]", text) else []
    number = references.normalize(text)
    if not NUMBER_FORMAT.match(number) and candidates:
        number = references.normalize(candidates[-1])
    if not NUMBER_FORMAT.match(number):
        raise InvalidInput(
            _(
                "Ce numéro de pré-demande n'est pas valide : il compte 10 caractères, lettres et chiffres "
                "(par exemple 7KQ2 M9XD F4). Vérifiez la saisie."
            ),
            code="predemande_number_malformed",
        )
    return number


def predemande_for_counter(*, raw_number: str, today: date | None = None) -> PreDemande:
    """The pré-demande ready to be lodged, or an error saying in plain words why it cannot be."""
    number = predemande_number_parse(raw_number)
    today = today or timezone.localdate()
    predemande = PreDemande.objects.filter(number=number).select_related("lodged_at_place").first()
    if predemande is None:
        raise ObjectNotFound(
            _("Aucune pré-demande ne porte le numéro %(number)s. Vérifiez la saisie avec l'usager.")
            % {"number": references.display(number)},
            code="predemande_unknown",
        )
    if predemande.status == CoordinationStatus.CONSUMED:
        where = predemande.lodged_at_place.name if predemande.lodged_at_place else _("une mairie")
        when = timezone.localtime(predemande.consumed_at).strftime("%d/%m/%Y") if predemande.consumed_at else ""
        raise CounterError(
            _("Cette pré-demande a déjà été déposée (%(where)s, le %(when)s) : elle ne peut servir qu'une fois.")
            % {"where": where, "when": when},
            code="predemande_consumed",
        )
    if predemande.status == CoordinationStatus.EXPIRED or (
        predemande.valid_until is not None and predemande.valid_until < today
    ):
        raise CounterError(
            _(
                "Cette pré-demande a expiré. L'usager doit en faire une nouvelle, ou vous pouvez saisir sa demande "
                "sur formulaire papier."
            ),
            code="predemande_expired",
        )
    if predemande.status != CoordinationStatus.VALIDATED:
        raise CounterError(
            _("Cette pré-demande n'est pas terminée : l'usager doit la compléter et la valider en ligne."),
            code="predemande_not_validated",
        )
    return predemande


# --- checklist, fees, stamps (swap points) --------------------------------------------------------------------


def counter_checklist(predemande: PreDemande) -> list[ChecklistItem]:
    """The originals the agent checks: the pré-demande's own checklist, without information-only lines and
    without the fiscal stamps (recorded separately, and checked by the stamp service)."""
    return [
        item
        for item in predemande_checklist(predemande)
        if item.is_required and not item.key.startswith("fiscal_stamp_")
    ]


def counter_fee_due_cents(predemande: PreDemande, title: str) -> int:
    """The fee of `title` as the pré-demande computed it on its request date (0: no stamp due)."""
    return next((fee.amount_cents for fee in predemande_fees(predemande) if fee.title == title), 0)


def _stamp_consume(*, number: str, amount_cents: int | None, dossier: Dossier, actor: Any) -> None:
    stamp_consume(number=number, amount_cents=amount_cents, dossier=dossier, actor=actor)


# --- the counter session --------------------------------------------------------------------------------------


def _check_agent_place(agent: Any, place: Place) -> None:
    if place not in counter_places_of(agent=agent):
        raise PermissionDenied(
            _("Vous ne pouvez recevoir des demandes que dans une mairie équipée où vous êtes agent."),
            code="not_an_agent_of_this_counter",
        )


@transaction.atomic
def counter_session_open(*, predemande: PreDemande, agent: Any, place: Place) -> CounterSession:
    """Starts (or resumes) the agent's work on this pré-demande at this mairie; journals the agent's access."""
    _check_agent_place(agent, place)
    session = CounterSession.objects.filter(
        predemande=predemande, place=place, status=CounterSessionStatus.OPEN
    ).first()
    if session is None:
        session = CounterSession.objects.create(predemande=predemande, place=place, agent=agent)
    audit_record(
        action=AuditAction.DOSSIER_VIEWED,
        actor=_agent_actor(agent, place, predemande.applicant_id),
        subject_user_id=predemande.applicant_id,
        object_type="predemande",
        object_id=predemande.pk,
        data={"at": "counter"},
    )
    return session


def fingerprints_required(predemande: PreDemande, today: date) -> bool:
    minimum = int(regulated_value("identity.fingerprints.minimum_age", on=today))
    age = age_on(civil_status_of(predemande).birth_date, today)
    return age is None or age >= minimum


@transaction.atomic
def counter_capture(
    *, session: CounterSession, agent: Any, device: CollectionDevice | None = None, today: date | None = None
) -> CounterSession:
    """Captures photo, signature and (from the legal age) fingerprints on the station; keeps ids and scores."""
    locked = CounterSession.objects.select_for_update().select_related("predemande", "place").get(pk=session.pk)
    _check_agent_place(agent, locked.place)
    if locked.status != CounterSessionStatus.OPEN:
        raise CounterError(_("Cette demande est déjà déposée."), code="counter_session_closed")
    today = today or timezone.localdate()
    result = capture_all(
        device=device or collection_device(),
        session_ref=str(locked.pk),
        with_fingerprints=fingerprints_required(locked.predemande, today),
    )
    locked.capture = result.as_record()
    locked.save(update_fields=["capture", "updated_at"])
    audit_record(
        action=AuditAction.DOSSIER_CHANGED,
        actor=_agent_actor(agent, locked.place, locked.predemande.applicant_id),
        subject_user_id=locked.predemande.applicant_id,
        object_type="counter_session",
        object_id=locked.pk,
        data={
            "change": "biometrics_captured",
            "device": result.device_id,
            "fingerprints": result.fingerprints is not None,
            "acceptable": result.is_acceptable,
        },
    )
    session.capture = locked.capture
    return locked


def new_receipt_number() -> str:
    return references.generate(12)


@dataclass(frozen=True)
class LodgingResult:
    session: CounterSession
    predemande: PreDemande
    dossiers: list[Dossier]


@transaction.atomic
def counter_lodge(
    *,
    session: CounterSession,
    agent: Any,
    checked_originals: Sequence[str],
    stamps: dict[str, str] | None = None,
    now: datetime | None = None,
) -> LodgingResult:
    """Lodges the file: every original ticked, stamps consumed, capture done → pré-demande consumed, each
    title's dossier submitted by the agent (journaled) and the applicant notified with the receipt number."""
    now = now or timezone.now()
    locked = CounterSession.objects.select_for_update().select_related("place").get(pk=session.pk)
    _check_agent_place(agent, locked.place)
    if locked.status != CounterSessionStatus.OPEN:
        raise CounterError(_("Cette demande est déjà déposée."), code="counter_session_closed")
    predemande = PreDemande.objects.select_for_update().get(pk=locked.predemande_id)
    # Checked again under lock: another counter may have lodged it meanwhile, or it expired.
    predemande_for_counter(raw_number=predemande.number, today=timezone.localdate(now))

    expected = [
        item.key for item in counter_checklist(predemande) if not (locked.is_paper_form and item.key == "predemande")
    ]
    missing = [code for code in expected if code not in set(checked_originals)]
    if missing:
        labels = [item.label for item in counter_checklist(predemande) if item.key in missing]
        raise InvalidInput(
            _("Cochez chaque original vérifié. Il manque : %(labels)s.") % {"labels": " ; ".join(labels)},
            code="originals_not_checked",
            missing=missing,
        )
    if not locked.capture:
        raise InvalidInput(_("Faites d'abord le recueil (photo, signature, empreintes)."), code="capture_missing")
    if not locked.capture.get("is_acceptable"):
        raise InvalidInput(_("Le recueil est de qualité insuffisante : recommencez-le."), code="capture_rejected")

    links = list(PreDemandeTitle.objects.filter(predemande=predemande).select_related("dossier").order_by("title"))
    if not links:
        raise CounterError(_("Cette pré-demande ne porte aucun titre."), code="predemande_without_title")
    stamps = {k: (v or "").replace(" ", "") for k, v in (stamps or {}).items()}
    used_numbers: set[str] = set()
    for link in links:
        due = counter_fee_due_cents(predemande, link.title)
        if due == 0:
            continue
        number = stamps.get(link.title, "")
        if not STAMP_FORMAT.match(number):
            raise InvalidInput(
                _("Saisissez le numéro du timbre fiscal (16 chiffres) pour : %(title)s.")
                % {"title": link.get_title_display()},
                code="stamp_required",
                title=link.title,
            )
        if number in used_numbers:
            raise InvalidInput(_("Un même timbre ne peut servir qu'une fois."), code="stamp_reused")
        used_numbers.add(number)
        _stamp_consume(number=number, amount_cents=due, dossier=link.dossier, actor=agent)
        locked.stamp_number_last4 = number[-4:]

    receipt = new_receipt_number()
    predemande.status = CoordinationStatus.CONSUMED
    predemande.consumed_at = now
    predemande.lodged_at_place = locked.place
    predemande.counter_receipt_number = receipt
    predemande.save(update_fields=["status", "consumed_at", "lodged_at_place", "counter_receipt_number", "updated_at"])
    audit_record(
        action=AuditAction.DOSSIER_CHANGED,
        actor=_agent_actor(agent, locked.place, predemande.applicant_id),
        subject_user_id=predemande.applicant_id,
        object_type="predemande",
        object_id=predemande.pk,
        data={"change": "predemande_consumed", "place_id": locked.place_id, "paper": locked.is_paper_form},
    )

    dossiers = []
    for link in links:
        dossier = link.dossier
        with contextlib.suppress(AccessAlreadyGranted):
            dossier_access_grant(
                dossier=dossier, user=agent, role=AccessRole.MAIRIE_AGENT, actor=agent, reason="recueil en mairie"
            )
        # Instruction is routed by the lodging mairie's département.
        Dossier.objects.filter(pk=dossier.pk).update(
            department=locked.place.department, commune_code=locked.place.commune_code
        )
        dossier.refresh_from_db()
        submitted = dossier_transition(
            dossier=dossier,
            name="submit",
            actor=agent,
            data={"counter_receipt": receipt, "place": locked.place.name, "paper_form": locked.is_paper_form},
        )
        dossier_status_notify(
            dossier=submitted,
            event_key=f"dossier-{submitted.pk}-lodged",
            next_step=_("conserver le récépissé n° %(receipt)s : il permet de suivre la demande.")
            % {"receipt": references.display(receipt)},
        )
        dossiers.append(submitted)

    locked.status = CounterSessionStatus.LODGED
    locked.lodged_at = now
    locked.checked_originals = sorted(set(checked_originals))
    locked.agent = agent
    locked.save(update_fields=["status", "lodged_at", "checked_originals", "stamp_number_last4", "agent", "updated_at"])
    return LodgingResult(session=locked, predemande=predemande, dossiers=dossiers)


# --- the paper path -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaperForm:
    family_name: str
    given_names: str
    birth_date: date
    titles: Sequence[str]
    motive: str
    email: str = ""
    birth_commune_code: str = ""
    mobile_phone: str = ""
    is_for_minor: bool = False


def _applicant_for_paper_form(form: PaperForm) -> tuple[User, bool]:
    email = (form.email or "").strip().lower()
    if email:
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            return existing, False
    else:
        # No e-mail: a placeholder account the person can claim later at a point numérique.
        email = f"comptoir-{secrets.token_hex(8)}@comptoir.invalid"
    user = User.objects.create_user(email=email, first_name=form.given_names[:150], last_name=form.family_name[:150])
    return user, True


@transaction.atomic
def counter_paper_start(*, form: PaperForm, agent: Any, place: Place, now: datetime | None = None) -> CounterSession:
    """No pré-demande: the agent keys the cardboard form; the citizen's account is found by e-mail or created
    (flagged as created at the counter). The result follows the same capture and lodging steps."""
    _check_agent_place(agent, place)
    now = now or timezone.now()
    today = timezone.localdate(now)
    titles = sorted(set(form.titles))
    if not titles or any(t not in Title.values for t in titles):
        raise InvalidInput(_("Choisissez au moins un titre : carte d'identité ou passeport."), code="titles_required")
    if form.motive not in Motive.values:
        raise InvalidInput(_("Choisissez le motif de la demande."), code="invalid_motive")
    if form.birth_date > today:
        raise InvalidInput(_("La date de naissance ne peut pas être dans le futur."), code="birth_date_in_future")
    if not form.family_name.strip() or not form.given_names.strip():
        raise InvalidInput(_("Le nom et les prénoms sont obligatoires."), code="civil_status_required")
    applicant, created = _applicant_for_paper_form(form)
    predemande = PreDemande.objects.create(
        applicant=applicant,
        created_by=agent,
        status=CoordinationStatus.VALIDATED,
        is_for_minor=form.is_for_minor,
        motive=form.motive,
        data={
            CIVIL_STATUS: {
                "last_name": form.family_name.strip(),
                "given_names": form.given_names.strip(),
                "birth_date": form.birth_date.isoformat(),
                "born_abroad": not form.birth_commune_code,
                "birth_commune_code": form.birth_commune_code,
            },
            "source": "paper_form",
        },
        mobile_phone=form.mobile_phone,
        validated_at=now,
        valid_until=today,
    )
    for title in titles:
        dossier = dossier_create(procedure=title, applicant=applicant, actor=agent, department=place.department)
        PreDemandeTitle.objects.create(predemande=predemande, title=title, dossier=dossier)
    session = CounterSession.objects.create(
        predemande=predemande, place=place, agent=agent, is_paper_form=True, applicant_created_at_counter=created
    )
    audit_record(
        action=AuditAction.DOSSIER_CHANGED,
        actor=_agent_actor(agent, place, applicant.pk),
        subject_user_id=applicant.pk,
        object_type="predemande",
        object_id=predemande.pk,
        data={"change": "paper_form_keyed", "account_created": created, "titles": titles},
    )
    return session
