"""Sign-up, e-mail verification, profile, password and sign-in records."""

from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit.models import AuditAction
from guichet.audit.services import Actor, audit_record
from guichet.core.exceptions import InvalidInput

from ..email_verification import PURPOSE_CHANGE, PURPOSE_SIGNUP, email_link_resolve
from ..errors import EmailAlreadyUsed
from ..models import (
    User,
    UserSession,
)
from ..phone_numbers import french_mobile_normalise
from ..roles import Role
from .common import actor_of, email_digest


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
    new_phone = french_mobile_normalise(mobile_phone) if mobile_phone.strip() else ""
    changed = sorted(
        field
        for field, value in (
            ("first_name", first_name.strip()),
            ("last_name", last_name.strip()),
            ("mobile_phone", new_phone),
        )
        if getattr(user, field) != value
    )
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.mobile_phone = new_phone
    user.save(update_fields=["first_name", "last_name", "mobile_phone"])
    if changed:
        # Which fields changed, never their values: the journal holds no personal data.
        audit_record(
            action=AuditAction.PROFILE_CHANGED, actor=actor_of(actor), subject_user_id=user.pk, data={"fields": changed}
        )
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
