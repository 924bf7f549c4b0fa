"""Claim matching on CLEF-2020 CheckThat! Task 2: the API's POST /claims/match against BM25.

The verified claims (`vclaims.ndjson`, claimtrack NDJSON import records) go in through the
import endpoint; each split's tweets are then matched through the match endpoint, in-process
over the app's HTTP interface (Flask's test client: the whole request path, no network). The
data is read from ../shared/data/claim-matching/ (MANIFEST.md there), never copied here.

Reported per split, for the API and for a plain BM25 computed in the same run (Okapi BM25,
k1 1.5 and b 0.75 as rank_bm25 sets them, over the lower-cased words of claim text and
summary, no stemming): MAP@1, MAP@5 (the task's measure: average precision over the top 5,
divided by the query's relevant claims), P@1 and R@5; and the match endpoint's latency.

    python -m bench.claim_matching                        # SQLite file in bench/results/
    python -m bench.claim_matching --database-url postgresql://postgres@127.0.0.1:5432/claimtrack_matching
    python -m bench.claim_matching --titles-as-reviews --database-url sqlite:////tmp/cm-reviews.sqlite3

`--titles-as-reviews` loads each Snopes title as a ClaimReview import would carry it, as the
headline of a Snopes review of the claim, not as the claim's summary (the data has no review
URLs: each review gets a made-up one under snopes.com, and no rating). It needs its own database.

Tune on train, report dev; the task's test split is how the project is judged, never tuned on.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data" / "claim-matching"
RESULTS = REPO / "bench" / "results"
SPLITS = ("train", "dev")
CUTOFF = 5
VCLAIM_TAG = "vclaim:"


@dataclass(frozen=True)
class Query:
    id: str
    text: str
    relevant: frozenset[str]  # vclaim ids


def records(data: Path = DATA) -> list[dict]:
    with (data / "vclaims.ndjson").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


SNOPES = {"name": "Snopes", "url": "https://www.snopes.com/"}


def as_reviewed(record: dict) -> dict:
    """The record with its title as a review's headline, as a ClaimReview import stores it."""
    reviewed = {key: value for key, value in record.items() if key != "summary"}
    if record.get("summary"):
        reviewed["reviews"] = [
            {
                "publisher": SNOPES,
                # Made up: the data has no review URLs, and an import needs one per review.
                "url": f"https://www.snopes.com/fact-check/checkthat2020-{min(vclaim_ids(record))}/",
                "headline": record["summary"],
                # A feed's inLanguage; detection misreads some short English headlines.
                "language": record.get("language"),
                "rating": {},
            }
        ]
    return reviewed


def vclaim_ids(record: dict) -> list[str]:
    return [tag.removeprefix(VCLAIM_TAG) for tag in record["tags"] if tag.startswith(VCLAIM_TAG)]


def queries(split: str, data: Path = DATA) -> list[Query]:
    relevant: dict[str, set[str]] = defaultdict(set)
    with (data / f"{split}.qrels.tsv").open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                query_id, _, vclaim, _ = line.split()
                relevant[query_id].add(vclaim)
    found = []
    with (data / f"{split}.queries.tsv").open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                query_id, text = line.rstrip("\n").split("\t", 1)
                found.append(Query(query_id, text, frozenset(relevant[query_id])))
    return found


def measures(ranked: Sequence[frozenset[str]], relevant: frozenset[str]) -> dict[str, float]:
    """One query's measures; `ranked` holds each answer's vclaim ids (a record may carry
    several), best first."""
    seen: set[str] = set()
    hits, precision_sum, first_hit = 0, 0.0, 0.0
    for rank, ids in enumerate(ranked[:CUTOFF], start=1):
        new = (ids & relevant) - seen
        if new:
            seen |= new
            hits += len(new)
            precision_sum += len(new) * hits / rank
            if rank == 1:
                first_hit = 1.0
    return {
        "map1": first_hit / len(relevant),
        "map5": precision_sum / len(relevant),
        "p1": first_hit,
        "r5": hits / len(relevant),
    }


