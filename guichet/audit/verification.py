"""Walks the journal and reports every break in the hash chain.

What each kind means:
- `modified`: a row's content no longer matches its own hash (edited in place);
- `deleted`: sequence numbers are missing in the middle;
- `relinked`: a row does not point to the hash of the row before it (rows replaced or rehashed);
- `inserted`: a row that the chain cannot contain (repeated/out-of-order sequence, rows after the head);
- `truncated`: the last rows are gone (the head remembers a later entry);
- `head_missing` / `head_mismatch`: the head row was removed or does not match the last entry;
- `anchor_mismatch`: an entry differs from a hash recorded outside the database (see `--anchor`).

Only the entries up to the head read at the start are checked, so entries appended while the walk runs are
neither checked nor reported; they will be on the next run.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Max

from .chain import GENESIS_HASH, compute_hash, entry_payload
from .models import AuditEntry, AuditHead


@dataclass(frozen=True)
class ChainProblem:
    sequence: int | None
    kind: str
    detail: str


@dataclass(frozen=True)
class Anchor:
    """A (sequence, hash) pair copied out of the database earlier, e.g. from the output of `audit_verify`."""

    sequence: int
    entry_hash: str


def audit_chain_problems(
    *,
    batch_size: int = 2000,
    anchors: tuple[Anchor, ...] = (),
    on_progress: Callable[[int, int], None] | None = None,
    progress_every: int = 10_000,
) -> Iterator[ChainProblem]:
    """Yields every break, in journal order. `on_progress(checked, total)` is called every `progress_every` rows."""
    head = AuditHead.objects.filter(singleton=1).first()
    head_sequence = head.sequence if head is not None else None
    if head is None:
        limit = AuditEntry.objects.aggregate(last=Max("sequence"))["last"] or 0
        if limit:
            yield ChainProblem(None, "head_missing", "the head row is missing: the end of the journal is unknown")
    else:
        limit = head.sequence
    anchored = {anchor.sequence: anchor.entry_hash for anchor in anchors}
    total = AuditEntry.objects.filter(sequence__lte=limit).count()

    expected_previous = GENESIS_HASH
    expected_sequence = 1
    last_sequence, last_hash = 0, GENESIS_HASH
    checked = 0
    entries = AuditEntry.objects.filter(sequence__lte=limit).order_by("sequence")
    for entry in entries.iterator(chunk_size=batch_size):
        checked += 1
        if on_progress is not None and checked % progress_every == 0:
            on_progress(checked, total)
        gap = entry.sequence > expected_sequence
        if gap:
            yield ChainProblem(
                expected_sequence,
                "deleted",
                f"entries {expected_sequence} to {entry.sequence - 1} are missing",
            )
        elif entry.sequence < expected_sequence:
            # Not part of the chain: report it and keep checking the others against the real predecessor.
            yield ChainProblem(entry.sequence, "inserted", "sequence number out of order")
            continue
        if entry.previous_hash != expected_previous and not gap:
            yield ChainProblem(
                entry.sequence, "relinked", f"does not point to the hash of entry {expected_sequence - 1}"
            )
        if compute_hash(entry.previous_hash, entry_payload(entry)) != entry.entry_hash:
            yield ChainProblem(entry.sequence, "modified", "content does not match its hash")
        if entry.sequence in anchored and anchored.pop(entry.sequence) != entry.entry_hash:
            yield ChainProblem(entry.sequence, "anchor_mismatch", "hash differs from the recorded anchor")
        expected_previous = entry.entry_hash
        expected_sequence = entry.sequence + 1
        last_sequence, last_hash = entry.sequence, entry.entry_hash
    if on_progress is not None:
        on_progress(checked, total)

    for sequence in sorted(anchored):
        yield ChainProblem(sequence, "anchor_mismatch", "anchored entry not found in the journal")
    if head_sequence is not None and head is not None:
        if last_sequence < head_sequence:
            yield ChainProblem(
                last_sequence + 1,
                "truncated",
                f"journal ends at entry {last_sequence} but entry {head_sequence} was written",
            )
        elif (head.entry_hash or GENESIS_HASH) != last_hash:
            yield ChainProblem(head_sequence, "head_mismatch", "last entry does not match the head's hash")
    # Rows beyond the head were not written by `audit_record` (which moves the head in the same transaction).
    # The maximum is read before the head so that a legitimate append meanwhile is not mistaken for a forgery.
    beyond = AuditEntry.objects.aggregate(last=Max("sequence"))["last"] or 0
    current_head = AuditHead.objects.filter(singleton=1).values_list("sequence", flat=True).first()
    if current_head is not None and beyond > current_head:
        yield ChainProblem(current_head + 1, "inserted", f"entries after the head, up to {beyond}")
