"""The synthetic data generator's row values (benchmarks/generate.py)."""

from __future__ import annotations

import json
import multiprocessing
import tempfile

import numpy as np
import pytest
from django.db import connection, transaction

from visiblework.benchmarks import generate
from visiblework.benchmarks.generate import _unique_keys, _unpaid_json
from visiblework.cases.models import Actor
from visiblework.reports.models import Report

SQLITE_ONLY = pytest.mark.skipif(connection.vendor != "sqlite",
                                 reason="rows are staged in a second process on SQLite only")


def actor_columns(a: int, b: int) -> dict:
    return {"slug": [f"staged-{i}" for i in range(a, b)],
            "name": [f"Staged actor {i}" for i in range(a, b)], "kind": "platform"}


def staged_actors() -> list[tuple[str, str]]:
    return list(Actor.objects.filter(slug__startswith="staged-").order_by("id")
                .values_list("slug", "name"))


@pytest.fixture
def small_chunks(monkeypatch, tmp_path):
    monkeypatch.setattr(generate, "CHUNK", 40)
    monkeypatch.setattr(generate, "STAGED_ROWS", 80)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    staged = []
    real = generate._insert_staged
    monkeypatch.setattr(generate, "_insert_staged",
                        lambda *args, **kwargs: staged.append(True) or real(*args, **kwargs))
    return staged


def test_receipt_hashes_are_unique_64_hex_digits_in_row_order():
    hashes = _unique_keys(seed=1, first=1, n=5000)["receipt_hash"]
    assert len(set(hashes)) == 5000
    assert all(len(h) == 64 and int(h, 16) >= 0 for h in hashes)
    assert hashes == sorted(hashes)


def test_public_ids_are_unique_and_do_not_follow_row_order():
    ids = _unique_keys(seed=1, first=1, n=5000)["public_id"]
    assert len(set(ids)) == 5000 and {len(i) for i in ids} == {16}
    assert ids != sorted(ids)


def test_the_same_seed_and_rows_give_the_same_keys():
    assert _unique_keys(seed=3, first=100, n=10) == _unique_keys(seed=3, first=100, n=10)


def test_unpaid_hours_are_written_as_the_json_the_app_stores():
    columns = {"training": np.array([0.0, 1.5, 2.0]), "waiting": np.array([0.5, 0.0, 10.0])}
    written = _unpaid_json(columns)
    assert [json.loads(text) for text in written] == [
        {"waiting": "0.5"}, {"training": "1.5"}, {"training": "2", "waiting": "10"}]


@SQLITE_ONLY
@pytest.mark.django_db(transaction=True)
def test_rows_staged_by_a_second_process_are_written_in_order(small_chunks):
    generate._insert_chunks(Actor, lambda: actor_columns, 130)
    assert small_chunks == [True]
    assert staged_actors() == [(f"staged-{i}", f"Staged actor {i}") for i in range(130)]


@pytest.mark.django_db
def test_inside_a_transaction_the_rows_are_written_by_this_process(small_chunks):
    with transaction.atomic():
        generate._insert_chunks(Actor, lambda: actor_columns, 130)
    assert small_chunks == []
    assert len(staged_actors()) == 130


@SQLITE_ONLY
@pytest.mark.django_db(transaction=True)
def test_an_error_while_staging_is_raised_with_what_went_wrong(small_chunks, tmp_path):
    def failing(a: int, b: int) -> dict:
        if a >= 120:
            raise ValueError("no rows past 120")
        return actor_columns(a, b)

    with pytest.raises(RuntimeError, match="no rows past 120"):
        generate._insert_chunks(Actor, lambda: failing, 130)
    assert len(staged_actors()) == 120  # the files copied before it stay
    assert list(tmp_path.iterdir()) == []  # no staged file is left behind


@SQLITE_ONLY
@pytest.mark.django_db(transaction=True)
def test_staged_reports_are_the_rows_written_in_one_transaction(small_chunks):
    fields = [f.column for f in Report._meta.concrete_fields if f.column != "worker_id"]
    generate.make_reports(150, seed=7)
    staged = list(Report.objects.order_by("id").values_list(*fields))
    Report.objects.all().delete()
    with transaction.atomic():
        generate.make_reports(150, seed=7)
    assert small_chunks == [True]
    assert list(Report.objects.order_by("id").values_list(*fields)) == staged


@SQLITE_ONLY
@pytest.mark.django_db(transaction=True)
def test_rows_written_meanwhile_are_written_while_the_others_are_staged(small_chunks):
    def meanwhile() -> None:
        Actor.objects.create(slug="written-meanwhile", name="Meanwhile", kind="platform")

    generate._insert_chunks(Actor, lambda: actor_columns, 130, meanwhile=meanwhile)
    assert small_chunks == [True]
    assert Actor.objects.filter(slug="written-meanwhile").exists()
    assert len(staged_actors()) == 130


def journal_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        return str(cursor.fetchone()[0]).lower()


@SQLITE_ONLY
@pytest.mark.django_db(transaction=True)
def test_a_throwaway_database_is_loaded_without_a_journal_and_gets_its_own_back():
    before = journal_mode()
    with generate._fast_sqlite(throwaway=True):
        assert journal_mode() == "off"
    assert journal_mode() == before


@SQLITE_ONLY
@pytest.mark.django_db(transaction=True)
def test_a_database_with_real_data_keeps_a_rollback_journal_while_loading():
    with generate._fast_sqlite(throwaway=False):
        assert journal_mode() == "memory"


def test_a_staging_process_whose_parent_is_gone_stops_instead_of_waiting(tmp_path):
    context = multiprocessing.get_context("fork")
    _here, there = context.Pipe()
    no_room = context.Semaphore(0)  # a parent that is gone never makes room
    generate._stage_chunks(Actor, lambda: actor_columns, [(0, 40)], tmp_path, there, no_room,
                           parent_pid=-1)
    assert list(tmp_path.iterdir()) == []
