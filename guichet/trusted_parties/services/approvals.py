"""Decisions on approvals by the préfecture admin of the approval's département; each is journaled with its reason
(audit journal + the approval's own append-only history)."""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import RoleAssignment, User
from guichet.accounts.roles import Role
from guichet.accounts.services import actor_of
from guichet.audit.services import audit_record
from guichet.core.exceptions import InvalidInput, PermissionDenied
from guichet.territory.models import Place

from ..identifiers import approval_number_check, siret_check
from ..models import Approval, ApprovalEvent, ApprovalEventKind, ApprovalStatus
from ..operations import OPERATIONS_BY_KIND, TRUSTED_PARTY_KINDS
from ..workflow import APPROVAL_LIFECYCLE
from .clients import client_accesses_close

REASON_MIN_LENGTH = 5


def is_prefecture_admin_of(*, user: User, department_code: str) -> bool:
    return RoleAssignment.objects.filter(
        user=user, role=Role.PREFECTURE_ADMIN, department_id=department_code, revoked_at__isnull=True
    ).exists()


def _require_admin_of(*, actor: User, place: Place) -> None:
    if not is_prefecture_admin_of(user=actor, department_code=place.department_id):
        raise PermissionDenied(_("Seule la préfecture du département de l'établissement peut décider de son agrément."))


def _reason_checked(reason: str) -> str:
    text = (reason or "").strip()
    if len(text) < REASON_MIN_LENGTH:
        raise InvalidInput(
            _("Indiquez le motif de la décision (quelques mots au moins) : il est conservé dans l'historique."),
            code="reason_missing",
        )
    return text


def _operations_checked(*, kind: str, operations: list[str]) -> list[str]:
    allowed = OPERATIONS_BY_KIND.get(kind, ())
    unknown = sorted(set(operations) - set(allowed))
    if unknown:
        raise InvalidInput(
            _("Opérations inconnues pour ce type d'établissement : %(values)s.") % {"values": ", ".join(unknown)},
            code="operation_unknown",
        )
    if not operations:
        raise InvalidInput(_("Cochez au moins une opération autorisée."), code="operations_missing")
    return [value for value in allowed if value in operations]


def _period_checked(*, valid_from: date, valid_until: date) -> None:
    if valid_until < valid_from:
        raise InvalidInput(
            _("La date de fin de validité doit être postérieure à la date de début."), code="period_reversed"
        )


def _record(
    *, approval: Approval, kind: str, from_status: str, reason: str, actor: User, data: dict[str, Any]
) -> ApprovalEvent:
    now = timezone.now()
    event = ApprovalEvent.objects.create(
        approval=approval,
        kind=kind,
        from_status=from_status,
        to_status=approval.status,
        reason=reason,
        actor=actor,
        created_at=now,
        data=data,
    )
    audit_record(
        action=f"approval_{kind}",
        actor=actor_of(actor),
        object_type="approval",
        object_id=approval.pk,
        data={
            "place_id": approval.place_id,
            "department": approval.place.department_id,
            "from": from_status,
            "to": approval.status,
            **data,
        },
    )
    return event


