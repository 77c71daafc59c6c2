"""The mairie counter (recueil): retrieve the pré-demande, check originals, stamp, capture, lodge.

The originals to check and the fees due come from the pré-demande itself (`predemande_checklist`,
`predemande_fees`); stamps are consumed through the payments service, which is safe under concurrency.
"""

from .common import NUMBER_FORMAT, STAMP_FORMAT, CounterError, counter_place_of, counter_places_of
from .paper import PaperForm, counter_paper_start
from .retrieval import counter_checklist, counter_fee_due_cents, predemande_for_counter, predemande_number_parse
from .session import (
    LodgingResult,
    counter_capture,
    counter_lodge,
    counter_session_open,
    counter_session_record_view,
    fingerprints_required,
    new_receipt_number,
)

__all__ = [
    "NUMBER_FORMAT",
    "STAMP_FORMAT",
    "CounterError",
    "LodgingResult",
    "PaperForm",
    "counter_capture",
    "counter_checklist",
    "counter_fee_due_cents",
    "counter_lodge",
    "counter_paper_start",
    "counter_place_of",
    "counter_places_of",
    "counter_session_open",
    "counter_session_record_view",
    "fingerprints_required",
    "new_receipt_number",
    "predemande_for_counter",
    "predemande_number_parse",
]
