"""Helpers for the exchange tests: files, exports read back, imports sent as a client would."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import database_for, key_for
from sqlalchemy import text

from service.db import database
from service.demo.loader import load_demo
from service.models import Base

FILES = Path(__file__).parent / "files"
NDJSON = "application/x-ndjson"
CSV = "text/csv"


def export_lines(client, **params) -> list[dict]:
    response = client.get("/api/v1/export/claims", query_string={"format": "ndjson", **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return [json.loads(line) for line in response.get_data(as_text=True).splitlines()]


def post_file(client, path: str, body: bytes | str, content_type: str, **params):
    data = body.encode() if isinstance(body, str) else body
    return client.post(path, data=data, query_string=params, headers={"Content-Type": content_type})


def import_claims(client, body: bytes | str, content_type: str = NDJSON, **params):
    return post_file(client, "/api/v1/import/claims", body, content_type, **params)


def import_claimreview(client, body: bytes | str, **params):
    return post_file(client, "/api/v1/import/claimreview", body, "application/json", **params)


def ndjson(*records: dict) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def researcher(app):
    """A client holding a researcher key named "importer"."""
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key_for(app, 'researcher', 'importer')}"
    return client


def empty_claims(app) -> None:
    """Empties every table but the keys', as a fresh database would be."""
    engine = database_for(app).engine
    tables = [t for t in Base.metadata.sorted_tables if t.name != "api_key"]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                connection.execute(table.delete())


def load_demo_data(app) -> None:
    with app.app_context():
        session = database().sessionmaker()
        load_demo(session)
        session.commit()
        session.close()
