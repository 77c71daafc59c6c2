"""The approval lifecycle: granted ⇄ suspended, renewed while granted, revoked for good; préfecture admins only."""

from guichet.accounts.roles import Role
from guichet.core.transitions import Transition, TransitionTable

from .models import ApprovalEventKind, ApprovalStatus

GRANTED, SUSPENDED, REVOKED = ApprovalStatus.GRANTED, ApprovalStatus.SUSPENDED, ApprovalStatus.REVOKED
_ADMIN = {Role.PREFECTURE_ADMIN}

APPROVAL_LIFECYCLE = TransitionTable(
    {
        ApprovalEventKind.SUSPENDED: Transition(source={GRANTED}, target=SUSPENDED, by=_ADMIN),
        ApprovalEventKind.REINSTATED: Transition(source={SUSPENDED}, target=GRANTED, by=_ADMIN),
        # Renewing a suspended approval would hide the suspension: lift it first, deliberately.
        ApprovalEventKind.RENEWED: Transition(source={GRANTED}, target=GRANTED, by=_ADMIN),
        ApprovalEventKind.REVOKED: Transition(source={GRANTED, SUSPENDED}, target=REVOKED, by=_ADMIN),
    }
)
