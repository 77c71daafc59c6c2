"""Professional organisations manage their own staff: a manager invites people by e-mail and removes them.

The invitation link carries a random token of which only a SHA-256 digest is stored; the e-mail itself is sent by
the portal after commit (like the accounts' links), so the link is never written to the database or the outbox.
The person who follows it creates an account (or signs in with the invited address), gets the staff role at the
place, and must then set up a second factor before the portal opens (`portal_for`).
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import RoleAssignment, User
from guichet.accounts.roles import Role
from guichet.accounts.selectors import forget_cached_roles
from guichet.accounts.services import actor_of, user_signup
from guichet.audit.models import AuditAction
from guichet.audit.services import audit_record
from guichet.core.exceptions import InvalidInput, PermissionDenied
from guichet.territory.models import Place, PlaceKind

from ..errors import InvitationRefused
from ..models import StaffInvitation, StaffMembership
from ..operations import TRUSTED_PARTY_KINDS
from ..selectors import is_organisation_manager, staff_assignment_of, staff_assignments
from .access import approval_require_valid
from .approvals import is_prefecture_admin_of
from .clients import client_accesses_close

INVITATION_VALIDITY = timedelta(days=7)


def invitation_token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def staff_role_for(place: Place) -> str:
    return Role.DRIVING_SCHOOL_STAFF if place.kind == PlaceKind.DRIVING_SCHOOL else Role.CAR_PROFESSIONAL_STAFF


def may_manage_staff(*, user: User, place: Place) -> bool:
    """The organisation's managers, and the préfecture admin of its département (who appoints the first manager)."""
    return is_organisation_manager(user=user, place=place) or is_prefecture_admin_of(
        user=user, department_code=place.department_id
    )


def _email_checked(email: str) -> str:
    address = User.objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(address)
    except ValidationError as error:
        raise InvalidInput(
            _("Cette adresse électronique n'est pas valide : vérifiez-la (par exemple prenom.nom@exemple.fr)."),
            code="invalid_email_address",
        ) from error
    return address


@transaction.atomic
def staff_invite(*, place: Place, email: str, is_manager: bool, actor: User) -> tuple[StaffInvitation, str]:
    """Creates an invitation and returns it with the link's token (shown once, in the e-mail)."""
    if not may_manage_staff(user=actor, place=place):
        raise PermissionDenied(_("Seuls les responsables de l'établissement peuvent inviter du personnel."))
    if place.kind not in TRUSTED_PARTY_KINDS:
        raise InvalidInput(_("Cet établissement n'est pas un tiers de confiance."), code="place_kind_not_approvable")
    approval_require_valid(place=place)
    address = _email_checked(email)
    if RoleAssignment.objects.filter(
        place=place, user__email__iexact=address, role=staff_role_for(place), revoked_at__isnull=True
    ).exists():
        raise InvalidInput(_("Cette personne fait déjà partie du personnel de l'établissement."), code="already_staff")
    now = timezone.now()
    StaffInvitation.objects.filter(
        place=place, email=address, accepted_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=now)
    token = secrets.token_urlsafe(32)
    invitation = StaffInvitation.objects.create(
        place=place,
        email=address,
        is_manager=is_manager,
        token_digest=invitation_token_digest(token),
        invited_by=actor,
        created_at=now,
        expires_at=now + INVITATION_VALIDITY,
    )
    audit_record(
        action=AuditAction.STAFF_INVITED,
        actor=actor_of(actor),
        object_type="staff_invitation",
        object_id=invitation.pk,
        data={"place_id": place.pk, "is_manager": is_manager},
    )
    return invitation, token


