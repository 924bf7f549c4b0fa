"""Swagger UI in a real browser: /docs renders the operations and 'Try it out' works.

The server runs as `claimtrack serve` on its own SQLite file with the demo loaded, and
headless Chromium is kept off the network: every host but the local one is blocked twice,
by Chromium's resolver and by a page-level route that also records what was asked for.
Writes need an API key: one test authorizes with a researcher key through Swagger UI's
"Authorize" dialog and creates a claim, and checks that a page that has not authorized gets 401.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
CHROMIUM_CANDIDATES = ("/usr/bin/chromium",)
START_TIMEOUT = 30.0
UI_TIMEOUT_MS = 20_000
RESEARCHER = "browser-researcher"
# The docs page declares no icon, so Chromium asks for /favicon.ico by itself and logs the 404
# as a console error; that is not the page's doing (no JavaScript error, no CSP violation).
BROWSER_NOISE_PATHS = {"/favicon.ico"}
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


def _run(command: list[str], env: dict[str, str]) -> str:
    """Run a setup command and return its output; on failure, show what it printed."""
    try:
        done = subprocess.run(
            command, env=env, check=True, capture_output=True, text=True, timeout=60
        )
    except subprocess.CalledProcessError as error:
        # CalledProcessError's message leaves out what the command printed.
        pytest.fail(f"{' '.join(command[1:])} failed:\n{error.stdout}{error.stderr}")
    return done.stdout


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


def _claimtrack() -> str:
    return str(Path(sys.executable).parent / "claimtrack")


@pytest.fixture(scope="module")
def server_tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="module")
def server_env(server_tmp: Path) -> dict[str, str]:
    """The environment of the server, and of every `claimtrack` command run against its data."""
    return _server_env(server_tmp)


@pytest.fixture(scope="module")
def server(server_tmp: Path, server_env: dict[str, str]) -> Iterator[str]:
    """The base URL of a `claimtrack serve` with the demo loaded, on a free local port."""
    tmp, env = server_tmp, server_env
    claimtrack = _claimtrack()
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
    # The demo's own; the researcher test posts the spec's example, a Dakhla promise too.
    ids = [
        item["id"]
        for item in page["items"]
        if "Dakhla" in item["text"] and item.get("created_by") != RESEARCHER
    ]
    assert len(ids) == 1, f"expected one Dakhla promise in the demo, got {ids}"
    return ids[0]


@pytest.fixture(scope="module")
def researcher_key(server: str, server_env: dict[str, str]) -> str:
    """A researcher key in the server's database; `keys create` prints it on its last line."""
    output = _run(
        [_claimtrack(), "keys", "create", "--name", RESEARCHER, "--role", "researcher"], server_env
    )
    key = output.strip().splitlines()[-1].strip()
    assert key.startswith("ct_"), f"no key on the last line of `keys create`:\n{output}"
    return key


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


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watch:
    """What a page asked for and what went wrong in it."""

    requested: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    # (text, URL it is about): JavaScript errors, CSP violations, failed loads.
    console_errors: list[tuple[str, str]] = field(default_factory=list)

    def problems(self, expected: Callable[[str, str], bool] = lambda text, url: False):
        """Console errors that are neither browser noise nor `expected`."""
        return [
            (text, url)
            for text, url in self.console_errors
            if not (_is_failed_load(text) and urlsplit(url).path in BROWSER_NOISE_PATHS)
            and not expected(text, url)
        ]

    def assert_clean(self, expected: Callable[[str, str], bool] = lambda text, url: False):
        assert not self.blocked, f"the page tried to leave the machine: {self.blocked}"
        assert not self.page_errors, f"Swagger UI raised JavaScript errors: {self.page_errors}"
        problems = self.problems(expected)
        assert not problems, f"console errors (JavaScript, CSP, failed loads): {problems}"


def _is_failed_load(text: str) -> bool:
    return text.startswith("Failed to load resource")


