"""Shared set-up for benchmarks: a separate PostgreSQL database, migrated, and a timer that reports medians.

Benchmarks are not tests: they print figures, as ratios to a baseline measured in the same run on the same data,
so that numbers from different machines can be compared. Run from the repository root, for example
`.venv/bin/python bench/units.py`.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://xingyao:xingyao@127.0.0.1:5432/xingyao_bench")


def setup_django(url: str = BENCH_DATABASE_URL) -> None:
    """Point Django at the benchmark database (created when missing; an SQLite URL is a file) and migrate it."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ["XINGYAO_STATIC_MANIFEST"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xingyao.settings")
    if url.startswith("postgres"):
        _create_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404s we time on purpose


def _create_database(url: str = BENCH_DATABASE_URL) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def measure(fn: Callable[[], object], repeat: int = 15, warmup: int = 2) -> float:
    """Median wall time of `fn` in milliseconds."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def report(title: str, baseline_label: str, baseline_ms: float, rows: list[tuple[str, float]]) -> None:
    """Print each figure in ms and as a ratio to the baseline."""
    print(f"\n{title}")
    print(f"  {'baseline: ' + baseline_label:<62} {baseline_ms:9.2f} ms   1.0×")
    for label, ms in rows:
        print(f"  {label:<62} {ms:9.2f} ms {ms / baseline_ms:6.1f}×")
