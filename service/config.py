"""Every setting, read from the environment in one place and checked at start."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from service.search import RANKED_MATCHES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "instance" / "claimtrack.sqlite3"
DEVELOPMENT_SECRET = "claimtrack-development-secret-do-not-use-in-production"
ENVIRONMENTS = ("development", "production")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
# A host name, an IPv4 address or a bracketed IPv6 one, without a port (any port is allowed).
HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\]", re.IGNORECASE)


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    env: str = "development"
    max_body_bytes: int = 1024 * 1024
    max_import_bytes: int = 256 * 1024 * 1024
    log_level: str = "INFO"
    proxy_hops: int = 0
    read_requires_key: bool = False
    cors_origins: tuple[str, ...] = ()
    organization: str = "claimtrack"
    search_ranked_matches: int = RANKED_MATCHES
    duplicate_threshold: float = 0.8
    base_url: str | None = None
    trusted_hosts: tuple[str, ...] = LOCAL_HOSTS
    read_database_url: str | None = None
    statement_timeout_ms: int = 5_000
    exchange_timeout_ms: int = 600_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        env = environ.get("CLAIMTRACK_ENV", "development")
        return cls(
            database_url=environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}",
            secret_key=environ.get("CLAIMTRACK_SECRET_KEY")
            or (DEVELOPMENT_SECRET if env != "production" else ""),
            env=env,
            max_body_bytes=_integer(environ, "CLAIMTRACK_MAX_BODY_BYTES", cls.max_body_bytes),
            max_import_bytes=_integer(environ, "CLAIMTRACK_MAX_IMPORT_BYTES", cls.max_import_bytes),
            log_level=environ.get("CLAIMTRACK_LOG_LEVEL", cls.log_level).upper(),
            proxy_hops=_integer(environ, "CLAIMTRACK_PROXY_HOPS", cls.proxy_hops),
            organization=environ.get("CLAIMTRACK_ORGANIZATION", "").strip() or cls.organization,
            search_ranked_matches=_integer(
                environ, "CLAIMTRACK_SEARCH_RANKED_MATCHES", cls.search_ranked_matches
            ),
            duplicate_threshold=_number(
                environ, "CLAIMTRACK_DUPLICATE_THRESHOLD", cls.duplicate_threshold
            ),
            read_requires_key=_boolean(environ, "CLAIMTRACK_READ_REQUIRES_KEY"),
            cors_origins=_list(environ, "CLAIMTRACK_CORS_ORIGINS"),
            base_url=environ.get("CLAIMTRACK_BASE_URL", "").strip() or None,
            trusted_hosts=_list(environ, "CLAIMTRACK_TRUSTED_HOSTS") or cls.trusted_hosts,
            read_database_url=environ.get("CLAIMTRACK_READ_DATABASE_URL", "").strip() or None,
            statement_timeout_ms=_integer(
                environ, "CLAIMTRACK_STATEMENT_TIMEOUT_MS", cls.statement_timeout_ms
            ),
            exchange_timeout_ms=_integer(
                environ, "CLAIMTRACK_EXCHANGE_TIMEOUT_MS", cls.exchange_timeout_ms
            ),
        ).checked()

    def with_overrides(self, overrides: Mapping[str, Any]) -> Settings:
        known = {f.name for f in fields(self)}
        unknown = set(overrides) - known
        if unknown:
            raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
        return replace(self, **overrides).checked()

    def checked(self) -> Settings:
        for check in SETTING_CHECKS:
            problem = check(self)
            if problem:
                raise ConfigError(problem)
        url, read_url = _database_urls(self)
        return replace(
            self,
            database_url=url,
            read_database_url=read_url,
            base_url=self.base_url and base_origin(self.base_url),
            trusted_hosts=tuple(host.lower() for host in self.trusted_hosts),
        )


Check = Callable[[Settings], str | None]  # what is wrong with the settings, or None


def _must(passes: Callable[[Settings], bool], problem: str) -> Check:
    """A check that finds `problem` where `passes` is false."""
    return lambda settings: None if passes(settings) else problem


def _bad_origin(settings: Settings) -> str | None:
    """What is wrong with the first CORS origin that is no origin, or None."""
    for origin in settings.cors_origins:
        if origin != "*" and not origin.startswith(("http://", "https://")):
            return f"CLAIMTRACK_CORS_ORIGINS: {origin!r} is not an origin like https://example.org"
    return None


def _bad_host(settings: Settings) -> str | None:
    """What is wrong with the first trusted host that is no host name, or None."""
    for host in settings.trusted_hosts:
        if not HOST_NAME.fullmatch(host):
            return (
                f"CLAIMTRACK_TRUSTED_HOSTS: {host!r} is not a host name like "
                "claims.example.org (no scheme, no port: any port is allowed)"
            )
    return None


# Settings.checked's checks, made in this order: the first problem found is the one told.
SETTING_CHECKS: tuple[Check, ...] = (
    _must(
        lambda s: s.env in ENVIRONMENTS,
        f"CLAIMTRACK_ENV must be one of {', '.join(ENVIRONMENTS)}",
    ),
    _must(
        lambda s: bool(s.secret_key),
        "CLAIMTRACK_SECRET_KEY must be set when CLAIMTRACK_ENV=production",
    ),
    _must(lambda s: s.max_body_bytes >= 1024, "CLAIMTRACK_MAX_BODY_BYTES must be at least 1024"),
    _must(
        lambda s: s.max_import_bytes >= 1024, "CLAIMTRACK_MAX_IMPORT_BYTES must be at least 1024"
    ),
    _must(
        lambda s: 1 <= s.search_ranked_matches <= 100_000,
        "CLAIMTRACK_SEARCH_RANKED_MATCHES must be between 1 and 100000",
    ),
    _must(
        lambda s: 0 < s.duplicate_threshold <= 1,
        "CLAIMTRACK_DUPLICATE_THRESHOLD must be above 0 and at most 1",
    ),
    _must(lambda s: 0 <= s.proxy_hops <= 5, "CLAIMTRACK_PROXY_HOPS must be between 0 and 5"),
    _bad_origin,
    _must(
        lambda s: s.log_level in ("DEBUG", "INFO", "WARNING", "ERROR"),
        "CLAIMTRACK_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR",
    ),
    _must(lambda s: bool(s.trusted_hosts), "CLAIMTRACK_TRUSTED_HOSTS must name at least one host"),
    _bad_host,
    _must(
        lambda s: 100 <= s.statement_timeout_ms <= 3_600_000,
        "CLAIMTRACK_STATEMENT_TIMEOUT_MS must be between 100 and 3600000",
    ),
    _must(
        lambda s: s.statement_timeout_ms <= s.exchange_timeout_ms <= 86_400_000,
        "CLAIMTRACK_EXCHANGE_TIMEOUT_MS must be at least CLAIMTRACK_STATEMENT_TIMEOUT_MS "
        "and at most 86400000 (a day)",
    ),
)


def _database_urls(settings: Settings) -> tuple[str, str | None]:
    """DATABASE_URL and CLAIMTRACK_READ_DATABASE_URL (or None), checked, as full strings."""
    url = database_url(settings.database_url).render_as_string(hide_password=False)
    if not settings.read_database_url:
        return url, None
    read = database_url(settings.read_database_url, "CLAIMTRACK_READ_DATABASE_URL")
    if read.get_backend_name() != make_url(url).get_backend_name():
        raise ConfigError(
            "CLAIMTRACK_READ_DATABASE_URL must use the same database as DATABASE_URL "
            "(a PostgreSQL replica of a PostgreSQL primary)"
        )
    if read.get_backend_name() != "postgresql":
        raise ConfigError("CLAIMTRACK_READ_DATABASE_URL needs PostgreSQL (replicas)")
    return url, read.render_as_string(hide_password=False)


def base_origin(raw: str) -> str:
    """CLAIMTRACK_BASE_URL as `scheme://host[:port]`, or a ConfigError saying what is wrong."""
    problem = "CLAIMTRACK_BASE_URL must be an origin like https://claims.example.org"
    if "@" in raw:  # the message would show the password
        raise ConfigError(problem + ": no user or password")
    problem += f", got {raw!r}"
    try:
        parts = urlsplit(raw.strip())
        port = parts.port  # a port that is not a number raises here
    except ValueError:
        raise ConfigError(problem) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ConfigError(problem + ": it needs http:// or https:// and a host")
    if parts.query or parts.fragment or "?" in raw or "#" in raw:
        raise ConfigError(problem + ": no query or fragment")
    if parts.path not in ("", "/"):
        raise ConfigError(problem + ": no path (the API is served at the root)")
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if not HOST_NAME.fullmatch(host):
        raise ConfigError(problem + ": the host is not a host name")
    default_port = {"http": 80, "https": 443}[parts.scheme.lower()]
    suffix = f":{port}" if port is not None and port != default_port else ""
    return f"{parts.scheme.lower()}://{host}{suffix}"


def database_url(raw: str, name: str = "DATABASE_URL") -> URL:
    """Parse DATABASE_URL, mapping the PostgreSQL spellings to the psycopg 3 driver."""
    if raw.startswith("postgres://"):
        raw = "postgresql://" + raw.removeprefix("postgres://")
    try:
        url = make_url(raw)
    except ArgumentError:
        raise ConfigError(f"{name} is not a database URL: {raw!r}") from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(f"{name} must point to SQLite or PostgreSQL")
    if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url


def _integer(environ: Mapping[str, str], name: str, default: int) -> int:
    value = environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from None


def _number(environ: Mapping[str, str], name: str, default: float) -> float:
    value = environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {value!r}") from None
    if number != number:  # NaN compares false with every bound
        raise ConfigError(f"{name} must be a number, got {value!r}")
    return number


def _list(environ: Mapping[str, str], name: str) -> tuple[str, ...]:
    """A comma-separated setting, without blanks."""
    return tuple(item.strip() for item in environ.get(name, "").split(",") if item.strip())


def _boolean(environ: Mapping[str, str], name: str) -> bool:
    value = environ.get(name, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(f"{name} must be true or false, got {value!r}")
