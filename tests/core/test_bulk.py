"""Bulk INSERTs write what saving each object would have written; a long writer lets
writers that wait for SQLite's write lock in between its transactions."""

from __future__ import annotations

import gc
import sqlite3
import threading
import time
from contextlib import closing

import pytest
from django.db import connection

from visiblework.core import bulk
from visiblework.core.audit import entry
from visiblework.core.bulk import (
    WriterTurns,
    commit_by,
    create_objects,
    fewer_collections,
    insert_objects,
    insert_values,
    rows_for_lock,
)
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
def test_inserted_values_are_prepared_as_save_would_prepare_them():
    data = {"rate": "129.5", "words": ["ü", "ك"]}
    saved = entry(None, AuditAction.IMPORT, None, "One", data, label="import x")
    saved.save()
    columns = ("user_label", "action", "object_type", "object_id", "summary", "data", "at")
    insert_values(AuditEntry, columns, [("import x", AuditAction.IMPORT, "", "", "Two", data,
                                         saved.at)])  # a dict and an aware datetime
    one, two = AuditEntry.objects.order_by("id").values(*columns)
    assert two == {**one, "summary": "Two"}


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


def _sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL locks rows, not the database: a long writer does not pause there")


def test_a_long_writer_pauses_once_it_has_held_the_lock_a_second_on_sqlite(monkeypatch):
    _sqlite_only()
    pauses = []
    monkeypatch.setattr(bulk.time, "sleep", pauses.append)
    turns = WriterTurns()
    for _transaction in range(3):
        turns.after(0.4)
    assert pauses == [bulk.WRITERS_GAP]  # after the third


def test_a_long_writer_counts_the_lock_held_again_after_each_pause(monkeypatch):
    _sqlite_only()
    pauses = []
    monkeypatch.setattr(bulk.time, "sleep", pauses.append)
    turns = WriterTurns()
    turns.after(1.5)
    turns.after(0.5)
    assert pauses == [bulk.WRITERS_GAP]


@pytest.mark.django_db
def test_a_long_writer_does_not_pause_inside_a_transaction(monkeypatch):
    pauses = []
    monkeypatch.setattr(bulk.time, "sleep", pauses.append)
    WriterTurns().after(1.0)
    assert pauses == []


def _batches_beside_a_waiter(path, *, hold: float, wait_first: float, batches: int) -> bool:
    """A long writer's transactions of `hold` seconds, each followed by WriterTurns.after, while
    another connection waits in SQLite's busy handler (from `wait_first` seconds into the
    first one): whether the waiter took the lock between two of them."""
    long_writer = sqlite3.connect(path, isolation_level=None, timeout=10)
    long_writer.execute("CREATE TABLE t (x)")
    got: list[float] = []

    def wait_and_write():
        with closing(sqlite3.connect(path, isolation_level=None, timeout=10)) as waiter:
            waiter.execute("BEGIN IMMEDIATE")  # waits in the busy handler
            got.append(time.monotonic())
            waiter.execute("COMMIT")

    long_writer.execute("BEGIN IMMEDIATE")
    thread = threading.Thread(target=wait_and_write)
    thread.start()
    time.sleep(wait_first)
    turns = WriterTurns()
    for _batch in range(batches):  # commit, pause, begin again at once
        long_writer.execute("COMMIT")
        turns.after(hold)
        long_writer.execute("BEGIN IMMEDIATE")
        if got:
            break
        time.sleep(hold)
    got_in_between = bool(got)
    long_writer.execute("COMMIT")
    thread.join(15)
    long_writer.close()
    return got_in_between


def test_the_pause_lets_a_writer_waiting_in_sqlites_busy_handler_take_the_lock(tmp_path):
    _sqlite_only()  # after half a second, the waiter tries again every 100 ms
    assert _batches_beside_a_waiter(tmp_path / "lock.sqlite3", hold=0.5, wait_first=0.5,
                                    batches=5)


def test_quick_transactions_with_short_pauses_still_let_a_waiting_writer_in(tmp_path):
    _sqlite_only()
    assert _batches_beside_a_waiter(tmp_path / "lock.sqlite3", hold=0.03, wait_first=0.03,
                                    batches=60)


def test_a_long_writer_takes_as_many_rows_as_hold_the_lock_a_second_on_sqlite():
    _sqlite_only()
    assert rows_for_lock(500, 500, 5.0) == 100  # 100 rows/s


def test_a_long_writer_never_takes_more_rows_than_its_batch_nor_fewer_than_ten():
    _sqlite_only()
    assert (rows_for_lock(500, 500, 0.01), rows_for_lock(500, 10, 60.0)) == (500, 10)


def test_a_long_writer_starts_with_ten_rows_on_sqlite_before_it_knows_their_time():
    _sqlite_only()
    assert (rows_for_lock(500), rows_for_lock(5)) == (10, 5)


@pytest.mark.django_db
def test_inside_a_transaction_a_long_writer_keeps_its_whole_batch():
    assert (rows_for_lock(500), rows_for_lock(500, 500, 5.0)) == (500, 500)


def test_a_long_writers_transaction_on_sqlite_commits_within_two_seconds_of_writing():
    _sqlite_only()
    deadline = commit_by()
    assert deadline is not None and deadline - time.monotonic() == pytest.approx(2.0, abs=0.1)


@pytest.mark.django_db
def test_inside_a_transaction_a_long_writer_has_no_time_to_commit_by():
    assert commit_by() is None
