import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from guichet.core.request_id import current_request_id

from .chain import GENESIS_HASH, canonical_parts, compute_hash, entry_payload
from .models import AuditAction, AuditEntry, AuditHead

_KNOWN_ACTIONS = frozenset(AuditAction.values)


@dataclass(frozen=True)
class Actor:
    """Who acts, as the journal records it: an account id plus role and organisation labels."""

    user_id: int | None
    role: str = ""
    organisation: str = ""
    on_behalf_of_id: int | None = None


SYSTEM = Actor(user_id=None, role="system", organisation="Guichet")


def _lock_chain() -> AuditHead:
    """Serialises writers on the chain's head (SQLite path; SQLite also takes its database-wide write lock)."""
    head, _ = AuditHead.objects.select_for_update().get_or_create(singleton=1)
    return head


# PostgreSQL: the entry is numbered, hashed and inserted, and the head moved, by this one statement. The head row
# lock (FOR UPDATE) is the chain's lock: a concurrent writer waits on it, then reads the head that the other
# committed (READ COMMITTED re-reads a locked row once it is released), so each entry points to the one before.
# Everything else (the JSON, the payload) is computed before, so the lock is held for this statement and the
# commit only: outside a transaction the statement commits by itself, with no round trip in between.
_HEAD_TABLE, _ENTRY_TABLE = AuditHead._meta.db_table, AuditEntry._meta.db_table
_APPEND_SQL = f"""
WITH head AS (
    SELECT sequence + 1 AS sequence, COALESCE(NULLIF(entry_hash, ''), %(genesis)s::text) AS previous_hash
    FROM {_HEAD_TABLE} WHERE singleton = 1 FOR UPDATE
), entry AS (
    SELECT sequence, previous_hash,
           encode(sha256(convert_to(previous_hash || %(prefix)s::text || sequence::text || %(suffix)s::text,
                                    'UTF8')), 'hex') AS entry_hash
    FROM head
), moved AS (
    UPDATE {_HEAD_TABLE} SET sequence = entry.sequence, entry_hash = entry.entry_hash
    FROM entry WHERE {_HEAD_TABLE}.singleton = 1
)
INSERT INTO {_ENTRY_TABLE} (sequence, created_at, action, actor_id, actor_role, actor_organisation, on_behalf_of_id,
                       subject_user_id, dossier_id, object_type, object_id, request_id, data, previous_hash,
                       entry_hash)
SELECT entry.sequence, %(created_at)s::timestamptz, %(action)s::text, %(actor_id)s::bigint, %(actor_role)s::text,
       %(actor_organisation)s::text, %(on_behalf_of_id)s::bigint, %(subject_user_id)s::bigint,
       %(dossier_id)s::bigint, %(object_type)s::text, %(object_id)s::text, %(request_id)s::text, %(data)s::jsonb,
       entry.previous_hash, entry.entry_hash
FROM entry
RETURNING id, sequence, previous_hash, entry_hash
"""  # noqa: S608 (table names from the models, values as parameters)


def _append_postgresql(entry: AuditEntry) -> None:
    """Numbers, hashes and inserts `entry` in one statement (see `_APPEND_SQL`); creates the head row the first
    time."""
    prefix, suffix = canonical_parts(entry_payload(entry))
    params: dict[str, Any] = {
        "genesis": GENESIS_HASH,
        "prefix": prefix,
        "suffix": suffix,
        "created_at": entry.created_at,
        "action": entry.action,
        "actor_id": entry.actor_id,
        "actor_role": entry.actor_role,
        "actor_organisation": entry.actor_organisation,
        "on_behalf_of_id": entry.on_behalf_of_id,
        "subject_user_id": entry.subject_user_id,
        "dossier_id": entry.dossier_id,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "request_id": entry.request_id,
        "data": json.dumps(entry.data),
    }
    with connection.cursor() as cursor:
        for _attempt in range(2):
            cursor.execute(_APPEND_SQL, params)
            row = cursor.fetchone()
            if row is not None:
                entry.pk, entry.sequence, entry.previous_hash, entry.entry_hash = row
                entry._state.adding = False
                entry._state.db = connection.alias
                return
            # No head row yet (the journal's very first entry): create it, then append.
            cursor.execute(
                f"INSERT INTO {_HEAD_TABLE} (singleton, sequence, entry_hash) VALUES (1, 0, '') "  # noqa: S608
                "ON CONFLICT (singleton) DO NOTHING"
            )
    raise RuntimeError("The audit journal's head row could not be created.")


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
    """Appends one entry to the journal, chained to the previous one. Never store personal data in `data`.

    Called inside a transaction, the entry commits (and the chain stays locked) with it; called outside one (a
    journaled read), the entry is its own transaction, committed at once."""
    if action not in _KNOWN_ACTIONS:
        # A typo here would write an entry nobody can find or label: refuse it loudly.
        raise ValueError(f"Unknown audit action {action!r}: add it to AuditAction.")
    # What is hashed must be what the database gives back: JSON round-trip now (int keys become strings,
    # tuples lists) so that verification does not flag a faithful row; non-JSON data is refused here.
    stored_data = json.loads(json.dumps(data or {}))
    request_id = current_request_id()
    entry = AuditEntry(
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
    )
    if connection.vendor == "postgresql":
        if connection.in_atomic_block:
            # No savepoint (two round trips): a failed append fails the caller's transaction, as it must.
            with transaction.atomic(savepoint=False):
                _append_postgresql(entry)
        else:
            _append_postgresql(entry)
        return entry
    with transaction.atomic():
        head = _lock_chain()
        entry.sequence = head.sequence + 1
        entry.previous_hash = head.entry_hash or GENESIS_HASH
        entry.entry_hash = compute_hash(entry.previous_hash, entry_payload(entry))
        entry.save()
        head.sequence = entry.sequence
        head.entry_hash = entry.entry_hash
        head.save(update_fields=["sequence", "entry_hash"])
    return entry
