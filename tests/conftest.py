"""Fixtures: one migrated database per run (SQLite or TEST_DATABASE_URL), emptied per test."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, func, select, text

from service import migrate
from service.app import create_app
from service.db import database
from service.models import Base

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
STACK_TESTS = os.environ.get("CLAIMTRACK_STACK_TESTS") == "1"


def pytest_collection_modifyitems(config, items):
    """Stack tests (real proxies, app servers, clusters) are slow: `.ci/run` runs them once."""
    if STACK_TESTS:
        return
    skip = pytest.mark.skip(reason="a stack test: set CLAIMTRACK_STACK_TESTS=1 (.ci/run does)")
    for item in items:
        if item.get_closest_marker("stack"):
            item.add_marker(skip)


def reset_postgres(url: str, schema: str = "public") -> None:
    """An empty schema, so that each run starts from nothing but the migrations."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if POSTGRES_URL:
        reset_postgres(POSTGRES_URL)
        url = POSTGRES_URL
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def app(database_url):
    return create_app({"database_url": database_url, "secret_key": "test-secret"})


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """Every test starts from empty tables, whatever the one before it committed.

    Tests marked `pure` touch no database: nothing to empty (and no database to make).
    """
    if request.node.get_closest_marker("pure"):
        yield
        return
    app = request.getfixturevalue("app")
    yield
    engine = database_for(app).engine
    with engine.begin() as connection:
        # Deleted, not truncated: TRUNCATE of every table took 84 ms on PostgreSQL, whatever
        # was in them (a new file for each table, partition and index), 40% of its suite.
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
        if engine.dialect.name == "postgresql":  # ids start again at 1, as SQLite's do
            connection.execute(text(RESTART_SEQUENCES))


# Every sequence of the schema back to its start, in one statement.
RESTART_SEQUENCES = (
    "SELECT setval(sequence.oid, 1, false) FROM pg_class AS sequence "
    "JOIN pg_namespace ON pg_namespace.oid = sequence.relnamespace "
    "WHERE sequence.relkind = 'S' AND pg_namespace.nspname = current_schema()"
)


def database_for(app):
    with app.app_context():
        return database()


def key_for(app, role: str, name: str | None = None, **fields) -> str:
    """A new API key of `role`, straight into the database, as `claimtrack keys create` does."""
    from service.auth.service import create_key

    with app.app_context():
        session = database().sessionmaker()
        _, plain = create_key(
            session,
            name=name or f"test-{role}",
            role=role,
            server_secret=app.config["SECRET_KEY"],
            **fields,
        )
        session.commit()
        session.close()
    return plain


@pytest.fixture
def client(app):
    """A client that writes as an admin, so tests of behaviour need not think of keys."""
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key_for(app, 'admin')}"
    return client


@pytest.fixture
def anonymous(app):
    return app.test_client()


@pytest.fixture
def session(app):
    """A database session outside any request, for setting up and checking rows.

    No app context stays pushed: requests made meanwhile must get their own, as in a server.
    """
    db_session = database_for(app).sessionmaker()
    yield db_session
    db_session.close()


@pytest.fixture
def row_counts(app):
    """Counts every table's rows: call before and after a refused write, and compare."""

    def count() -> dict[str, int]:
        with database_for(app).engine.connect() as connection:
            return {
                table.name: connection.scalar(select(func.count()).select_from(table))
                for table in Base.metadata.sorted_tables
            }

    return count
