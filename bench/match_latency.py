"""Latency of POST /api/v1/claims/match on a large archive, beside a plain list in the same run.

    python -m bench.match_latency --database-url postgresql://postgres@127.0.0.1:5432/claimtrack_bench

Two sets of tweet-length texts are matched against the archive (`bench.generate`'s, 1M claims):
the CheckThat! 2020 dev tweets (`../shared/data/claim-matching/`, skipped where absent), whose
words the generated archive mostly lacks, and texts of stored claims, reworded (a word dropped,
the rest shuffled), whose words it holds in number: the archive's "has this been checked
before?" asked of itself. Requests go through the app in-process (its test client), so the
figure is the app's and the database's time, without HTTP. Each match is interleaved with the
baseline, `GET /api/v1/claims?limit=10` (the newest claims), so that the ratio of the two
holds on a busy machine.

Writes <results>/match-latency-<dialect>-<claims>.md and .json.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from bench.claim_matching import DATA, percentile, queries
from service.app import create_app

RESULTS = Path(__file__).parent / "results"


def stored_texts(database_url: str, count: int, seed: int = 7) -> list[tuple[str, str]]:
    """Texts of `count` stored claims, each with a word dropped and the rest shuffled, with
    the claim's own text: (reworded, original)."""
    rng = random.Random(seed)
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        top = connection.scalar(select(func.max(text("id"))).select_from(text("claim")))
        ids = sorted(rng.sample(range(1, top + 1), count * 2))
        found = connection.execute(
            text("SELECT text FROM claim WHERE id = ANY(:ids) AND language = 'en'"), {"ids": ids}
        ).scalars()
        texts = []
        for claim_text in found:
            words = claim_text.split()[:30]
            if len(words) > 3:
                words.pop(rng.randrange(len(words)))
            rng.shuffle(words)
            texts.append((" ".join(words), claim_text))
    engine.dispose()
    return texts[:count]


def timed(request, *args, **kwargs) -> float:
    started = time.perf_counter()
    response = request(*args, **kwargs)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{response.status_code}: {response.get_data(as_text=True)[:300]}")
    return elapsed


def measure(client, texts: list[str], originals: list[str] | None = None) -> dict:
    """Latency of matching each text, beside the baseline's; with `originals` (the claim each
    text rewords), how often a claim of that very text comes first, and among the 10."""
    matches, lists, first, top = [], [], 0, 0
    for index, each in enumerate(texts):
        lists.append(timed(client.get, "/api/v1/claims", query_string={"limit": 10}))
        started = time.perf_counter()
        response = client.post("/api/v1/claims/match", json={"text": each, "limit": 10})
        matches.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{response.status_code}: {response.get_data(as_text=True)[:300]}")
        if originals is not None:
            found = [item["claim"]["text"] for item in response.get_json()["items"]]
            first += bool(found) and found[0] == originals[index]
            top += originals[index] in found
    figures = {}
    for name, values in (("match", matches), ("list", lists)):
        figures[name] = {
            "p50": round(percentile(values, 0.5), 1),
            "p95": round(percentile(values, 0.95), 1),
        }
    figures["ratio_p95"] = round(figures["match"]["p95"] / figures["list"]["p95"], 2)
    figures["requests"] = len(texts)
    if originals is not None:
        figures["original_first"] = round(first / len(texts), 3)
        figures["original_in_10"] = round(top / len(texts), 3)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--count", type=int, default=200, help="texts per set")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    url = args.database_url
    sqlalchemy_url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    app = create_app({"database_url": sqlalchemy_url, "secret_key": "bench"})
    client = app.test_client()
    reworded = stored_texts(url, args.count)
    sets = {"stored claims, reworded": [each for each, _ in reworded]}
    originals = {"stored claims, reworded": [original for _, original in reworded]}
    if DATA.exists():
        sets["CheckThat! 2020 dev tweets"] = [query.text for query in queries("dev")][: args.count]
    for each in list(sets.values())[0][:20]:  # warm the caches and the analysers
        client.post("/api/v1/claims/match", json={"text": each})
    with app.app_context():
        from service.db import database

        with database().engine.connect() as connection:
            claims = connection.scalar(text("SELECT count(*) FROM claim"))
    dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "claims": claims,
        "sets": {name: measure(client, texts, originals.get(name)) for name, texts in sets.items()},
    }
    lines = [
        f"# Match latency, {dialect}, {claims:,} claims ({result['when']})",
        "",
        "In-process (the app's test client); each match interleaved with the baseline, "
        "`GET /api/v1/claims?limit=10`. Milliseconds. For the reworded claims, how often the "
        "claim's own text comes first, and among the 10 matches.",
        "",
        "| texts | requests | match p50 | match p95 | list p50 | list p95 "
        "| match p95 / list p95 | own text first | own text in 10 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, figures in result["sets"].items():
        lines.append(
            f"| {name} | {figures['requests']} | {figures['match']['p50']} "
            f"| **{figures['match']['p95']}** | {figures['list']['p50']} "
            f"| {figures['list']['p95']} | {figures['ratio_p95']} "
            f"| {figures.get('original_first', '')} | {figures.get('original_in_10', '')} |"
        )
    report = "\n".join(lines) + "\n"
    args.results.mkdir(parents=True, exist_ok=True)
    stem = args.results / f"match-latency-{dialect}-{claims}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=1) + "\n")
    stem.with_suffix(".md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
