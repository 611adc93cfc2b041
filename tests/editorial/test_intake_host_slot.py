"""One request per host at a time, the delay between: threads of one process, and worker
processes that share only the database (PostgreSQL, no shared cache)."""

import multiprocessing
import threading

import pytest
from django.db import connection, connections, transaction

from editorial.intake.fetcher import _advisory_key, fetch, host_slot
from tests.intake_server import fetch_in_process
from tests.support import database_url

DELAY, ANSWER = 0.3, 0.1  # seconds: the configured delay, and how long each answer takes
TOLERANCE = 0.05  # the server's and the fetchers' clocks read at slightly different moments


def _gaps(started: list[float]) -> list[float]:
    ordered = sorted(started)
    return [later - earlier for earlier, later in zip(ordered, ordered[1:], strict=False)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("slot", ["process", "cache", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_threads_take_turns_on_a_host_with_the_delay_between(intake_server, settings, slot):
    settings.FETCH_HOST_SLOT = slot
    settings.FETCH_HOST_DELAY_SECONDS = DELAY
    for i in range(4):
        intake_server.add(f"/slow{i}", "ok", delay=ANSWER, content_type="text/plain")
    fetch(intake_server.url("/slow0"))  # robots.txt read and kept first
    first = len(intake_server.started)

    def one(path):
        try:
            fetch(intake_server.url(path))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(f"/slow{i}",)) for i in range(1, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert intake_server.max_in_flight == 1
    gaps = _gaps(intake_server.started[first - 1 :])
    assert len(gaps) == 3 and min(gaps) >= DELAY + ANSWER - TOLERANCE  # the answer, then the delay


def _elsewhere(sql: str, params: list) -> object:
    """``sql``'s first value, run on another connection (a thread of its own)."""
    answer: list = []

    def run():
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                answer.append(cursor.fetchone()[0])
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return answer[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_slot_taken_inside_a_transaction_is_held_and_recorded_outside_it(settings):
    settings.FETCH_HOST_SLOT = "postgres"
    host, key = "https://outlet.example:", _advisory_key("https://outlet.example:")
    lock_and_free = "SELECT pg_try_advisory_lock(%s) AND pg_advisory_unlock(%s)"
    with transaction.atomic():
        with host_slot(host):
            assert _elsewhere(lock_and_free, [key, key]) is False
        # Still in the caller's transaction: the lock is free and the time committed.
        assert _elsewhere(lock_and_free, [key, key]) is True
        assert _elsewhere("SELECT count(*) FROM editorial_fetchhost WHERE host = %s", [host]) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_processes_without_a_shared_cache_take_turns_on_a_host(intake_server):
    """Three spawned processes on the test database, each with its own local cache, fetch
    from one host at once: the server never has two of their requests at a time, and each
    starts the delay after the one before ended."""
    intake_server.add("/robots.txt", "User-agent: *\nAllow: /\n", delay=ANSWER, content_type="text/plain")
    for i in range(6):
        intake_server.add(f"/p{i}", "ok", delay=ANSWER, content_type="text/plain")
    env = {
        "DATABASE_URL": database_url(connections["default"].settings_dict),
        "FETCH_ALLOW_PRIVATE_ADDRESSES": "1",
        "FETCH_HOST_DELAY_SECONDS": str(DELAY),
        "FETCH_TIMEOUT_SECONDS": "5",
    }
    spawn = multiprocessing.get_context("spawn")
    go, results = spawn.Event(), spawn.Queue()
    workers = [
        spawn.Process(
            target=fetch_in_process,
            args=(env, [intake_server.url(f"/p{2 * n}"), intake_server.url(f"/p{2 * n + 1}")], go, results),
        )
        for n in range(3)
    ]
    for worker in workers:
        worker.start()
    try:
        assert [results.get(timeout=60) for _ in workers] == [("ready", [])] * 3
        go.set()
        outcomes = [results.get(timeout=60) for _ in workers]
    finally:
        for worker in workers:
            worker.join(timeout=10)
            if worker.is_alive():
                worker.kill()

    assert outcomes == [("postgres", [])] * 3
    assert len(intake_server.started) == 9  # each process's robots.txt, then its two pages
    assert intake_server.max_in_flight == 1
    assert min(_gaps(intake_server.started)) >= DELAY + ANSWER - TOLERANCE
