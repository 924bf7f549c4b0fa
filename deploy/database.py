"""The stack's database: `python deploy/database.py ensure|drop URL` (PostgreSQL only).

ensure: create the URL's database when it is missing (connecting to the server's `postgres`
database with the same credentials); drop: remove it (the stack tests' own database).
"""

from __future__ import annotations

import sys

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError


def _server(url: str):
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise SystemExit("stack: DATABASE_URL is not a database URL") from None
    if parsed.get_backend_name() not in ("postgresql", "postgres"):
        raise SystemExit(
            "stack: the stack runs on PostgreSQL: DATABASE_URL must be postgresql://..."
        )
    if not parsed.database:
        raise SystemExit("stack: DATABASE_URL names no database")
    driver = parsed.set(drivername="postgresql+psycopg", database="postgres")
    return parsed.database, create_engine(driver, isolation_level="AUTOCOMMIT")


def main(action: str, url: str) -> None:
    name, engine = _server(url)
    quoted = '"' + name.replace('"', '""') + '"'
    try:
        with engine.connect() as connection:
            found = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if action == "ensure" and not found:
                connection.execute(text(f"CREATE DATABASE {quoted}"))
                print(f"stack: created database {name}")
            elif action == "drop" and found:
                connection.execute(text(f"DROP DATABASE {quoted} WITH (FORCE)"))
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise SystemExit(f"stack: cannot reach PostgreSQL for {name}: {reason}") from None
    finally:
        engine.dispose()


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("ensure", "drop"):
        raise SystemExit("usage: python deploy/database.py ensure|drop DATABASE_URL")
    main(sys.argv[1], sys.argv[2])
