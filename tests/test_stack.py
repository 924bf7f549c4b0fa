"""The production-shaped stack, started for real with `make stack` (issue 16, item 2).

nginx on 127.0.0.1:8080 in front of two gunicorn instances (8101, 8102) on a PostgreSQL database
of the module's own (`claimtrack_stack_test`, on the server of TEST_DATABASE_URL or the local
cluster), created and dropped here. The tests run in file order: the contract walk-through, the
slow-header attack, the floods, then `make stack-stop`.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

pytestmark = [pytest.mark.stack, pytest.mark.pure]

ROOT = Path(__file__).resolve().parent.parent
PROXY_PORT = 8080
APP_PORTS = (8101, 8102)
DATABASE = "claimtrack_stack_test"
SERVER_URL = os.environ.get("TEST_DATABASE_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/"
HEADER_TIMEOUT = 10  # the default CLAIMTRACK_PROXY_HEADER_TIMEOUT, which the stack runs with
API_LINE = re.compile(r'"(?:GET|POST|PATCH|PUT|DELETE) /api/v1/')


@dataclass
class Stack:
    run_dir: Path
    admin_key: str
    output: str

    def app_log(self, port: int) -> str:
        return (self.run_dir / f"app-{port}.log").read_text(encoding="utf-8", errors="replace")

    def api_requests_served(self) -> dict[int, int]:
        return {port: len(API_LINE.findall(self.app_log(port))) for port in APP_PORTS}


def _environment(run_dir: Path, database_url: str) -> dict[str, str]:
    """make's environment: this interpreter's venv, the module's database, default limits."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "TEST_DATABASE_URL" and not key.startswith(("CLAIMTRACK_", "STACK_"))
    }
    env.update(
        VIRTUAL_ENV=str(Path(sys.executable).parent.parent),
        DATABASE_URL=database_url,
        STACK_RUN_DIR=str(run_dir),
    )
    return env


def _database(action: str, url: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "database.py"), action, url], check=True, timeout=60
    )


def _make(target: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", target],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("stack")
    url = make_url(SERVER_URL).set(database=DATABASE).render_as_string(hide_password=False)
    env = _environment(run_dir, url)
    _database("drop", url)  # a run killed half-way left it behind
    started = _make("stack", env)
    try:
        assert started.returncode == 0, f"make stack failed:\n{started.stdout}\n{started.stderr}"
        key = re.search(r"^stack: admin key (ct_\S+)", started.stdout, re.MULTILINE)
        assert key, f"make stack printed no admin key:\n{started.stdout}"
        yield Stack(run_dir, key[1], started.stdout)
    finally:
        stopped = _make("stack-stop", env)
        _database("drop", url)
        assert stopped.returncode == 0, stopped.stderr


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self):
        return json.loads(self.body)


