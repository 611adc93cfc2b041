"""Fixtures shared by the fact-check test modules."""

import pytest

from factcheck.matching import embedding


@pytest.fixture
def lexical_only(monkeypatch):
    """The embedding extra switched off, as on an install without requirements-embeddings.txt."""
    monkeypatch.setenv("FACTCHECK_DISABLE_EMBEDDINGS", "1")
    embedding._load.cache_clear()
    yield
    monkeypatch.delenv("FACTCHECK_DISABLE_EMBEDDINGS")
    embedding._load.cache_clear()
