"""Writes on accounts: sign-up, e-mail verification, roles, identity checks, second factor, sessions.

Every change is journaled. E-mails are sent by the portal (a higher layer) after commit.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date
from importlib import import_module

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.audit.models import AuditAction
from guichet.audit.services import Actor, audit_record
from guichet.core.exceptions import InvalidInput, ObjectNotFound, PermissionDenied
from guichet.territory.models import Department, Place

from .email_verification import PURPOSE_CHANGE, PURPOSE_SIGNUP, email_link_resolve
from .errors import EmailAlreadyUsed, RoleScopeMismatch, TwoFactorCodeRefused, TwoFactorThrottled
from .models import (
    IdentityAssurance,
    IdentityDocumentType,
    RecoveryCode,
    RoleAssignment,
    User,
    UserSession,
    VerifiedIdentity,
)
from .phone_numbers import french_mobile_normalise
from .roles import ROLE_PLACE_KINDS, ROLES_SCOPED_TO_DEPARTMENT, ROLES_WITHOUT_SCOPE, Role
from .selectors import requires_two_factor, roles_of
from .user_agents import user_agent_summary

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no O/0 or I/1/L confusion
_RECOVERY_GROUPS, _RECOVERY_GROUP_LENGTH = 4, 4  # 16 symbols of 31: about 79 bits
TOTP_DEVICE_NAME = "default"


def actor_of(user: User | None) -> Actor:
    """The journal's view of an account: its id, its main role and organisation."""
    if user is None or not user.is_authenticated:
        return Actor(user_id=None, role="anonymous")
    assignment = RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).order_by("granted_at").first()
    if assignment is None:
        return Actor(user_id=user.pk, role=Role.CITIZEN.value)
    return Actor(user_id=user.pk, role=assignment.role, organisation=assignment.organisation_label)


def email_digest(email: str) -> str:
    """A keyed digest of a typed e-mail address, to correlate failures without storing the address."""
    return salted_hmac("guichet.accounts.login_failure", email.strip().lower(), algorithm="sha256").hexdigest()[:24]


# --- Sign-up and e-mail -------------------------------------------------------------------------------------------


@transaction.atomic
def user_signup(*, email: str, password: str, first_name: str, last_name: str, terms_accepted: bool) -> User:
    """Creates an account whose e-mail is not verified yet: it cannot sign in until the link is followed."""
    if not terms_accepted:
        raise InvalidInput(_("Vous devez accepter les conditions d'utilisation."), code="terms_not_accepted")
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise EmailAlreadyUsed
    user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
    validate_password(password, user=user)
    user.set_password(password)
    user.terms_accepted_at = timezone.now()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # two sign-ups racing for one address
        raise EmailAlreadyUsed from error
    audit_record(
        action=AuditAction.SIGNUP, actor=Actor(user_id=user.pk, role=Role.CITIZEN.value), subject_user_id=user.pk
    )
    return user


@transaction.atomic
def user_verify_email(*, token: str) -> User:
    """Follows a link sent by e-mail: confirms the sign-up address, or switches to the new address."""
    link, user = email_link_resolve(token=token, for_update=True)
    now = timezone.now()
    if link.purpose == PURPOSE_SIGNUP:
        user.email_verified_at = now
        user.save(update_fields=["email_verified_at"])
    elif link.purpose == PURPOSE_CHANGE:
        if User.objects.filter(email__iexact=user.pending_email).exclude(pk=user.pk).exists():
            raise EmailAlreadyUsed(
                _("Cette adresse est désormais utilisée par un autre compte : choisissez-en une autre."),
            )
        user.email = user.pending_email
        user.pending_email = ""
        user.email_verified_at = now
        user.save(update_fields=["email", "pending_email", "email_verified_at"])
    audit_record(
        action=AuditAction.EMAIL_VERIFIED,
        actor=Actor(user_id=user.pk, role=Role.CITIZEN.value),
        subject_user_id=user.pk,
        data={"purpose": link.purpose},
    )
    return user


@transaction.atomic
def user_email_change_request(*, user: User, new_email: str, actor: User) -> bool:
    """Records the new address as pending; returns False (and changes nothing) when another account uses it.

    The caller says the same thing in both cases so that the form does not reveal who holds an address.
    """
    new_email = User.objects.normalize_email(new_email).strip().lower()
    if new_email == user.email:
        raise InvalidInput(_("C'est déjà l'adresse de votre compte."), code="email_unchanged")
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        return False
    user.pending_email = new_email
    user.save(update_fields=["pending_email"])
    return True


