"""A private PostgreSQL cluster, its streaming replica and a real gunicorn, for stack tests.

What tests/outages/test_outages_stack.py's fixtures are made of (not a conftest.py: tests import the
suite's conftest module by that name).

The cluster lives in a temporary directory (port 55433, its replica 55434) and gunicorn
serves on 8201. Every process started here is stopped in a `finally`, whatever the test did.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from service import migrate

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PRIMARY_PORT = 55433
REPLICA_PORT = 55434
APP_PORT = 8201
SECRET = "stack-test-secret"
JSON_TYPES = ("application/json", "application/problem+json")
ROOT = Path(__file__).resolve().parents[2]


def as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL program as the postgres user (initdb refuses root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(
        [*prefix, *command], check=True, capture_output=True, text=True, timeout=120, **kwargs
    )


@dataclass
class Cluster:
    directory: Path
    port: int

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def url(self, database: str = "claimtrack") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def pg_ctl(self, *args: str) -> None:
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        self.pg_ctl("-l", str(self.directory / "server.log"), "-w", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def sql(self, statement: str, database: str = "claimtrack"):
        engine = create_engine(self.url(database), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                result = connection.execute(text(statement))
                return result.all() if result.returns_rows else None
        finally:
            engine.dispose()


def _new_directory() -> Path:
    directory = Path(tempfile.mkdtemp(prefix="claimtrack-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    return directory


def _destroy(cluster: Cluster) -> None:
    try:
        if cluster.running():
            cluster.stop("immediate")
    finally:
        shutil.rmtree(cluster.directory, ignore_errors=True)


@contextmanager
def private_cluster() -> Iterator[Cluster]:
    """A migrated PostgreSQL 15 cluster of our own, database `claimtrack`."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL 15's programs are not in {PG_BIN}")
    cluster = Cluster(_new_directory(), PRIMARY_PORT)
    try:
        as_postgres(
            str(PG_BIN / "initdb"),
            "-D",
            str(cluster.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
        )
        with (cluster.data / "postgresql.conf").open("a") as conf:
            # Durable enough for a test that stops the server cleanly; wal_level replica and
            # the default wal senders let pg_basebackup make a replica of it.
            conf.write("fsync = off\nwal_level = replica\nmax_wal_senders = 4\n")
        cluster.start()
        cluster.sql("CREATE DATABASE claimtrack", database="postgres")
        migrate.upgrade(cluster.url())
        yield cluster
    finally:
        _destroy(cluster)


@contextmanager
def streaming_replica() -> Iterator[Cluster]:
    """A streaming replica of the private cluster, made with pg_basebackup -R, on its port."""
    replica = Cluster(_new_directory(), REPLICA_PORT)
    try:
        as_postgres(
            str(PG_BIN / "pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(PRIMARY_PORT),
            "-U",
            "postgres",
            "-D",
            str(replica.data),
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
            "--no-sync",
        )
        replica.start()
        assert replica.sql("SELECT pg_is_in_recovery()") == [(True,)]
        yield replica
    finally:
        _destroy(replica)


def _admin_key(url: str) -> str:
    """A new admin key, straight into the database (as tests/conftest.py's key_for does)."""
    from service.auth.service import create_key
    from service.db import Database

    database = Database(url)
    try:
        with database.sessionmaker() as session:
            _, plain = create_key(session, name="stack-admin", role="admin", server_secret=SECRET)
            session.commit()
    finally:
        database.dispose()
    return plain


@dataclass
class Server:
    """gunicorn serving the app on APP_PORT; `log` holds what it wrote."""

    process: subprocess.Popen
    log: Path
    admin_key: str
    database_url: str
    headers: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body=None, headers=None, timeout: float = 30):
        """(status, headers, parsed JSON or raw bytes) of one request on a new connection."""
        connection = http.client.HTTPConnection("127.0.0.1", APP_PORT, timeout=timeout)
        try:
            sent = {"Authorization": f"Bearer {self.admin_key}", **(headers or {})}
            if body is not None and not isinstance(body, bytes | str):
                body = json.dumps(body)
                sent.setdefault("Content-Type", "application/json")
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
            kind = response.getheader("Content-Type") or ""
            mime = kind.split(";")[0].strip()
            parsed = json.loads(data) if mime in JSON_TYPES and data else data
            return response.status, dict(response.getheaders()), parsed
        finally:
            connection.close()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def app_servers(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """`start(database_url, **env)` starts gunicorn (2 workers × 4 threads) on APP_PORT."""
    started: list[subprocess.Popen] = []

    def start(url: str, **env: str) -> Server:
        admin = _admin_key(url)
        log = tmp_path / f"gunicorn-{len(started)}.log"
        environment = {
            **os.environ,
            "DATABASE_URL": url,
            "CLAIMTRACK_SECRET_KEY": SECRET,
            "CLAIMTRACK_BIND": f"127.0.0.1:{APP_PORT}",
            "WEB_CONCURRENCY": "2",
            "CLAIMTRACK_THREADS": "4",
            **env,
        }
        with log.open("wb") as output:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--config",
                    "python:service.gunicorn_conf",
                    "service.app:create_app()",
                ],
                cwd=ROOT,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        started.append(process)
        server = Server(process, log, admin, url)
        deadline = time.monotonic() + 60
        while True:
            try:
                if server.request("GET", "/health", timeout=2)[0] == 200:
                    return server
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{server.log_text()[-3000:]}")
            time.sleep(0.1)

    try:
        yield start
    finally:
        for process in started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
