"""Lexical candidate retrieval inside the database: SQLite FTS5 or PostgreSQL BM25.

Both return the top ``limit`` (SearchDoc id, BM25 score) for an OR-query of the
text's content words, so a long tweet still reaches documents that share only a few
of its words, and rare words count most. Both index the same words as the query
(``text.query_terms``): runs of letters and digits, so "79.9" is "79" and "9" (FTS5's
unicode61 tokenizer does this itself; PostgreSQL's tsvector is built from the text with
every other character replaced by a space, ``coverage`` migration 0004).

* SQLite: FTS5's built-in ``bm25()`` (claim column weight 1, context and claimant 0.5).
* PostgreSQL: ``ts_rank`` has no IDF, which loses a lot on OR-queries, so BM25 is
  computed in SQL from the tsvector (term frequency = number of positions) and the
  document frequencies that triggers keep in ``factcheck_searchterm``. To bound the
  work at millions of rows, only documents containing one of the query's rarest terms
  (cumulative document frequency up to ``POSTING_BUDGET``, at most ``MAX_CANDIDATES``
  rows) are candidates, and only a shortlist of them (``SHORTLIST_FACTOR`` x limit)
  gets the full BM25. The shortlist is ranked by BM25 with each term's frequency read
  as present-in-claim + 0.5 x present-in-context (one ``@@`` per term and weight)
  instead of unnesting the tsvector, which costs far more per row
  (``docs/decisions/matching.md``).
"""

from __future__ import annotations

import json
import math
from contextlib import contextmanager

from django.db import connections, transaction

from coverage.matching.text import fts5_query, query_terms

K1 = 1.2
B = 0.75
CONTEXT_WEIGHT = 0.5
POSTING_BUDGET = 5000
MAX_CANDIDATES = 20000  # when even the rarest query term is that common
SHORTLIST_FACTOR = 3


def lexical_search(
    text: str, *, limit: int, kinds: tuple[str, ...] | None = None, alias: str = "default"
) -> list[tuple[int, float]]:
    connection = connections[alias]
    if connection.vendor == "postgresql":
        return _postgres(connection, text, limit=limit, kinds=kinds)
    if connection.vendor == "sqlite":
        return _sqlite(connection, text, limit=limit, kinds=kinds)
    raise NotImplementedError(f"no prior-coverage search for {connection.vendor}")


_SQLITE_SQL = """
SELECT f.rowid, -bm25(factcheck_searchdoc_fts, 1.0, %s, %s) AS score
FROM factcheck_searchdoc_fts f JOIN factcheck_searchdoc d ON d.id = f.rowid
WHERE factcheck_searchdoc_fts MATCH %s
  AND (%s IS NULL OR d.kind IN (SELECT value FROM json_each(%s)))
ORDER BY score DESC LIMIT %s
"""


def _sqlite(connection, text, *, limit, kinds):
    terms = query_terms(text)
    if not terms:
        return []
    kinds_json = json.dumps(list(kinds)) if kinds else None
    params = [CONTEXT_WEIGHT, CONTEXT_WEIGHT, fts5_query(terms), kinds_json, kinds_json, limit]
    with connection.cursor() as cursor:
        cursor.execute(_SQLITE_SQL, params)
        return [(int(doc_id), float(score)) for doc_id, score in cursor.fetchall()]


# Two round trips. First the query's lexemes with their document frequencies (and the
# collection size and total length, kept in the same table under keys no lexeme can
# have); then BM25 over a shortlist of the documents containing one of the rarest
# lexemes. The tsqueries go in as literals so the planner sees them and uses the GIN
# index. ``{term_tf}`` and ``{prescore}`` are filled per query term (see _postgres).
# Scores are rounded so that duplicates (equal texts) tie exactly and the id decides:
# float8 sums in another order differ in the last bit, which reshuffled duplicates.
_PG_TERMS_SQL = """
SELECT s.term, s.df FROM unnest(tsvector_to_array(to_tsvector('english', %(text)s))) u(term)
JOIN factcheck_searchterm s ON s.term = u.term AND s.df > 0
UNION ALL
SELECT term, df FROM factcheck_searchterm WHERE term IN ('', ' len')
"""
_PG_SQL = """
WITH q(term, idf) AS (SELECT * FROM unnest(%(terms)s::text[], %(idf)s::float8[])),
cand AS (
    SELECT d.id, d.tsv, 1 - %(b)s + %(b)s * length(d.tsv)::float8 / %(avg_len)s AS norm, {term_tf}
    FROM factcheck_searchdoc d
    WHERE d.tsv @@ %(tsquery)s::tsquery
      AND (%(kinds)s::text[] IS NULL OR d.kind = ANY(%(kinds)s::text[]))
    LIMIT %(max_candidates)s
),
shortlist AS (
    SELECT c.id, c.tsv, c.norm FROM cand c
    ORDER BY round(({prescore})::numeric, 9) DESC, c.id LIMIT %(shortlist)s
)
SELECT c.id, round(sum(q.idf * w.tf * (%(k1)s + 1) / (w.tf + %(k1)s * c.norm))::numeric, 9) AS score
FROM shortlist c
CROSS JOIN LATERAL unnest(c.tsv) u(lexeme, positions, weights)
JOIN q ON q.term = u.lexeme
CROSS JOIN LATERAL (
    SELECT sum(CASE WHEN x = 'A' THEN 1.0 ELSE %(context_weight)s END)::float8 AS tf FROM unnest(u.weights) x
) w
GROUP BY c.id ORDER BY score DESC, c.id LIMIT %(limit)s
"""


