import pytest
from sqlalchemy import inspect

from service.db import database


def test_merge_columns_refer_to_claims_with_their_on_delete(app):
    """SQLite keeps these keys in the columns' definitions (the baseline migration), where alembic
    check cannot compare them (migrations/env.py): they are checked here instead."""
    with app.app_context():
        engine = database().engine
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's keys are compared in full by alembic check (test_migrations)")
    with engine.connect() as connection:
        keys = {
            (table, row[3]): (row[2], row[4], row[6])
            for table in ("claim", "status_change")
            for row in connection.exec_driver_sql(f"PRAGMA foreign_key_list({table})")
        }
    assert keys[("claim", "merged_into_id")] == ("claim", "id", "CASCADE")
    assert keys[("status_change", "merged_claim_id")] == ("claim", "id", "SET NULL")
    assert "relation" in inspect(engine).get_table_names()
