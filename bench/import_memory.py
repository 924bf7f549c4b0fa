"""Peak memory of a ClaimReview import: does it stay flat however large the feed is?

    python -m bench.import_memory --size-mb 100
    python -m bench.import_memory --size-mb 100 --database-url postgresql://postgres@127.0.0.1:5432/claimtrack_bench_import

A DataFeed of about `--size-mb` MiB of varied reviews (bare and in DataFeedItems, six
languages, named and numeric ratings, appearances as URLs and CreativeWorks, long and short
review bodies, every claim new) is written to a temporary file, then imported through
`service.exchange.imports.import_file`, the code the HTTP route and the CLI run, as a dry
run: every review is checked, then stored (rows flushed to the database), then rolled back.
The database is a SQLite file in the temporary directory, or a PostgreSQL database that the
bench creates, migrates and drops (it refuses one that exists already).

The baseline is this process's resident memory once the app is built and has imported one
small feed (modules, pool and caches); the figure is the peak resident memory (getrusage
ru_maxrss) over the import, with the current RSS sampled every tenth of the way through each
phase to show its shape. As a same-run baseline, a fresh interpreter then `json.load`s the
same file (what the whole-document reader did first, before building any entry) and reports
its own growth. Writes <results>/import-memory-<dialect>-<size>mb.md and .json.
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
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.memory import current_rss_mb, peak_rss_mb

RESULTS = Path(__file__).parent / "results"
TARGET_GROWTH_MB = 100
LANGUAGES = ("en", "fr", "es", "de", "ar", "da")
WORDS = {
    "en": "the minister said unemployment fell bridge budget vaccine border crime",
    "fr": "le ministre a dit que le chômage a baissé pont budget vaccin frontière",
    "es": "el ministro dijo que el desempleo bajó puente presupuesto vacuna frontera",
    "de": "der Minister sagte die Arbeitslosigkeit sank Brücke Haushalt Impfstoff",
    "ar": "قال الوزير إن البطالة انخفضت الجسر الميزانية اللقاح الحدود الجريمة",
    "da": "ministeren sagde at ledigheden faldt broen budgettet vaccinen grænsen",
}
RATINGS = (
    {"alternateName": "False"},
    {"alternateName": "Mostly False"},
    {"alternateName": "Half True"},
    {"alternateName": "Pants on Fire!"},
    {"alternateName": "Faux"},
    {"alternateName": "Falso"},
    {"alternateName": "Misleading"},
    {"alternateName": "Needs Context"},
    {"ratingValue": 2, "bestRating": 5, "worstRating": 1},
    {"ratingValue": "4", "bestRating": "5", "worstRating": "1"},
)
SMALL_FEED = {
    "@type": "DataFeed",
    "dataFeedElement": [
        {
            "@type": "ClaimReview",
            "claimReviewed": "A warm-up claim.",
            "url": "https://warm-up.example/review",
            "reviewRating": {"alternateName": "False"},
        }
    ],
}


def review(number: int, rng: random.Random) -> dict:
    language = rng.choice(LANGUAGES)
    words = WORDS[language].split()
    claim = f"{' '.join(rng.choices(words, k=rng.randint(6, 24)))} (claim {number})"
    works: list = []
    for index in range(rng.choice((0, 1, 1, 2, 3))):
        url = f"https://site{rng.randint(1, 400)}.example/{language}/{number}/{index}"
        if rng.random() < 0.3:
            works.append(url)
        else:
            work = {"@type": "CreativeWork", "url": url, "headline": f"Post {number}.{index}"}
            if rng.random() < 0.4:
                work["text"] = claim[: rng.randint(20, 80)]
            works.append(work)
    item = {
        "@type": "Claim",
        "author": {"@type": "Person", "name": f"Speaker {rng.randint(1, 3000)}"},
        "datePublished": f"20{rng.randint(15, 24)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}",
        "appearance": works,
    }
    if rng.random() < 0.2:
        item["firstAppearance"] = {
            "@type": "CreativeWork",
            "url": f"https://first.example/{number}",
        }
    body = " ".join(rng.choices(words, k=rng.choice((0, 20, 80, 300))))
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://checker{number % 40}.example/{language}/fact-check/{number}",
        "claimReviewed": claim,
        "datePublished": f"2025-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}",
        "headline": f"Fact check {number}: {claim[:60]}",
        "inLanguage": language,
        "author": {
            "@type": "Organization",
            "name": f"Checker {number % 40}",
            "url": f"https://checker{number % 40}.example/",
        },
        "reviewBody": body,
        "itemReviewed": item,
        "reviewRating": {"@type": "Rating", **rng.choice(RATINGS)},
    }


def write_feed(path: Path, size_mb: float, seed: int = 1) -> int:
    """A DataFeed of about size_mb MiB, written review by review; the reviews it holds."""
    rng = random.Random(seed)
    target = int(size_mb * 2**20)
    reviews = written = 0
    with path.open("w", encoding="utf-8") as out:
        written += out.write('{"@context": "https://schema.org", "@type": "DataFeed",\n')
        written += out.write(' "dataFeedElement": [\n')
        while written < target:
            if reviews % 3 == 2:
                held = [review(reviews + k, rng) for k in range(rng.choice((1, 1, 2)))]
                element = {"@type": "DataFeedItem", "item": held}
            else:
                held = [review(reviews, rng)]
                element = held[0]
            text_ = json.dumps(element, ensure_ascii=rng.random() < 0.5, indent=1)
            written += out.write(("  " if reviews == 0 else ", ") + text_ + "\n")
            reviews += len(held)
        out.write("]}\n")
    return reviews


def created_database(url: str) -> bool:
    """A new, empty PostgreSQL database at url (True), or nothing to do for SQLite (False)."""
    from service.config import database_url

    parsed = database_url(url)
    if not parsed.drivername.startswith("postgresql"):
        return False
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
        )
        if exists:
            raise SystemExit(f"database {parsed.database} exists: the bench makes its own")
        connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    server.dispose()
    return True


def drop_database(url: str) -> None:
    from service.config import database_url

    parsed = database_url(url)
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    server.dispose()


def imported(app, path: Path, samples: list | None = None, every: int = 1):
    """The report of a dry-run import of the file at path, sampling RSS on the way."""
    from service import db
    from service.exchange import imports

    def progress(phase: str, done: int) -> None:
        if samples is not None and done % every == 0:
            samples.append({"phase": phase, "records": done, "rss_mb": round(current_rss_mb())})

    with app.app_context():
        session = db.session()
        session.info["actor"] = "bench"
        try:
            with path.open("rb") as body:
                return imports.import_file(
                    session, body, "claimreview", dry_run=True, progress=progress
                )
        finally:
            session.rollback()


def json_load_growth_mb(path: Path) -> dict:
    """What a fresh interpreter's RSS grows by to json.load the file (the old reader's start)."""
    # VmHWM, not ru_maxrss: a child's ru_maxrss starts from its parent's RSS at the fork.
    code = (
        "import json, sys\n"
        "def status(name):\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith(name): return int(line.split()[1]) / 1024\n"
        "before = status('VmRSS:')\n"
        "with open(sys.argv[1], 'rb') as body: document = json.load(body)\n"
        "print(json.dumps({'baseline_rss_mb': before, 'holding_rss_mb': status('VmRSS:'),\n"
        "    'peak_rss_mb': status('VmHWM:')}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    figures = json.loads(done.stdout)
    return {
        **{name: round(value, 1) for name, value in figures.items()},
        "growth_mb": round(figures["peak_rss_mb"] - figures["baseline_rss_mb"], 1),
    }


def measure(url: str | None, size_mb: float, folder: Path) -> dict:
    from service import migrate
    from service.app import create_app

    url = url or f"sqlite:///{folder / 'import.sqlite3'}"
    path = folder / "feed.jsonld"
    started = time.perf_counter()
    reviews = write_feed(path, size_mb)
    generated = time.perf_counter() - started
    file_mb = path.stat().st_size / 2**20
    migrate.upgrade(url)
    app = create_app({"database_url": url})
    warm = folder / "warm.jsonld"
    warm.write_text(json.dumps(SMALL_FEED), encoding="utf-8")
    imported(app, warm)  # modules, pool and caches are the baseline
    baseline, peak_before = current_rss_mb(), peak_rss_mb()

    samples: list = []
    started = time.perf_counter()
    report = imported(app, path, samples, every=max(reviews // 10, 1))
    seconds = time.perf_counter() - started
    peak = peak_rss_mb()
    if report.records != reviews or report.created != reviews:
        raise SystemExit(f"expected {reviews} reviews created, got {report}")
    old = json_load_growth_mb(path)
    growth = peak - baseline
    return {
        "dialect": app.extensions["db"].engine.dialect.name,
        "size_mb": size_mb,
        "file_mb": round(file_mb, 1),
        "reviews": reviews,
        "generate_seconds": round(generated, 1),
        "seconds": round(seconds, 1),
        "reviews_per_second": round(reviews / seconds) if seconds else None,
        "baseline_rss_mb": round(baseline, 1),
        "peak_rss_before_mb": round(peak_before, 1),
        "peak_rss_mb": round(peak, 1),
        "growth_mb": round(growth, 1),
        "growth_per_file_mb": round(growth / file_mb, 3),
        "target": f"growth < {TARGET_GROWTH_MB} MB",
        "met": growth < TARGET_GROWTH_MB,
        "json_load": old,
        "samples": samples,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench.import_memory " + " ".join(sys.argv[1:]),
        "pid": os.getpid(),
    }


def markdown(result: dict) -> str:
    shape = " · ".join(
        f"{s['phase']} {s['records']:,}: {s['rss_mb']:.0f}" for s in result["samples"]
    )
    old = result["json_load"]
    return "\n".join(
        [
            f"# Import memory: ClaimReview, {result['dialect']}, {result['file_mb']:,} MiB "
            f"({result['started_at']})",
            "",
            f"`{result['command']}`",
            "",
            f"A DataFeed of {result['reviews']:,} reviews imported through "
            "`service.exchange.imports.import_file` in one process, as a dry run: every review "
            "checked, then stored and flushed, then rolled back.",
            "",
            "| figure | value |",
            "|---|---|",
            f"| baseline RSS (app built, a small feed imported) | {result['baseline_rss_mb']} MB |",
            f"| peak RSS over the import | {result['peak_rss_mb']} MB |",
            f"| **growth over the baseline** | **{result['growth_mb']} MB** "
            f"(target: < {TARGET_GROWTH_MB} MB: {'met' if result['met'] else 'NOT met'}) |",
            f"| growth per MiB of file | {result['growth_per_file_mb']} |",
            f"| time | {result['seconds']} s ({result['reviews_per_second']:,} reviews/s) |",
            f"| same file, `json.load` in a fresh interpreter (the old reader's first step) | "
            f"{old['baseline_rss_mb']} → peak {old['peak_rss_mb']} MB: "
            f"**+{old['growth_mb']} MB** |",
            "",
            f"RSS in MB after each tenth of the records, by phase: {shape}.",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=100.0)
    parser.add_argument(
        "--database-url",
        help="A PostgreSQL database to create, use and drop (default: SQLite, temporary).",
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="Where to write results.")
    args = parser.parse_args(argv)
    made = created_database(args.database_url) if args.database_url else False
    try:
        with tempfile.TemporaryDirectory(prefix="import-memory-") as folder:
            result = measure(args.database_url, args.size_mb, Path(folder))
    finally:
        if made:
            drop_database(args.database_url)
    args.results.mkdir(parents=True, exist_ok=True)
    stem = args.results / f"import-memory-{result['dialect']}-{round(args.size_mb)}mb"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()
