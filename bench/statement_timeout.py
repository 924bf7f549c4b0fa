"""What the statement timeout costs a request: the same reads with and without it, in turn.

    python -m bench.statement_timeout                      # SQLite, in a temporary file
    python -m bench.statement_timeout --database-url postgresql://postgres@127.0.0.1:5432/DB

On SQLite the timeout is a progress handler (called every 100,000 virtual-machine steps) and an
event that arms it before each statement; on PostgreSQL a connection option, which costs
nothing per request. One app, whose Database is swapped between rounds for one made without
the timeout (the baseline), so both run in the same process and minute; rounds alternate
(ABAB..., in batches of 10 requests) and the ratio of the medians is reported. PostgreSQL's
database is emptied first.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from service import migrate
from service.app import create_app
from service.db import Database

BATCH = 10  # requests in a row on one database before switching to the other
CASES = {
    "claim": lambda ids, n: f"/api/v1/claims/{ids[n % len(ids)]}",
    "list": lambda ids, n: f"/api/v1/claims?limit=20&kind={'factual' if n % 2 else 'promise'}",
    "search": lambda ids, n: f"/api/v1/claims?q=harbour+budget+{n % 7}",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--claims", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--requests", type=int, default=200, help="per case and round")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        if url.startswith("postgres"):
            engine = create_engine(url)
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            engine.dispose()
        migrate.upgrade(url)
        run(url, args)


def run(url: str, args) -> None:
    app = create_app({"database_url": url, "secret_key": "bench"})
    with_timeout = app.extensions["db"]
    without = Database(app.config["DATABASE_URL"])  # the same, made without the timeout
    client = app.test_client()
    ids = _fill(app, client, args.claims)
    times: dict[tuple[str, str], list[float]] = {}
    for round_number in range(args.rounds):
        for case, path in CASES.items():
            # Short alternating batches, so that both see the same load on a shared machine.
            for batch in range(0, args.requests, BATCH):
                order = [("timeout", with_timeout), ("baseline", without)]
                if (round_number + batch // BATCH) % 2:
                    order.reverse()
                for label, database in order:
                    app.extensions["db"] = database
                    started = time.perf_counter()
                    for n in range(batch, batch + BATCH):
                        response = client.get(path(ids, n))
                        assert response.status_code == 200, response.get_data(as_text=True)
                    elapsed = time.perf_counter() - started
                    times.setdefault((case, label), []).append(elapsed / BATCH)
    app.extensions["db"] = with_timeout
    dialect = with_timeout.engine.dialect.name
    print(f"{dialect}, {args.claims} claims, {args.rounds} rounds of {args.requests} requests")
    print("| case | baseline ms/request | with timeout | ratio |")
    print("|---|---|---|---|")
    for case in CASES:
        base = statistics.median(times[case, "baseline"]) * 1000
        timed = statistics.median(times[case, "timeout"]) * 1000
        print(f"| {case} | {base:.3f} | {timed:.3f} | {timed / base:.3f} |")
    without.dispose()
    with_timeout.dispose()


def _fill(app, client, count: int) -> list[int]:
    from service.auth.service import create_key

    with app.app_context():
        session = app.extensions["db"].sessionmaker()
        _, key = create_key(session, name="bench", role="admin", server_secret="bench")
        session.commit()
        session.close()
    headers = {"Authorization": f"Bearer {key}"}
    words = "harbour minister promised budget tender port railway bridge school clinic".split()
    ids = []
    for n in range(count):
        text_ = " ".join(words[(n + i * 3) % len(words)] for i in range(12)) + f" {n % 7} {n}"
        kind = "factual" if n % 2 else "promise"
        response = client.post(
            "/api/v1/claims", json={"text": text_, "kind": kind}, headers=headers
        )
        assert response.status_code == 201, response.get_data(as_text=True)
        ids.append(response.get_json()["id"])
    return ids


if __name__ == "__main__":
    main()
