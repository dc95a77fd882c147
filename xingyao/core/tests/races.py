"""Running the same request from several threads at once, for the tests of row locks and counters.

Only PostgreSQL runs them: SQLite lets one writer in at a time and answers the others "database is locked", which
says nothing about the application's own locks. Each thread opens its own connection and closes it at the end;
a `threading.Barrier` releases them together. Nothing is timed.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

THREADS = 8

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent transactions with row locks: SQLite admits one writer at a time (CI runs PostgreSQL)",
)
# Marks a test that needs real concurrent transactions (and commits them: transaction=True).
concurrent = [on_postgresql, pytest.mark.django_db(transaction=True)]


def race(attempt: Callable[[int], Any], threads: int = THREADS) -> list[Any]:
    """Call `attempt(i)` in `threads` threads released together; their results (or what they raised), in order."""
    barrier = threading.Barrier(threads)
    results: list[Any] = [None] * threads

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = attempt(index)
        except BaseException as exc:  # the test reads what each thread raised
            results[index] = exc
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results


def statuses(responses: list[Any]) -> Counter[int]:
    """How many responses had each status code; a thread that raised fails the test with its exception."""
    for response in responses:
        if isinstance(response, BaseException):
            raise response
    return Counter(response.status_code for response in responses)


def one_winner(responses: list[Any], ok: int = 302, refused: int = 400) -> list[Any]:
    """Exactly one response `ok`, every other `refused` (never 500); the refused responses."""
    counts = statuses(responses)
    assert counts == Counter({ok: 1, refused: len(responses) - 1}), counts
    return [r for r in responses if r.status_code == refused]
