"""Helpers shared by the account services."""

from django.utils.crypto import salted_hmac

from guichet.audit.services import Actor

from ..models import (
    RoleAssignment,
    User,
)
from ..roles import Role

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
