"""The servers under test: the app and the raw endpoint under gunicorn, Datasette beside them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.database import Target

REPO = Path(__file__).resolve().parent.parent
READY_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _script(name: str) -> str:
    """A console script installed beside the running interpreter."""
    return str(Path(sys.executable).with_name(name))


@dataclass
class Server:
    name: str
    command: list[str]
    env: dict[str, str]
    port: int
    ready_path: str
    log_path: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            self.command, env=self.env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base_url + self.ready_path, timeout=5):
                    return
            except urllib.error.HTTPError:
                return  # it answers: that is all readiness means here
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {READY_SECONDS} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # gunicorn: graceful stop of the master and its workers
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@dataclass(frozen=True)
class GunicornSettings:
    workers: int = 2
    threads: int = 4


def gunicorn(
    name: str,
    app_spec: str,
    target: Target,
    secret: str,
    settings: GunicornSettings,
    logs: Path,
    ready_path: str,
) -> Server:
    """`gunicorn -c python:service.gunicorn_conf APP`, configured as the README says."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": target.url,
        "CLAIMTRACK_BIND": f"127.0.0.1:{port}",
        "CLAIMTRACK_SECRET_KEY": secret,
        "WEB_CONCURRENCY": str(settings.workers),
        "CLAIMTRACK_THREADS": str(settings.threads),
    }
    command = [_script("gunicorn"), "-c", "python:service.gunicorn_conf", app_spec]
    return Server(name, command, env, port, ready_path, logs / f"{name}.log")


def datasette(target: Target, logs: Path) -> Server:
    """Datasette on the same SQLite file, one process, its default settings.

    Its metadata names claim_fts as the claim table's full-text index: Datasette finds FTS
    tables declared with content="claim" or content=[claim], and ours says content='claim'.
    """
    port = free_port()
    metadata = logs / "datasette-metadata.json"
    tables = {"claim": {"fts_table": "claim_fts", "fts_pk": "id"}}
    metadata.write_text(json.dumps({"databases": {Path(target.name).stem: {"tables": tables}}}))
    command = [
        _script("datasette"),
        "serve",
        target.name,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "20000",
        "--metadata",
        str(metadata),
    ]
    return Server(
        "datasette", command, dict(os.environ), port, "/-/versions.json", logs / "datasette.log"
    )


@contextmanager
def running(*servers: Server) -> Iterator[tuple[Server, ...]]:
    """Start every server, wait until each answers, and stop them all afterwards."""
    with ExitStack() as stack:
        for server in servers:
            stack.callback(server.stop)
            server.start()
        for server in servers:
            server.wait_ready()
        yield servers