def _tsquery_literal(terms: list[str], weight: str = "") -> str:
    """An OR tsquery of already-normalised lexemes, each quoted (no operator can slip in)."""
    return " | ".join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" + weight for t in terms)


def _postgres(connection, text, *, limit, kinds):
    terms = query_terms(text)
    if not terms:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_PG_TERMS_SQL, {"text": " ".join(terms)})
        rows = dict(cursor.fetchall())
        n = max(float(rows.pop("", 0) or 0), 1.0)
        avg_len = max(float(rows.pop(" len", 0) or 0), 1.0) / n
        if not rows:
            return []
        by_rarity = sorted(rows.items(), key=lambda kv: (kv[1], kv[0]))
        picked, postings = [], 0
        for term, df in by_rarity:
            if picked and postings + df > POSTING_BUDGET:
                break
            picked.append(term)
            postings += df
        idf = [math.log(1 + (n - df + 0.5) / (df + 0.5)) for _, df in by_rarity]
        params = {
            "terms": [t for t, _ in by_rarity],
            "idf": idf,
            "tsquery": _tsquery_literal(picked),
            "kinds": list(kinds) if kinds else None,
            "limit": limit,
            "max_candidates": MAX_CANDIDATES,
            "shortlist": SHORTLIST_FACTOR * limit,
            "k1": K1,
            "b": B,
            "avg_len": avg_len,
            "context_weight": CONTEXT_WEIGHT,
        }
        term_tf, prescore = [], []
        for i, term in enumerate(params["terms"]):
            params[f"idf{i}"] = idf[i]
            params[f"a{i}"], params[f"b{i}"] = _tsquery_literal([term], ":A"), _tsquery_literal([term], ":B")
            # float8 arithmetic: numeric (what ``int + 0.5 * int`` gives) cost a third of the
            # candidates' scoring; the values (0, 0.5, 1, 1.5) are exact in both.
            term_tf.append(
                f"((d.tsv @@ %(a{i})s::tsquery)::int::float8"
                f" + %(context_weight)s::float8 * (d.tsv @@ %(b{i})s::tsquery)::int::float8) AS tf{i}"
            )
            prescore.append(f"%(idf{i})s * c.tf{i} / (c.tf{i} + %(k1)s * c.norm)")
        sql = _PG_SQL.format(term_tf=", ".join(term_tf), prescore=" + ".join(prescore))
        with _candidates_by_index(connection, cursor):
            cursor.execute(sql, params)
            return [(int(doc_id), float(score)) for doc_id, score in cursor.fetchall()]


@contextmanager
def _candidates_by_index(connection, cursor):
    """Plan the query with sequential scans off, so the candidates come from the GIN index.

    The planner prices a ``tsv @@`` test as one cheap operator, so where the candidates are
    a tenth of the rows (the rarest terms are still common ones) it scans the whole table
    and tests every row: 26,000 tests for 2,200 candidates, a third of the query's time
    (``docs/decisions/api-page-presenter.md``). The index finds the same rows in the same
    (physical) order. ``SET LOCAL`` holds until the transaction ends: a transaction of its
    own, or, inside the caller's, the previous value is set back at once.
    """
    outer = connection.in_atomic_block
    with transaction.atomic(using=connection.alias, savepoint=False):
        cursor.execute("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")
        previous = cursor.fetchone()[0]
        yield
        if outer:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])
