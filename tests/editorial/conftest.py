"""The intake's tests fetch from a real HTTP server on 127.0.0.1 (``intake_server``)."""

import pytest

from tests.intake_server import IntakeServer


@pytest.fixture
def intake_server(settings):
    """A local server, with the outbound guard letting 127.0.0.1 through for this test only."""
    from editorial.intake.fetcher import robots_cache_clear

    settings.OUTBOUND_ALLOW_PRIVATE = True
    settings.FETCH_HOST_DELAY_SECONDS = 0.0
    settings.FETCH_TIMEOUT_SECONDS = 2.0
    robots_cache_clear()
    server = IntakeServer().start()
    yield server
    server.stop()
    robots_cache_clear()
