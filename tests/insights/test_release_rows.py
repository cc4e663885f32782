"""Reading a release's reports: CSV text made by the database, parsed by Polars, from one
snapshot, in processes when the database is a file."""

import sqlite3
import sys

import pytest
from django.db import connection

from visiblework.insights import release_rows
from visiblework.insights.release_rows import ReadError, report_frame
from visiblework.reports.demo import make_demo_reports
from visiblework.reports.models import Report

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="reading a SQLite file in processes; PostgreSQL reads one COPY stream")


def _cutoff():
    return max(Report.objects.values_list("received_month", flat=True))


@pytest.fixture
def database_file(tmp_path, monkeypatch):
    """The test database copied to a file, which the release then reads (the test database
    itself is in memory, where only its own connection can read it)."""
    def copy() -> str:
        path = str(tmp_path / "reports.sqlite3")
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()
        with sqlite3.connect(path) as db:
            db.execute("PRAGMA journal_mode=WAL")
        monkeypatch.setitem(connection.settings_dict, "NAME", path)
        return path
    return copy


@sqlite_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("parallel_from", [0, 10**9], ids=["in processes", "one connection"])
def test_a_database_file_gives_the_same_frame_as_the_connection_of_the_request(
        catalogue, database_file, monkeypatch, parallel_from):
    make_demo_reports(n=300, seed=11)
    cutoff = _cutoff()
    expected = report_frame(cutoff)
    database_file()
    monkeypatch.setattr(release_rows, "PARALLEL_FROM", parallel_from)
    assert report_frame(cutoff, chunk=37).equals(expected)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_large_database_file_is_read_by_processes(catalogue, database_file, monkeypatch):
    make_demo_reports(n=50, seed=12)
    database_file()
    monkeypatch.setattr(release_rows, "PARALLEL_FROM", 0)
    calls = []
    real = release_rows._in_processes
    monkeypatch.setattr(release_rows, "_in_processes",
                        lambda *args: calls.append(args) or real(*args))
    assert report_frame(_cutoff(), chunk=10).height == 50
    assert len(calls) == 1


@pytest.mark.django_db
def test_a_stored_text_with_a_comma_a_quote_or_a_newline_is_read_back_unchanged(catalogue):
    make_demo_reports(n=20, seed=13)
    first = Report.objects.order_by("id").first()
    Report.objects.filter(pk=first.pk).update(region='north, "east"\nsouth')
    frame = report_frame(_cutoff(), chunk=1)  # PostgreSQL: text parsed every 64 bytes or so
    assert frame.height == 20
    assert frame["region"][0] == 'north, "east"\nsouth'


@pytest.mark.parametrize(("text", "end"), [
    (b'1,"a"\n2,"b"\n3,"c', 12),   # the last record is not whole
    (b'1,"a\nb"\n2,"c', 8),        # a newline inside quotes is no end
    (b'1,"a\nb', 0),               # nothing whole yet
    (b'1,"a""\nb"\n', 10),         # a doubled quote is a quote inside the value
])
def test_the_last_whole_record_ends_at_a_newline_outside_quotes(text, end):
    assert release_rows._last_line_end(bytearray(text)) == end


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_stored_text_with_a_comma_is_read_back_unchanged_by_the_processes(
        catalogue, database_file, monkeypatch):
    make_demo_reports(n=20, seed=13)
    first = Report.objects.order_by("id").first()
    Report.objects.filter(pk=first.pk).update(region='north, "east"\nsouth')
    database_file()
    monkeypatch.setattr(release_rows, "PARALLEL_FROM", 0)
    frame = report_frame(_cutoff(), chunk=3)
    assert frame.height == 20
    assert frame["region"][0] == 'north, "east"\nsouth'


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_an_error_in_a_reading_process_is_raised_with_its_message(catalogue, database_file):
    make_demo_reports(n=5, seed=14)
    path = database_file()
    with pytest.raises(ReadError, match="no such table"):
        release_rows._in_processes(path, "SELECT count(*), '' FROM no_such_table "
                                         "WHERE ? AND ? AND ? AND ? AND ?", [1, 1, 1],
                                   [(1, 3), (3, 6)], 2)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_reading_process_that_stops_is_an_error_not_a_wait(catalogue, database_file,
                                                             monkeypatch):
    make_demo_reports(n=5, seed=14)
    path = database_file()
    monkeypatch.setattr(sys, "executable", "/bin/true")  # starts, reads nothing, exits
    with pytest.raises(ReadError, match="stopped"):
        release_rows._in_processes(path, "SELECT 1", [], [(1, 6)], 2)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_no_commit_can_happen_while_the_readers_take_their_snapshot(catalogue, database_file):
    make_demo_reports(n=5, seed=15)
    path = database_file()
    writer = sqlite3.connect(path, timeout=0)
    with release_rows._write_lock(path), pytest.raises(sqlite3.OperationalError,
                                                       match="locked"):
        writer.execute("BEGIN IMMEDIATE")
    writer.close()


def test_text_that_does_not_parse_is_an_error_that_quotes_no_value():
    with pytest.raises(ReadError) as raised:
        release_rows._parse(b'7,-7,"other","south",1,,"KE",20261,secret-value,,2.00,0.50,0\n', 1)
    assert "secret" not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_a_parsed_range_is_one_chunk_however_many_rows_it_holds():
    line = b'7,-7,"other","global-south",1,,"KE",20261,1.5000,,2.00,0.50,0\n'
    part = release_rows._parse(line * 200_000, 200_000)
    assert part.n_chunks("all") == [1] * part.width


@pytest.mark.django_db
def test_every_column_of_the_frame_is_cut_into_the_same_chunks(catalogue):
    make_demo_reports(n=100, seed=16)
    frame = report_frame(_cutoff(), chunk=30)
    assert len(set(frame.n_chunks("all"))) == 1
