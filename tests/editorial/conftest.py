"""The intake's tests fetch from a real HTTP server on 127.0.0.1 (``intake_server``)."""

import pytest

from tests.intake_server import serve_for_test


@pytest.fixture
def intake_server(settings):
    """A local server, with the outbound guard letting 127.0.0.1 through for this test only."""
    yield from serve_for_test(settings)