def mean(rows: Iterable[dict[str, float]]) -> dict[str, float]:
    rows = list(rows)
    return {name: round(sum(row[name] for row in rows) / len(rows), 4) for name in rows[0]}


WORD = re.compile(r"\w+")


class PlainBM25:
    """Okapi BM25 as rank_bm25's BM25Okapi computes it, over lower-cased words: the baseline."""

    def __init__(self, documents: list[str], k1: float = 1.5, b: float = 0.75, epsilon=0.25):
        self.k1, self.b = k1, b
        self.tokens = [Counter(WORD.findall(text.lower())) for text in documents]
        self.lengths = [sum(tf.values()) for tf in self.tokens]
        self.average = sum(self.lengths) / len(self.lengths)
        frequency = Counter(term for tf in self.tokens for term in tf)
        count = len(documents)
        self.idf = {t: math.log(count - n + 0.5) - math.log(n + 0.5) for t, n in frequency.items()}
        floor = epsilon * sum(self.idf.values()) / len(self.idf)
        self.idf = {t: (value if value >= 0 else floor) for t, value in self.idf.items()}
        self.postings: dict[str, list[int]] = defaultdict(list)
        for index, tf in enumerate(self.tokens):
            for term in tf:
                self.postings[term].append(index)

    def top(self, text: str, count: int) -> list[int]:
        scores: dict[int, float] = defaultdict(float)
        for term in WORD.findall(text.lower()):  # repeated words count again, as in rank_bm25
            for index in self.postings.get(term, ()):
                found = self.tokens[index][term]
                norm = self.k1 * (1 - self.b + self.b * self.lengths[index] / self.average)
                scores[index] += self.idf[term] * found * (self.k1 + 1) / (found + norm)
        return sorted(scores, key=lambda index: (-scores[index], index))[:count]


def baseline(vclaims: list[dict]) -> Callable[[Query], list[frozenset[str]]]:
    index = PlainBM25([f"{r['text']} {r.get('summary') or ''}" for r in vclaims])
    ids = [frozenset(vclaim_ids(r)) for r in vclaims]
    return lambda query: [ids[i] for i in index.top(query.text, CUTOFF)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


class Archive:
    """The app in-process, holding the vclaims; answers the match endpoint."""

    def __init__(self, database_url: str, vclaims: list[dict]):
        from sqlalchemy import func, select, text

        from service import migrate
        from service.app import create_app
        from service.auth.service import create_key
        from service.claims.models import Claim, ClaimTag
        from service.db import database

        migrate.upgrade(database_url)
        self.app = create_app(
            {
                "database_url": database_url,
                "secret_key": "bench-claim-matching",
                "max_import_bytes": 1 << 30,
            }
        )
        self.client = self.app.test_client()
        with self.app.app_context():
            session = database().sessionmaker()
            stored = session.scalar(select(func.count()).select_from(Claim))
            if stored == 0:
                _, key = create_key(
                    session,
                    name="bench-claim-matching",
                    role="researcher",
                    server_secret=self.app.config["SECRET_KEY"],
                )
                session.commit()
                body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in vclaims)
                response = self.client.post(
                    "/api/v1/import/claims",
                    data=body.encode(),
                    headers={
                        "Authorization": f"Bearer {key}",
                        "Content-Type": "application/x-ndjson",
                    },
                )
                if response.status_code != 200:
                    raise RuntimeError(f"import failed: {response.get_data(as_text=True)[:2000]}")
                if session.get_bind().dialect.name == "postgresql":
                    # What autovacuum would have done by the time an archive is searched.
                    session.execute(text("ANALYZE"))
                    session.commit()
            elif stored != len(vclaims):
                raise RuntimeError(f"{database_url} holds {stored} claims, not the vclaims")
            self.ids: dict[int, frozenset[str]] = defaultdict(frozenset)
            tags = select(ClaimTag.claim_id, ClaimTag.tag).where(ClaimTag.tag.like("vclaim:%"))
            for claim_id, tag in session.execute(tags):
                self.ids[claim_id] |= {tag.removeprefix(VCLAIM_TAG)}
            self.dialect = session.get_bind().dialect.name
            session.close()
        self.timings: list[float] = []
        self.scores: dict[str, list[tuple[int, float]]] = {}

    def top(self, query: Query) -> list[frozenset[str]]:
        started = time.perf_counter()
        response = self.client.post(
            "/api/v1/claims/match", json={"text": query.text, "limit": CUTOFF}
        )
        self.timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{query.id}: {response.status_code} {response.get_json()}")
        items = response.get_json()["items"]
        self.scores[query.id] = [(item["claim"]["id"], item["score"]) for item in items]
        return [self.ids[item["claim"]["id"]] for item in items]


