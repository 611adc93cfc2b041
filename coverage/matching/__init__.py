"""Prior-coverage matching: one ``search`` used by the match task, the API and the benchmark.

Modules: ``text`` (query terms), ``backends`` (FTS5 / PostgreSQL BM25 in the database),
``embedding`` + ``vectors`` (optional dense retrieval), ``ranking`` (fusion, calibration,
thresholds; pure), ``index`` (keeping SearchDoc current), ``retrieve`` (the ``search`` interface).
"""

from coverage.matching.ranking import STRONG, SUGGESTED, Tuning
from coverage.matching.retrieve import Match, search, semantic_available

__all__ = ["STRONG", "SUGGESTED", "Match", "Tuning", "search", "semantic_available"]
