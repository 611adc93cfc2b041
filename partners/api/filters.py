"""Query filters for ``fact-checks/`` and the cursor pagination with its ``ordering``."""

import datetime as dt
import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.utils.urls import replace_query_param

from factcheck import ratings
from partners.selectors import matches_text

MIN_YEAR, MAX_YEAR = 1900, 9000  # outside this a timezone shift could overflow
# The same bounds for the schema: a date-time whose year is 1900 to 9000.
YEAR_PATTERN = "^(19[0-9]{2}|[2-8][0-9]{3}|9000)-"


def in_utc(value: dt.datetime) -> dt.datetime:
    """The same instant in UTC. Python accepts UTC offsets up to ±23:59, PostgreSQL only up
    to ±15:59, so an offset is never passed on to the database; within the year bounds the
    shift cannot overflow."""
    if value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC)


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the current time zone (TIME_ZONE), as UTC."""
    return in_utc(timezone.make_aware(dt.datetime.combine(day, dt.time.min)))


class BoundedIsoDateTimeField(IsoDateTimeField):
    def clean(self, value):
        value = super().clean(value)
        if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise forms.ValidationError(f"Use a year between {MIN_YEAR} and {MAX_YEAR}.")
        return value if value is None else in_utc(value)


@extend_schema_field({"type": "string", "format": "date-time", "pattern": YEAR_PATTERN})
class BoundedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


class ApiFilterSet(django_filters.FilterSet):
    """A typed parameter (a date, a date-time, a choice) given with no value is refused:
    ``published_after=`` is not a date, and dropping it silently would widen the result.
    Text parameters may be empty (no filter)."""

    def is_valid(self):
        valid = super().is_valid()
        for name, filter_ in self.filters.items():
            if not isinstance(filter_, django_filters.CharFilter) and self.data.get(name) == "":
                self.form.add_error(name, "Give a value or leave the parameter out.")
                valid = False
        return valid


class FactCheckFilter(ApiFilterSet):
    rating = django_filters.ChoiceFilter(
        choices=ratings.CHOICES,
        method="filter_rating",
        help_text="Current verdict's rating key.",
        error_messages={
            "invalid_choice": "“%(value)s” is not a rating; choose one of: "
            + ", ".join(key for key, _label in ratings.CHOICES)
            + "."
        },
    )
    # Text filters take the value as sent (strip=False), so the length limits are those of
    # the schema; each method strips it.
    claimant = django_filters.CharFilter(
        method="filter_claimant", max_length=300, strip=False, help_text="Part of the claimant's name."
    )
    outlet = django_filters.CharFilter(
        method="filter_outlet",
        max_length=253,
        strip=False,
        help_text="Outlet name or domain (exact, any case).",
    )
    # Dates are days of TIME_ZONE, compared as a range of the stored instant (an index can
    # serve that; a cast of the column to a date it cannot).
    published_after = django_filters.DateFilter(
        method="filter_published_after", help_text="First published on or after (date)."
    )
    published_before = django_filters.DateFilter(
        method="filter_published_before", help_text="First published on or before (date)."
    )
    updated_since = BoundedIsoDateTimeFilter(
        field_name="modified_at",
        lookup_expr="gte",
        help_text=f"Changed at or after (ISO 8601 date-time, year {MIN_YEAR} to {MAX_YEAR}).",
    )
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=500,
        strip=False,
        help_text="Words that must all appear in the claim, claimant or summary.",
    )

    def filter_rating(self, queryset, name, value):
        return queryset.filter(verdicts__is_current=True, verdicts__rating=value)

    def filter_published_after(self, queryset, name, value):
        return queryset.filter(first_published_at__gte=day_start(value))

    def filter_published_before(self, queryset, name, value):
        return queryset.filter(first_published_at__lt=day_start(value + dt.timedelta(days=1)))

    def filter_claimant(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(claimant__icontains=value) if value else queryset

    def filter_outlet(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(article__outlet__name__iexact=value) | Q(article__outlet__domain__iexact=value)
        )

    def filter_q(self, queryset, name, value):
        terms = value.split()[:10]
        return queryset.filter(matches_text(terms)) if terms else queryset


ORDERINGS = {
    "-published_at": ("-first_published_at", "-id"),
    "published_at": ("first_published_at", "id"),
    "-updated_at": ("-modified_at", "-id"),
    "updated_at": ("modified_at", "id"),
}


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# A position from 1938 to 5138 (microseconds since 1970, at most 15 digits before it and 17
# after), an offset below 10,000 (DRF caps it at 1,000), and the direction.
CURSOR_PATTERN = r"^(n|-[0-9]{1,15}|[0-9]{1,17})_([0-9]{1,4})_([01])$"
_CURSOR = re.compile(CURSOR_PATTERN.strip("^$"))


def _micros(position: str) -> int:
    """Microseconds since 1970 of a position as DRF holds it (``str`` of the row's datetime)."""
    moment = parse_datetime(position)
    if moment is None:
        raise ValueError(f"not a datetime: {position!r}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return (moment - _EPOCH) // dt.timedelta(microseconds=1)


class FeedCursorPagination(CursorPagination):
    """Stable pages over a changing feed; ``ordering`` picks published or updated time."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    orderings: dict[str, tuple[str, ...]] = ORDERINGS
    default_ordering = "-published_at"

    def get_ordering(self, request, queryset, view):
        choice = request.query_params.get("ordering", self.default_ordering)
        if choice not in self.orderings:
            raise ValidationError({"ordering": [f"Choose one of: {', '.join(self.orderings)}."]})
        return self.orderings[choice]

    invalid_cursor_message = "Not a cursor of this list; use the `next` or `previous` link as given."

    def encode_cursor(self, cursor):
        """``<position>_<offset>_<reverse>``: the position an instant in microseconds since
        1970 (UTC), ``n`` for none. Plain enough for the schema to state as a pattern
        (``CURSOR_PATTERN``), so every cursor the schema admits decodes and every other is
        a 400."""
        position = "n" if cursor.position is None else str(_micros(cursor.position))
        token = f"{position}_{cursor.offset}_{int(cursor.reverse)}"
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def decode_cursor(self, request):
        """A cursor that does not decode is a bad parameter (400 naming ``cursor``), never a
        404 or a crash; its position reaches the database as a UTC instant."""
        token = request.query_params.get(self.cursor_query_param)
        if token is None:
            return None
        match = _CURSOR.fullmatch(token)
        if match is None:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})
        position, offset, reverse = match.groups()
        return Cursor(
            offset=min(int(offset), self.offset_cutoff),
            reverse=reverse == "1",
            position=None if position == "n" else str(_EPOCH + dt.timedelta(microseconds=int(position))),
        )

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (raw.isdigit() and 1 <= int(raw) <= self.max_page_size):
            raise ValidationError({"page_size": [f"Use a whole number from 1 to {self.max_page_size}."]})
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        params.append(
            {
                "name": "ordering",
                "required": False,
                "in": "query",
                "description": "Sort by first publication or last update; `-` for newest first.",
                "schema": {"type": "string", "enum": list(self.orderings), "default": self.default_ordering},
            }
        )
        for param in params:
            if param["name"] == "page_size":
                param["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
            if param["name"] == self.cursor_query_param:
                param["schema"] = {"type": "string", "pattern": CURSOR_PATTERN}
        return params


class TipCursorPagination(FeedCursorPagination):
    orderings = {"-submitted_at": ("-created_at", "-id"), "submitted_at": ("created_at", "id")}
    default_ordering = "-submitted_at"
