"""The counter session: open it, capture the biometrics, lodge the requests."""

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit.models import AuditAction
from guichet.core import references
from guichet.core.exceptions import InvalidInput
from guichet.core.regulated import regulated_value
from guichet.dossiers.models import AccessRole, Dossier
from guichet.dossiers.services import AccessAlreadyGranted, dossier_access_grant, dossier_transition
from guichet.instruction.services import dossier_status_notify
from guichet.territory.models import Place

from ..checks import age_on, civil_status_of
from ..collection_device import CollectionDevice, capture_all, collection_device
from ..models import CoordinationStatus, CounterSession, CounterSessionStatus, PreDemande, PreDemandeTitle
from ..predemande import predemande_appointments_settle
from ..predemande.common import predemande_audit_record
from .common import STAMP_FORMAT, CounterError, _agent_actor, _check_agent_place
from .retrieval import _stamp_consume, counter_checklist, counter_fee_due_cents, predemande_for_counter


@transaction.atomic
def counter_session_open(*, predemande: PreDemande, agent: Any, place: Place) -> CounterSession:
    """Starts (or resumes) the agent's work on this pré-demande at this mairie; journals the agent's access."""
    _check_agent_place(agent, place)
    session = CounterSession.objects.filter(
        predemande=predemande, place=place, status=CounterSessionStatus.OPEN
    ).first()
    if session is None:
        session = CounterSession.objects.create(predemande=predemande, place=place, agent=agent)
    predemande_audit_record(
        predemande=predemande,
        action=AuditAction.DOSSIER_VIEWED,
        who=_agent_actor(agent, place, predemande.applicant_id),
        data={"at": "counter"},
    )
    return session


def counter_session_record_view(*, session: CounterSession, agent: Any, page: str) -> None:
    """Journals an agent reading a counter page (the applicant's civil status is on it), in each dossier's
    journal: the applicant sees the mairie's access in "who accessed my dossier"."""
    predemande = session.predemande
    predemande_audit_record(
        predemande=predemande,
        action=AuditAction.DOSSIER_VIEWED,
        who=_agent_actor(agent, session.place, predemande.applicant_id),
        object_type="counter_session",
        object_id=session.pk,
        data={"at": "counter", "page": page},
    )


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
    predemande_audit_record(
        predemande=locked.predemande,
        action=AuditAction.DOSSIER_CHANGED,
        who=_agent_actor(agent, locked.place, locked.predemande.applicant_id),
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
        _stamp_consume(
            number=number,
            amount_cents=due,
            dossier=link.dossier,
            actor=agent,
            who=_agent_actor(agent, locked.place, predemande.applicant_id),
        )
        locked.stamp_number_last4 = number[-4:]

    receipt = new_receipt_number()
    predemande.status = CoordinationStatus.CONSUMED
    predemande.consumed_at = now
    predemande.lodged_at_place = locked.place
    predemande.counter_receipt_number = receipt
    predemande.save(update_fields=["status", "consumed_at", "lodged_at_place", "counter_receipt_number", "updated_at"])
    predemande_audit_record(
        predemande=predemande,
        action=AuditAction.DOSSIER_CHANGED,
        who=_agent_actor(agent, locked.place, predemande.applicant_id),
        data={"change": "predemande_consumed", "place_id": locked.place_id, "paper": locked.is_paper_form},
    )
    # The appointment taken for this number is now attended; others still to come free their slots.
    predemande_appointments_settle(predemande=predemande, place=locked.place, actor=agent, now=now)

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
