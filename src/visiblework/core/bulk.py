"""Bulk INSERTs without a model object's cost per row, for writers of thousands of rows.

Django's bulk_create compiles SQL for every field of every object (most of an import's
time once the queries were batched). These helpers write one parameterised statement per
chunk of rows, executed many times: `insert_rows` for rows that are already plain values,
`insert_values` for plain values that still need preparing as the model would (decimals,
dates), `insert_objects` for unsaved model objects (defaults, `auto_now_add` times, JSON).
Neither returns primary keys: use them for rows nobody refers to by id in the same
transaction (links, revisions, audit entries, search documents); `create_objects` returns them.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models

CHUNK = 500  # rows per executemany call
# SQLite's busy handler, in which a writer waits for the write lock, tries again after 1, 2, 5,
# 10 ... ms, and never sleeps more than 100 ms between two tries (sqliteDefaultBusyCallback): a
# pause this long between two transactions of a long writer lets every writer that is waiting
# try once, and take the lock.
WRITERS_GAP = 0.12  # seconds
# A long writer's transaction holds SQLite's write lock from its first statement to its commit,
# and an editor saving a case waits that long: its batches are cut to about this long.
LOCK_HOLD = 1.0  # seconds
MIN_ROWS = 10  # rows a transaction, however slow each row is; and of the first one


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the block with Python's cycle collector passing less often. A bulk writer makes
    millions of short-lived objects (rows, parameters, model objects) and few cycles; the
    collector's passes over a large heap were a fifth of an import's time. Reference
    counting still frees everything that is not in a cycle; the old thresholds come back
    after the block."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


class WriterTurns:
    """When a long writer (an import's batches) pauses between its transactions: on SQLite,
    which has one write lock, once it has held the lock LOCK_HOLD since its last pause, for
    WRITERS_GAP, so that a writer waiting for it (an editor saving a case, a worker's report)
    takes it then, instead of losing every race to the next transaction until its timeout
    ends in "database is locked". Such a writer waits about LOCK_HOLD. A pause after every
    transaction instead cost an import of new rows, whose transactions are short, a third of
    its time. PostgreSQL locks rows, not the database: no pause there, nor inside a
    transaction, where the lock is held anyway."""

    def __init__(self) -> None:
        self.held = 0.0  # seconds the lock was held since the last pause

    def after(self, seconds: float) -> None:
        """A transaction of `seconds` has committed: pause if it is time."""
        if not shares_one_write_lock():
            return
        self.held += max(0.0, seconds)
        if self.held >= LOCK_HOLD:
            time.sleep(WRITERS_GAP)
            self.held = 0.0


def rows_for_lock(most: int, rows: int = 0, seconds: float = 0.0) -> int:
    """How many rows a long writer's next transaction should take, after one of `rows` rows
    took `seconds` (none yet: MIN_ROWS, since a changed case can take 50 ms to write). On
    SQLite as many as take about LOCK_HOLD at that pace, between MIN_ROWS and `most`;
    elsewhere, and inside a transaction (which holds the lock anyway), `most`. Should the
    rows then turn slower, the transaction stops at its `commit_by` time."""
    if not shares_one_write_lock():
        return most
    if rows <= 0 or seconds <= 0:
        return min(most, MIN_ROWS)
    return max(min(MIN_ROWS, most), min(most, int(rows * LOCK_HOLD / seconds)))


def commit_by() -> float | None:
    """When (in `time.monotonic()`) a long writer's transaction that begins now should stop
    taking rows and commit: on SQLite, after twice LOCK_HOLD, since its size, from the pace of
    the transactions before, is wrong when the rows turn slower (new cases, then changed ones,
    30 times slower); elsewhere, and inside a transaction, never (None)."""
    return time.monotonic() + 2 * LOCK_HOLD if shares_one_write_lock() else None


def shares_one_write_lock() -> bool:
    """Whether a long writer here shares one write lock with everyone (SQLite), between its
    own transactions (not inside one, which holds the lock anyway)."""
    return connection.vendor == "sqlite" and not connection.in_atomic_block


def insert_rows(model: type[models.Model], columns: Sequence[str],
                rows: Sequence[tuple[Any, ...]]) -> None:
    """INSERT these rows of plain values (in the order of `columns`, model field names)."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in columns]
    concrete = [f for f in fields if isinstance(f, models.Field) and f.concrete]
    assert len(concrete) == len(fields), "concrete fields only"
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in concrete)
    values = ", ".join(["%s"] * len(concrete))
    sql = f"INSERT INTO {table} ({names}) VALUES ({values})"  # noqa: S608 - names from the model
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start:start + CHUNK])


