"""A bench's own services: a fresh PostgreSQL database and a private Redis, both gone at the
end, with Django set up on them, and the worker processes the bench starts stopped first."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Services:
    env: dict  # the environment for manage.py and workers: this database and broker
    workdir: Path
    workers: list[subprocess.Popen] = field(default_factory=list)

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )

    def queue_length(self, queue: str) -> int:
        port = urlsplit(self.env["CELERY_BROKER_URL"]).port
        out = subprocess.run(
            ["redis-cli", "-p", str(port), "llen", queue], capture_output=True, text=True, check=False
        )
        return int(out.stdout.strip() or 0)

    def worker(self, name: str, *, queues: str = "celery,matching,embedding") -> subprocess.Popen:
        """One worker process of concurrency 1 on ``queues``, logging to ``workdir/name.log``."""
        log = open(self.workdir / f"{name}.log", "w")  # noqa: SIM115 - owned by the child
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "warning", "-c", "1", "-Q", queues,
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{name}-{os.getpid()}@%h"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.workers.append(proc)
        return proc


@contextlib.contextmanager
def bench_services(prefix: str) -> Iterator[Services]:
    """Create the database (on the server ``DATABASE_URL`` names, default
    postgres://postgres@127.0.0.1:5432) and start Redis on a free port; migrate; set Django
    up on them; on the way out stop the workers, Redis, and drop the database."""
    server = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    name = f"fc_bench_{prefix}_{os.getpid()}"
    parts = urlsplit(server)
    database_url = urlunsplit(parts._replace(path=f"/{name}"))
    admin = urlunsplit(parts._replace(path="/postgres"))
    workdir = Path(tempfile.mkdtemp(prefix=f"{prefix}_"))
    broker = f"redis://127.0.0.1:{free_port()}/0"
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": broker, "LOG_LEVEL": "WARNING"}
    services = Services(env=env, workdir=workdir)
    psql(admin, f'CREATE DATABASE "{name}"')
    try:
        subprocess.run(
            ["redis-server", "--port", str(urlsplit(broker).port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "yes", "--dir", str(workdir),
             "--pidfile", str(workdir / "redis.pid")],
            check=True,
        )  # fmt: skip
        services.manage("migrate", "-v0")
        os.environ.update({"DATABASE_URL": database_url, "CELERY_BROKER_URL": broker})
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        yield services
    finally:
        for proc in services.workers:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in services.workers:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        pid_file = workdir / "redis.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text()), signal.SIGKILL)
        from django.db import connections

        connections.close_all()
        psql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def psql(url: str, sql: str) -> None:
    subprocess.run(["psql", url, "-q", "-c", sql], check=True)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
