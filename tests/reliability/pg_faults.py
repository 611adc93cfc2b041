"""Drop the application's own PostgreSQL connection in the middle of its work.

A side connection takes a table lock that the request or task under test must wait for;
a watcher terminates (``pg_terminate_backend``) whichever backend of the test database
queues behind it, i.e. the app's connection, mid-transaction. The shared server is never
restarted.
"""

import threading
import time
from contextlib import contextmanager

import psycopg

from tests.reliability.harness import database_url


@contextmanager
def connection_killed_while_waiting_on(table: str, mode: str, *, hold: bool = False):
    """Yield a list that receives the pids killed; ``hold`` keeps the lock until the block ends."""
    dsn = database_url()
    locker = psycopg.connect(dsn)
    locker.execute(f"LOCK TABLE {table} IN {mode} MODE")  # noqa: S608 - test-chosen identifiers
    killed: list[int] = []
    done = threading.Event()

    def watch():
        with psycopg.connect(dsn, autocommit=True) as watcher:
            while not done.is_set() and not killed:
                waiting = watcher.execute(
                    "SELECT pid FROM pg_locks WHERE relation = %s::regclass AND NOT granted", [table]
                ).fetchall()
                for (pid,) in waiting:
                    watcher.execute("SELECT pg_terminate_backend(%s)", [pid])
                    killed.append(pid)
                time.sleep(0.02)
        if not hold:
            locker.rollback()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield killed
    finally:
        done.set()
        thread.join(timeout=10)
        locker.rollback()
        locker.close()
