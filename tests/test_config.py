import re
from pathlib import Path

import pytest

from service.config import DEFAULT_SQLITE_PATH, ConfigError, Settings


def test_defaults_need_nothing_set():
    settings = Settings.from_env({})

    assert settings.database_url == f"sqlite:///{DEFAULT_SQLITE_PATH}"
    assert settings.env == "development" and settings.max_body_bytes == 1024 * 1024
    assert settings.max_import_bytes == 256 * 1024 * 1024


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgres://u:p@db/claims", "postgresql+psycopg://u:p@db/claims"),
        ("postgresql://u:p@db/claims", "postgresql+psycopg://u:p@db/claims"),
        ("postgresql+psycopg://u:p%40ss@db/claims", "postgresql+psycopg://u:p%40ss@db/claims"),
    ],
)
def test_postgresql_urls_use_psycopg_3_and_keep_their_password(raw, expected):
    assert Settings.from_env({"DATABASE_URL": raw}).database_url == expected


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL"),
        ({"CLAIMTRACK_ENV": "production"}, "CLAIMTRACK_SECRET_KEY"),
        ({"CLAIMTRACK_ENV": "staging"}, "CLAIMTRACK_ENV"),
        ({"CLAIMTRACK_MAX_BODY_BYTES": "1MB"}, "CLAIMTRACK_MAX_BODY_BYTES"),
        ({"CLAIMTRACK_MAX_BODY_BYTES": "10"}, "CLAIMTRACK_MAX_BODY_BYTES"),
        ({"CLAIMTRACK_MAX_IMPORT_BYTES": "lots"}, "CLAIMTRACK_MAX_IMPORT_BYTES"),
        ({"CLAIMTRACK_MAX_IMPORT_BYTES": "100"}, "CLAIMTRACK_MAX_IMPORT_BYTES"),
        ({"CLAIMTRACK_LOG_LEVEL": "loud"}, "CLAIMTRACK_LOG_LEVEL"),
        ({"CLAIMTRACK_PROXY_HOPS": "9"}, "CLAIMTRACK_PROXY_HOPS"),
        ({"CLAIMTRACK_SEARCH_RANKED_MATCHES": "0"}, "CLAIMTRACK_SEARCH_RANKED_MATCHES"),
        ({"CLAIMTRACK_SEARCH_RANKED_MATCHES": "all"}, "CLAIMTRACK_SEARCH_RANKED_MATCHES"),
        ({"CLAIMTRACK_READ_REQUIRES_KEY": "sometimes"}, "CLAIMTRACK_READ_REQUIRES_KEY"),
        ({"CLAIMTRACK_DUPLICATE_THRESHOLD": "high"}, "CLAIMTRACK_DUPLICATE_THRESHOLD"),
        ({"CLAIMTRACK_DUPLICATE_THRESHOLD": "0"}, "CLAIMTRACK_DUPLICATE_THRESHOLD"),
        ({"CLAIMTRACK_DUPLICATE_THRESHOLD": "1.5"}, "CLAIMTRACK_DUPLICATE_THRESHOLD"),
        ({"CLAIMTRACK_DUPLICATE_THRESHOLD": "nan"}, "CLAIMTRACK_DUPLICATE_THRESHOLD"),
        ({"CLAIMTRACK_CORS_ORIGINS": "newsroom.example"}, "CLAIMTRACK_CORS_ORIGINS"),
        ({"CLAIMTRACK_BASE_URL": "claims.example.org"}, "CLAIMTRACK_BASE_URL"),
        ({"CLAIMTRACK_BASE_URL": "ftp://claims.example.org"}, "CLAIMTRACK_BASE_URL"),
        ({"CLAIMTRACK_BASE_URL": "https://"}, "CLAIMTRACK_BASE_URL"),
        ({"CLAIMTRACK_BASE_URL": "https://claims.example.org/?a=1"}, "CLAIMTRACK_BASE_URL"),
        ({"CLAIMTRACK_BASE_URL": "https://claims.example.org/#top"}, "CLAIMTRACK_BASE_URL"),
        ({"CLAIMTRACK_BASE_URL": "https://claims.example.org/api"}, "CLAIMTRACK_BASE_URL"),
        ({"CLAIMTRACK_BASE_URL": "https://claims.example.org:99999"}, "CLAIMTRACK_BASE_URL"),
        ({"CLAIMTRACK_BASE_URL": "https://claims_example.org"}, "CLAIMTRACK_BASE_URL"),
        ({"CLAIMTRACK_TRUSTED_HOSTS": "claims.example.org:8000"}, "CLAIMTRACK_TRUSTED_HOSTS"),
        ({"CLAIMTRACK_TRUSTED_HOSTS": "https://claims.example.org"}, "CLAIMTRACK_TRUSTED_HOSTS"),
        ({"CLAIMTRACK_TRUSTED_HOSTS": "*"}, "CLAIMTRACK_TRUSTED_HOSTS"),
    ],
)
def test_a_bad_setting_fails_fast_naming_its_variable(environ, named):
    with pytest.raises(ConfigError, match=named):
        Settings.from_env(environ)


