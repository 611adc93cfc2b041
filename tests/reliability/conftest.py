"""Fixtures of the fault tests: private Redis instances, workers, and a batch of articles."""

import pytest

from tests.reliability.harness import QUEUES, Redis, Worker


@pytest.fixture
def make_redis(tmp_path):
    started: list[Redis] = []

    def make(*, aof: bool) -> Redis:
        workdir = tmp_path / f"redis{len(started)}"
        workdir.mkdir()
        redis = Redis(workdir, aof=aof)
        redis.start()
        started.append(redis)
        return redis

    yield make
    for redis in started:
        redis.kill()


@pytest.fixture
def make_worker(transactional_db, tmp_path):
    """Workers are stopped before the test database is flushed (they hold connections)."""
    started: list[Worker] = []

    def make(broker_url: str, *, queues: str = QUEUES, concurrency: int = 2, **env: str) -> Worker:
        log = tmp_path / f"worker{len(started)}.log"
        worker = Worker(broker_url, log, queues=queues, concurrency=concurrency, **env)
        started.append(worker)
        return worker.start()

    yield make
    for worker in started:
        worker.kill()
