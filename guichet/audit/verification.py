from collections.abc import Iterator
from dataclasses import dataclass

from .chain import GENESIS_HASH, compute_hash, entry_payload
from .models import AuditEntry, AuditHead


@dataclass(frozen=True)
class ChainProblem:
    sequence: int | None
    kind: str  # modified | deleted | inserted | truncated
    detail: str


def audit_chain_problems(*, batch_size: int = 2000) -> Iterator[ChainProblem]:
    """Walks the journal in order and yields every break: edited rows, missing or extra rows, a cut tail."""
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    last_sequence = 0
    last_hash = GENESIS_HASH
    queryset = AuditEntry.objects.order_by("sequence")
    for entry in queryset.iterator(chunk_size=batch_size):
        if entry.sequence > expected_sequence:
            yield ChainProblem(
                expected_sequence, "deleted", f"entries {expected_sequence}..{entry.sequence - 1} missing"
            )
        elif entry.sequence < expected_sequence:
            yield ChainProblem(entry.sequence, "inserted", "sequence number repeated or out of order")
        if entry.previous_hash != expected_previous:
            yield ChainProblem(entry.sequence, "inserted", "previous hash does not match the chain")
        recomputed = compute_hash(entry.previous_hash, entry_payload(entry))
        if recomputed != entry.entry_hash:
            yield ChainProblem(entry.sequence, "modified", "content does not match its hash")
        expected_previous = entry.entry_hash
        expected_sequence = entry.sequence + 1
        last_sequence, last_hash = entry.sequence, entry.entry_hash
    head = AuditHead.objects.filter(singleton=1).first()
    if head is not None and (head.sequence != last_sequence or (head.entry_hash or GENESIS_HASH) != last_hash):
        yield ChainProblem(head.sequence, "truncated", f"journal ends at {last_sequence}, head says {head.sequence}")