def request(
    method: str,
    path: str,
    *,
    key: str | None = None,
    body=None,
    headers: dict[str, str] | None = None,
    port: int = PROXY_PORT,
    timeout: float = 10,
) -> Answer:
    """One request on a connection of its own (so that nginx spreads them as it would clients)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        sent = dict(headers or {})
        if key:
            sent["Authorization"] = f"Bearer {key}"
        data = body
        if body is not None and not isinstance(body, bytes):
            data = json.dumps(body).encode()
            sent.setdefault("Content-Type", "application/json")
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def assert_problem(answer: Answer, status: int) -> dict:
    assert answer.status == status, answer.body[:500]
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["status"] == status
    assert problem["type"] and problem["title"] and problem["detail"]
    return problem


# -- make stack ------------------------------------------------------------------------------


def test_make_stack_migrates_loads_the_demo_and_answers_through_the_proxy(stack):
    assert "demo: loaded the Morocco World News article" in stack.output
    listed = request("GET", "/api/v1/claims?limit=1&with_total=true")
    assert listed.status == 200
    assert listed.json()["total"] == 14
    assert listed.headers["Server"] == "nginx"
    # Links name the address the client used, the proxy's, not an app server's.
    assert f"<http://127.0.0.1:{PROXY_PORT}/api/v1/claims?" in listed.headers["Link"]
    # The printed key is a working admin key.
    assert request("GET", "/api/v1/keys", key=stack.admin_key).status == 200


# -- the contract, through the proxy, on both instances ---------------------------------------

ARTICLE = (
    "Rabat - The US is set to open a consulate in the city of Dakhla and encourage investment "
    "and economic development in the region, officials said on Thursday."
)


def test_the_api_contract_holds_through_the_proxy_with_both_instances_serving(stack):
    key = stack.admin_key
    before = stack.api_requests_served()

    assert_problem(request("POST", "/api/v1/sources", body={"url": "https://x.example/a"}), 401)

    source = request(
        "POST",
        "/api/v1/sources",
        key=key,
        body={
            "url": "https://news.example/dakhla?utm_source=x",
            "title": "Dakhla",
            "text": ARTICLE,
        },
    )
    assert source.status == 201, source.body
    source_id = source.json()["id"]
    location = f"/api/v1/sources/{source_id}"
    assert source.headers["Location"] in (location, f"http://127.0.0.1:{PROXY_PORT}{location}")
    assert source.headers["ETag"]

    again = request(
        "POST", "/api/v1/sources", key=key, body={"url": "https://NEWS.example/dakhla#top"}
    )
    assert assert_problem(again, 409)["existing_id"] == source_id

    claim = request(
        "POST",
        "/api/v1/claims",
        key=key,
        body={"text": "The US will open a consulate in Dakhla.", "kind": "factual"},
    ).json()
    claim_path = f"/api/v1/claims/{claim['id']}"
    assert claim["status"] == "unverified"

    quote = "open a consulate in the city of Dakhla"
    appearance = request(
        "POST",
        f"{claim_path}/appearances",
        key=key,
        body={"source_id": source_id, "quote": quote},
    )
    assert appearance.status == 201, appearance.body
    assert ARTICLE[appearance.json()["start"] : appearance.json()["end"]] == quote
    missing = request(
        "POST",
        f"{claim_path}/appearances",
        key=key,
        body={"source_id": source_id, "quote": "a quote that is not there"},
    )
    assert "quote" in assert_problem(missing, 422)["errors"]

    evidence = request(
        "POST",
        f"{claim_path}/evidence",
        key=key,
        body={"url": "https://gov.example/statement", "title": "Statement", "stance": "supports"},
    )
    assert evidence.status == 201, evidence.body

    current = request("GET", claim_path)
    etag = current.headers["ETag"]
    assert request("GET", claim_path, headers={"If-None-Match": etag}).status == 304
    change = {"status": "true", "rationale": "Announced.", "evidence_ids": [evidence.json()["id"]]}
    stale = request(
        "POST",
        f"{claim_path}/status-changes",
        key=key,
        body=change,
        headers={"If-Match": '"stale"'},
    )
    assert_problem(stale, 412)
    assert request("GET", claim_path).json()["status"] == "unverified"
    changed = request(
        "POST", f"{claim_path}/status-changes", key=key, body=change, headers={"If-Match": etag}
    )
    assert changed.status == 201, changed.body
    assert request("GET", claim_path).json()["status"] == "true"

    # The same Idempotency-Key, whichever instance each try reaches: one claim, the same answer.
    body = {"text": "A claim sent twice by a client that lost the first answer.", "kind": "factual"}
    first, second = (
        request("POST", "/api/v1/claims", key=key, body=body, headers={"Idempotency-Key": "k-1"})
        for _ in range(2)
    )
    assert (first.status, second.status) == (201, 201)
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.json()["id"] == first.json()["id"]

    # Cursors signed by one instance are read by the other: the whole list, once.
    seen, path = [], "/api/v1/claims?limit=4"
    while path:
        page = request("GET", path)
        assert page.status == 200
        seen += [item["id"] for item in page.json()["items"]]
        link = page.headers.get("Link")
        path = None
        if link:
            prefix = f"<http://127.0.0.1:{PROXY_PORT}"
            assert link.startswith(prefix)
            path = link[len(prefix) : link.index(">")]
    assert len(seen) == len(set(seen)) == 16

    assert_problem(request("GET", "/api/v1/claims/999999"), 404)
    not_allowed = request("DELETE", "/api/v1/claims", key=key)
    assert_problem(not_allowed, 405)
    assert "GET" in not_allowed.headers["Allow"]
    not_json = request(
        "POST", "/api/v1/claims", key=key, body=b"text", headers={"Content-Type": "text/plain"}
    )
    assert_problem(not_json, 415)
    too_large = request(
        "POST",
        "/api/v1/claims",
        key=key,
        body=b'{"text": "' + b"x" * (2 << 20) + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert_problem(too_large, 413)

    # A body over the proxy's own limit is refused by nginx from its Content-Length alone.
    connection = http.client.HTTPConnection("127.0.0.1", PROXY_PORT, timeout=10)
    connection.putrequest("POST", "/api/v1/import/claims")
    connection.putheader("Authorization", f"Bearer {key}")
    connection.putheader("Content-Type", "application/x-ndjson")
    connection.putheader("Content-Length", str(300 << 20))  # over the default 256m
    connection.endheaders()
    response = connection.getresponse()
    assert_problem(Answer(response.status, response.headers, response.read()), 413)
    connection.close()

    served = {port: count - before[port] for port, count in stack.api_requests_served().items()}
    total = sum(served.values())
    assert total >= 20
    # Round robin: each instance served a fair share of the walk (its own access log says so).
    assert min(served.values()) >= total // 4, served


# -- slow clients ----------------------------------------------------------------------------


@contextlib.contextmanager
def slow_header_connections(port: int, count: int, interval: float = 3.0):
    """`count` connections that send a header line every `interval` seconds and never finish."""
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"GET /api/v1/claims HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        sockets.append(sock)
    stop = threading.Event()

    def drip():
        line = 0
        while not stop.wait(interval):
            line += 1
            for sock in sockets:
                with contextlib.suppress(OSError):
                    sock.sendall(f"X-Slow-{line}: 1\r\n".encode())

    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    try:
        yield sockets
    finally:
        stop.set()
        dripper.join()
        for sock in sockets:
            sock.close()


def probe(path: str, port: int = PROXY_PORT) -> tuple[int | None, float]:
    """The status within 2 s (None when none came), and how long it took."""
    start = time.monotonic()
    try:
        status = request("GET", path, port=port, timeout=2).status
    except OSError:  # includes socket.timeout
        status = None
    return status, time.monotonic() - start


def is_open(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.setblocking(True)


def test_slow_header_connections_starve_an_app_server_reached_directly(stack):
    """The control: the same 200 connections take an app server reached directly down."""
    port = APP_PORTS[0]
    assert probe("/health", port)[0] == 200
    with slow_header_connections(port, 200):
        time.sleep(1)
        assert [probe("/health", port)[0] for _ in range(2)] == [None, None]
    deadline = time.monotonic() + 10
    while probe("/health", port)[0] != 200:
        assert time.monotonic() < deadline, "the app server did not recover"


def test_two_hundred_slow_header_connections_leave_probes_through_the_proxy_fast(stack):
    with slow_header_connections(PROXY_PORT, 200) as sockets:
        opened = time.monotonic()
        probes = []
        while time.monotonic() - opened < HEADER_TIMEOUT - 3:  # two header lines each, at least
            for path in ("/health", "/ready", "/api/v1/claims?limit=1"):
                probes.append((path, *probe(path)))
            time.sleep(0.3)
        still_open = sum(is_open(sock) for sock in sockets)
        assert still_open == 200, "the attack must be live while the probes run"
        assert len(probes) >= 15
        slow = [
            (path, status, round(took, 2))
            for path, status, took in probes
            if status != 200 or took >= 2
        ]
        assert not slow, slow

        # The header timeout then drops them: they never reach an app server.
        deadline = opened + HEADER_TIMEOUT + 5
        while any(is_open(sock) for sock in sockets):
            assert time.monotonic() < deadline, "nginx kept slow headers past its header timeout"
            time.sleep(0.5)
    for port in APP_PORTS:
        assert "X-Slow" not in stack.app_log(port)


# -- floods ----------------------------------------------------------------------------------


def flood(path: str, *, key: str | None = None, requests: int = 150, clients: int = 60):
    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(lambda _: request("GET", path, key=key), range(requests)))


def assert_rate_limited(answers: list[Answer], allowed: set[int]) -> None:
    counts = Counter(answer.status for answer in answers)
    assert counts[429] >= 10, counts
    assert set(counts) <= allowed | {429}, counts
    for answer in answers:
        if answer.status == 429:
            problem = assert_problem(answer, 429)
            assert problem["type"] == "urn:claimtrack:problem:rate-limited"
            assert int(answer.headers["Retry-After"]) >= 1


def test_a_flood_with_one_key_gets_429s_and_other_clients_do_not(stack):
    answers = flood("/api/v1/keys", key="ct_not_a_key_but_sent_over_and_over")
    assert_rate_limited(answers, allowed={401})
    # Each key has its own bucket, and anonymous clients theirs.
    assert request("GET", "/api/v1/keys", key=stack.admin_key).status == 200
    assert request("GET", "/api/v1/claims?limit=1").status == 200


def test_an_anonymous_flood_gets_429s_per_address_and_keys_still_work(stack):
    answers = flood("/api/v1/claims?limit=1")
    assert_rate_limited(answers, allowed={200})
    assert request("GET", "/api/v1/claims?limit=1", key=stack.admin_key).status == 200
    assert probe("/health")[0] == 200  # probes are never rate limited
    # A bucket refills: after Retry-After, the address is served again.
    time.sleep(int(answers[-1].headers.get("Retry-After") or 1) + 2)
    assert request("GET", "/api/v1/claims?limit=1").status == 200


# -- make stack-stop -------------------------------------------------------------------------


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return True
    return False


def test_make_stack_stop_stops_everything_it_started(stack):
    pid_files = sorted(stack.run_dir.glob("*.pid"))
    assert [p.name for p in pid_files] == ["app-8101.pid", "app-8102.pid", "nginx.pid"]
    pids = [int(p.read_text()) for p in pid_files]
    env = _environment(stack.run_dir, "postgresql+psycopg://unused@127.0.0.1/unused")

    stopped = _make("stack-stop", env)

    assert stopped.returncode == 0, stopped.stderr
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert all(_refused(port) for port in (PROXY_PORT, *APP_PORTS))
    assert not list(stack.run_dir.glob("*.pid"))
