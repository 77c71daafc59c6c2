from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection

from guichet.audit.models import AuditEntry

TABLE = AuditEntry._meta.db_table


def skip_unless_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("proves a PostgreSQL guarantee (trigger or row locks): set DATABASE_URL to run it")


@contextmanager
def triggers_disabled() -> Iterator[None]:
    """What a DBA with full rights would do before tampering; a no-op on SQLite, which has no such trigger."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")


def tamper(sql: str, params: list[Any] | None = None) -> None:
    """Runs raw SQL against the journal table, bypassing the ORM and (on PostgreSQL) the trigger."""
    with triggers_disabled(), connection.cursor() as cursor:
        cursor.execute(sql.format(table=TABLE), params or [])