@transaction.atomic
def user_profile_update(*, user: User, first_name: str, last_name: str, mobile_phone: str, actor: User) -> User:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.mobile_phone = french_mobile_normalise(mobile_phone) if mobile_phone.strip() else ""
    user.save(update_fields=["first_name", "last_name", "mobile_phone"])
    return user


@transaction.atomic
def user_password_changed_record(*, user: User, by_reset: bool) -> None:
    """Journals a password change made through Django's forms; a reset also proves the address is the user's."""
    if by_reset and user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    audit_record(
        action=AuditAction.PASSWORD_RESET if by_reset else AuditAction.PASSWORD_CHANGED,
        actor=actor_of(user),
        subject_user_id=user.pk,
    )


def user_login_record(*, user: User) -> None:
    audit_record(action=AuditAction.LOGIN, actor=actor_of(user), subject_user_id=user.pk)


def user_login_failure_record(*, typed_email: str, reason: str) -> None:
    """Journals a failed sign-in: the account id if it exists and a keyed digest, never the typed address."""
    user = User.objects.filter(email__iexact=typed_email.strip()).only("pk").first() if typed_email else None
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        actor=Actor(user_id=None, role="anonymous"),
        subject_user_id=user.pk if user else None,
        data={"reason": reason, "email_digest": email_digest(typed_email or "")},
    )


def user_logout_record(*, user: User, session_key: str | None) -> None:
    with transaction.atomic():
        if session_key:
            UserSession.objects.filter(user=user, session_key=session_key).delete()
        audit_record(action=AuditAction.LOGOUT, actor=actor_of(user), subject_user_id=user.pk)


# --- Roles and identity --------------------------------------------------------------------------------------------


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
    user.__dict__.pop("_guichet_roles", None)
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


# --- Second factor -------------------------------------------------------------------------------------------------


def _recovery_code_digest(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def _recovery_code_new() -> str:
    symbols = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_GROUPS * _RECOVERY_GROUP_LENGTH))
    return "-".join(symbols[i : i + _RECOVERY_GROUP_LENGTH] for i in range(0, len(symbols), _RECOVERY_GROUP_LENGTH))


def looks_like_recovery_code(token: str) -> bool:
    return len("".join(ch for ch in token if ch.isalnum())) == _RECOVERY_GROUPS * _RECOVERY_GROUP_LENGTH


