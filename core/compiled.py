"""Plain-row queries by ids, compiled to SQL once per process for each number of ids.

Django builds and compiles a queryset's SQL on every evaluation; for the partner API's
small reads by ids (a detail, a page of 20) that is most of the work the application does
for the query (0.6–0.9 ms a query, ``docs/decisions/api-page-presenter.md``). A
``CompiledRows`` builds its queryset once per number of ids with stand-in ids, keeps the SQL,
which parameters are which id, the column names and the backend's converters, and then
only fills in the ids, runs the SQL and converts the rows as ``.values()`` would.

Where a stand-in id does not reach the SQL's parameters exactly once per place the ids are
used (a queryset that folds its ids into the SQL text, say), that shape runs through the
ORM each time instead, so the answer is the same either way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

# Stand-in ids: negative (no row has them), distinct, and in range of any integer key.
_STAND_IN = -2_000_000_000


class CompiledRows:
    """``rows(ids)``: ``build(ids)`` (a ``.values()`` queryset) evaluated as a list of dicts
    on the database ``using``."""

    def __init__(self, build: Callable[[list[int]], QuerySet]):
        self._build = build
        self._shapes: dict[tuple[str, int], tuple | None] = {}
        self._lock = threading.Lock()

    def rows(self, ids: list[int], *, using: str = "default") -> list[dict]:
        ids = list(dict.fromkeys(int(pk) for pk in ids))  # as the ORM's ``__in`` sends them
        shape = self._shape(using, len(ids)) if ids else None
        if shape is None:
            return list(self._build(ids).using(using))
        sql, template, names, compiler, converters = shape
        params = [ids[slot] if slot is not None else value for slot, value in template]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        if converters:
            found = list(compiler.apply_converters(found, converters))
        return [dict(zip(names, row, strict=True)) for row in found]

    def _shape(self, using: str, count: int) -> tuple | None:
        key = (using, count)
        if key not in self._shapes:
            with self._lock:
                if key not in self._shapes:
                    self._shapes[key] = self._compile(using, count)
        return self._shapes[key]

    def _compile(self, using: str, count: int) -> tuple | None:
        stand_ins = [_STAND_IN + i for i in range(count)]
        slot_of = {pk: slot for slot, pk in enumerate(stand_ins)}
        query = self._build(stand_ins).using(using).query
        compiler = query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        template = [
            (slot_of[p], None) if type(p) is int and p in slot_of else (None, p)  # noqa: E721 - not bools
            for p in params
        ]
        used = [slot for slot, _ in template if slot is not None]
        if not used or len(used) % count or sorted(used) != sorted(list(range(count)) * (len(used) // count)):
            return None
        # The names ``ValuesIterable`` gives the columns.
        selected = getattr(query, "selected", None)
        names = (
            list(selected)
            if selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )
        columns = [col for col, _sql, _alias in compiler.select[: compiler.col_count]]
        if len(names) != len(columns):
            return None
        converters = compiler.get_converters(columns)
        return sql, template, names, compiler, converters
