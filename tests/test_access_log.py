"""gunicorn's access log names credential parameters but never prints their values."""

import datetime
from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.pure  # no database

glogging = pytest.importorskip("gunicorn.glogging")
config = pytest.importorskip("gunicorn.config")

from service.access_log import RedactingLogger, redact_query, redact_url  # noqa: E402


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ""),
        ("limit=5", "limit=5"),
        ("api_key=s3cret", "api_key=[REDACTED]"),
        ("limit=5&KEY=s3cret&q=x", "limit=5&KEY=[REDACTED]&q=x"),
        (
            "token=a&access_token=b&apikey=c",
            "token=[REDACTED]&access_token=[REDACTED]&apikey=[REDACTED]",
        ),
        ("api%5Fkey=s3cret", "api%5Fkey=[REDACTED]"),  # a percent-encoded name
        ("token", "token=[REDACTED]"),
        ("monkey=1&tokens=2", "monkey=1&tokens=2"),  # whole names only
    ],
)
def test_redact_query(query, expected):
    assert redact_query(query) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/api/v1/claims", "/api/v1/claims"),
        ("GET /x?api_key=s HTTP/1.1", "GET /x?api_key=[REDACTED] HTTP/1.1"),
        ("https://a.example/p?token=s#top", "https://a.example/p?token=[REDACTED]#top"),
    ],
)
def test_redact_url(text, expected):
    assert redact_url(text) == expected


def _atoms(logger, environ, headers=()):
    response = SimpleNamespace(status="200 OK", sent=2, headers=[("Content-Type", "text/plain")])
    request = SimpleNamespace(headers=list(headers))
    return logger.atoms(response, request, environ, datetime.timedelta(microseconds=1500))


def test_the_logger_redacts_every_atom_that_can_carry_the_query():
    logger = RedactingLogger(config.Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/api/v1/claims?limit=5&api_key=s3cret",
        "PATH_INFO": "/api/v1/claims",
        "QUERY_STRING": "limit=5&api_key=s3cret",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_REFERER": "https://a.example/?Token=s3cret",
        "HTTP_AUTHORIZATION": "Bearer s3cret",
    }
    headers = [("Referer", "https://a.example/?Token=s3cret"), ("Authorization", "Bearer s3cret")]

    atoms = _atoms(logger, environ, headers)

    assert atoms["r"] == "GET /api/v1/claims?limit=5&api_key=[REDACTED] HTTP/1.1"
    assert atoms["q"] == "limit=5&api_key=[REDACTED]"
    assert atoms["U"] == "/api/v1/claims"
    assert atoms["f"] == "https://a.example/?Token=[REDACTED]"
    assert atoms["{authorization}i"] == "[REDACTED]"
    assert "s3cret" not in repr(atoms)


def test_the_configured_access_line_carries_no_credentials(caplog):
    cfg = config.Config()
    cfg.set("accesslog", "-")
    logger = RedactingLogger(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/health?access_token=s3cret",
        "QUERY_STRING": "access_token=s3cret",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    response = SimpleNamespace(status="200 OK", sent=2, headers=[])
    logger.access_log.propagate = True
    with caplog.at_level("INFO", logger="gunicorn.access"):
        logger.access(response, SimpleNamespace(headers=[]), environ, datetime.timedelta(0))

    assert '"GET /health?access_token=[REDACTED] HTTP/1.1"' in caplog.text
    assert "s3cret" not in caplog.text


def test_gunicorn_settings_name_the_redacting_logger():
    import runpy

    assert runpy.run_module("service.gunicorn_conf")["logger_class"] == (
        "service.access_log.RedactingLogger"
    )