@transaction.atomic
def two_factor_device_start(*, user: User) -> TOTPDevice:
    """Returns the account's unconfirmed TOTP device, creating one with a fresh secret if needed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def confirmed_totp_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def _throttle_check(device: TOTPDevice) -> None:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return
    wait_seconds = 1
    if details and details.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS and details.get("locked_until"):
        wait_seconds = max(1, int((details["locked_until"] - timezone.now()).total_seconds()) + 1)
    raise TwoFactorThrottled(
        _("Trop de codes erronés. Patientez %(seconds)s secondes avant de saisir un nouveau code.")
        % {"seconds": wait_seconds},
        wait_seconds=wait_seconds,
    )


def two_factor_enable(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirms the device with a first code, then returns the 10 recovery codes (shown once, stored hashed)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        _throttle_check(device)
        # A failed check increments the throttle on the device; that must be kept, so nothing raises in here.
        accepted = device.verify_token(token.strip().replace(" ", ""))
        codes: list[str] = []
        if accepted:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _recovery_codes_replace(user=user)
            audit_record(action=AuditAction.TWO_FACTOR_ENABLED, actor=actor_of(user), subject_user_id=user.pk)
    if not accepted:
        audit_record(action=AuditAction.TWO_FACTOR_FAILED, actor=actor_of(user), subject_user_id=user.pk)
        raise TwoFactorCodeRefused
    return codes


def _recovery_codes_replace(*, user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_recovery_code_new() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_digest=_recovery_code_digest(c)) for c in codes)
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User, actor: User) -> list[str]:
    if confirmed_totp_device(user=user) is None:
        raise InvalidInput(_("La double authentification n'est pas activée."), code="two_factor_not_enabled")
    codes = _recovery_codes_replace(user=user)
    audit_record(
        action=AuditAction.TWO_FACTOR_ENABLED,
        actor=actor_of(actor),
        subject_user_id=user.pk,
        data={"recovery_codes": "regenerated"},
    )
    return codes


@dataclass(frozen=True)
class TwoFactorVerification:
    device: TOTPDevice
    used_recovery_code: bool
    recovery_codes_left: int


def two_factor_verify(*, user: User, token: str) -> TwoFactorVerification:
    """Checks a TOTP code (refusing a replay of an accepted one) or a single-use recovery code.

    Failures are counted on the device (django-otp's throttling), and the count must survive the refusal:
    the transaction below never raises after a failed check.
    """
    token = token.strip()
    used_recovery_code = False
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            raise TwoFactorCodeRefused(_("La double authentification n'est pas activée pour ce compte."))
        _throttle_check(device)
        if looks_like_recovery_code(token):
            used_recovery_code = True
            accepted = bool(
                RecoveryCode.objects.filter(
                    user=user, code_digest=_recovery_code_digest(token), used_at__isnull=True
                ).update(used_at=timezone.now())
            )
            if accepted:
                device.throttle_reset(commit=True)
            else:
                device.throttle_increment(commit=True)
        else:
            accepted = device.verify_token(token.replace(" ", ""))  # sets last_t: the same code is refused later
        left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
        if accepted:
            audit_record(
                action=AuditAction.RECOVERY_CODE_USED if used_recovery_code else AuditAction.TWO_FACTOR_VERIFIED,
                actor=actor_of(user),
                subject_user_id=user.pk,
                data={"codes_left": left} if used_recovery_code else {},
            )
    if not accepted:
        audit_record(action=AuditAction.TWO_FACTOR_FAILED, actor=actor_of(user), subject_user_id=user.pk)
        raise TwoFactorCodeRefused
    return TwoFactorVerification(device=device, used_recovery_code=used_recovery_code, recovery_codes_left=left)


@transaction.atomic
def two_factor_disable(*, user: User, actor: User) -> None:
    """Citizens may turn the second factor off; every other role must keep it."""
    if requires_two_factor(user=user):
        raise PermissionDenied(
            _("Votre rôle impose la double authentification : elle ne peut pas être désactivée."),
            code="two_factor_mandatory",
        )
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit_record(
        action=AuditAction.TWO_FACTOR_ENABLED,
        actor=actor_of(actor),
        subject_user_id=user.pk,
        data={"enabled": False},
    )


# --- Sessions ------------------------------------------------------------------------------------------------------


def _session_store(session_key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


@transaction.atomic
def user_session_register(*, user: User, session_key: str, user_agent: str) -> UserSession:
    browser, system = user_agent_summary(user_agent or "")
    # Forget this account's sessions that have expired or were closed elsewhere (e.g. by `clearsessions`).
    for stale in UserSession.objects.filter(user=user).exclude(session_key=session_key):
        if not session_is_alive(session=stale):
            stale.delete()
    session, _created = UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "browser": browser,
            "operating_system": system,
            "signed_in_on": timezone.localdate(),
            "created_at": timezone.now(),
        },
    )
    return session


@transaction.atomic
def user_session_rekey(*, user: User, old_key: str | None, new_key: str | None) -> None:
    """Follows a session whose key was rotated (password change)."""
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(user=user, session_key=old_key).update(session_key=new_key)


def session_is_alive(*, session: UserSession) -> bool:
    data = _session_store(session.session_key).load()
    return str(data.get("_auth_user_id", "")) == str(session.user_id)


@transaction.atomic
def user_session_end(*, user: User, session_id: int, current_session_key: str | None, actor: User) -> None:
    """Ends another of the user's sessions: the stored session is deleted, so its cookie no longer works."""
    session = UserSession.objects.filter(pk=session_id, user=user).first()
    if session is None or session.session_key == current_session_key:
        raise ObjectNotFound
    _session_store(session.session_key).delete()
    session.delete()
    audit_record(
        action=AuditAction.SESSION_ENDED,
        actor=actor_of(actor),
        subject_user_id=user.pk,
        object_type="user_session",
        object_id=session_id,
    )


@transaction.atomic
def user_sessions_end_others(*, user: User, current_session_key: str | None, actor: User) -> int:
    others = list(UserSession.objects.filter(user=user).exclude(session_key=current_session_key or ""))
    for session in others:
        _session_store(session.session_key).delete()
        session.delete()
    if others:
        audit_record(
            action=AuditAction.SESSION_ENDED,
            actor=actor_of(actor),
            subject_user_id=user.pk,
            data={"count": len(others)},
        )
    return len(others)
