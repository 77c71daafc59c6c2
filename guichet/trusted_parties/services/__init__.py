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
from .clients import (
    client_accesses_close,
    client_document_upload,
    client_dossier_create,
    client_dossier_open,
    client_dossier_transition,
    client_mandate_confirm,
    client_mandate_propose,
    client_mandate_require_active,
    delivery_checked,
    procedures_of_approval,
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
    "client_accesses_close",
    "client_document_upload",
    "client_dossier_create",
    "client_dossier_open",
    "client_dossier_transition",
    "client_mandate_confirm",
    "client_mandate_propose",
    "client_mandate_require_active",
    "delivery_checked",
    "is_prefecture_admin_of",
    "may_manage_staff",
    "procedures_of_approval",
    "staff_account_create",
    "staff_invitation_accept",
    "staff_invitation_cancel",
    "staff_invitation_find",
    "staff_invite",
    "staff_remove",
    "staff_role_for",
]
