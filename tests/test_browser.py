"""Swagger UI in a real browser: /docs renders the operations and 'Try it out' works.

The server runs as `claimtrack serve` on its own SQLite file with the demo loaded, and
headless Chromium is kept off the network: every host but the local one is blocked twice,
by Chromium's resolver and by a page-level route that also records what was asked for.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
CHROMIUM_CANDIDATES = ("/usr/bin/chromium",)
START_TIMEOUT = 30.0
UI_TIMEOUT_MS = 20_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # No host name resolves (so nothing beyond this machine is reachable); 127.0.0.1 is exempt.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def _chromium_path() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(tmp: Path) -> dict[str, str]:
    env = os.environ.copy()
    # Always SQLite here, even when the rest of the suite runs on PostgreSQL.
    env.pop("TEST_DATABASE_URL", None)
    env["DATABASE_URL"] = f"sqlite:///{tmp / 'browser.sqlite3'}"
    env["CLAIMTRACK_SECRET_KEY"] = "browser-test-secret"
    # `serve` finds gunicorn on PATH: put this interpreter's scripts first so it is the one used.
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([bin_dir, env.get("PATH", "")])
    # One worker is plenty for one browser, and starts fastest.
    env["WEB_CONCURRENCY"] = "1"
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    """Run a setup command; on failure, show what it printed (CalledProcessError does not)."""
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True, timeout=60)
    except subprocess.CalledProcessError as error:
        pytest.fail(f"{' '.join(command[1:])} failed:\n{error.stdout}{error.stderr}")


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


def _wait_healthy(process: subprocess.Popen, base_url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"claimtrack serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base_url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(
        f"claimtrack serve did not answer /health within {START_TIMEOUT:.0f} s:\n{log.read_text()}"
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The base URL of a `claimtrack serve` with the demo loaded, on a free local port."""
    tmp = tmp_path_factory.mktemp("browser")
    env = _server_env(tmp)
    claimtrack = str(Path(sys.executable).parent / "claimtrack")
    _run([claimtrack, "db", "upgrade"], env)
    _run([claimtrack, "demo", "load"], env)

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    # Logs go to a file, not a pipe: a pipe nobody reads fills up and stalls the server.
    log = tmp / "serve.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [claimtrack, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(process, base_url, log)
        yield base_url
    finally:
        _stop(process)


@pytest.fixture(scope="module")
def dakhla_id(server: str) -> int:
    page = _get_json(f"{server}/api/v1/claims?kind=promise")
    ids = [item["id"] for item in page["items"] if "Dakhla" in item["text"]]
    assert len(ids) == 1, f"expected one Dakhla promise in the demo, got {ids}"
    return ids[0]


def _spec_operations(base_url: str) -> list[tuple[str, str]]:
    spec = _get_json(f"{base_url}/openapi.json")
    return [
        (method, path)
        for path, item in spec["paths"].items()
        for method in item
        if method in HTTP_METHODS
    ]


@pytest.fixture(scope="module")
def chromium_path() -> str:
    pytest.importorskip("playwright.sync_api", reason="playwright for Python is not installed")
    path = _chromium_path()
    if path is None:
        pytest.skip("chromium not found: install Debian's chromium to run the Swagger UI test")
    return path


def _block_non_local(page, requested: list[str], blocked: list[str]) -> None:
    """Abort every request that leaves the machine, and remember them all."""

    def handle(route):
        url = route.request.url
        requested.append(url)
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.route("**/*", handle)


@pytest.mark.browser
def test_swagger_ui_renders_and_tries_out_a_claim(chromium_path, server, dakhla_id):
    from playwright.sync_api import expect, sync_playwright

    operations = _spec_operations(server)
    requested: list[str] = []
    blocked: list[str] = []
    page_errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(UI_TIMEOUT_MS)
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            _block_non_local(page, requested, blocked)
            page.goto(f"{server}/docs")

            # The operations, rendered from /openapi.json: one block for each in the spec.
            get_claim = page.locator("#operations-claims-getClaim")
            list_claims = page.locator("#operations-claims-listClaims")
            expect(get_claim, "getClaim rendered").to_be_visible(timeout=UI_TIMEOUT_MS)
            expect(list_claims, "listClaims rendered").to_be_visible(timeout=UI_TIMEOUT_MS)
            expect(page.locator(".opblock")).to_have_count(len(operations))
            expect(get_claim.locator(".opblock-summary-path")).to_have_text(
                "/api/v1/claims/{claim_id}"
            )
            expect(list_claims.locator(".opblock-summary-method")).to_have_text("GET")
            expect(list_claims.locator(".opblock-summary-path")).to_have_text("/api/v1/claims")

            # Try it out: GET the Dakhla claim by its id.
            get_claim.locator(".opblock-summary").click()
            get_claim.locator(".try-out__btn").click()
            get_claim.locator('tr[data-param-name="claim_id"] input').fill(str(dakhla_id))
            get_claim.locator(".execute").click()

            # The live response's row (the table's header row has the same cell classes).
            response = get_claim.locator(".live-responses-table tbody tr.response")
            body = response.locator(".highlight-code pre")
            expect(response.locator(".response-col_status")).to_have_text(
                "200", timeout=UI_TIMEOUT_MS
            )
            expect(body).to_contain_text("Dakhla", timeout=UI_TIMEOUT_MS)
            claim = json.loads(body.inner_text())
        finally:
            browser.close()

    assert claim["id"] == dakhla_id
    assert "Dakhla" in claim["text"]
    assert any(urlsplit(url).path == f"/api/v1/claims/{dakhla_id}" for url in requested)
    assert not blocked, f"the page tried to leave the machine: {blocked}"
    assert not page_errors, f"Swagger UI raised JavaScript errors: {page_errors}"
