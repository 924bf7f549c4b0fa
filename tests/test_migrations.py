"""The migrations alone build the schema the models describe, and take it down again; each
migration written after the baseline keeps the rows it finds."""

import os

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from service import migrate
from service.app import create_app
from service.demo.loader import load_demo
from service.models import Base

MIGRATION_SCHEMA = "claimtrack_migration_test"


@pytest.fixture
def empty_database_url(tmp_path):
    postgres = os.environ.get("TEST_DATABASE_URL")
    if not postgres:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    from conftest import reset_postgres

    # A schema of its own, so that downgrading does not touch the suite's tables.
    reset_postgres(postgres, MIGRATION_SCHEMA)
    separator = "&" if "?" in postgres else "?"
    yield f"{postgres}{separator}options=-csearch_path%3D{MIGRATION_SCHEMA}"
    engine = create_engine(postgres)
    with engine.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{MIGRATION_SCHEMA}" CASCADE')
    engine.dispose()


def table_names(url):
    engine = create_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


def test_upgrade_check_and_downgrade(empty_database_url):
    migrate.upgrade(empty_database_url)
    assert table_names(empty_database_url) >= set(Base.metadata.tables)

    migrate.check(empty_database_url)  # raises when models and migrations disagree

    migrate.downgrade(empty_database_url, "base")
    assert table_names(empty_database_url) <= {"alembic_version"}


def later_revisions() -> list[tuple[str, str]]:
    """The migrations written after the baseline, oldest first: (revision, down_revision)."""
    scripts = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    later = [
        (script.revision, script.down_revision)
        for script in scripts.walk_revisions()
        if script.down_revision is not None
    ]
    return list(reversed(later))


NO_LATER_REVISION = pytest.param(
    None, None, id="none", marks=pytest.mark.skip(reason="no migration after the baseline yet")
)


@pytest.mark.parametrize(("revision", "down_revision"), later_revisions() or [NO_LATER_REVISION])
def test_upgrading_to_a_later_revision_keeps_every_row(empty_database_url, revision, down_revision):
    """Each migration after the baseline upgrades a database with data in it, and keeps it."""
    migrate.upgrade(empty_database_url)
    load_demo_into(empty_database_url)
    before = rows_per_table(empty_database_url), claim_uids(empty_database_url)

    migrate.downgrade(empty_database_url, down_revision)
    migrate.upgrade(empty_database_url)
    after = rows_per_table(empty_database_url), claim_uids(empty_database_url)

    assert before[0]["claim"] > 0, before  # the demo was there to keep
    assert after == before


def load_demo_into(url: str) -> None:
    app = create_app({"database_url": url, "secret_key": "test-secret"})
    with app.app_context():
        session = app.extensions["db"].sessionmaker()
        assert load_demo(session)
        session.commit()
        session.close()
    app.extensions["db"].dispose()


# SQLite's FTS5 tables read their rows from `claim` and `source`, and their shadow tables hold
# index segments, whose number changes as FTS5 merges them: they are not rows of their own.
FTS_TABLES = ("claim_fts", "source_fts")


def rows_per_table(url: str) -> dict[str, int]:
    engine = create_engine(url)
    names = sorted(
        name
        for name in inspect(engine).get_table_names()
        if name != "alembic_version" and not name.startswith(FTS_TABLES)
    )
    with engine.connect() as connection:
        counts = {
            name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
            for name in names
        }
    engine.dispose()
    return counts


def claim_uids(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        uids = connection.execute(text("SELECT uid FROM claim ORDER BY id")).scalars().all()
    engine.dispose()
    return [str(uid) for uid in uids]
