"""A live demo server for the tests that talk HTTP to one (the README's examples, the
schemathesis CLI): gunicorn as `claimtrack serve` runs it, on a fresh SQLite file with the
demo loaded and an admin key. Not a conftest.py fixture: each test module makes its own, on
its own port.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # claimtrack, st: this interpreter's environment


@dataclass(frozen=True)
class LiveServer:
    base: str  # http://127.0.0.1:<port>
    key: str  # the demo's admin key
    env: dict[str, str]  # what the server runs with


@contextmanager
def demo_server(where: Path, port: int, env: dict[str, str | None]) -> Iterator[LiveServer]:
    """Migrate a database in `where`, load the demo, serve it on `port` until the block ends.

    `env` is laid over this process's environment (None removes a variable); the server's
    log is `where / "gunicorn.log"`.
    """
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{where / 'demo.sqlite3'}",
        "WEB_CONCURRENCY": "1",
    }
    environment.pop("CLAIMTRACK_BASE_URL", None)  # links name the host asked
    for name, value in env.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    claimtrack = str(BIN / "claimtrack")
    subprocess.run([claimtrack, "db", "upgrade"], env=environment, check=True, capture_output=True)
    loaded = subprocess.run(
        [claimtrack, "demo", "load", "--admin-key"],
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )
    key = next(word for word in loaded.stdout.split() if word.startswith("ct_"))
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "gunicorn", "--config", "python:service.gunicorn_conf"]
    command += ["--bind", f"127.0.0.1:{port}", "service.app:create_app()"]
    with (where / "gunicorn.log").open("wb") as log:
        process = subprocess.Popen(
            command, env=environment, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_for(f"{base}/health", process)
            yield LiveServer(base, key, environment)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode} before it answered")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:  # refused, reset or timed out: not up yet
            time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer {url} within {timeout:.0f} s")
