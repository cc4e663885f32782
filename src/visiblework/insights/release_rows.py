"""The reports a release reads, as one typed Polars frame, read fast and from one snapshot.

The database writes the rows as CSV text and Polars parses it: a Python object per value
(``fetchmany``'s tuples, then a frame built from them) was most of the time of reading millions
of reports. PostgreSQL streams one ``COPY (SELECT …) TO STDOUT`` (one statement, one
snapshot; the server formats while this process parses). SQLite makes the text of a range of
report ids in one statement (``group_concat`` of one ``printf`` a report), all ranges in one
read transaction; above :data:`PARALLEL_FROM` report ids, a database file is read by
:data:`READERS` processes (:mod:`.release_reader`), every one on the same snapshot, each taking
every other range, while this process parses.

Floats are written as decimals with the field's places and parsed back to the nearest double,
as the ORM reads a decimal field; platforms and clients as actor ids, whose slugs are looked up
once at the end."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import DecimalField

from visiblework.cases.models import Actor
from visiblework.reports.models import RATING_FIELDS, PaymentProblem, Report, ReportStatus

from . import release_reader  # standard library only; its file is what the readers run

if TYPE_CHECKING:
    import polars as pl

CHUNK = 50_000  # report ids a SQLite statement reads; PostgreSQL: about as many rows parsed at once
READERS = 2  # connections reading a SQLite file at once (this machine has two cores)
PARALLEL_FROM = 4 * CHUNK  # fewer report ids than this are read by one connection
LOOKUP_BATCH = 1000  # actor ids looked up in one query
RATING_BITS = 3  # a rating 1-5 (0: none) in three bits

# The CSV columns, in order, and how Polars reads each.
TEXT_COLUMNS = ("task_type", "region", "country")
NUMBER_COLUMNS = (  # (frame column, report field)
    ("effective_hourly_usd", "effective_hourly_usd"),
    ("effective_hourly_ppp", "effective_hourly_ppp"),
    ("paid_hours", "paid_hours"),
    ("unpaid_hours", "unpaid_hours_total"),
)
CSV_COLUMNS = ("id", "worker", "task_type", "region", "platform", "client", "country", "period",
               *(name for name, _field in NUMBER_COLUMNS), "packed")


class ReadError(RuntimeError):
    """The text the database wrote did not parse into the rows it counted."""


def _places(column: str) -> int:
    field = Report._meta.get_field(column)
    assert isinstance(field, DecimalField)
    return int(field.decimal_places)


def _any_harm_sql() -> str:
    """Whether the stored list of harmful content is not empty, in SQL (JSON text on SQLite,
    jsonb on PostgreSQL): decoding every list in Python cost seconds per million reports."""
    if connection.vendor == "postgresql":
        return ("(CASE WHEN jsonb_typeof(r.harmful_content) = 'array' "
                "THEN jsonb_array_length(r.harmful_content) ELSE 0 END > 0)")
    return ("(CASE WHEN json_valid(r.harmful_content) "
            "THEN json_array_length(r.harmful_content) ELSE 0 END > 0)")


def _packed(late: str) -> str:
    """The eight ratings (three bits each, 0 for none, clipped to 1-5 as the engine clips
    them), late pay (bit 24) and harmful content (bit 25) as one integer."""
    parts = [f"(CASE WHEN r.{name} IS NULL THEN 0 WHEN r.{name} < 1 THEN 1 "
             f"WHEN r.{name} > 5 THEN 5 ELSE r.{name} END) * {1 << (RATING_BITS * i)}"
             for i, name in enumerate(RATING_FIELDS)]
    flags = RATING_BITS * len(RATING_FIELDS)
    parts.append(f"(CASE WHEN r.payment_problems IN ({late}) THEN {1 << flags} ELSE 0 END)")
    parts.append(f"(CASE WHEN {_any_harm_sql()} THEN {1 << (flags + 1)} ELSE 0 END)")
    return "(" + " + ".join(parts) + ")"


def _where(cutoff: date, periods: Sequence[str] | None) -> tuple[str, list[Any]]:
    """Reports not withdrawn, received up to the cut-off, in ``periods`` if given. The three
    late-pay values of :func:`_packed` come first in the parameters."""
    params: list[Any] = [PaymentProblem.LATE, PaymentProblem.MISSING, PaymentProblem.BOTH,
                         ReportStatus.WITHDRAWN, cutoff]
    sql = "r.status <> %s AND r.received_month <= %s"
    if periods is not None:
        codes = sorted({period_code(period) for period in periods}) or [0]
        sql += f" AND r.year * 10 + r.quarter IN ({', '.join(['%s'] * len(codes))})"
        params += codes
    return sql, params


def period_code(period: str) -> int:
    year, quarter = period.split("-Q")
    return int(year) * 10 + int(quarter)


def _postgres_copy(where: str) -> str:
    numbers = ", ".join(f"ROUND(r.{field}, {_places(field)})" for _name, field in NUMBER_COLUMNS)
    return ("COPY (SELECT r.id, COALESCE(r.worker_id, -r.id), r.task_type, r.region, "  # noqa: S608
            f"r.platform_id, r.client_id, r.country, r.year * 10 + r.quarter, {numbers}, "
            f"{_packed('%s, %s, %s')} FROM reports_report r WHERE {where} ORDER BY r.id) "
            "TO STDOUT (FORMAT csv)")


def _sqlite_range(where: str) -> str:
    """One statement: how many reports a range of ids holds, and their CSV lines, each made
    by one ``printf`` (a third faster than joining the values with ``||``). Text is quoted
    (``%w`` doubles a quote: a stored value may hold a comma); a NULL is an empty field."""
    def number(field: str) -> str:
        return f"iif(r.{field} IS NULL, '', printf('%.{_places(field)}f', r.{field}))"

    line = ("printf('%d,%d,\"%w\",\"%w\",%s,%s,\"%w\",%d,%s,%s,%s,%s,%d', r.id, "
            "COALESCE(r.worker_id, -r.id), ifnull(r.task_type, ''), ifnull(r.region, ''), "
            "ifnull(r.platform_id, ''), ifnull(r.client_id, ''), ifnull(r.country, ''), "
            "r.year * 10 + r.quarter, "
            + ", ".join(number(field) for _name, field in NUMBER_COLUMNS)
            + f", {_packed('?, ?, ?')})")
    return (f"SELECT count(*), group_concat(line, char(10)) FROM (SELECT {line} AS line "  # noqa: S608
            f"FROM reports_report r WHERE r.id >= ? AND r.id < ? AND {where.replace('%s', '?')} "
            "ORDER BY r.id)")


def _parse(text: bytes | str, expected: int | None = None) -> pl.DataFrame:
    import polars as pl

    schema: dict[str, Any] = {
        "id": pl.Int64, "worker": pl.Int64, "task_type": pl.String, "region": pl.String,
        "platform": pl.Int64, "client": pl.Int64, "country": pl.String, "period": pl.Int32,
        **{name: pl.Float64 for name, _field in NUMBER_COLUMNS}, "packed": pl.Int64}
    data = text.encode() if isinstance(text, str) else text
    try:
        frame = (pl.read_csv(io.BytesIO(data), has_header=False, schema=schema, n_threads=1)
                 if data else pl.DataFrame(schema=schema))
    except pl.exceptions.PolarsError:
        # Polars' message quotes the text it could not read: reports' values, which must not
        # reach a job's error or a log.
        raise ReadError("a range of reports did not parse as CSV") from None
    if expected is not None and frame.height != expected:
        raise ReadError(f"{frame.height} rows parsed where the database counted {expected}")
    # The parser cuts its output into small chunks: one a part, as the engine reads fastest
    # (a frame of thousands of chunks made its preparation twice as slow). Then strings as
    # categoricals (a few distinct values each), flags as booleans, ratings as small integers.
    frame = frame.rechunk()
    packed = pl.col("packed")
    flags = RATING_BITS * len(RATING_FIELDS)
    mask = (1 << RATING_BITS) - 1
    return frame.select(
        "id", "worker",
        *[pl.col(name).fill_null("").cast(pl.Categorical) for name in TEXT_COLUMNS],
        "platform", "client", "period", *(name for name, _field in NUMBER_COLUMNS),
        ((packed // (1 << flags)) % 2 == 1).alias("late_or_missing"),
        ((packed // (1 << (flags + 1))) % 2 == 1).alias("harmful"),
        *[pl.when(rating > 0).then(rating).otherwise(None).alias(name)
          for name, rating in ((name, ((packed // (1 << (RATING_BITS * i))) % (mask + 1))
                                .cast(pl.Int8))
                               for i, name in enumerate(RATING_FIELDS))])


def _from_postgres(where: str, params: list[Any], chunk: int) -> Iterator[pl.DataFrame]:
    pending = bytearray()
    limit = max(chunk, 1) * 64  # about 64 bytes a line
    with connection.cursor() as wrapper, wrapper.cursor.copy(_postgres_copy(where),
                                                              params) as copy:
        for block in copy:
            pending += block
            if len(pending) >= limit:
                cut = _last_line_end(pending)
                if cut:
                    yield _parse(bytes(pending[:cut]))
                    del pending[:cut]
    if pending:
        yield _parse(bytes(pending))


def _last_line_end(text: bytearray) -> int:
    """Where the last whole CSV record of ``text`` (which starts at a record) ends: after a
    newline with an even number of quotes before it (a newline inside a quoted value has an
    odd number). 0 if no record is whole yet."""
    cut = text.rfind(b"\n") + 1
    quotes = text.count(b'"', 0, cut)
    while cut and quotes % 2:
        previous = text.rfind(b"\n", 0, cut - 1) + 1
        quotes -= text.count(b'"', previous, cut)
        cut = previous
    return cut


def _ranges(low: int, high: int, chunk: int) -> list[tuple[int, int]]:
    step = max(chunk, 1)
    return [(start, min(start + step, high + 1)) for start in range(low, high + 1, step)]


def _read_ranges(cursor: Any, statement: str, params: list[Any],
                 ranges: Sequence[tuple[int, int]]) -> list[pl.DataFrame]:
    """Each range's rows, parsed; ``params`` are the late-pay values then the filter's."""
    parts = []
    for start, end in ranges:
        cursor.execute(statement, [*params[:3], start, end, *params[3:]])
        count, text = cursor.fetchone()
        if count:
            parts.append(_parse(text or "", count))
    return parts


def _sqlite_file() -> str | None:
    """The database file, when other connections can read what this one has committed."""
    name = str(connection.settings_dict["NAME"] or "")
    if connection.in_atomic_block or not name or name == ":memory:" or "mode=memory" in name:
        return None
    return name


def _timeout() -> float:
    return float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 20))


@contextmanager
def _write_lock(path: str) -> Iterator[None]:
    """No commit can happen while this is held: readers that take their snapshot (at their
    first read) inside it all see the same commit. Writers wait in their busy handler for the
    few milliseconds it is held."""
    with closing(sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=_timeout(),
                                 isolation_level=None)) as guard:
        guard.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            guard.execute("ROLLBACK")


def _from_sqlite(where: str, params: list[Any], chunk: int) -> list[pl.DataFrame]:
    statement = _sqlite_range(where)
    plain = _plain(params)
    path = _sqlite_file()
    if path is None:  # inside the caller's transaction, or a database in memory (tests)
        with transaction.atomic():
            connection.ensure_connection()
            with closing(connection.connection.cursor()) as cursor:  # sqlite3's own: '?'
                return _read_span(cursor, statement, plain, chunk)
    uri = f"file:{path}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=_timeout(),
                                 isolation_level=None)) as db:
        db.execute("BEGIN")  # one snapshot for every range
        try:
            ranges = _span_ranges(db.cursor(), chunk)
            n = max(1, min(READERS, os.cpu_count() or 1))
            if not ranges or ranges[-1][1] - ranges[0][0] <= PARALLEL_FROM or n == 1:
                return _read_ranges(db.cursor(), statement, plain, ranges)
        finally:
            db.execute("ROLLBACK")
    return _in_processes(path, statement, plain, ranges, n)


def _read_span(cursor: Any, statement: str, params: list[Any], chunk: int) -> list[pl.DataFrame]:
    return _read_ranges(cursor, statement, params, _span_ranges(cursor, chunk))


def _span_ranges(cursor: Any, chunk: int) -> list[tuple[int, int]]:
    """The report ids, first to last, in ranges of ``chunk``; none when there are no reports."""
    low, high = _id_span(cursor)
    return [] if low is None or high is None else _ranges(low, high, chunk)


def _in_processes(path: str, statement: str, params: list[Any],
                  ranges: list[tuple[int, int]], n: int) -> list[pl.DataFrame]:
    """Range j read by process j % n (:mod:`.release_reader`), all on one snapshot, and
    parsed here in range order while the processes make the next ranges' text. The ranges
    cover the ids seen in an earlier snapshot: a report added since is in none of them, as
    if the release had been read a moment earlier."""
    script = [sys.executable, "-I", "-S", release_reader.__file__]
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for i in range(n):
            process = subprocess.Popen(script, stdin=subprocess.PIPE,  # noqa: S603
                                       stdout=subprocess.PIPE)
            processes.append(process)
            _tell(process, json.dumps({
                "uri": f"file:{path}?mode=ro", "timeout": _timeout(), "statement": statement,
                "params": params, "ranges": ranges[i::n]}).encode())
        for process in processes:
            _receive(process, "connected")
        with _write_lock(path):
            for process in processes:
                _tell(process, b"begin")
            for process in processes:
                _receive(process, "ready")
        parts = []
        for j in range(len(ranges)):
            count, text = _receive(processes[j % n], "rows")
            if count:
                parts.append(_parse(text, count))
        for process in processes:
            _receive(process, "done")
        return parts
    finally:
        for process in processes:
            for pipe in (process.stdin, process.stdout):
                if pipe is not None:
                    with suppress(OSError):  # a process already gone: nothing to flush to
                        pipe.close()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _tell(process: subprocess.Popen[bytes], line: bytes) -> None:
    assert process.stdin is not None
    try:
        process.stdin.write(line + b"\n")
        process.stdin.flush()
    except (BrokenPipeError, ConnectionResetError):
        raise ReadError(f"a release reader stopped (exit code {process.poll()})") from None


def _receive(process: subprocess.Popen[bytes], expected: str) -> tuple[int, bytes]:
    """The next message of a reading process, which must be ``expected``: ``(count, text)``
    for rows. A process that sent an error or stopped is a :class:`ReadError`, never a wait
    without end (its pipe closes when it stops)."""
    assert process.stdout is not None
    words = process.stdout.readline().split()
    if not words:
        raise ReadError(f"a release reader stopped (exit code {process.poll()})")
    kind = words[0].decode()
    if kind == "error":
        raise ReadError("a release reader failed:\n"
                        + process.stdout.read(int(words[1])).decode(errors="replace"))
    if kind != expected:
        raise ReadError(f"a release reader sent {kind!r} where {expected!r} was due")
    if kind != "rows":
        return 0, b""
    count, size = int(words[1]), int(words[2])
    text = process.stdout.read(size)
    if len(text) != size:
        raise ReadError(f"a release reader stopped (exit code {process.poll()})")
    return count, text


def _id_span(cursor: Any) -> tuple[int | None, int | None]:
    cursor.execute("SELECT min(id), max(id) FROM reports_report")
    low, high = cursor.fetchone()
    return low, high


def _plain(params: list[Any]) -> list[Any]:
    """Parameters as the sqlite3 module takes them (a date as ISO text, as Django stores it)."""
    return [value.isoformat() if isinstance(value, date) else str(value)
            if not isinstance(value, (int, float, str)) else value for value in params]


def _slugs(ids: set[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), LOOKUP_BATCH):
        found.update(Actor.objects.filter(pk__in=ordered[start:start + LOOKUP_BATCH])
                     .values_list("pk", "slug"))
    return found


def report_frame(cutoff: date, periods: Sequence[str] | None = None,
                 chunk: int | None = None) -> pl.DataFrame:
    """Every report not withdrawn, received up to the cut-off (and in ``periods`` if given),
    one row each in report order, as the engine expects. Net pay in USD is the effective
    hourly wage times the hours."""
    import polars as pl

    size = chunk or CHUNK
    where, params = _where(cutoff, periods)
    parts = (list(_from_postgres(where, params, size)) if connection.vendor == "postgresql"
             else _from_sqlite(where, params, size))
    frame = pl.concat(parts, rechunk=False) if parts else _parse(b"")
    del parts  # the frame shares the chunks' memory: no second copy
    if not frame["id"].is_sorted():  # each part is in id order and the parts in range order
        frame = frame.sort("id")
    actors = _slugs({int(i) for name in ("platform", "client")
                     for i in frame[name].drop_nulls().unique().to_list()})

    def slug(name: str) -> pl.Expr:
        return (pl.col(name).replace_strict(list(actors), list(actors.values()), default=None,
                                            return_dtype=pl.String)
                .fill_null("").cast(pl.Categorical))

    hours = pl.col("paid_hours") + pl.col("unpaid_hours")
    period = pl.col("period")
    return frame.select(
        "worker", "task_type", "region", slug("platform").alias("platform"),
        slug("client").alias("client"), "country",
        pl.concat_str((period // 10).cast(pl.String), pl.lit("-Q"),
                      (period % 10).cast(pl.String)).cast(pl.Categorical).alias("period"),
        "effective_hourly_usd", "effective_hourly_ppp",
        (pl.col("effective_hourly_usd") * hours).alias("net_pay_usd"),
        hours.alias("hours"), pl.col("unpaid_hours"), "late_or_missing", "harmful",
        *RATING_FIELDS)