def staff_invitation_find(*, token: str, for_update: bool = False) -> StaffInvitation:
    """The invitation behind a link, or InvitationRefused saying (in French) why it cannot serve."""
    invitations = StaffInvitation.objects.select_related("place", "place__department")
    if for_update:
        invitations = invitations.select_for_update()
    invitation = invitations.filter(token_digest=invitation_token_digest(token or "")).first()
    if invitation is None:
        raise InvitationRefused(
            _("Ce lien d'invitation n'est pas valable : vérifiez qu'il a été copié en entier."),
            code="invitation_unknown",
        )
    if invitation.accepted_at is not None:
        raise InvitationRefused(
            _("Cette invitation a déjà été acceptée : connectez-vous à votre compte."), code="invitation_used"
        )
    if invitation.cancelled_at is not None:
        raise InvitationRefused(
            _("Cette invitation a été annulée ou remplacée par une plus récente : utilisez le dernier lien reçu."),
            code="invitation_cancelled",
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused(
            _(
                "Cette invitation a expiré (elle vaut 7 jours) : demandez au responsable de l'établissement "
                "de vous inviter à nouveau."
            ),
            code="invitation_expired",
        )
    return invitation


@transaction.atomic
def staff_invitation_accept(*, token: str, user: User) -> RoleAssignment:
    """Gives `user` the staff role the invitation offers, if the account holds the invited address."""
    invitation = staff_invitation_find(token=token, for_update=True)
    if user.email.lower() != invitation.email.lower():
        raise PermissionDenied(
            _("Cette invitation a été envoyée à une autre adresse électronique : connectez-vous avec celle-ci.")
        )
    place = invitation.place
    approval_require_valid(place=place)
    now = timezone.now()
    assignment = staff_assignment_of(user=user, place=place)
    if assignment is None:
        assignment = RoleAssignment.objects.create(
            user=user, role=staff_role_for(place), place=place, granted_by=invitation.invited_by
        )
        audit_record(
            action=AuditAction.ROLE_GRANTED,
            actor=actor_of(invitation.invited_by),
            subject_user_id=user.pk,
            object_type="role_assignment",
            object_id=assignment.pk,
            data={"role": assignment.role, "place_id": place.pk, "department": None, "invitation_id": invitation.pk},
        )
    membership, _created = StaffMembership.objects.get_or_create(role_assignment=assignment)
    membership.is_manager = membership.is_manager or invitation.is_manager
    membership.invitation = invitation
    membership.save()
    if user.email_verified_at is None:  # following the e-mailed link proves the address
        user.email_verified_at = now
        user.save(update_fields=["email_verified_at"])
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    forget_cached_roles(user=user)
    return assignment


@transaction.atomic
def staff_account_create(*, token: str, first_name: str, last_name: str, password: str, terms_accepted: bool) -> User:
    """Creates the invited person's account (the link proves the address) and accepts the invitation with it."""
    invitation = staff_invitation_find(token=token)
    approval_require_valid(place=invitation.place)
    user = user_signup(
        email=invitation.email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        terms_accepted=terms_accepted,
    )
    staff_invitation_accept(token=token, user=user)
    return user


@transaction.atomic
def staff_invitation_cancel(*, invitation: StaffInvitation, actor: User) -> StaffInvitation:
    invitation = StaffInvitation.objects.select_for_update().select_related("place").get(pk=invitation.pk)
    if not may_manage_staff(user=actor, place=invitation.place):
        raise PermissionDenied()
    if invitation.accepted_at is not None or invitation.cancelled_at is not None:
        raise InvalidInput(_("Cette invitation n'est plus en attente."), code="invitation_closed")
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    audit_record(
        action=AuditAction.STAFF_INVITATION_CANCELLED,
        actor=actor_of(actor),
        object_type="staff_invitation",
        object_id=invitation.pk,
        data={"place_id": invitation.place_id},
    )
    return invitation


def _is_manager(assignment: RoleAssignment) -> bool:
    membership = getattr(assignment, "membership", None)
    return bool(membership and membership.is_manager)


@transaction.atomic
def staff_remove(*, assignment: RoleAssignment, actor: User) -> RoleAssignment:
    """Ends a staff member's role at the place at once; the last manager cannot be removed (nobody could invite)."""
    if assignment.place_id is None:
        raise PermissionDenied()
    # Staff changes of one place are serialised on the place's row, so that two managers removing each other at
    # the same instant cannot leave the organisation without any manager.
    place = Place.objects.select_for_update().get(pk=assignment.place_id)
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if not may_manage_staff(user=actor, place=place):
        raise PermissionDenied()
    if assignment.revoked_at is not None:
        raise InvalidInput(_("Cette personne ne fait déjà plus partie du personnel."), code="role_already_revoked")
    if _is_manager(assignment):
        other_managers = [a for a in staff_assignments(place=place) if a.pk != assignment.pk and _is_manager(a)]
        if not other_managers:
            raise InvalidInput(
                _("C'est le dernier responsable de l'établissement : invitez d'abord un autre responsable."),
                code="last_manager",
            )
    assignment.revoked_at = timezone.now()
    assignment.save(update_fields=["revoked_at"])
    client_accesses_close(place=place, actor=actor, user=assignment.user, reason=_("départ de l'établissement"))
    audit_record(
        action=AuditAction.ROLE_REVOKED,
        actor=actor_of(actor),
        subject_user_id=assignment.user_id,
        object_type="role_assignment",
        object_id=assignment.pk,
        data={"role": assignment.role, "place_id": place.pk},
    )
    return assignment
