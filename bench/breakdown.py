"""Where a `GET /api/v1/claims/{id}` spends its time, in-process, in µs per call.

    python -m bench.breakdown --database-url postgresql://postgres@127.0.0.1/claimtrack_bench

Measures the raw endpoint's work, the app's read path (service/claims/documents.py: one
statement, autocommit), the ORM load it replaced and variants of that load (one joined query;
no transaction for a read), the marshmallow dump, and whole requests through Flask's test
client. Each line is the best of two passes over the same random ids.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable

from sqlalchemy import create_engine, select
from sqlalchemy.orm import joinedload, sessionmaker

from bench.database import Target
from bench.raw_app import Claims, encode
from service import db
from service.app import create_app
from service.claims import documents
from service.claims.models import Claim
from service.claims.schemas import ClaimOut

JOINED = (joinedload(Claim.tag_rows), joinedload(Claim.appearances))


def timed(label: str, ids: list[int], call: Callable[[int], object]) -> None:
    for claim_id in ids[:100]:
        call(claim_id)
    passes = []
    for _ in range(2):
        started = time.perf_counter()
        for claim_id in ids:
            call(claim_id)
        passes.append((time.perf_counter() - started) / len(ids) * 1e6)
    print(f"  {label:<64}{min(passes):>8,.0f} µs")


def orm_load(factory: sessionmaker, options=()) -> Callable[[int], object]:
    schema = ClaimOut()

    def load(claim_id: int) -> object:
        with factory() as session:
            if options:
                statement = select(Claim).where(Claim.id == claim_id).options(*options)
                return schema.dump(session.execute(statement).unique().scalar_one())
            return schema.dump(session.get(Claim, claim_id))

    return load


def documents_load(factory: sessionmaker) -> Callable[[int], object]:
    def load(claim_id: int) -> object:
        with factory() as session:
            return encode(documents.claim_document(session.connection(), claim_id).body)

    return load


def read_engine(url: str):
    """An engine whose reads run without BEGIN/ROLLBACK (PostgreSQL autocommit; plain pysqlite)."""
    if url.startswith("postgresql"):
        return create_engine(url, isolation_level="AUTOCOMMIT")
    return create_engine(url)  # without the app's listener that sends BEGIN for every read


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args(argv)
    target = Target.from_url(args.database_url)
    os.environ["DATABASE_URL"] = target.url
    app = create_app()
    with target.connect() as connection:
        size = connection.execute("SELECT max(id) FROM claim").fetchone()[0]
    ids = [random.randint(1, size) for _ in range(args.calls)]
    raw = Claims(target)
    print(f"{target.dialect}, {size:,} claims, {args.calls} random ids")
    timed("raw driver: 2 queries, autocommit, json.dumps", ids, lambda i: encode(raw.get(i)))
    with app.app_context():
        reader = db.database().read_sessionmaker
        timed("the app's read path: one statement, autocommit", ids, documents_load(reader))
        factory = db.database().sessionmaker
        timed("ORM load (3 queries in BEGIN…ROLLBACK) + dump, as before", ids, orm_load(factory))
        timed("  the same, tags and appearances joined (1 query)", ids, orm_load(factory, JOINED))
        if target.dialect == "postgresql":
            # The app's engine pings the server (a round trip) each time a session starts.
            unpinged = sessionmaker(create_engine(target.url), expire_on_commit=False)
            timed("  the same, joined, without pool_pre_ping", ids, orm_load(unpinged, JOINED))
        reads = sessionmaker(read_engine(target.url), expire_on_commit=False)
        timed(
            "  the same, joined, no pre-ping, without a transaction", ids, orm_load(reads, JOINED)
        )
        with factory() as session:
            claims = [session.get(Claim, i) for i in ids[:500]]
            schema = ClaimOut()
            timed("marshmallow ClaimOut.dump of a loaded claim", [0] * 2000,
                  lambda _: schema.dump(claims[random.randrange(500)]))  # fmt: skip
    client = app.test_client()
    timed("whole request, Flask test client", ids, lambda i: client.get(f"/api/v1/claims/{i}"))
    timed("GET /health, Flask test client (no database)", ids, lambda _: client.get("/health"))


if __name__ == "__main__":
    main()
