"""How an import's statements reach PostgreSQL: planned for their values, batch after batch."""

from __future__ import annotations

import io

import pytest
from exchange_helpers import ndjson
from sqlalchemy import text

from service import db
from service.engine import PREPARE_THRESHOLD
from service.exchange import imports


def test_an_imports_look_ups_are_planned_for_their_values(app, database_url, monkeypatch):
    """Every batch looks its sources up with the same statement; prepared after five runs, its
    generic plan compared each source row with every URL of the batch, one by one, and an
    import slowed down the more it had stored (service.exchange.store.Store)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite plans every statement anew; only psycopg prepares statements")
    monkeypatch.setattr(imports, "CHUNK", 2)  # 8 batches of the same shape
    records = [
        {
            "text": f"Claim {number}",
            "kind": "factual",
            "appearances": [{"source": {"url": f"https://news.example/{number}"}, "quote": "q"}],
        }
        for number in range(16)
    ]
    look_ups = text(
        "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%url_sha256%'"
    )
    with app.test_request_context("/api/v1/import/claims", method="POST"):
        session = db.session()
        # The pooled connection may hold what earlier requests had prepared: count the new.
        before = session.execute(look_ups).scalar()
        body = io.BytesIO(ndjson(*records).encode())
        report = imports.import_file(session, body, "ndjson")
        assert (report.created, session.execute(look_ups).scalar()) == (16, before)
        driver = session.connection().connection.driver_connection
        session.rollback()
    # Back in the pool, the connection prepares what it runs often again.
    assert driver.prepare_threshold == PREPARE_THRESHOLD
