"""Bulk INSERTs without a model object's cost per row, for writers of thousands of rows.

Django's bulk_create compiles SQL for every field of every object (most of an import's
time once the queries were batched). These helpers write one parameterised statement per
chunk of rows, executed many times: `insert_rows` for rows that are already plain values,
`insert_objects` for unsaved model objects whose values still need preparing (defaults,
`auto_now_add` times, JSON). Neither returns primary keys: use them for rows nobody refers
to by id in the same transaction (links, revisions, audit entries, search documents);
`create_objects` returns them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models

CHUNK = 500  # rows per executemany call


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
