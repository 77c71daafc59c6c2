"""Export: one record per place, every field as text; CSV and JSON use the same keys and values."""

import csv
import io
import json
from collections.abc import Iterable
from datetime import date

from .. import vocabularies
from ..models import Place
from .fields import CLOSED_VOCABULARIES, FIELDS, KIND_TYPOLOGIES, LIST_ATTRIBUTES, REQUIRED, SEPARATOR, TEXT_ATTRIBUTES


def _join(values: Iterable[str]) -> str:
    return SEPARATOR.join(values)


def _number(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def place_to_record(place: Place) -> dict[str, str]:
    """One place as a record of the national schema: every field, as text."""
    record = {name: str(getattr(place, attribute) or "") for name, attribute in TEXT_ATTRIBUTES.items()}
    record.update({name: _join(getattr(place, attribute)) for name, attribute in LIST_ATTRIBUTES.items()})
    if not place.typologies and place.kind in KIND_TYPOLOGIES:
        record["typologie"] = KIND_TYPOLOGIES[place.kind]
    record["id"] = place.schema_id or f"guichet-{place.pk}"
    record["pivot"] = place.pivot or place.siret
    record["latitude"] = _number(place.latitude)
    record["longitude"] = _number(place.longitude)
    record["courriels"] = _join([email for email in (place.email, *place.other_emails) if email])
    updated = place.data_updated_on or (place.updated_at.date() if place.updated_at else date.today())
    record["date_maj"] = updated.isoformat()
    record["source"] = place.source or "Guichet"
    return {name: record[name] for name in FIELDS}


def records_to_csv(records: Iterable[dict[str, str]]) -> str:
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return stream.getvalue()


def records_to_json(records: Iterable[dict[str, str]]) -> str:
    return json.dumps(list(records), ensure_ascii=False, indent=2)


def export_records(places: Iterable[Place]) -> list[dict[str, str]]:
    return sorted((place_to_record(place) for place in places), key=lambda record: record["id"])


def record_problems(record: dict[str, str]) -> list[str]:
    """What makes an exported record invalid against the field list and vocabularies (empty when valid)."""
    problems = []
    if list(record) != list(FIELDS):
        problems.append(f"fields differ: {list(record)}")
    for name in REQUIRED:
        if not record.get(name, "").strip():
            problems.append(f"{name} missing")
    for name, vocabulary in CLOSED_VOCABULARIES.items():
        values = [value for value in record.get(name, "").split(SEPARATOR) if value]
        problems.extend(f"{name}: {value!r}" for value in vocabularies.unknown_values(values, vocabulary))
    return problems