def insert_values(model: type[models.Model], columns: Sequence[str],
                  rows: Sequence[tuple[Any, ...]]) -> None:
    """INSERT these rows (in the order of `columns`, model field names) with each value
    prepared as the model would save it (a decimal, a date), without a model object a row."""
    fields = [model._meta.get_field(name) for name in columns]
    insert_rows(model, columns, [tuple(_prepared(field, value)  # type: ignore[arg-type]
                                       for field, value in zip(fields, row, strict=True))
                                 for row in rows])


def insert_objects(objects: Sequence[models.Model]) -> None:
    """INSERT unsaved objects of one model, every concrete field but an automatic primary
    key, prepared as the model would save them (defaults, `auto_now_add`, JSON)."""
    if not objects:
        return
    model = type(objects[0])
    fields = [f for f in model._meta.concrete_fields
              if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))]
    rows = [tuple(_prepared(f, f.pre_save(obj, True)) for f in fields) for obj in objects]
    insert_rows(model, [f.name for f in fields], rows)


def update_objects(objects: Sequence[models.Model], names: Sequence[str]) -> None:
    """UPDATE these fields of saved objects of one model, prepared as saving would prepare
    them (`auto_now` times, JSON): one statement, executed for each object."""
    if not objects:
        return
    model = type(objects[0])
    fields = [model._meta.get_field(name) for name in names]
    concrete = [f for f in fields if isinstance(f, models.Field) and f.concrete]
    assert len(concrete) == len(fields), "concrete fields only"
    pk = model._meta.pk
    assert pk is not None
    table = connection.ops.quote_name(model._meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in concrete)
    sql = (f"UPDATE {table} SET {assignments} "  # noqa: S608 - names from the model
           f"WHERE {connection.ops.quote_name(pk.column)} = %s")
    rows = [(*(_prepared(f, f.pre_save(obj, False)) for f in concrete), obj.pk) for obj in objects]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start:start + CHUNK])


def delete_rows(model: type[models.Model], column: str, values: Sequence[Any]) -> None:
    """DELETE the rows whose `column` (a model field name) holds one of these values, with
    no model object and no signal per row (the writer deals with what follows: reindexing)."""
    if not values:
        return
    field = model._meta.get_field(column)
    assert isinstance(field, models.Field) and field.concrete
    table = connection.ops.quote_name(model._meta.db_table)
    name = connection.ops.quote_name(field.column)
    with connection.cursor() as cursor:
        for start in range(0, len(values), CHUNK):
            chunk = values[start:start + CHUNK]
            cursor.execute(f"DELETE FROM {table} WHERE {name} IN "  # noqa: S608 - names from the model
                           f"({', '.join(['%s'] * len(chunk))})", list(chunk))


def create_objects(objects: Sequence[models.Model]) -> None:
    """INSERT unsaved objects of one model as `insert_objects` does, and give each its new
    primary key (INSERT ... RETURNING, as bulk_create does on SQLite and PostgreSQL): for
    rows that others then refer to by id."""
    if not objects:
        return
    model = type(objects[0])
    pk = model._meta.pk
    assert pk is not None and isinstance(pk, models.AutoField | models.BigAutoField)
    assert connection.features.can_return_rows_from_bulk_insert
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per = max(1, connection.ops.bulk_batch_size(fields, objects))  # the parameter limit
    with connection.cursor() as cursor:
        for start in range(0, len(objects), per):
            chunk = objects[start:start + per]
            params = [_prepared(f, f.pre_save(obj, True)) for obj in chunk for f in fields]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([row] * len(chunk))} "  # noqa: S608
                f"RETURNING {connection.ops.quote_name(pk.column)}", params)
            for obj, (new_id,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = new_id
                obj._state.adding = False
                obj._state.db = connection.alias


# Fields whose plain values (strings, integers, booleans, None) the database drivers take as
# they are; other fields and values go through the field's own preparation.
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField,
                 models.ForeignKey)
_PLAIN_VALUES = (str, int, bool, type(None))


def _prepared(field: models.Field, value: Any) -> Any:
    if isinstance(field, _PLAIN_FIELDS) and type(value) in _PLAIN_VALUES:
        return value
    return field.get_db_prep_save(value, connection)
