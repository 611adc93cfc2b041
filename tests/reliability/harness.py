"""Real services for the fault tests: a private Redis, Celery workers, subprocess commands.

Every fault test runs its own ``redis-server`` on a free port (never the shared 6379 that
other stages and people use) and its own worker processes, so killing and restarting them
disturbs nobody. Workers and commands share the test database through ``DATABASE_URL``.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.support import wait_for  # noqa: F401  (re-exported for the fault tests)

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    assert db["ENGINE"] == "django.db.backends.postgresql", "fault tests need PostgreSQL"
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class Redis:
    """A private redis-server; ``aof=True`` fsyncs every write (acknowledged = on disk)."""

    def __init__(self, workdir: Path, *, aof: bool):
        self.port = free_port()
        self.dir = workdir
        self.aof = aof
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.pid: int | None = None

    def start(self) -> None:
        persistence = (
            ["--appendonly", "yes", "--appendfsync", "always"] if self.aof else ["--appendonly", "no"]
        )
        subprocess.run(
            [
                "redis-server",
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                *persistence,
                "--dir", str(self.dir),
                "--pidfile", str(self.dir / "redis.pid"),
                "--logfile", str(self.dir / "redis.log"),
                "--daemonize", "yes",
            ],
            check=True,
        )  # fmt: skip
        assert wait_for(self.ping, timeout=10), (self.dir / "redis.log").read_text()
        self.pid = int((self.dir / "redis.pid").read_text())

    def ping(self) -> bool:
        return self.cli("ping").returncode == 0

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True, check=False
        )

    def queue_length(self, queue: str = "celery") -> int:
        return int(self.cli("llen", queue).stdout.strip() or 0)

    def unacked(self) -> int:
        """Messages delivered to a worker and not yet acknowledged (kombu's ``unacked``
        hash); a client, not redis-cli, so it can be polled every few milliseconds."""
        import redis

        with redis.Redis(port=self.port) as client:
            return client.hlen("unacked")

    def kill(self) -> None:
        """SIGKILL: a crash, nothing flushed beyond what fsync already wrote."""
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            wait_for(lambda: not _alive(self.pid), timeout=10)
            self.pid = None


def _state(pid: int) -> str:
    """The process's state letter from ``/proc`` (R running, S sleeping, Z zombie...); ''
    when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][:1]
    except (OSError, IndexError):
        return ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return _state(pid) != "Z"


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(") ", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":  # a killed child lingers as a zombie
            found.append(int(stat.parent.name))
    return found


def env_for(broker_url: str, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url(), "CELERY_BROKER_URL": broker_url, **extra}
    env.pop("CELERY_TASK_EAGER_PROPAGATES", None)
    return env


# Every queue the app declares (``CELERY_TASK_QUEUES``: extraction and the rest on
# "celery", matching on "matching"), as the README's worker command consumes them.
QUEUES = ",".join(settings.CELERY_TASK_QUEUES)


class Worker:
    """``celery -A config worker`` on the private broker; its log proves what ran where."""

    def __init__(
        self, broker_url: str, log_path: Path, *, concurrency: int = 2, queues: str = QUEUES, **env: str
    ):
        self.broker_url = broker_url
        self.log_path = log_path
        self.concurrency = concurrency
        self.queues = queues
        self.env = env
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Worker":
        log = open(self.log_path, "a")  # noqa: SIM115 - the child owns it
        self.proc = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "info",
                "-c", str(self.concurrency), "-Q", self.queues, "--without-gossip", "--without-mingle", "--without-heartbeat",
                "-n", f"reliability-{os.getpid()}-{time.monotonic_ns()}@%h",
            ],
            cwd=ROOT,
            env=env_for(self.broker_url, **self.env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log.close()
        ready = wait_for(
            lambda: self.log().count(" ready.") > self._ready_seen or self.proc.poll() is not None, timeout=60
        )
        assert ready and self.proc.poll() is None, f"worker did not start:\n{self.log()[-3000:]}"
        self._ready_seen = self.log().count(" ready.")
        return self

    _ready_seen = 0

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def pool_children(self) -> list[int]:
        return children(self.proc.pid) if self.proc else []

    def busy_pool_child(self, timeout: float = 2.0) -> int | None:
        """A pool process seen running (state R), i.e. most likely inside a task.

        Extractions take milliseconds and the main process hands them out one by one, so a
        pool process picked blindly is idle (waiting on its pipe, state S) more often than
        not; killing one while it runs is what the worker-lost path needs.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for pid in self.pool_children():
                if _state(pid) == "R":
                    return pid
            time.sleep(0.0005)
        return None

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children) at once."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.proc = None


def manage(*args: str, broker_url: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``manage.py`` in its own process, as an operator or cron would."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env_for(broker_url),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def publish(task, ids, broker_url: str) -> None:
    """Queue ``task(id)`` for each id on the private broker (not the app's configured one)."""
    from kombu import Connection

    with Connection(broker_url) as conn:
        producer = task.app.amqp.Producer(conn, auto_declare=True)
        for pk in ids:
            task.apply_async((pk,), producer=producer)
