"""A lean multi-row INSERT for the extraction hot path.

``QuerySet.bulk_create`` compiles every field of every row through the full
``get_db_prep_save`` chain; for the ~25 claims of an article that Python work was a third
of the extraction task's time (``python -m bench.extraction_speed --profile``). Here the
plain columns (text, numbers, booleans, foreign keys) go to the driver as they are and
only the fields that need adapting (dates, JSON, anything unfamiliar) take Django's path,
in one ``INSERT ... RETURNING id`` per batch (on PostgreSQL with one array per column
through ``UNNEST``, as ``bulk_create`` does there). Model defaults still come from the model's
constructor, and the rows are the same rows ``bulk_create`` would write.
"""

from __future__ import annotations

import datetime

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


def insert_rows(objs: list[models.Model], *, using: str = "default") -> list[models.Model]:
    """Insert unsaved model instances and set their primary keys; like ``bulk_create``.

    No signals, no ``save()`` (as with ``bulk_create``); ``auto_now``/``auto_now_add``
    fields get one timestamp for the whole call. ``None`` is written as NULL without
    adapting, which is right for every nullable column type.
    """
    if not objs:
        return objs
    model = type(objs[0])
    connection = connections[using]
    if not connection.features.can_return_rows_from_bulk_insert:
        return model._default_manager.using(using).bulk_create(objs)
    opts = model._meta
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
    plain = [isinstance(f, _PLAIN) for f in fields]
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
    tail = f" RETURNING {quote(opts.pk.column)}"
    adapted: dict = {}

    def prepared(obj) -> list:
        row = []
        for field, is_plain in zip(fields, plain, strict=True):
            value = getattr(obj, field.attname)
            if is_plain or value is None:
                row.append(value)
            elif isinstance(value, datetime.date):  # one shared timestamp: adapt it once
                key = (field.attname, value)
                if key not in adapted:
                    adapted[key] = field.get_db_prep_save(value, connection)
                row.append(adapted[key])
            else:
                row.append(field.get_db_prep_save(value, connection))
        return row

    if connection.vendor == "postgresql":
        # One array per column, as Django does: a handful of placeholders instead of one per
        # value keeps psycopg's client-side query parsing out of the profile.
        arrays = ", ".join(f"(%s)::{f.db_type(connection).split('(')[0]}[]" for f in fields)
        row_sql = f"SELECT * FROM UNNEST({arrays})"  # noqa: S608
    else:
        row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for offset in range(0, len(objs), _BATCH_ROWS):
            batch = objs[offset : offset + _BATCH_ROWS]
            rows = [prepared(obj) for obj in batch]
            if connection.vendor == "postgresql":
                sql, params = row_sql, [list(column) for column in zip(*rows, strict=True)]
            else:
                sql = "VALUES " + ", ".join([row_sql] * len(batch))
                params = [value for row in rows for value in row]
            # Identifiers come from the model's metadata, quoted; every value is a parameter.
            cursor.execute(head + sql + tail, params)  # noqa: S608
            for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = using
    return objs
