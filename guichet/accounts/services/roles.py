"""Roles and identity checks."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit.models import AuditAction
from guichet.audit.services import audit_record
from guichet.core.exceptions import InvalidInput, PermissionDenied
from guichet.territory.models import Department, Place

from ..errors import RoleScopeMismatch
from ..models import (
    IdentityAssurance,
    IdentityDocumentType,
    RoleAssignment,
    User,
    VerifiedIdentity,
)
from ..roles import ROLE_PLACE_KINDS, ROLES_SCOPED_TO_DEPARTMENT, ROLES_WITHOUT_SCOPE, Role
from ..selectors import forget_cached_roles, roles_of
from .common import actor_of


def _check_role_scope(*, role: str, place: Place | None, department: Department | None) -> None:
    if role == Role.CITIZEN:
        raise RoleScopeMismatch(_("Tout compte est usager : ce rôle ne s'attribue pas."), code="role_not_grantable")
    if role in ROLES_SCOPED_TO_DEPARTMENT:
        if department is None or place is not None:
            raise RoleScopeMismatch(_("Ce rôle se rattache à un département, et à lui seul."))
        return
    if role in ROLES_WITHOUT_SCOPE:
        if department is not None or place is not None:
            raise RoleScopeMismatch(_("Ce rôle ne se rattache à aucun lieu ni territoire."))
        return
    allowed_kinds = ROLE_PLACE_KINDS.get(role)
    if allowed_kinds is None:
        raise RoleScopeMismatch(_("Ce rôle n'existe pas."), code="role_unknown")
    if place is None or department is not None:
        raise RoleScopeMismatch(_("Ce rôle se rattache à un lieu, et à lui seul."))
    if place.kind not in allowed_kinds:
        raise RoleScopeMismatch(
            _("Ce rôle ne peut pas être rattaché à un lieu de type « %(kind)s ».") % {"kind": place.get_kind_display()}
        )


def _require_platform_or_prefecture_admin(
    *, actor: User, role: str, place: Place | None, department: Department | None
):
    actor_roles = roles_of(user=actor)
    if Role.PLATFORM_ADMIN in actor_roles or actor.is_superuser:
        return
    if Role.PREFECTURE_ADMIN in actor_roles and role not in {Role.PLATFORM_ADMIN, Role.PREFECTURE_ADMIN}:
        scope_department_id = place.department_id if place else (department.pk if department else None)
        if RoleAssignment.objects.filter(
            user=actor, role=Role.PREFECTURE_ADMIN, department_id=scope_department_id, revoked_at__isnull=True
        ).exists():
            return
    raise PermissionDenied(_("Vous ne pouvez pas attribuer ou retirer ce rôle."))


@transaction.atomic
def role_grant(
    *, user: User, role: str, place: Place | None = None, department: Department | None = None, actor: User
) -> RoleAssignment:
    """Gives a role scoped to its place or département. Platform admins grant any role; a préfecture admin
    grants place-bound roles within its département."""
    _check_role_scope(role=role, place=place, department=department)
    _require_platform_or_prefecture_admin(actor=actor, role=role, place=place, department=department)
    existing = RoleAssignment.objects.filter(
        user=user, role=role, place=place, department=department, revoked_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    assignment = RoleAssignment.objects.create(
        user=user, role=role, place=place, department=department, granted_by=actor
    )
    forget_cached_roles(user=user)
    audit_record(
        action=AuditAction.ROLE_GRANTED,
        actor=actor_of(actor),
        subject_user_id=user.pk,
        object_type="role_assignment",
        object_id=assignment.pk,
        data={
            "role": role,
            "place_id": place.pk if place else None,
            "department": department.pk if department else None,
        },
    )
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, actor: User) -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.revoked_at is not None:
        raise InvalidInput(_("Ce rôle a déjà été retiré."), code="role_already_revoked")
    _require_platform_or_prefecture_admin(
        actor=actor, role=assignment.role, place=assignment.place, department=assignment.department
    )
    assignment.revoked_at = timezone.now()
    assignment.save(update_fields=["revoked_at"])
    audit_record(
        action=AuditAction.ROLE_REVOKED,
        actor=actor_of(actor),
        subject_user_id=assignment.user_id,
        object_type="role_assignment",
        object_id=assignment.pk,
        data={"role": assignment.role},
    )
    return assignment


IDENTITY_VERIFIER_ROLES = frozenset({Role.MEDIATOR, Role.MAIRIE_AGENT})


@transaction.atomic
def identity_verify_in_person(
    *,
    user: User,
    verifier: User,
    place: Place,
    document_type: str,
    given_name: str,
    family_name: str,
    birthdate: date | None = None,
) -> VerifiedIdentity:
    """Records that `verifier`, working at `place`, checked an identity document of `user` face to face."""
    if document_type not in IdentityDocumentType.values:
        raise InvalidInput(_("Type de pièce d'identité inconnu."), code="document_type_unknown")
    if not given_name.strip() or not family_name.strip():
        raise InvalidInput(_("Indiquez les prénoms et le nom lus sur la pièce."), code="identity_names_missing")
    if verifier.pk == user.pk:
        raise PermissionDenied(_("Vous ne pouvez pas vérifier votre propre identité."))
    if not RoleAssignment.objects.filter(
        user=verifier, place=place, role__in=sorted(IDENTITY_VERIFIER_ROLES), revoked_at__isnull=True
    ).exists():
        raise PermissionDenied(
            _("Seuls les médiateurs numériques et les agents de mairie peuvent vérifier une identité, dans leur lieu.")
        )
    now = timezone.now()
    identity, _created = VerifiedIdentity.objects.update_or_create(
        user=user,
        defaults={
            "source": VerifiedIdentity.Source.IN_PERSON,
            "given_name": given_name.strip(),
            "family_name": family_name.strip(),
            "birthdate": birthdate,
            "verified_at": now,
            "verified_by": verifier,
            "verified_at_place": place,
            "document_type": document_type,
        },
    )
    user.identity_assurance = IdentityAssurance.VERIFIED_IN_PERSON
    user.save(update_fields=["identity_assurance"])
    audit_record(
        action=AuditAction.IDENTITY_VERIFIED,
        actor=actor_of(verifier),
        subject_user_id=user.pk,
        object_type="verified_identity",
        object_id=identity.pk,
        data={"source": "in_person", "place_id": place.pk, "document_type": document_type},
    )
    return identity
