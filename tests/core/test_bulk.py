"""Bulk INSERTs write what saving each object would have written."""

from __future__ import annotations

import gc

import pytest

from visiblework.core.audit import entry
from visiblework.core.bulk import create_objects, fewer_collections, insert_objects
from visiblework.core.models import AuditAction, AuditEntry

FIELDS = ("user_id", "user_label", "action", "object_type", "object_id", "summary", "data")


@pytest.mark.django_db
def test_inserted_objects_hold_what_save_would_have_written():
    data = {"case": 7, "words": ["ü", "ك"], "nested": {"ok": True}}
    saved = entry(None, AuditAction.IMPORT, None, "One", data, label="import x")
    saved.save()
    insert_objects([entry(None, AuditAction.IMPORT, None, "Two", data, label="import x")])
    one, two = AuditEntry.objects.order_by("id").values(*FIELDS, "at")
    assert {k: v for k, v in two.items() if k != "at"} == {
        **{k: v for k, v in one.items() if k != "at"}, "summary": "Two"}


@pytest.mark.django_db
def test_inserted_objects_are_given_their_automatic_times():
    insert_objects([entry(None, AuditAction.IMPORT, None, "Timed", label="import x")])
    assert AuditEntry.objects.get(summary="Timed").at is not None


@pytest.mark.django_db
def test_inserted_objects_are_written_in_chunks_whatever_their_number():
    insert_objects([entry(None, AuditAction.IMPORT, None, f"Row {i}", label="import x")
                    for i in range(1203)])
    assert AuditEntry.objects.filter(summary__startswith="Row ").count() == 1203


def test_the_collector_passes_less_often_inside_the_block_and_as_before_after_it():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] > before[0]
    assert gc.get_threshold() == before


@pytest.mark.django_db
def test_created_objects_are_given_their_new_primary_keys_in_order():
    made = [entry(None, AuditAction.IMPORT, None, f"Made {i}", label="import x")
            for i in range(130)]  # more than one statement's worth on SQLite
    create_objects(made)
    assert [AuditEntry.objects.get(pk=obj.pk).summary for obj in made] == [
        f"Made {i}" for i in range(130)]
    assert not made[0]._state.adding
