"""The benchmark's database: which one, how to reach it with the raw drivers, how to migrate it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from service.config import database_url

# CI's database: its schema is dropped by the test suite, and it is never ours to fill.
FORBIDDEN_DATABASES = frozenset({"test"})


@dataclass(frozen=True)
class Target:
    url: str  # as the app takes it in DATABASE_URL
    dialect: str  # "postgresql" or "sqlite"
    name: str  # the PostgreSQL database, or the SQLite file

    @classmethod
    def from_url(cls, raw: str) -> Target:
        url = database_url(raw)
        dialect = url.get_backend_name()
        name = url.database or ""
        if dialect == "sqlite" and name in ("", ":memory:"):
            raise SystemExit("the benchmark needs a SQLite file, not an in-memory database")
        if dialect == "postgresql" and name in FORBIDDEN_DATABASES:
            raise SystemExit(f"refusing PostgreSQL database {name!r}: CI uses it")
        return cls(url.render_as_string(hide_password=False), dialect, name)

    @property
    def conninfo(self) -> str:
        """The URL as libpq takes it (no SQLAlchemy driver suffix)."""
        url = make_url(self.url).set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    def connect(self, *, autocommit: bool = True):
        """A raw DB-API connection: psycopg 3, or sqlite3 in autocommit mode."""
        if self.dialect == "postgresql":
            import psycopg

            return psycopg.connect(self.conninfo, autocommit=autocommit)
        connection = sqlite3.connect(self.name, check_same_thread=False, timeout=30)
        if autocommit:
            connection.isolation_level = None
        return connection

    def env(self) -> dict[str, str]:
        return {**os.environ, "DATABASE_URL": self.url}


def claimtrack_command() -> str:
    """The `claimtrack` script installed beside the running interpreter."""
    return str(Path(sys.executable).with_name("claimtrack"))


def create_database(target: Target) -> None:
    """Create the PostgreSQL database when it is missing (SQLite files create themselves)."""
    if target.dialect != "postgresql":
        return
    import psycopg
    from psycopg import sql

    maintenance = make_url(target.conninfo).set(database="postgres")
    conninfo = maintenance.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (target.name,))
        if found.fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.name)))


def empty(target: Target) -> None:
    """Drop everything in the benchmark database, so that migrations start from nothing."""
    if target.dialect == "sqlite":
        drop(target)
        Path(target.name).parent.mkdir(parents=True, exist_ok=True)
        return
    create_database(target)
    with target.connect() as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def migrate(target: Target) -> None:
    """`claimtrack db upgrade`: the schema is exactly the one the app's migrations make."""
    subprocess.run(
        [claimtrack_command(), "db", "upgrade"],
        env=target.env(),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


SCHEMA_SQL = {
    # Triggers and functions too: the claim_search triggers and claimtrack_terms_vector()
    # decide what a search finds, and an edited migration may change only them.
    "postgresql": (
        "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable "
        "|| coalesce(' AS ' || generation_expression, '') "
        "FROM information_schema.columns WHERE table_schema = 'public' "
        "UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' "
        "UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE connamespace = 'public'::regnamespace "
        "UNION ALL SELECT pg_get_triggerdef(pg_trigger.oid) FROM pg_trigger "
        "JOIN pg_class ON pg_class.oid = tgrelid "
        "WHERE relnamespace = 'public'::regnamespace AND NOT tgisinternal "
        # The project's functions, not those of extensions.
        "UNION ALL SELECT pg_get_functiondef(pg_proc.oid) FROM pg_proc "
        "WHERE pronamespace = 'public'::regnamespace AND prokind IN ('f', 'p') "
        "AND NOT EXISTS (SELECT FROM pg_depend WHERE objid = pg_proc.oid AND deptype = 'e') "
        "UNION ALL SELECT version_num FROM alembic_version"
    ),
    "sqlite": (
        "SELECT coalesce(sql, name) FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' "
        "UNION ALL SELECT version_num FROM alembic_version"
    ),
}


def schema_of(target: Target) -> list[str]:
    """Every table, column, index and constraint, and the revision: to compare two schemas."""
    with closing(target.connect()) as connection:
        return sorted(_unordered(row[0]) for row in connection.execute(SCHEMA_SQL[target.dialect]))


def _unordered(ddl: str) -> str:
    """DDL with its lines sorted: SQLite batch migrations write constraints in any order."""
    return "\n".join(sorted(line.strip().rstrip(",") for line in ddl.splitlines()))


def migrated_schema(target: Target) -> list[str]:
    """The schema the migrations make now, on a scratch database of the same kind.

    The revision alone is not enough while a migration is still being written.
    """
    if target.dialect == "sqlite":
        scratch = Target.from_url(f"sqlite:///{target.name}.scratch")
    else:
        scratch = Target.from_url(
            make_url(target.url)
            .set(database=f"{target.name}_scratch")
            .render_as_string(hide_password=False)
        )
    empty(scratch)
    try:
        migrate(scratch)
        return schema_of(scratch)
    finally:
        drop(scratch)


def drop(target: Target) -> None:
    if target.dialect == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(target.name + suffix).unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    maintenance = make_url(target.conninfo).set(database="postgres")
    with psycopg.connect(
        maintenance.render_as_string(hide_password=False), autocommit=True
    ) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(target.name))
        )


def loaded_state(target: Target) -> tuple[int, int] | None:
    """(claims, largest claim id), or None when there is no schema yet."""
    if target.dialect == "sqlite" and not Path(target.name).exists():
        return None
    try:
        with closing(target.connect()) as connection:
            count, largest = connection.execute("SELECT count(*), max(id) FROM claim").fetchone()
    except Exception:  # no database, no schema: nothing loaded
        return None
    return count, largest or 0


LANGUAGE_TABLES = ("claim", "source", "evidence")


def languages(target: Target) -> dict[str, dict[str, int]]:
    """Rows per language of each table written in one, commonest first."""
    with closing(target.connect()) as connection:
        return {
            table: dict(
                connection.execute(
                    f"SELECT language, count(*) FROM {table} GROUP BY language "
                    "ORDER BY count(*) DESC, language"
                ).fetchall()
            )
            for table in LANGUAGE_TABLES
        }