def _open_docs(browser, server: str, watch: Watch):
    """/docs in a browser context of its own (so no stored authorization), watched."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    page.on("pageerror", lambda error: watch.page_errors.append(str(error)))

    def on_console(message):
        if message.type == "error":
            watch.console_errors.append((message.text, message.location.get("url", "")))

    page.on("console", on_console)

    def route(route):
        # Abort every request that leaves the machine, and remember them all.
        url = route.request.url
        watch.requested.append(url)
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            watch.blocked.append(url)
            route.abort()

    page.route("**/*", route)
    page.goto(f"{server}/docs")
    return context, page


def _try_out_create_claim(page):
    """POST /api/v1/claims with the spec's example body; return the live response's row."""
    from playwright.sync_api import expect

    operation = page.locator("#operations-claims-createClaim")
    operation.locator(".opblock-summary").click()
    operation.locator(".try-out__btn").click()
    # The request body, prefilled with the spec's example (a Dakhla promise).
    expect(operation.locator("textarea.body-param__text")).to_have_value(re.compile("Dakhla"))
    operation.locator(".execute").click()
    # The live response's row (the table's header row has the same cell classes).
    response = operation.locator(".live-responses-table tbody tr.response")
    expect(response.locator(".response-col_status")).not_to_be_empty(timeout=UI_TIMEOUT_MS)
    return response


@pytest.mark.browser
def test_swagger_ui_renders_and_tries_out_a_claim(browser, server, dakhla_id):
    from playwright.sync_api import expect

    operations = _spec_operations(server)
    watch = Watch()
    context, page = _open_docs(browser, server, watch)
    try:
        # The operations, rendered from /openapi.json: one block for each in the spec.
        get_claim = page.locator("#operations-claims-getClaim")
        list_claims = page.locator("#operations-claims-listClaims")
        expect(get_claim, "getClaim rendered").to_be_visible(timeout=UI_TIMEOUT_MS)
        expect(list_claims, "listClaims rendered").to_be_visible(timeout=UI_TIMEOUT_MS)
        expect(page.locator(".opblock")).to_have_count(len(operations))
        expect(get_claim.locator(".opblock-summary-path")).to_have_text("/api/v1/claims/{claim_id}")
        expect(list_claims.locator(".opblock-summary-method")).to_have_text("GET")
        expect(list_claims.locator(".opblock-summary-path")).to_have_text("/api/v1/claims")

        # Try it out: GET the Dakhla claim by its id.
        get_claim.locator(".opblock-summary").click()
        get_claim.locator(".try-out__btn").click()
        get_claim.locator('tr[data-param-name="claim_id"] input').fill(str(dakhla_id))
        get_claim.locator(".execute").click()

        response = get_claim.locator(".live-responses-table tbody tr.response")
        body = response.locator(".highlight-code pre")
        expect(response.locator(".response-col_status")).to_have_text("200", timeout=UI_TIMEOUT_MS)
        expect(body).to_contain_text("Dakhla", timeout=UI_TIMEOUT_MS)
        claim = json.loads(body.inner_text())
    finally:
        context.close()

    assert claim["id"] == dakhla_id
    assert "Dakhla" in claim["text"]
    assert any(urlsplit(url).path == f"/api/v1/claims/{dakhla_id}" for url in watch.requested)
    watch.assert_clean()


@pytest.mark.browser
def test_swagger_ui_authorizes_with_a_key_and_creates_a_claim(browser, server, researcher_key):
    from playwright.sync_api import expect

    claims_url = f"{server}/api/v1/claims"

    # A page that has not authorized: the write is refused. Its own browser context, so that
    # no authorization persisted by another page (persistAuthorization) is in its storage.
    anonymous = Watch()
    context, page = _open_docs(browser, server, anonymous)
    try:
        expect(page.locator(".auth-wrapper .authorize")).to_have_class(re.compile(r"\bunlocked\b"))
        response = _try_out_create_claim(page)
        expect(response.locator(".response-col_status")).to_have_text("401")
        refusal = json.loads(response.locator(".highlight-code pre").inner_text())
    finally:
        context.close()
    assert refusal["status"] == 401
    assert claims_url in anonymous.requested
    # Chromium logs the refused POST as a failed load; nothing else may be logged.
    anonymous.assert_clean(
        expected=lambda text, url: _is_failed_load(text) and "401" in text and url == claims_url
    )

    # Authorize with the researcher key, then create the spec's example claim.
    watch = Watch()
    context, page = _open_docs(browser, server, watch)
    try:
        page.locator(".auth-wrapper .authorize").click()
        dialog = page.locator(".dialog-ux .modal-ux")
        scheme = dialog.locator(".auth-container").filter(
            has=page.locator("h4", has_text="bearerAuth")
        )
        scheme.locator("input#auth-bearer-value").fill(researcher_key)
        scheme.get_by_role("button", name="Apply credentials").click()
        expect(scheme.locator("h6")).to_have_text("Authorized")
        scheme.locator(".btn-done").click()
        expect(dialog).to_have_count(0)
        expect(page.locator(".auth-wrapper .authorize")).to_have_class(re.compile(r"\blocked\b"))

        response = _try_out_create_claim(page)
        body = response.locator(".highlight-code pre")
        expect(response.locator(".response-col_status")).to_have_text("201")
        expect(body).to_contain_text(f'"created_by": "{RESEARCHER}"')
        claim = json.loads(body.inner_text())
    finally:
        context.close()

    assert claim["created_by"] == RESEARCHER
    assert _get_json(f"{claims_url}/{claim['id']}")["created_by"] == RESEARCHER
    assert claims_url in watch.requested
    watch.assert_clean()
