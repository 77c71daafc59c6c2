"""Instruction services: decide with a motive, request and answer a complement, invalidate a title for ever."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit.models import AuditAction
from guichet.audit.services import SYSTEM, audit_record
from guichet.core.exceptions import AppendOnlyViolation, InvalidInput, PermissionDenied
from guichet.dossiers import registry
from guichet.dossiers.models import Dossier
from guichet.dossiers.policy import DossierPolicy
from guichet.dossiers.services import document_upload, dossier_transition
from guichet.dossiers.services.actors import audit_actor
from guichet.dossiers.workflow import Actor, Status
from guichet.notifications.models import Channel
from guichet.notifications.services import notification_enqueue

from .models import ComplementRequest, Decision, DecisionMotive, InvalidatedTitle, InvalidationReason
from .selectors import decision_motives_for

MAX_COMMENT = 1000


def _dossier_path(dossier: Dossier) -> str:
    try:
        return reverse("citizen:dossier_detail", args=[dossier.reference])
    except NoReverseMatch:  # the citizen portal is not mounted (some test URL confs)
        return ""


def dossier_status_notify(
    *, dossier: Dossier, event_key: str, next_step: str = "", reason: str = "", status: str = ""
) -> None:
    """E-mails the applicant that the dossier moved on (template `dossier_status_changed`), once per event key;
    `reason` is the decision's motive (and the instructor's details) as the applicant reads it; `status` is the
    status announced, when it is queued in the transaction that is about to set it (default: the dossier's)."""
    applicant = dossier.applicant
    if not applicant.email or applicant.email.endswith(".invalid"):
        return
    notification_enqueue(
        event_key=event_key,
        channel=Channel.EMAIL,
        recipient=applicant.email,
        template="dossier_status_changed",
        context={
            "recipient_name": applicant.get_full_name(),
            "procedure_label": str(registry.get_or_generic(dossier.procedure).label),
            "dossier_reference": dossier.display_reference,
            "status_label": str(Status(status or dossier.status).label),
            "next_step": next_step,
            "reason": reason,
            "dossier_path": _dossier_path(dossier),
        },
        recipient_user_id=applicant.pk,
    )


@transaction.atomic
def dossier_decide(
    *,
    dossier: Dossier,
    actor: Any,
    decision: str,
    motive_code: str,
    comment: str = "",
    motives: Sequence[DecisionMotive] | None = None,
) -> Dossier:
    """Accepts or refuses with a motive from the reference list plus free text the applicant reads (required
    with a motive that needs details, such as "other"). The motive is on the timeline and in the e-mail.

    `motives` is `decision_motives_for(...)` of this dossier and decision when the caller has just read it (the
    decision page offered that list); it is read here otherwise."""
    if decision not in Decision.values:
        raise InvalidInput(_("Choisissez d'accepter ou de refuser la demande."), code="invalid_decision")
    if motives is None:
        motives = decision_motives_for(procedure=dossier.procedure, decision=decision)
    motive = next((m for m in motives if m.code == motive_code), None)
    if motive is None:
        if decision == Decision.REFUSE:
            raise InvalidInput(
                _("Un refus doit être motivé : choisissez le motif du refus dans la liste."), code="invalid_motive"
            )
        raise InvalidInput(_("Choisissez le motif de la décision dans la liste."), code="invalid_motive")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(
            _("Le commentaire ne doit pas dépasser %(max)s caractères.") % {"max": MAX_COMMENT}, code="comment_too_long"
        )
    if motive.needs_details and not comment:
        raise InvalidInput(
            _("Avec le motif « %(motive)s », expliquez la décision au demandeur dans les précisions.")
            % {"motive": motive.label},
            code="motive_details_required",
        )
    reason = f"{motive.label}. {comment}".strip() if comment else motive.label
    details = {"motive": motive.code, "reason": reason}
    transition = registry.get_or_generic(dossier.procedure).transitions.transitions.get(decision)
    if transition is None:  # refused by the transition table, as it always was
        return dossier_transition(dossier=dossier, name=decision, actor=actor, data=details)
    # The e-mail is queued first: the transition journals the decision, and its journal entry holds the audit chain
    # until this transaction commits, so as little as possible should follow it. Both are in this transaction: a
    # transition refused (a colleague decided first, a status that changed) takes the e-mail back with it.
    dossier_status_notify(
        dossier=dossier, event_key=f"dossier-{dossier.pk}-decided", reason=reason, status=transition.target
    )
    return dossier_transition(dossier=dossier, name=decision, actor=actor, data=details)


@transaction.atomic
def complement_request(
    *, dossier: Dossier, actor: Any, reason: str, expected_version: int | None = None
) -> ComplementRequest:
    """The instructor asks for something more; the applicant is told what and why."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Indiquez ce qui manque : le demandeur le lira."), code="complement_reason_required")
    if len(reason) > MAX_COMMENT:
        raise InvalidInput(
            _("Le motif ne doit pas dépasser %(max)s caractères.") % {"max": MAX_COMMENT}, code="reason_too_long"
        )
    updated = dossier_transition(
        dossier=dossier,
        name="request_complement",
        actor=actor,
        data={"reason": reason},
        expected_version=expected_version,
    )
    request = ComplementRequest.objects.create(dossier=updated, reason=reason, requested_by=actor)
    dossier_status_notify(
        dossier=updated,
        event_key=f"dossier-{updated.pk}-complement-{request.pk}",
        next_step=_("répondre à la demande de complément : %(reason)s") % {"reason": reason},
    )
    return request


@transaction.atomic
def complement_answer(
    *, dossier: Dossier, actor: Any, message: str, documents: Sequence[Any] = (), expected_version: int | None = None
) -> ComplementRequest:
    """The applicant (online) or an agent or mediator acting for them answers the open complement request;
    the dossier goes back to instruction. Documents are accepted only where the procedure takes uploads."""
    message = (message or "").strip()
    if not message and not documents:
        raise InvalidInput(_("Écrivez une réponse ou joignez un document."), code="complement_answer_empty")
    if len(message) > 2000:
        raise InvalidInput(_("La réponse ne doit pas dépasser 2000 caractères."), code="answer_too_long")
    if not DossierPolicy.abilities(actor, dossier).get("provide_complement"):
        raise PermissionDenied()
    request = ComplementRequest.objects.select_for_update().filter(dossier=dossier, answered_at__isnull=True).first()
    if request is None:
        raise InvalidInput(_("Aucune demande de complément n'est en attente."), code="no_open_complement")
    procedure = registry.get_or_generic(dossier.procedure)
    document_ids: list[int] = []
    if documents:
        if not procedure.documents:
            raise InvalidInput(
                _("Cette démarche ne reçoit pas de document en ligne : apportez les originaux en mairie."),
                code="documents_not_accepted",
            )
        kind = procedure.documents[0].kind
        for uploaded in documents:
            document_ids.append(document_upload(dossier=dossier, kind=kind, uploaded_file=uploaded, actor=actor).pk)
    request.answered_at = timezone.now()
    request.answer_message = message
    request.answered_by = actor
    request.answer_document_ids = document_ids
    request.save(update_fields=["answered_at", "answer_message", "answered_by", "answer_document_ids", "updated_at"])
    dossier_transition(
        dossier=dossier,
        name="provide_complement",
        actor=actor,
        data={"complement_request": request.pk},
        expected_version=expected_version,
    )
    return request


def _reason_of(raw: str) -> InvalidationReason:
    try:
        return InvalidationReason(raw)
    except ValueError:
        raise InvalidInput(_("Seules une perte ou un vol invalident un titre."), code="invalid_invalidation") from None


@transaction.atomic
def invalidated_title_record(
    *, dossier: Dossier, title_kind: str, holder_key: str, reason: str, actor: Any, document_number: str = ""
) -> InvalidatedTitle:
    """Records, for ever, that the previous title was declared lost or stolen. Recording twice for the same
    dossier returns the first record; nothing can undo it."""
    why = _reason_of(reason)
    existing = InvalidatedTitle.objects.filter(dossier=dossier, title_kind=title_kind).first()
    if existing is not None:
        return existing
    record = InvalidatedTitle.objects.create(
        title_kind=title_kind,
        document_number=document_number[:20],
        holder_key=holder_key,
        reason=why,
        dossier=dossier,
        recorded_at=timezone.now(),
        recorded_by=actor,
    )
    who = SYSTEM
    if actor is not None:
        who = audit_actor(actor, Actor.INSTRUCTOR, dossier)
    audit_record(
        action=AuditAction.DOSSIER_CHANGED,
        actor=who,
        dossier_id=dossier.pk,
        subject_user_id=dossier.applicant_id,
        object_type="invalidated_title",
        object_id=record.pk,
        data={"change": "previous_title_invalidated", "title": title_kind, "reason": why.value},
    )
    return record


def invalidated_title_undeclare(*, record: InvalidatedTitle, actor: Any) -> None:
    """There is no way back from a loss or theft declaration: always refused (the found title goes to a préfecture)."""
    raise AppendOnlyViolation(
        _(
            "Une déclaration de perte ou de vol est définitive : le titre reste invalidé. "
            "Un titre retrouvé doit être remis en préfecture."
        ),
        code="invalidation_irreversible",
    )


__all__ = [
    "DecisionMotive",
    "complement_answer",
    "complement_request",
    "dossier_decide",
    "dossier_status_notify",
    "invalidated_title_record",
    "invalidated_title_undeclare",
]
