"""Import speed: records per second of a ClaimReview and an NDJSON import, today's code and ours.

    python -m bench.import_speed --size 100000
    python -m bench.import_speed --size 100000 --baseline-ref f2f829c --database-url postgresql://postgres@127.0.0.1:5432/bench_reviews

Two files are written to a temporary directory: a ClaimReview DataFeed of `--size` varied
reviews (bench/import_memory.py's generator: six languages, named and numeric ratings,
appearances, 40 publishers) and an NDJSON file of `--size` claims, each with a source it
appears in, two evidence items and a timeline of three moves, the second citing both.

Each file is imported, committed, into a freshly made and migrated database, once by the
code at `--baseline-ref` (today's: `git archive` of that commit, run from a scratch
directory) and once by this working tree, with today's run again after ours; the imports run
one after another in this one run, each in a fresh interpreter, and today's rate is the mean of
its two runs, so that a change in the machine's load mid-run moves both sides alike. The
figure is the ratio of the two rates (records per second over the whole import: reading,
checking, storing, committing); the absolute rates are written beside it for context only.
`--baseline-size` imports only the first records for today's code, whose rate does not
depend on the archive's size (each record is looked up and flushed on its own), when a full
baseline would take too long; the report says when it did.

Writes <results>/import-speed-<dialect>-<size>.md and .json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.import_memory import created_database, drop_database, review

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results"
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/bench_reviews"

WORKER = """
import json, sys, time
from service import migrate
from service.app import create_app
from service.db import database
from service.exchange.imports import import_file

url, path, format = sys.argv[1:4]
migrate.upgrade(url)
app = create_app({"database_url": url, "secret_key": "bench"})
with app.app_context():
    session = database().sessionmaker()
    session.info["actor"] = "bench"
    started = time.perf_counter()
    with open(path, "rb") as body:
        report = import_file(session, body, format, mode="partial", max_errors=10)
    session.commit()
    seconds = time.perf_counter() - started
    session.close()
print(json.dumps({"seconds": seconds, "records": report.records, "created": report.created,
                  "failed": report.failed, "errors": [e.message for e in report.errors][:3]}))
