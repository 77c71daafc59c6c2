"""Writing only what differs from the database, with bulk upserts, in one transaction."""

from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from guichet.audit.services import Actor, audit_record

from ..models import Commune, Department, PostalCode, Region, TerritoryImport
from .common import BATCH_SIZE, ImportReport, Progress, StepCount
from .reading import _Parsed


@transaction.atomic
def _write(parsed: _Parsed, report: ImportReport, *, actor: Actor, say: Progress) -> None:
    steps: list[tuple[str, str, Callable[[], StepCount]]] = [
        ("regions", _("Régions"), lambda: _upsert(Region, parsed.regions, key=("code",))),
        ("departments", _("Départements"), lambda: _upsert(Department, parsed.departments, key=("code",))),
        (
            "communes",
            _("Communes"),
            lambda: _upsert(
                Commune,
                [{k: v for k, v in row.items() if k != "postal_codes"} for row in parsed.communes],
                key=("code", "kind"),
                keep=parsed.commune_keys_in_file,
            ),
        ),
        (
            "postal_codes",
            _("Codes postaux (La Poste et COG)"),
            lambda: _upsert(
                PostalCode,
                parsed.postal_codes,
                key=("code", "commune_code", "routing_label"),
                keep=parsed.postal_keys_in_file,
            ),
        ),
    ]
    for name, label, run in steps:
        count = run()
        count.read = parsed.read.get(name, 0)
        count.rejected = parsed.rejected.get(name, 0)
        report.counts[name] = count
        say(f"{label} : {count.summary()}")
    coordinates = parsed.coordinates
    say(
        _(
            "Coordonnées : %(read)d lues, %(rejected)d rejetées ; %(known)d communes au centre connu, "
            "%(from_parent)d au centre de leur commune de rattachement, %(department_mean)d au centre moyen "
            "de leur département, %(none)d sans coordonnées"
        )
        % {"read": parsed.read.get("coordinates", 0), "rejected": parsed.rejected.get("coordinates", 0), **coordinates}
    )
    counts: dict[str, Any] = {name: asdict(count) for name, count in report.counts.items()}
    counts["coordinates"] = {
        "read": parsed.read.get("coordinates", 0),
        "rejected": parsed.rejected.get("coordinates", 0),
        **coordinates,
    }
    counts["issues"] = len(report.issues)
    entry = TerritoryImport.objects.create(version=report.version, counts=counts)
    audit_record(
        action="territory_imported",
        actor=actor,
        object_type="territory_import",
        object_id=entry.pk,
        data={"version": report.version, "changed": report.changed, "issues": len(report.issues)},
    )


def _upsert(
    model: type[models.Model],
    rows: Iterable[dict[str, Any]],
    *,
    key: tuple[str, ...],
    keep: set[Any] | None = None,
) -> StepCount:
    """Creates missing rows, updates differing ones (one upsert per batch), leaves equal ones alone.

    With `keep`, rows of the table whose key is not in it (no longer in the source file) are deleted.
    """
    rows = list(rows)
    count = StepCount()
    if not rows and keep is None:
        return count
    attnames = [name for name in (rows[0] if rows else {}) if name not in key]
    field_names = [model._meta.get_field(name).name for name in attnames]
    primary_key = model._meta.pk.attname  # type: ignore[union-attr]
    existing: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    existing_ids: dict[tuple[Any, ...], Any] = {}
    for values in model._default_manager.values_list(primary_key, *key, *attnames).iterator(chunk_size=5000):
        existing_ids[values[1 : 1 + len(key)]] = values[0]
        existing[values[1 : 1 + len(key)]] = values[1 + len(key) :]
    to_write = []
    for row in rows:
        row_key = tuple(row[name] for name in key)
        current = existing.get(row_key)
        if current is None:
            count.created += 1
        elif current != tuple(row[name] for name in attnames):
            count.updated += 1
        else:
            count.unchanged += 1
            continue
        to_write.append(model(**row))
    if to_write and field_names:
        model._default_manager.bulk_create(
            to_write, batch_size=BATCH_SIZE, update_conflicts=True, unique_fields=list(key), update_fields=field_names
        )
    elif to_write:
        model._default_manager.bulk_create(to_write, batch_size=BATCH_SIZE)
    if keep is not None:
        stale = [identifier for row_key, identifier in existing_ids.items() if row_key not in keep]
        for start in range(0, len(stale), BATCH_SIZE):
            deleted, _per_model = model._default_manager.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()
            count.deleted += deleted
    return count
