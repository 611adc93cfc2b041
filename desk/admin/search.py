"""The bounded admin search every searchable list of the desk uses.

Django's admin search ANDs one ``OR (field ILIKE %term%)`` group per word of the query,
with no limit. PostgreSQL's planning time grows with the square of the number of groups
(0.4 s at 250 words, 1.5 s at 500), so a long pasted query could hold a web worker past
its timeout. ``BoundedSearchMixin`` keeps the first ``MAX_SEARCH_TERMS`` words, each cut
to ``MAX_SEARCH_TERM_CHARS`` characters, and tells the editor what it left out. The rest
of the search is Django's own (the same fields, lookups and de-duplication).

On PostgreSQL the same search runs through trigram indexes (``pg_trgm``, migration
``desk`` 0003) on the searched text columns. Django ORs the fields of a term in one
``WHERE`` over a join (``article__title``), which no index can serve: every search read
the whole table. ``indexed_search`` asks for the same rows with each field of a related
model as ``fk_id = ANY(ARRAY(SELECT id ... WHERE field LIKE ...))``, so each term is one
``BitmapOr`` of index scans (``docs/decisions/admin-claim-list.md`` has the figures).
"""

import operator
from functools import reduce

from django.contrib import messages
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import F, Q
from django.db.models.constants import LOOKUP_SEP
from django.db.models.lookups import Lookup
from django.utils.text import smart_split, unescape_string_literal

MAX_SEARCH_TERMS = 10
MAX_SEARCH_TERM_CHARS = 100


def bounded_search_terms(search_term: str) -> tuple[list[str], int, int]:
    """The words Django's admin would search for, at most ``MAX_SEARCH_TERMS`` of them and
    each at most ``MAX_SEARCH_TERM_CHARS`` long; with how many words were dropped and how
    many cut."""
    terms: list[str] = []
    dropped = cut = 0
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1] and len(bit) > 1:
            bit = unescape_string_literal(bit)
        if not bit.strip():
            continue
        if len(terms) == MAX_SEARCH_TERMS:
            dropped += 1
            continue
        if len(bit) > MAX_SEARCH_TERM_CHARS:
            bit, cut = bit[:MAX_SEARCH_TERM_CHARS], cut + 1
        terms.append(bit)
    return terms, dropped, cut


def _quoted(term: str) -> str:
    """A term as ``smart_split`` reads back as that one term (a phrase stays a phrase)."""
    if not any(ch.isspace() or ch in "\"'\\" for ch in term):
        return term
    return '"' + term.replace("\\", "\\\\").replace('"', '\\"') + '"'


class BoundedSearchMixin:
    """Put first in a ModelAdmin's bases: its search uses at most ``MAX_SEARCH_TERMS`` words."""

    def get_search_results(self, request, queryset, search_term):
        terms, dropped, cut = bounded_search_terms(search_term)
        if dropped or cut:
            bounded = " ".join(_quoted(term) for term in terms)
            # The autocomplete of a related field has no page to show a message on.
            match = getattr(request, "resolver_match", None)
            if match is None or not (match.url_name or "").endswith("autocomplete"):
                messages.warning(request, _notice(len(terms), dropped, cut))
        else:
            bounded = search_term
        fields = self.get_search_fields(request)  # type: ignore[attr-defined]
        if terms and connections[queryset.db].vendor == "postgresql":
            indexed = indexed_search(queryset, fields, terms)
            if indexed is not None:
                return indexed, False
        return super().get_search_results(request, queryset, bounded)  # type: ignore[misc]


class _InArray(Lookup):
    """``column = ANY(ARRAY(subquery))``: PostgreSQL serves it with the foreign key's index,
    inside an OR with the other fields' conditions too (an ``IN (subquery)`` there cannot)."""

    lookup_name = "in_array"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def indexed_search(queryset, search_fields, terms):
    """``queryset`` narrowed to the rows where every term is in one of ``search_fields``
    (case-insensitive substring, as Django's admin), with no join; None when a field is not
    a plain column reached through single-valued relations (foreign keys, reverse one-to-ones;
    Django's search then)."""
    model = queryset.model
    for field_path in search_fields:
        if field_path[:1] in "^=@" or _single_valued_path(model, field_path.split(LOOKUP_SEP)) is None:
            return None
    for term in terms:
        conditions = [_term_in(model, field_path.split(LOOKUP_SEP), term) for field_path in search_fields]
        queryset = queryset.filter(reduce(operator.or_, conditions))
    return queryset


def _single_valued_path(model, parts):
    """The relations of ``parts`` up to its last field, or None if one is many-valued."""
    relations = []
    for name in parts[:-1]:
        relation = model._meta.get_field(name)
        forward = relation.many_to_one and relation.concrete
        reverse_one = relation.one_to_one and not relation.concrete
        if not (forward or reverse_one):
            return None
        relations.append(relation)
        model = relation.related_model
    return relations


def _term_in(model, parts, term) -> Q:
    """``term`` in the column ``parts`` names, each relation on the way one id array: a
    foreign key as ``fk_id = ANY(ARRAY(SELECT id ...))``, a reverse one-to-one as
    ``id = ANY(ARRAY(SELECT fk_id ...))``."""
    if len(parts) == 1:
        return Q(**{f"{parts[0]}__icontains": term})
    relation = model._meta.get_field(parts[0])
    related = relation.related_model
    inner = related._default_manager.filter(_term_in(related, parts[1:], term)).order_by()
    if relation.concrete:
        return Q(_InArray(F(relation.attname), ArraySubquery(inner.values("pk"))))
    return Q(_InArray(F("pk"), ArraySubquery(inner.values(relation.field.attname))))


def _notice(kept: int, dropped: int, cut: int) -> str:
    parts = []
    if dropped:
        parts.append(f"only the first {kept} words were used ({dropped} more left out)")
    if cut:
        parts.append(f"{cut} word(s) longer than {MAX_SEARCH_TERM_CHARS} characters were shortened")
    return "Search: " + "; ".join(parts) + ". Use fewer, more specific words."


def bound_every_search(site) -> list[str]:
    """Give every ModelAdmin on ``site`` with ``search_fields`` the bounded search, those of
    other packages too (users, groups, login attempts); the names of the classes replaced.

    Runs once every app registered its admin (``DeskConfig.ready``, the last app).
    """
    replaced = []
    for model, model_admin in list(site._registry.items()):
        if model_admin.search_fields and not isinstance(model_admin, BoundedSearchMixin):
            bounded = type(type(model_admin).__name__, (BoundedSearchMixin, type(model_admin)), {})
            site.unregister(model)
            site.register(model, bounded)
            replaced.append(bounded.__name__)
    return replaced
