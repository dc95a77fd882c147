"""core.bulk.insert: many rows of one model in one statement per batch, keys back in the rows' order."""

from __future__ import annotations

import pytest

from xingyao.core import bulk
from xingyao.core.models import Counter

pytestmark = pytest.mark.django_db


def test_insert_writes_every_row_with_its_values_and_returns_the_keys_in_order(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(bulk, "BATCH", 2)  # three batches for five rows
    rows = [(f"bulk-{n}", n * 10) for n in (5, 3, 9, 1, 7)]
    keys = bulk.insert(Counter, ("name", "value"), rows)
    assert keys == [name for name, _value in rows]
    stored = dict(Counter.objects.filter(name__startswith="bulk-").values_list("name", "value"))
    assert stored == dict(rows)
    assert not Counter.objects.filter(name__startswith="bulk-", expires_at__isnull=False).exists()  # the default


def test_insert_of_nothing_writes_nothing() -> None:
    assert bulk.insert(Counter, ("name", "value"), []) == []
    assert not Counter.objects.filter(name__startswith="bulk-").exists()
