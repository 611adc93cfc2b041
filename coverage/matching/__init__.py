"""Prior-coverage matching: one ``search`` used by the match task, the API and the benchmark.

Modules: ``text`` (query terms), ``backends`` (FTS5 / PostgreSQL BM25 in the database),
``vectors`` + ``ann`` over ``core.embedding`` (optional dense retrieval), ``ranking``
(fusion, calibration, thresholds; pure), ``index`` (keeping SearchDoc current),
``retrieve`` (the ``search`` interface). Figures: ``docs/decisions/matching.md``.
"""

from coverage.matching.ranking import STRONG, SUGGESTED, Tuning
from coverage.matching.retrieve import Match, search, semantic_available

__all__ = ["STRONG", "SUGGESTED", "Match", "Tuning", "search", "semantic_available"]
