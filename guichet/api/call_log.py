"""Writing the log of machine API calls (ApiCallLog): one INSERT per call, without waiting for the disk.

Why the row may be written with an asynchronous commit (`synchronous_commit = off` for that one statement): the
log records who called which endpoint, when, the answer's status and how many ids were asked (never which ones),
for operations and support. Nothing is decided from it: no quota, no billing, no access control reads it, and
every change an API call makes (registering or deleting an appointment) is recorded in the audit journal by the
service that makes it, durably, in the change's own transaction. An asynchronous commit only differs from a
synchronous one if PostgreSQL or the machine crashes within the next fraction of a second (at most three times
`wal_writer_delay`, 0.6 s by default): the last log rows are then lost, never corrupted, and nothing else is
affected (the setting is local to the log's own one-statement transaction). Waiting for the WAL flush cost more
than the rest of a status call (2-4 ms per call on this machine), so the trade is worth it.

Inside a transaction (tests, or a caller's `atomic` block) the statement runs as a plain INSERT: a local setting
there would apply to the caller's whole transaction.
"""

import functools

from django.db import connection
from django.utils import timezone

from .models import ApiCallLog

_COLUMNS = ("client_id", "api", "endpoint", "method", "status_code", "item_count", "created_at")


@functools.cache
def _statements(vendor: str) -> tuple[str, str]:
    # Built once per database vendor: the table and its columns only change with a deploy.
    quote = connection.ops.quote_name
    table = quote(ApiCallLog._meta.db_table)
    columns = ", ".join(quote(name) for name in _COLUMNS)
    placeholders = ", ".join(["%s"] * len(_COLUMNS))
    # Only the model's own table and column names are formatted in; every value is a parameter.
    durable = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    # set_config(…, true) lasts until the end of the statement's own transaction, whose commit then does not
    # wait for the WAL flush; the sub-select is what makes PostgreSQL evaluate it before the insert.
    asynchronous = (
        f"INSERT INTO {table} ({columns}) SELECT {placeholders} "  # noqa: S608
        "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS asynchronous_commit"
    )
    return durable, asynchronous


def call_log_write(
    *, client_id: int | None, api: str, endpoint: str, method: str, status_code: int, item_count: int
) -> None:
    """One ApiCallLog row, written without building a model instance (this runs on every API call)."""
    durable, asynchronous = _statements(connection.vendor)
    params = [
        client_id,
        api,
        endpoint,
        method,
        status_code,
        item_count,
        connection.ops.adapt_datetimefield_value(timezone.now()),
    ]
    statement = asynchronous if connection.vendor == "postgresql" and not connection.in_atomic_block else durable
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