def evaluate(rank: Callable[[Query], list[frozenset[str]]], split: list[Query]) -> dict[str, float]:
    return mean(measures(rank(query), query.relevant) for query in split)


def run(
    database_url: str,
    splits: Sequence[str] = SPLITS,
    data: Path = DATA,
    titles_as_reviews: bool = False,
) -> dict:
    vclaims = records(data)
    if titles_as_reviews:
        vclaims = [as_reviewed(record) for record in vclaims]
    started = time.perf_counter()
    archive = Archive(database_url, vclaims)
    loaded = time.perf_counter() - started
    plain = baseline(vclaims)
    result = {
        "database": archive.dialect,
        "claims": len(vclaims),
        "titles": "review headlines" if titles_as_reviews else "claim summaries",
        "load_seconds": round(loaded, 1),
        "splits": {},
    }
    for name in splits:
        split = queries(name, data)
        archive.timings = []
        api = evaluate(archive.top, split)
        result["splits"][name] = {
            "queries": len(split),
            "api": api,
            "bm25": evaluate(plain, split),
            "latency_ms": {
                "p50": round(percentile(archive.timings, 0.5), 2),
                "p95": round(percentile(archive.timings, 0.95), 2),
            },
        }
    result["scores"] = archive.scores  # per query: (claim id, score), to compare databases
    return result


def markdown(result: dict) -> str:
    lines = [
        f"# Claim matching, CLEF-2020 CheckThat! Task 2 ({result['database']}, "
        f"{result['claims']} claims, titles as {result.get('titles', 'claim summaries')})",
        "",
        "| split | queries | system | MAP@1 | MAP@5 | P@1 | R@5 | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, split in result["splits"].items():
        for system in ("api", "bm25"):
            m = split[system]
            latency = split["latency_ms"] if system == "api" else {"p50": "", "p95": ""}
            label = "POST /claims/match" if system == "api" else "plain BM25"
            lines.append(
                f"| {name} | {split['queries']} | {label} | {m['map1']:.3f} | {m['map5']:.3f} "
                f"| {m['p1']:.3f} | {m['r5']:.3f} | {latency['p50']} | {latency['p95']} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{RESULTS / 'claim-matching.sqlite3'}",
        help="an empty database, or one this benchmark filled before (default: SQLite file)",
    )
    parser.add_argument("--split", action="append", choices=SPLITS, dest="splits")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument(
        "--titles-as-reviews",
        action="store_true",
        help="load the titles as review headlines, as a ClaimReview import would (own database)",
    )
    args = parser.parse_args()
    if args.database_url.rstrip("/").rsplit("/", 1)[-1] == "test":
        parser.error("never the database named test (CI's)")
    result = run(args.database_url, args.splits or SPLITS, args.data, args.titles_as_reviews)
    RESULTS.mkdir(exist_ok=True)
    suffix = "-reviews" if args.titles_as_reviews else ""
    stem = RESULTS / f"claim-matching-{result['database']}{suffix}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=1) + "\n")
    stem.with_suffix(".md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()
