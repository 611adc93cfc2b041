"""Fixtures shared by the desk's domain tests."""

import pytest

from core.tasks import Task


@pytest.fixture
def queued(monkeypatch):
    """(task name, arguments) of every task queued, in order; nothing runs."""
    seen: list[tuple] = []
    monkeypatch.setattr(Task, "delay_or_note", lambda self, *args, **kwargs: seen.append((self.name, args)))
    return seen
