"""The migrations alone build the schema the models describe, and take it down again."""

import os
import uuid

import pytest
from sqlalchemy import create_engine, inspect, text

from service import migrate
from service.app import create_app
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


def test_upgrading_keeps_existing_rows_and_backfills_new_columns(empty_database_url):
    migrate.upgrade(empty_database_url, "0001")
    engine = create_engine(empty_database_url)
    stamp = "2021-05-05 00:00:00+00:00"
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO source (url, url_sha256, language, kind, created_at, updated_at, "
                "version) VALUES ('https://a.example/', 'h', 'en', 'article', :t, :t, 1)"
            ),
            {"t": stamp},
        )
        connection.execute(
            text(
                "INSERT INTO claim (text, kind, language, status, status_changed_at, created_at, "
                "updated_at, version) "
                "VALUES ('Consulate opened', 'factual', 'en', 'unverified', :t, :t, :t, 1)"
            ),
            {"t": stamp},
        )
        connection.execute(
            text(
                "INSERT INTO appearance (claim_id, source_id, quote, anchor_state, created_at, "
                "version) VALUES (1, 1, 'q', 'unanchored', :t, 1)"
            ),
            {"t": stamp},
        )

    migrate.upgrade(empty_database_url)
    with engine.connect() as connection:
        created, updated = connection.execute(
            text("SELECT created_at, updated_at FROM appearance")
        ).one()
    found = searched(empty_database_url, "q=consulate&status=unverified")
    uids = read_uids(empty_database_url)
    # Back to before claims' vectors had a table of their own, and up again.
    migrate.downgrade(empty_database_url, "0007")
    migrate.upgrade(empty_database_url)
    found_again = searched(empty_database_url, "q=consulate&status=unverified")
    migrate.downgrade(empty_database_url, "0001")
    with engine.connect() as connection:
        remaining = connection.execute(text("SELECT count(*) FROM appearance")).scalar()
    engine.dispose()

    assert updated == created
    assert found == found_again == [1]
    assert all(uid.version == 4 for uid in uids.values()) and len(set(uids.values())) == 3
    assert remaining == 1


def searched(url: str, query: str) -> list[int]:
    """The ids the claim list finds for `query` on the database at `url`."""
    app = create_app({"database_url": url, "secret_key": "test-secret"})
    response = app.test_client().get(f"/api/v1/claims?{query}")
    assert response.status_code == 200, response.get_json()
    return [claim["id"] for claim in response.get_json()["items"]]


def read_uids(url: str) -> dict[str, uuid.UUID]:
    """The uids the API shows for the source, the claim and its appearance, read as UUIDs."""
    client = create_app({"database_url": url, "secret_key": "test-secret"}).test_client()
    claim = client.get("/api/v1/claims/1").get_json()
    return {
        "claim": uuid.UUID(claim["uid"]),
        "appearance": uuid.UUID(claim["appearances"][0]["uid"]),
        "source": uuid.UUID(client.get("/api/v1/sources/1").get_json()["uid"]),
    }


def test_upgrading_detects_the_language_of_rows_that_carry_the_old_default(empty_database_url):
    migrate.upgrade(empty_database_url, "0011")
    engine = create_engine(empty_database_url)
    texts = {
        "en": "Les États-Unis vont ouvrir un consulat à Dakhla pour encourager l'investissement.",
        "pt-BR": "Os Estados Unidos vão abrir um consulado em Dakhla para incentivar investimento.",
    }
    with engine.begin() as connection:
        for number, (language, words) in enumerate(texts.items()):
            connection.execute(
                text(
                    "INSERT INTO claim (uid, text, kind, language, status, status_changed_at, "
                    "created_at, updated_at, version, search_text) VALUES (:uid, :words, "
                    "'factual', :language, 'unverified', :t, :t, :t, 1, '')"
                ),
                {
                    "uid": str(uuid.UUID(int=number + 1)),
                    "words": words,
                    "language": language,
                    "t": "2021-05-05 00:00:00+00:00",
                },
            )

    migrate.upgrade(empty_database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT language, language_detected FROM claim ORDER BY id")
        ).all()
    migrate.downgrade(empty_database_url, "0011")
    engine.dispose()

    assert [tuple(row) for row in rows] == [("fr", True), ("pt", False)]
