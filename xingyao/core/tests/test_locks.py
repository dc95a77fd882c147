"""Counters and row locks: what they answer one call at a time (any database), and under 20 simultaneous callers
(PostgreSQL, see races.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from xingyao.core import locks, ratelimit
from xingyao.core.models import Counter
from xingyao.core.tests.races import on_postgresql, race
from xingyao.places.models import Unit


@pytest.mark.django_db
def test_an_ended_window_starts_counting_again_and_is_swept():
    assert [ratelimit.hit("w", 2, 60) for _ in range(3)] == [False, False, True]
    Counter.objects.filter(name="ratelimit:w").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    Counter.objects.create(name="ratelimit:old", value=9, expires_at=timezone.now() - dt.timedelta(hours=1))
    Counter.objects.create(name="dispute:2026411", value=9)
    assert not ratelimit.hit("w", 2, 60)  # a new window: 1 again
    assert Counter.objects.get(name="ratelimit:w").value == 1
    assert not Counter.objects.filter(name="ratelimit:old").exists()  # ended windows are swept …
    assert Counter.objects.filter(name="dispute:2026411").exists()  # … and numbering series are never touched


@pytest.mark.django_db
def test_a_long_key_is_counted_under_a_bounded_name():
    key = "resident:ip:" + "f" * 300
    assert not ratelimit.hit(key, 1, 60)
    assert ratelimit.hit(key, 1, 60)
    assert all(len(name) <= 200 for name in Counter.objects.values_list("name", flat=True))


@pytest.mark.django_db
def test_a_configured_cache_counts_instead_of_the_table(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit-test"},
    }
    settings.RATELIMIT_CACHE = "ratelimit"
    assert [ratelimit.hit("c", 2, 60) for _ in range(3)] == [False, False, True]
    assert not Counter.objects.exists()


@pytest.mark.django_db
def test_a_series_continues_after_numbers_written_before_it():
    with transaction.atomic():
        assert locks.next_in_series("s", at_least=7) == 7
        assert locks.next_in_series("s") == 8
        assert locks.next_in_series("s", at_least=3) == 9  # never goes back
        assert locks.next_in_series("s", at_least=20) == 20  # never falls behind what was written


@pytest.mark.django_db(transaction=True)
def test_numbers_and_locks_need_the_changes_transaction():
    counter = Counter.objects.create(name="s")
    with pytest.raises(RuntimeError):
        locks.next_in_series("s")
    with pytest.raises(RuntimeError):
        locks.relock(counter)
    with pytest.raises(RuntimeError):
        locks.lock_in_order(Counter, ["s"], "a test")


@pytest.mark.django_db
def test_relock_reads_what_is_stored_now_in_place(world):
    village = Unit.objects.select_related("parent").get(pk=world.unit("毛桥村").pk)
    Unit.objects.filter(pk=village.pk).update(name="毛桥社区")
    with transaction.atomic():
        assert locks.relock(village) is village
    assert village.name == "毛桥社区"
    assert "parent" in village._state.fields_cache  # the related rows it had are kept


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_requests_let_exactly_the_limit_through():
    refused = race(lambda i: ratelimit.hit("resident:ip:203.0.113.9", 5, 600), 20)
    assert refused.count(False) == 5 and refused.count(True) == 15
    assert Counter.objects.get(name="ratelimit:resident:ip:203.0.113.9").value == 20


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_transactions_take_twenty_numbers():
    def take(i: int) -> int:
        with transaction.atomic():
            return locks.next_in_series("race")

    numbers = race(take, 20)
    assert sorted(numbers) == list(range(1, 21))
