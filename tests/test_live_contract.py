"""The contract as clients meet it over HTTP: a live gunicorn, the demo loaded, an admin key.

schemathesis' CLI (`st run --checks all`, every phase, stateful included) must find no failure
with the narrowings written in schemathesis.toml; gunicorn must take request lines up to 8 KiB.
"""

from __future__ import annotations

import subprocess
import urllib.error
import urllib.request

import pytest
from live_server import BIN, ROOT, demo_server

PORT = 8301
BASE = f"http://127.0.0.1:{PORT}"
# Bounds for this run, added to schemathesis.toml's narrowings: few cases per operation in the
# examples, coverage and fuzzing phases, more scenarios in the stateful one (which follows the
# links between operations: create, then read, change, delete), near two minutes in all.
BOUNDS = """
[generation]
max-examples = 5

[phases.stateful.generation]
max-examples = 25
"""
SEED = 20261201  # the same cases every run: a failure here is reproducible with `st run --seed`

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn as `claimtrack serve` runs it, on a fresh SQLite file with the demo."""
    where = tmp_path_factory.mktemp("live")
    with demo_server(where, PORT, {"CLAIMTRACK_SECRET_KEY": "live-contract"}) as live:
        yield {"key": live.key, "env": live.env}


def _get(path: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(BASE + path, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read().decode()


def test_schemathesis_cli_finds_no_failure(server, tmp_path):
    config = tmp_path / "schemathesis.toml"
    config.write_text((ROOT / "schemathesis.toml").read_text(encoding="utf-8") + BOUNDS)

    result = subprocess.run(
        [
            str(BIN / "st"),
            "--config-file",
            str(config),
            "run",
            f"{BASE}/openapi.json",
            "--checks",
            "all",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--seed",
            str(SEED),
            "--header",
            f"Authorization: Bearer {server['key']}",
            "--no-color",
        ],
        cwd=ROOT,
        env={**server["env"], "SCHEMATHESIS_HOOKS": str(ROOT / "tests" / "schemathesis_hooks.py")},
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert result.returncode == 0, result.stdout[-20_000:] + result.stderr[-5_000:]
    print(result.stdout[-2_500:])  # the run's summary, for `pytest -rP`
    assert "Stateful" in result.stdout  # the stateful phase ran, not only the others


def test_request_lines_up_to_8_kib_reach_the_service(server):
    path = "/api/v1/claims?q=" + "consulate+" * 49 + "Dakhla&tag=" + "x" * 64
    path += "&tag=y" * ((8_000 - len(f"GET {path} HTTP/1.1")) // len("&tag=y"))
    assert 7_900 < len(f"GET {path} HTTP/1.1") <= 8_190

    status, content_type, body = _get(path)

    assert status == 200 and content_type == "application/json", body
    assert '"items"' in body


def test_a_longer_request_line_gets_the_documented_414(server):
    status, content_type, _body = _get("/api/v1/claims?q=x" + "&tag=y" * 1_400)

    assert (status, content_type) == (414, "text/html")
