"""One mechanism for the per-process caches: values for one version, one read of a version
per request."""

import gc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from visiblework.core import versioned
from visiblework.core.versioned import VersionedCache, read_version


def test_a_value_is_kept_for_its_version_and_dropped_when_the_version_moves():
    cache = VersionedCache("test values", 10)
    built = []
    assert cache.get(1, "a", lambda: built.append(1) or "one") == "one"
    assert cache.get(1, "a", lambda: built.append(2) or "again") == "one"
    assert cache.get(2, "a", lambda: built.append(3) or "two") == "two"
    assert built == [1, 3]


def test_carried_values_move_to_the_new_version_and_the_others_are_dropped():
    cache = VersionedCache("test carry", 10)
    cache.put(1, "kept", "k")
    cache.put(1, "touched", "t")
    cache.carry(1, 2, lambda key: key != "touched")
    assert cache.held_version() == 2
    assert cache.peek(2, "kept") == "k"
    assert cache.get(2, "touched", lambda: "read again") == "read again"


def test_get_many_builds_only_the_values_not_kept_in_one_call():
    cache = VersionedCache("test many", 10)
    cache.put(1, "a", "kept")
    calls = []

    def build(missing):
        calls.append(missing)
        return {key: f"built {key}" for key in missing if key != "gone"}

    found = cache.get_many(1, ["a", "b", "gone"], build)
    assert found == {"a": "kept", "b": "built b"} and calls == [["b", "gone"]]
    assert cache.peek(1, "b") == "built b"


def test_a_carry_from_a_version_no_longer_held_does_nothing():
    cache = VersionedCache("test carry late", 10)
    cache.put(3, "a", "three")
    cache.carry(1, 2, lambda key: True)
    assert cache.held_version() == 3
    assert cache.peek(3, "a") == "three"


def test_a_cache_holds_at_most_its_bound_dropping_the_least_recently_used():
    cache = VersionedCache("test bound", 2)
    for key in "abc":
        cache.get(1, key, lambda k=key: k)
    assert len(cache) == 2
    assert cache.get(1, "a", lambda: "built again") == "built again"


def test_a_frozen_value_thaws_the_previous_one_before_the_next_is_built(monkeypatch):
    calls = []
    monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    cache = VersionedCache("test frozen", 1, freeze=True)
    cache.get(1, "index", lambda: "first")
    cache.get(2, "index", lambda: "second")
    assert calls == ["unfreeze", "freeze", "unfreeze", "freeze"]


def test_clear_all_empties_every_cache():
    cache = VersionedCache("test clear", 5)
    cache.get(1, "a", lambda: "x")
    versioned.clear_all()
    assert len(cache) == 0


def test_outside_a_request_every_read_asks_again():
    reads = []
    read_version("test", lambda: reads.append(1) or 7)
    read_version("test", lambda: reads.append(1) or 7)
    assert len(reads) == 2


@pytest.mark.django_db
def test_a_browse_request_reads_the_catalogue_version_once(catalogue, anonymous, settings):
    settings.VISIBLEWORK_PAGE_CACHE = True
    with CaptureQueriesContext(connection) as queries:
        assert anonymous.get("/cases/?region=global-south").status_code == 200
    reads = [q for q in queries.captured_queries if "cases_catalogueversion" in q["sql"]]
    assert len(reads) == 1


@pytest.mark.django_db
def test_a_write_in_a_request_is_seen_by_the_rest_of_that_request(catalogue):
    from visiblework.cases.facets import current_version
    from visiblework.cases.indexing import bump_catalogue_version

    token = versioned._versions.set({})
    try:
        before = current_version()
        bump_catalogue_version()
        assert current_version() != before
    finally:
        versioned._versions.reset(token)


def test_a_value_built_without_the_lock_does_not_replace_one_stored_meanwhile():
    cache = VersionedCache("test advance", 1)
    first = cache.get(1, "index", lambda: ["first"])
    stored_meanwhile = ["meanwhile"]
    assert cache.advance(2, "index", stored_meanwhile, replaces=first)
    assert not cache.advance(3, "index", ["late"], replaces=first)
    assert cache.latest("index") == (2, stored_meanwhile)


def test_a_write_is_remembered_by_the_process_outside_any_request(monkeypatch):
    monkeypatch.setattr(versioned, "_written", {})
    versioned.wrote_version("test written", 42)
    assert versioned.written_here("test written") == 42
    assert versioned.written_here("test other") is None