"""


def write_claimreview(path: Path, size: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": [\n')
        for number in range(size):
            out.write(("" if number == 0 else ",\n") + json.dumps(review(number, rng)))
        out.write("\n]}\n")


def claim_record(number: int, rng: random.Random) -> dict:
    """A claim as NDJSON exports it: a source, two evidence items, three moves."""
    at = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=number)
    words = "the minister said unemployment fell bridge budget vaccine border crime".split()
    text = f"{' '.join(rng.choices(words, k=rng.randint(8, 20)))} (claim {number})"

    def moment(minutes: int) -> str:
        return (at + timedelta(minutes=minutes)).isoformat()

    return {
        "uid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "text": text,
        "kind": "factual",
        "claimant": f"Speaker {rng.randint(1, 3000)}",
        "language": "en",
        "tags": rng.sample(["economy", "health", "border", "budget"], k=2),
        "created_at": moment(0),
        "created_by": "archive",
        "appearances": [
            {
                "source": {"url": f"https://news{rng.randint(1, 500)}.example/{number}"},
                "quote": text,
                "anchor_state": "unanchored",
            }
        ],
        "evidence": [
            {
                "id": 1,
                "url": f"https://evidence.example/{number}/1",
                "title": f"Official figures {number}",
                "stance": "refutes",
                "language": "en",
                "created_at": moment(1),
            },
            {
                "id": 2,
                "url": f"https://evidence.example/{number}/2",
                "title": f"A second look {number}",
                "stance": "context",
                "language": "en",
                "created_at": moment(2),
            },
        ],
        "timeline": [
            {"to_status": "unverified", "rationale": "Claim recorded.", "created_at": moment(0)},
            {
                "from_status": "unverified",
                "to_status": "in_review",
                "rationale": "Looking into it.",
                "evidence_ids": [1, 2],
                "created_at": moment(3),
            },
            {
                "from_status": "in_review",
                "to_status": "false",
                "rationale": "The figures say otherwise.",
                "evidence_ids": [1],
                "created_at": moment(4),
            },
        ],
    }


def write_ndjson(path: Path, size: int, seed: int = 2) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for number in range(size):
            out.write(json.dumps(claim_record(number, rng)) + "\n")


def head(path: Path, records: int, format: str, into: Path) -> Path:
    """The first `records` records of a file written above, as a file of its own."""
    if format == "ndjson":
        with path.open(encoding="utf-8") as source, into.open("w", encoding="utf-8") as out:
            for number, line in enumerate(source):
                if number == records:
                    break
                out.write(line)
        return into
    with path.open(encoding="utf-8") as source:
        lines = source.readlines()
    kept = lines[: records + 1]
    kept[-1] = kept[-1].rstrip().rstrip(",")
    with into.open("w", encoding="utf-8") as out:
        out.writelines(kept)
        out.write("\n]}\n")
    return into


def baseline_code(ref: str, into: Path) -> Path:
    """The tree at `ref`, unpacked (git archive) into `into`."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref],
        check=True,
        capture_output=True,
    ).stdout
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def run_import(code: Path, url: str, path: Path, format: str) -> dict:
    """One import by the code at `code`, into a new database at `url`, in a fresh interpreter."""
    made = created_database(url)
    try:
        environment = {**os.environ, "PYTHONPATH": str(code)}
        finished = subprocess.run(
            [sys.executable, "-c", WORKER, url, str(path), format],
            check=True,
            capture_output=True,
            text=True,
            env=environment,
            cwd=code,
        )
        result = json.loads(finished.stdout.strip().splitlines()[-1])
    finally:
        if made:
            drop_database(url)
    result["rate"] = result["records"] / result["seconds"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--baseline-size", type=int, default=None)
    parser.add_argument("--baseline-ref", default="f2f829c")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--formats", default="claimreview,ndjson")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not args.database_url.rsplit("/", 1)[-1].startswith("bench_"):
        raise SystemExit("the bench makes and drops its databases: name one bench_...")
    formats = args.formats.split(",")
    baseline_size = min(args.baseline_size or args.size, args.size)
    results: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "size": args.size,
        "baseline_size": baseline_size,
        "baseline_ref": args.baseline_ref,
        "head": subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
        ).stdout.strip(),
        "formats": {},
    }
    with tempfile.TemporaryDirectory(prefix="import-speed-") as scratch:
        scratch = Path(scratch)
        today = baseline_code(args.baseline_ref, scratch / "baseline")
        files = {"claimreview": scratch / "reviews.json", "ndjson": scratch / "claims.ndjson"}
        started = time.perf_counter()
        if "claimreview" in formats:
            write_claimreview(files["claimreview"], args.size)
        if "ndjson" in formats:
            write_ndjson(files["ndjson"], args.size)
        print(f"files written in {time.perf_counter() - started:.0f} s", flush=True)
        for format in formats:
            baseline_file = files[format]
            if baseline_size < args.size:
                baseline_file = head(
                    files[format], baseline_size, format, scratch / f"head-{format}"
                )
            url = f"{args.database_url}_{format}"
            # Today's code runs before and after ours, and its rate is the mean of the two:
            # a neighbour that starts or stops working mid-run moves both sides alike.
            before = run_import(today, url, baseline_file, format)
            print(f"{format} today: {before}", flush=True)
            after = run_import(ROOT, url, files[format], format)
            print(f"{format} now: {after}", flush=True)
            again = run_import(today, url, baseline_file, format)
            print(f"{format} today again: {again}", flush=True)
            today_rate = (before["rate"] + again["rate"]) / 2
            results["formats"][format] = {
                "today": {**before, "rate": today_rate, "rates": [before["rate"], again["rate"]]},
                "now": after,
                "ratio": after["rate"] / today_rate,
            }
    dialect = "postgresql" if args.database_url.startswith("postgresql") else "sqlite"
    args.results.mkdir(parents=True, exist_ok=True)
    stem = args.results / f"import-speed-{dialect}-{args.size}"
    stem.with_suffix(".json").write_text(json.dumps(results, indent=1) + "\n")
    stem.with_suffix(".md").write_text(report(results, dialect))
    print(report(results, dialect))


def report(results: dict, dialect: str) -> str:
    lines = [
        f"# Import speed, {dialect}, {results['size']:,} records ({results['when']})",
        "",
        f"Today's code: {results['baseline_ref']} "
        + (
            f"(on the first {results['baseline_size']:,} records)"
            if results["baseline_size"] < results["size"]
            else "(on all of them)"
        )
        + f"; now: {results['head']} and this working tree. Each import commits into a new "
        "database; rates are records per second over the whole import.",
        "",
        "Today's code runs before and after this one; its rate is the mean of the two runs.",
        "",
        "| import | today (records/s: before, after) | now (records/s) | now / today |",
        "|---|---|---|---|",
    ]
    for format, figures in results["formats"].items():
        rates = figures["today"].get("rates", [figures["today"]["rate"]])
        lines.append(
            f"| {format} | {figures['today']['rate']:,.0f} "
            f"({', '.join(f'{rate:,.0f}' for rate in rates)}) | {figures['now']['rate']:,.0f} "
            f"| **{figures['ratio']:.1f}×** |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
