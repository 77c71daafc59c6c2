"""Import and export of places in the national mediation-places schema (INTEROP.md §4), CSV and JSON.

Export: one record per active place of the mediation kinds, with the schema's exact keys; multi-valued fields
joined with `|`; JSON uses the same keys and the same string values as the CSV.

Import: every record is checked field by field. A problem that prevents placing the record (missing required
field, duplicate id, bad INSEE code, broken encoding, another département) rejects the line; a bad optional value
(unknown vocabulary value, impossible coordinates, unreadable opening hours, bad URL or e-mail) is left out and
reported, and the rest of the line is imported. Unknown `typologie` codes are kept as text. Nothing is dropped
without a line in the report.
"""

from .export import export_records, place_to_record, record_problems, records_to_csv, records_to_json
from .fields import (
    CLOSED_VOCABULARIES,
    EXPORTED_KINDS,
    FIELDS,
    GUICHET_ID_PATTERN,
    KIND_TYPOLOGIES,
    LIST_ATTRIBUTES,
    MAX_LENGTHS,
    PIVOT_PATTERN,
    REQUIRED,
    SEPARATOR,
    TEXT_ATTRIBUTES,
    URL_FIELDS,
)
from .rows import ImportIssue, ImportReport
from .service import places_import

__all__ = [
    "CLOSED_VOCABULARIES",
    "EXPORTED_KINDS",
    "FIELDS",
    "GUICHET_ID_PATTERN",
    "KIND_TYPOLOGIES",
    "LIST_ATTRIBUTES",
    "MAX_LENGTHS",
    "PIVOT_PATTERN",
    "REQUIRED",
    "SEPARATOR",
    "TEXT_ATTRIBUTES",
    "URL_FIELDS",
    "ImportIssue",
    "ImportReport",
    "export_records",
    "place_to_record",
    "places_import",
    "record_problems",
    "records_to_csv",
    "records_to_json",
]
