"""A lean multi-row INSERT for the extraction hot path.

``QuerySet.bulk_create`` compiles every field of every row through the full
``get_db_prep_save`` chain, a large share of the extraction task's time (figures:
``docs/decisions/extraction-speed.md``). Here the plain columns (text, numbers, booleans,
foreign keys) go to the driver as they are and only the fields that need adapting (dates,
JSON, anything unfamiliar) take Django's path, in one ``INSERT ... RETURNING id`` per batch
(on PostgreSQL with one array per column through ``UNNEST``, as ``bulk_create`` does there).

``insert_values`` takes plain tuples (no model instances: building them is time the task
need not spend) and fills the other columns from the model's field defaults; it writes the
rows ``bulk_create`` would write.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import connections, models
from django.utils import timezone

# Field types whose Python value is already what the database driver takes.
_PLAIN = (
    models.CharField,  # includes URLField, SlugField, EmailField
    models.TextField,
    models.IntegerField,  # includes the positive/small/big variants
    models.FloatField,
    models.BooleanField,
    models.ForeignKey,
)
_BATCH_ROWS = 500


def insert_values(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence], *, using: str = "default"
) -> list[int]:
    """Insert ``rows`` (tuples of values for ``columns``, field attnames such as
    ``article_id``) and return their primary keys in order.

    Columns left out take the field's default, as the model's constructor would give it
    (a callable default is called for each row); ``auto_now``/``auto_now_add`` fields left
    out get one timestamp for the whole call.
    """
    if not rows:
        return []
    connection = connections[using]
    opts = model._meta
    if not connection.features.can_return_rows_from_bulk_insert:
        objs = model._default_manager.using(using).bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows]
        )
        return [obj.pk for obj in objs]
    given = {name: i for i, name in enumerate(columns)}
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    if any(f.db_default is not models.NOT_PROVIDED and f.attname not in given for f in fields):
        raise ValueError(f"{model.__name__}: give every column with a db_default")
    now, count = timezone.now(), len(rows)
    data = []  # one list of values per field, as the driver takes them
    for field in fields:
        index = given.get(field.attname)
        if index is not None:
            values = [row[index] for row in rows]
        elif _auto_time(field):
            values = [now] * count
        elif callable(field.default) and field.has_default():
            values = [field.default() for _ in range(count)]
        else:
            values = [field.get_default()] * count
        data.append(values if isinstance(field, _PLAIN) else _adapted(field, values, connection))

    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
    tail = f" RETURNING {quote(opts.pk.column)}"
    binary = _binding_cursor(connection)
    if connection.vendor == "postgresql":
        # One array per column, as Django does: a handful of placeholders instead of one per
        # value keeps psycopg's query parsing out of the profile. Sent in binary (%b) where
        # psycopg binds on the server: as text every quote in the JSON column is escaped by
        # a Python regex callback, most of this insert's time (docs/decisions/extraction-speed.md).
        placeholder = "%b" if binary else "%s"
        # A concrete column always has a db_type (None is only for relations without a column).
        db_types = [f.db_type(connection).split("(")[0] for f in fields]  # type: ignore[union-attr]
        arrays = ", ".join(f"({placeholder})::{db_type}[]" for db_type in db_types)
        row_sql = f"SELECT * FROM UNNEST({arrays})"  # noqa: S608
    else:
        row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    pks: list[int] = []
    with binary or connection.cursor() as cursor:
        for offset in range(0, count, _BATCH_ROWS):
            batch = [values[offset : offset + _BATCH_ROWS] for values in data]
            if connection.vendor == "postgresql":
                sql, params = row_sql, batch
            else:
                sql = "VALUES " + ", ".join([row_sql] * len(batch[0]))
                params = [value for row in zip(*batch, strict=True) for value in row]
            # Identifiers come from the model's metadata, quoted; every value is a parameter.
            cursor.execute(head + sql + tail, params)  # noqa: S608
            pks.extend(pk for (pk,) in cursor.fetchall())
    return pks


def _adapted(field: models.Field, values: list, connection) -> list:
    """Values through the field's ``get_db_prep_save``; ``None`` is NULL as it is, and a
    date or timestamp repeated (one shared ``now``) is adapted once."""
    out: list = []
    seen: dict = {}
    for value in values:
        if value is None:
            out.append(None)
        elif isinstance(value, datetime.date):
            if value not in seen:
                seen[value] = field.get_db_prep_save(value, connection)
            out.append(seen[value])
        else:
            out.append(field.get_db_prep_save(value, connection))
    return out


def _binding_cursor(connection):
    """A cursor that binds parameters on the server (PostgreSQL with psycopg 3), else None.

    Django's own cursors bind on the client unless ``OPTIONS["server_side_binding"]``;
    this one is wrapped as Django wraps its cursors (execute wrappers, error translation,
    query logging under DEBUG). Prepared statements stay as configured (off by default).
    """
    if connection.vendor != "postgresql":
        return None
    from django.db.backends.postgresql import base

    factory = getattr(base, "ServerBindingCursor", None)  # psycopg 3 only
    if factory is None:
        return None
    connection.ensure_connection()
    # Private: Django has no public way to wrap a cursor of another class the way it wraps
    # its own (the class is chosen per connection, ``OPTIONS["server_side_binding"]``, which
    # would change every query of the process). ``_prepare_cursor`` is what
    # ``BaseDatabaseWrapper._cursor`` calls (django/db/backends/base/base.py, Django 5.2).
    # ``tests/factcheck/test_bulk.py`` fails if an upgrade stops it running execute wrappers.
    with connection.wrap_database_errors:
        return connection._prepare_cursor(factory(connection.connection))


def _auto_time(field: models.Field) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
