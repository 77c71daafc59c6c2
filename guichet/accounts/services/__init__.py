"""Writes on accounts: sign-up, e-mail verification, roles, identity checks, second factor, sessions.

Every change is journaled. E-mails are sent by the portal (a higher layer) after commit.
"""

from .common import RECOVERY_CODE_COUNT, TOTP_DEVICE_NAME, actor_of, email_digest
from .email import (
    user_email_change_request,
    user_login_failure_record,
    user_login_record,
    user_logout_record,
    user_password_changed_record,
    user_profile_update,
    user_signup,
    user_verify_email,
)
from .roles import identity_verify_in_person, role_grant, role_revoke
from .sessions import (
    session_is_alive,
    user_session_end,
    user_session_register,
    user_session_rekey,
    user_sessions_end_others,
)
from .two_factor import (
    TwoFactorVerification,
    confirmed_totp_device,
    looks_like_recovery_code,
    recovery_codes_regenerate,
    two_factor_device_start,
    two_factor_disable,
    two_factor_enable,
    two_factor_verify,
)

__all__ = [
    "RECOVERY_CODE_COUNT",
    "TOTP_DEVICE_NAME",
    "TwoFactorVerification",
    "actor_of",
    "confirmed_totp_device",
    "email_digest",
    "identity_verify_in_person",
    "looks_like_recovery_code",
    "recovery_codes_regenerate",
    "role_grant",
    "role_revoke",
    "session_is_alive",
    "two_factor_device_start",
    "two_factor_disable",
    "two_factor_enable",
    "two_factor_verify",
    "user_email_change_request",
    "user_login_failure_record",
    "user_login_record",
    "user_logout_record",
    "user_password_changed_record",
    "user_profile_update",
    "user_session_end",
    "user_session_register",
    "user_session_rekey",
    "user_sessions_end_others",
    "user_signup",
    "user_verify_email",
]