@transaction.atomic
def approval_grant(
    *,
    place: Place,
    number: str,
    holder_name: str,
    holder_siret: str,
    operations: list[str],
    valid_from: date,
    valid_until: date,
    reason: str,
    actor: User,
) -> Approval:
    """Records a new agrément or habilitation for a driving school or car professional of the admin's département."""
    _require_admin_of(actor=actor, place=place)
    if place.kind not in TRUSTED_PARTY_KINDS:
        raise InvalidInput(
            _("Seules les écoles de conduite et les professionnels de l'automobile reçoivent un agrément."),
            code="place_kind_not_approvable",
        )
    number = approval_number_check(raw=number, kind=place.kind, department_code=place.department_id)
    siret = siret_check(holder_siret)
    if not holder_name.strip():
        raise InvalidInput(_("Indiquez la raison sociale du titulaire."), code="holder_name_missing")
    _period_checked(valid_from=valid_from, valid_until=valid_until)
    reason = _reason_checked(reason)
    if Approval.objects.filter(number=number).exists():
        raise InvalidInput(_("Ce numéro est déjà attribué à un autre agrément."), code="approval_number_taken")
    if Approval.objects.filter(place=place).exclude(status=ApprovalStatus.REVOKED).exists():
        raise InvalidInput(
            _("Cet établissement a déjà un agrément : renouvelez-le ou retirez-le avant d'en délivrer un autre."),
            code="approval_already_live",
        )
    approval = Approval(
        kind=place.kind,
        number=number,
        place=place,
        holder_name=holder_name.strip(),
        holder_siret=siret,
        operations=_operations_checked(kind=place.kind, operations=operations),
        valid_from=valid_from,
        valid_until=valid_until,
        status=ApprovalStatus.GRANTED,
        status_changed_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            approval.save()
    except IntegrityError as error:  # a concurrent grant took the number or the place first
        raise InvalidInput(
            _("Ce numéro ou cet établissement vient d'être enregistré par ailleurs : rechargez la page."),
            code="approval_conflict",
        ) from error
    _record(
        approval=approval,
        kind=ApprovalEventKind.GRANTED,
        from_status="",
        reason=reason,
        actor=actor,
        data={
            "number": number,
            "operations": approval.operations,
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat(),
        },
    )
    return approval


def _transition(*, approval: Approval, name: str, reason: str, actor: User, data: dict[str, Any]) -> Approval:
    approval = Approval.objects.select_for_update().select_related("place").get(pk=approval.pk)
    _require_admin_of(actor=actor, place=approval.place)
    transition = APPROVAL_LIFECYCLE.check(name, current=approval.status, roles={Role.PREFECTURE_ADMIN})
    reason = _reason_checked(reason)
    from_status = approval.status
    approval.status = transition.target
    approval.status_changed_at = timezone.now()
    approval.save()
    _record(approval=approval, kind=name, from_status=from_status, reason=reason, actor=actor, data=data)
    return approval


@transaction.atomic
def approval_suspend(*, approval: Approval, reason: str, actor: User) -> Approval:
    """From now on the organisation's staff and API tokens are refused, until the suspension is lifted; the client
    dossiers its staff had open are closed to them (reopened under the mandates once the suspension is lifted)."""
    suspended = _transition(approval=approval, name=ApprovalEventKind.SUSPENDED, reason=reason, actor=actor, data={})
    client_accesses_close(place=suspended.place, actor=actor, reason=_("agrément suspendu"))
    return suspended


@transaction.atomic
def approval_reinstate(*, approval: Approval, reason: str, actor: User) -> Approval:
    return _transition(approval=approval, name=ApprovalEventKind.REINSTATED, reason=reason, actor=actor, data={})


@transaction.atomic
def approval_revoke(*, approval: Approval, reason: str, actor: User) -> Approval:
    """Final: the number stays taken, the place may later receive a new approval. Client dossiers close at once."""
    revoked = _transition(approval=approval, name=ApprovalEventKind.REVOKED, reason=reason, actor=actor, data={})
    client_accesses_close(place=revoked.place, actor=actor, reason=_("agrément retiré"))
    return revoked


@transaction.atomic
def approval_renew(
    *, approval: Approval, valid_until: date, reason: str, actor: User, operations: list[str] | None = None
) -> Approval:
    """Extends the validity (an expired approval comes back into force) and may change the operations."""
    current = Approval.objects.select_related("place").get(pk=approval.pk)
    _require_admin_of(actor=actor, place=current.place)
    if valid_until <= current.valid_until:
        raise InvalidInput(
            _("La nouvelle date de fin doit être postérieure à l'actuelle (%(date)s).")
            % {"date": current.valid_until.strftime("%d/%m/%Y")},
            code="renewal_not_later",
        )
    new_operations = (
        current.operations if operations is None else _operations_checked(kind=current.kind, operations=operations)
    )
    data = {
        "valid_until_before": current.valid_until.isoformat(),
        "valid_until": valid_until.isoformat(),
        "operations_before": current.operations,
        "operations": new_operations,
    }
    renewed = _transition(approval=current, name=ApprovalEventKind.RENEWED, reason=reason, actor=actor, data=data)
    renewed.valid_until = valid_until
    renewed.operations = new_operations
    renewed.save(update_fields=["valid_until", "operations", "updated_at"])
    return renewed
