"""Bulk loading into the Django database: COPY on PostgreSQL (psycopg 3), batched INSERTs elsewhere (SQLite).

Rows are plain tuples in the order of `columns`; datetimes are timezone-aware, JSON values are already strings.
Large PostgreSQL loads drop the table's secondary indexes and foreign keys first and put them back after
(building an index once is much faster than maintaining it row by row); CHECK and NOT NULL constraints stay on,
so every row is still checked, and re-adding the foreign keys and unique indexes checks those rules at the end.
"""

import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connection

# Below this many rows, dropping and rebuilding indexes costs more than it saves.
REBUILD_THRESHOLD = 200_000
INSERT_BATCH = 2_000


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


class Progress:
    """Prints rows/s and an ETA for one table, at most every `every` seconds."""

    def __init__(self, label: str, total: int | None, out: Callable[[str], None], every: float = 2.0) -> None:
        self.label, self.total, self.out, self.every = label, total, out, every
        self.started = self.last = time.perf_counter()
        self.count = 0

    def add(self, rows: int) -> None:
        self.count += rows
        now = time.perf_counter()
        if now - self.last >= self.every:
            self.last = now
            self.out(self.line(now))

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.count / elapsed
        text = f"  {self.label}: {self.count:,} rows, {rate:,.0f} rows/s"
        if self.total:
            remaining = max(self.total - self.count, 0) / rate if rate else 0
            text += f", {100 * self.count / self.total:.0f} %, ETA {remaining:,.0f} s"
        return text

    def done(self) -> float:
        elapsed = time.perf_counter() - self.started
        self.out(
            f"  {self.label}: {self.count:,} rows in {elapsed:.1f} s ({self.count / max(elapsed, 1e-9):,.0f} rows/s)"
        )
        return elapsed


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    return value


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[tuple], progress: Progress | None = None) -> int:
    """Writes `rows` into `table`; returns how many."""
    count = 0
    column_list = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        if is_postgresql():
            raw = cursor.cursor  # the psycopg cursor behind Django's wrapper
            with raw.copy(f'COPY "{table}" ({column_list}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
                    if progress is not None and count % 10_000 == 0:
                        progress.add(10_000)
            if progress is not None:
                progress.add(count % 10_000)
            return count
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f'INSERT INTO "{table}" ({column_list}) VALUES ({placeholders})'
        batch: list[tuple] = []
        for row in rows:
            batch.append(tuple(_sqlite_value(v) for v in row))
            if len(batch) >= INSERT_BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                if progress is not None:
                    progress.add(len(batch))
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
            if progress is not None:
                progress.add(len(batch))
    return count


class DeferredIndexes:
    """Context manager: drops a PostgreSQL table's secondary indexes and foreign keys, restores them on exit."""

    def __init__(self, table: str, out: Callable[[str], None] = print) -> None:
        self.table, self.out = table, out
        self.constraints: list[tuple[str, str]] = []
        self.indexes: list[tuple[str, str]] = []

    def __enter__(self) -> "DeferredIndexes":
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                   WHERE conrelid = %s::regclass AND contype IN ('f', 'u')""",
                [self.table],
            )
            self.constraints = list(cursor.fetchall())
            for name, _definition in self.constraints:
                cursor.execute(f'ALTER TABLE "{self.table}" DROP CONSTRAINT "{name}"')
            cursor.execute(
                """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
                   JOIN pg_class i ON i.oid = x.indexrelid
                   WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)""",
                [self.table],
            )
            self.indexes = list(cursor.fetchall())
            for name, _definition in self.indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, *exc_info: object) -> None:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in self.indexes:
                cursor.execute(definition)
            for name, definition in self.constraints:
                cursor.execute(f'ALTER TABLE "{self.table}" ADD CONSTRAINT "{name}" {definition}')
        self.out(
            f"  {self.table}: {len(self.indexes)} indexes and {len(self.constraints)} constraints rebuilt "
            f"in {time.perf_counter() - started:.1f} s"
        )


def load(
    table: str,
    columns: Sequence[str],
    rows: Iterable[tuple],
    *,
    expected: int | None = None,
    out: Callable[[str], None] = print,
) -> int:
    """Loads one table with progress output; defers its indexes when the load is large on PostgreSQL."""
    progress = Progress(table, expected, out)
    if is_postgresql() and (expected or 0) >= REBUILD_THRESHOLD:
        with DeferredIndexes(table, out):
            count = copy_rows(table, columns, rows, progress)
            progress.done()
    else:
        count = copy_rows(table, columns, rows, progress)
        progress.done()
    return count


def reset_sequences(tables: Iterable[str]) -> None:
    """After explicit ids, the next id the application takes must come after them."""
    if not is_postgresql():
        return  # SQLite's AUTOINCREMENT follows the largest id by itself
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"""SELECT setval(pg_get_serial_sequence('"{table}"', 'id'),
                       COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)"""
            )


def next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')
        return int(cursor.fetchone()[0])


def analyze() -> None:
    if is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
