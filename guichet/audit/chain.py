"""Hash computation for journal entries: canonical JSON of the fields, chained with the previous hash."""

import hashlib
import json
from typing import Any

GENESIS_HASH = "0" * 64

HASHED_FIELDS = (
    "sequence",
    "created_at",
    "action",
    "actor_id",
    "actor_role",
    "actor_organisation",
    "on_behalf_of_id",
    "subject_user_id",
    "dossier_id",
    "object_type",
    "object_id",
    "request_id",
    "data",
)


def entry_payload(entry: Any) -> dict[str, Any]:
    payload = {name: getattr(entry, name) for name in HASHED_FIELDS}
    payload["created_at"] = entry.created_at.isoformat(timespec="microseconds")
    return payload


def compute_hash(previous_hash: str, payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256((previous_hash + canonical).encode()).hexdigest()


# Stands for the sequence number in `canonical_parts`. It holds NUL characters, which PostgreSQL refuses in text
# and JSON, so no stored field can contain its JSON form.
_SEQUENCE_MARK = "\x00sequence\x00"


def canonical_parts(payload: dict[str, Any]) -> tuple[str, str]:
    """The canonical JSON of `payload` cut where the sequence number goes: `prefix + str(sequence) + suffix` is
    exactly what `compute_hash` hashes after the previous hash. Lets the database number and hash an entry in the
    statement that inserts it (the sequence is known only under the chain's lock)."""
    marked = {**payload, "sequence": _SEQUENCE_MARK}
    canonical = json.dumps(marked, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    parts = canonical.split(json.dumps(_SEQUENCE_MARK))
    if len(parts) != 2:
        raise ValueError("The payload holds the sequence mark: it cannot be hashed in the database.")
    return parts[0], parts[1]
