"""Helpers for tests that prove a concurrency claim with real connections, one per thread (PostgreSQL only)."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections


def skip_unless_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("proves a concurrency claim: needs PostgreSQL's row locks (set DATABASE_URL)")


def run_together(count: int, work: Callable[[], Any]) -> list[Any]:
    """Starts `count` threads that call `work` at the same instant; returns results (or raised exceptions)."""
    barrier = threading.Barrier(count)
    results: list[Any] = []
    lock = threading.Lock()

    def runner() -> None:
        try:
            barrier.wait(timeout=10)
            outcome: Any = work()
        except Exception as error:
            outcome = error
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=runner) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
