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
