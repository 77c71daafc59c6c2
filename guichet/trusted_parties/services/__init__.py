"""Writes on the registry of trusted third parties. Every decision is journaled."""

from .access import REFUSAL_MESSAGES, approval_require_valid
from .approvals import (
    approval_grant,
    approval_reinstate,
    approval_renew,
    approval_revoke,
    approval_suspend,
    is_prefecture_admin_of,
)
from .staff import (
    INVITATION_VALIDITY,
    may_manage_staff,
    staff_account_create,
    staff_invitation_accept,
    staff_invitation_cancel,
    staff_invitation_find,
    staff_invite,
    staff_remove,
    staff_role_for,
)

__all__ = [
    "INVITATION_VALIDITY",
    "REFUSAL_MESSAGES",
    "approval_grant",
    "approval_reinstate",
    "approval_renew",
    "approval_require_valid",
    "approval_revoke",
    "approval_suspend",
    "is_prefecture_admin_of",
    "may_manage_staff",
    "staff_account_create",
    "staff_invitation_accept",
    "staff_invitation_cancel",
    "staff_invitation_find",
    "staff_invite",
    "staff_remove",
    "staff_role_for",
]