def test_production_with_a_secret_starts():
    settings = Settings.from_env({"CLAIMTRACK_ENV": "production", "CLAIMTRACK_SECRET_KEY": "s"})

    assert settings.secret_key == "s"


def test_unknown_overrides_are_refused():
    with pytest.raises(ConfigError, match="colour"):
        Settings.from_env({}).with_overrides({"colour": "red"})


def test_cors_origins_are_a_comma_separated_list():
    settings = Settings.from_env(
        {"CLAIMTRACK_CORS_ORIGINS": "https://a.example, https://b.example:8443"}
    )

    assert settings.cors_origins == ("https://a.example", "https://b.example:8443")


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("1", True), ("false", False), ("", False)]
)
def test_read_requires_key_is_a_boolean(raw, expected):
    assert Settings.from_env({"CLAIMTRACK_READ_REQUIRES_KEY": raw}).read_requires_key is expected


def test_imports_have_their_own_size_limit():
    settings = Settings.from_env({"CLAIMTRACK_MAX_IMPORT_BYTES": str(2**33)})

    assert (settings.max_import_bytes, settings.max_body_bytes) == (2**33, 1024 * 1024)


@pytest.mark.parametrize(("raw", "expected"), [("", 0.8), ("0.65", 0.65), ("1", 1.0)])
def test_the_duplicate_threshold_is_a_score(raw, expected):
    settings = Settings.from_env({"CLAIMTRACK_DUPLICATE_THRESHOLD": raw})

    assert settings.duplicate_threshold == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://Claims.Example.org", "https://claims.example.org"),
        ("https://claims.example.org/", "https://claims.example.org"),
        ("https://claims.example.org:443", "https://claims.example.org"),
        ("http://claims.example.org:8080", "http://claims.example.org:8080"),
        ("http://[::1]:8000", "http://[::1]:8000"),
        ("", None),
    ],
)
def test_the_base_url_is_an_origin(raw, expected):
    assert Settings.from_env({"CLAIMTRACK_BASE_URL": raw}).base_url == expected


def test_a_base_url_with_a_password_is_refused_without_showing_it():
    with pytest.raises(ConfigError, match="CLAIMTRACK_BASE_URL") as refused:
        Settings.from_env({"CLAIMTRACK_BASE_URL": "https://user:s3cret@claims.example.org"})

    assert "s3cret" not in str(refused.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ("localhost", "127.0.0.1", "[::1]")),
        (
            "Claims.Example.org, 10.0.0.7 ,[2001:db8::7]",
            ("claims.example.org", "10.0.0.7", "[2001:db8::7]"),
        ),
    ],
)
def test_trusted_hosts_are_a_comma_separated_list(raw, expected):
    assert Settings.from_env({"CLAIMTRACK_TRUSTED_HOSTS": raw}).trusted_hosts == expected


def test_the_readme_lists_every_setting():
    """Every variable the service, gunicorn, the entrypoint and the proxy read has a row."""
    root = Path(__file__).resolve().parent.parent
    sources = [
        *sorted((root / "service").glob("*.py")),
        root / "docker" / "entrypoint.sh",
        root / "deploy" / "stack.sh",
        root / "deploy" / "nginx" / "claimtrack.conf.template",
    ]
    names = set()
    for source in sources:
        names |= set(re.findall(r"\bCLAIMTRACK_[A-Z_]+[A-Z]\b", source.read_text(encoding="utf-8")))
    readme = (root / "README.md").read_text(encoding="utf-8")

    missing = sorted(name for name in names if f"| `{name}` |" not in readme)

    assert names >= {"CLAIMTRACK_BASE_URL", "CLAIMTRACK_TRUSTED_HOSTS"}
    assert not missing, f"not in the README's configuration table: {missing}"
