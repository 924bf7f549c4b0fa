"""The migrations alone build the schema the models describe, and take it down again."""

import os

import pytest
from sqlalchemy import create_engine, inspect

from service import migrate
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
