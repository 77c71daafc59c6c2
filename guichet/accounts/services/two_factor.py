"""Second factor: TOTP devices and single-use recovery codes."""

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.audit.models import AuditAction
from guichet.audit.services import audit_record
from guichet.core.exceptions import InvalidInput, PermissionDenied

from ..errors import TwoFactorCodeRefused, TwoFactorThrottled
from ..models import (
    RecoveryCode,
    User,
)
from ..selectors import requires_two_factor
from .common import (
    _RECOVERY_ALPHABET,
    _RECOVERY_GROUP_LENGTH,
    _RECOVERY_GROUPS,
    RECOVERY_CODE_COUNT,
    TOTP_DEVICE_NAME,
    actor_of,
)


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
        action=AuditAction.RECOVERY_CODES_REGENERATED,
        actor=actor_of(actor),
        subject_user_id=user.pk,
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
        action=AuditAction.TWO_FACTOR_DISABLED,
        actor=actor_of(actor),
        subject_user_id=user.pk,
    )
