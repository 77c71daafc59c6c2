"""Accounts from FranceConnect identities: create, link (after the user's confirmation), refresh, journal."""

from dataclasses import dataclass
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.accounts.models import IdentityAssurance, User, VerifiedIdentity
from guichet.accounts.roles import Role
from guichet.audit.models import AuditAction
from guichet.audit.services import Actor, audit_record

from .errors import FailureCode, FranceConnectError
from .identity import PivotIdentity
from .selectors import user_for_franceconnect_sub, user_with_email

METHOD = "franceconnect"


class Outcome(StrEnum):
    KNOWN = "known"  # the sub is linked to an account: sign it in
    NEW = "new"  # nobody uses the sub or the e-mail: create the account
    CONFIRM_LINK = "confirm_link"  # an account uses the e-mail: its owner must confirm the link


@dataclass(frozen=True)
class Resolution:
    outcome: Outcome
    user: User | None


def _actor(user: User) -> Actor:
    return Actor(user_id=user.pk, role=Role.CITIZEN.value, organisation="")


def franceconnect_account_resolve(*, identity: PivotIdentity) -> Resolution:
    """Decides what a verified identity leads to, without changing anything."""
    user = user_for_franceconnect_sub(sub=identity.sub)
    if user is not None:
        if not user.is_active:
            raise FranceConnectError(FailureCode.ACCOUNT_INACTIVE)
        return Resolution(Outcome.KNOWN, user)
    user = user_with_email(email=identity.email)
    if user is None:
        return Resolution(Outcome.NEW, None)
    if not user.is_active:
        raise FranceConnectError(FailureCode.ACCOUNT_INACTIVE)
    existing = VerifiedIdentity.objects.filter(user=user).first()
    if existing is not None and existing.franceconnect_sub:
        raise FranceConnectError(FailureCode.ACCOUNT_ALREADY_LINKED)
    return Resolution(Outcome.CONFIRM_LINK, user)


def _identity_fields(identity: PivotIdentity) -> dict[str, object]:
    return {
        "given_name": identity.given_name,
        "family_name": identity.family_name,
        "birthdate": identity.birthdate,
        "birthplace_code": identity.birthplace_code,
        "birthcountry_code": identity.birthcountry_code,
        "gender": identity.gender,
    }


def _identity_store(*, user: User, identity: PivotIdentity) -> None:
    """Records the pivot identity and raises the account's assurance; a face-to-face check is kept as it is."""
    existing = VerifiedIdentity.objects.select_for_update().filter(user=user).first()
    if existing is not None and existing.source == VerifiedIdentity.Source.IN_PERSON:
        # A document checked face to face stays the reference (with who, where, when); only the sub is added.
        existing.franceconnect_sub = identity.sub
        existing.save(update_fields=["franceconnect_sub"])
    else:
        VerifiedIdentity.objects.update_or_create(
            user=user,
            defaults={
                "source": VerifiedIdentity.Source.FRANCECONNECT,
                "franceconnect_sub": identity.sub,
                "verified_at": timezone.now(),
                **_identity_fields(identity),
            },
        )
    if user.identity_assurance == IdentityAssurance.NONE:
        user.identity_assurance = IdentityAssurance.VERIFIED_ONLINE
        user.save(update_fields=["identity_assurance"])
    audit_record(
        action=AuditAction.IDENTITY_VERIFIED,
        actor=_actor(user),
        subject_user_id=user.pk,
        object_type="verified_identity",
        object_id=user.pk,
        data={"source": METHOD},
    )


def franceconnect_account_create(*, identity: PivotIdentity) -> User:
    """A new citizen account from a FranceConnect identity nobody uses yet (the new person is the actor)."""
    try:
        return _account_create(identity)
    except IntegrityError as error:  # the same sub or e-mail was taken meanwhile (two tabs finishing at once)
        raise FranceConnectError(FailureCode.ACCOUNT_CONFLICT) from error


@transaction.atomic
def _account_create(identity: PivotIdentity) -> User:
    user = User.objects.create_user(
        identity.email,
        password=None,  # unusable: this account signs in through FranceConnect until a password is set
        first_name=identity.given_name,
        last_name=identity.family_name,
        email_verified_at=timezone.now(),
    )
    audit_record(action=AuditAction.SIGNUP, actor=_actor(user), subject_user_id=user.pk, data={"method": METHOD})
    _identity_store(user=user, identity=identity)
    audit_record(
        action=AuditAction.FRANCECONNECT_LINKED, actor=_actor(user), subject_user_id=user.pk, data={"method": METHOD}
    )
    return user


@transaction.atomic
def franceconnect_identity_link(*, user: User, identity: PivotIdentity, actor: User) -> User:
    """Links an existing account, whose owner has just proved it with the password, to the identity."""
    if actor.pk != user.pk:
        raise FranceConnectError(FailureCode.LINK_EXPIRED, "only the owner may link the account")
    user = User.objects.select_for_update().get(pk=user.pk)
    resolution = franceconnect_account_resolve(identity=identity)
    if resolution.outcome != Outcome.CONFIRM_LINK or resolution.user is None or resolution.user.pk != user.pk:
        raise FranceConnectError(FailureCode.LINK_EXPIRED, "the situation changed since the confirmation page")
    if user.email_verified_at is None:
        # FranceConnect vouches for this address and the owner has proved the account with its password.
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    _identity_store(user=user, identity=identity)
    audit_record(
        action=AuditAction.FRANCECONNECT_LINKED, actor=_actor(user), subject_user_id=user.pk, data={"method": METHOD}
    )
    return user


@transaction.atomic
def franceconnect_identity_refresh(*, user: User, identity: PivotIdentity) -> User:
    """On each sign-in, the stored pivot identity follows what FranceConnect now says (e.g. a corrected name)."""
    stored = VerifiedIdentity.objects.select_for_update().get(user=user)
    if stored.source != VerifiedIdentity.Source.FRANCECONNECT:
        return user
    changed = {name: value for name, value in _identity_fields(identity).items() if getattr(stored, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(stored, name, value)
        stored.verified_at = timezone.now()
        stored.save(update_fields=[*changed, "verified_at"])
        audit_record(
            action=AuditAction.IDENTITY_VERIFIED,
            actor=_actor(user),
            subject_user_id=user.pk,
            object_type="verified_identity",
            object_id=user.pk,
            data={"source": METHOD, "updated_fields": sorted(changed)},
        )
    return user


def franceconnect_login_record(*, user: User) -> None:
    audit_record(action=AuditAction.LOGIN, actor=_actor(user), subject_user_id=user.pk, data={"method": METHOD})


def franceconnect_logout_record(*, user: User) -> None:
    audit_record(action=AuditAction.LOGOUT, actor=_actor(user), subject_user_id=user.pk, data={"method": METHOD})
