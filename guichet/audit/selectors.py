from django.db.models import QuerySet

from .models import AuditAction, AuditEntry

# What a citizen is shown about their own dossier: who (role and organisation) looked at or changed it, and when.
CITIZEN_VISIBLE_ACTIONS = (
    AuditAction.DOSSIER_VIEWED,
    AuditAction.DOSSIER_CHANGED,
    AuditAction.DOSSIER_TRANSITION,
    AuditAction.DOCUMENT_UPLOADED,
    AuditAction.DOCUMENT_VIEWED,
    AuditAction.DOCUMENT_PURGED,
    AuditAction.ACCESS_GRANTED,
    AuditAction.ACCESS_REVOKED,
)


def audit_trail_for_citizen(*, dossier_id: int) -> QuerySet[AuditEntry]:
    """Newest first. Only role and organisation are loaded: agents' identities are never shown to citizens."""
    return (
        AuditEntry.objects.filter(dossier_id=dossier_id, action__in=CITIZEN_VISIBLE_ACTIONS)
        .only("sequence", "created_at", "action", "actor_role", "actor_organisation")
        .order_by("-sequence")
    )
