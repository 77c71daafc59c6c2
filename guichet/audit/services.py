import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from guichet.core.request_id import current_request_id

from .chain import GENESIS_HASH, compute_hash, entry_payload
from .models import AuditAction, AuditEntry, AuditHead

_KNOWN_ACTIONS = frozenset(AuditAction.values)

# Arbitrary constant identifying the journal's advisory lock on PostgreSQL.
_CHAIN_LOCK_KEY = 7_420_001


@dataclass(frozen=True)
class Actor:
    """Who acts, as the journal records it: an account id plus role and organisation labels."""

    user_id: int | None
    role: str = ""
    organisation: str = ""
    on_behalf_of_id: int | None = None


SYSTEM = Actor(user_id=None, role="system", organisation="Guichet")


def _lock_chain() -> AuditHead:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    head, _ = AuditHead.objects.select_for_update().get_or_create(singleton=1)
    return head


@transaction.atomic
def audit_record(
    *,
    action: str,
    actor: Actor,
    dossier_id: int | None = None,
    subject_user_id: int | None = None,
    object_type: str = "",
    object_id: str | int = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Appends one entry to the journal, chained to the previous one. Never store personal data in `data`."""
    if action not in _KNOWN_ACTIONS:
        # A typo here would write an entry nobody can find or label: refuse it loudly.
        raise ValueError(f"Unknown audit action {action!r}: add it to AuditAction.")
    # What is hashed must be what the database gives back: JSON round-trip now (int keys become strings,
    # tuples lists) so that verification does not flag a faithful row; non-JSON data is refused here.
    stored_data = json.loads(json.dumps(data or {}))
    request_id = current_request_id()
    head = _lock_chain()
    entry = AuditEntry(
        sequence=head.sequence + 1,
        created_at=timezone.now(),
        action=action,
        actor_id=actor.user_id,
        actor_role=actor.role,
        actor_organisation=actor.organisation[:200],
        on_behalf_of_id=actor.on_behalf_of_id,
        subject_user_id=subject_user_id,
        dossier_id=dossier_id,
        object_type=object_type,
        object_id=str(object_id),
        request_id="" if request_id == "-" else request_id[:64],
        data=stored_data,
        previous_hash=head.entry_hash or GENESIS_HASH,
    )
    entry.entry_hash = compute_hash(entry.previous_hash, entry_payload(entry))
    entry.save()
    head.sequence = entry.sequence
    head.entry_hash = entry.entry_hash
    head.save(update_fields=["sequence", "entry_hash"])
    return entry
