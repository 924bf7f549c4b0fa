"""Where a search by relevance spends its time on PostgreSQL: the bench's searches, as the app
runs them and in variants that each take one cost away. SQL only, on the raw driver.

    python -m bench.search_cost --database-url postgresql://postgres@127.0.0.1:5432/claimtrack_bench
    python -m bench.search_cost --case q_status --database-url ...

The searches are those of bench.run's `q` case, or `q_status` (seeded: the same every run).
For each one, in turn (the variants' order rotates from one search to the next, so that none
always finds the pages the one before it read):
- `app`: bench/search_sql.py's SQL, the app's: every match ranked with ts_rank, one page;
- `tsquery parameter`: the same with the query bound as a tsquery instead of text cast to
  one: parsed once in a prepared statement's generic plan, where the app's is parsed again
  for every row (psycopg prepares a statement it has run five times). The variants below
  bind it so too;
- `unranked`: every match collected, none ranked, a page by id: matching and reading the rows,
  without reading their vectors or ranking them;
- `one analyser`: the app's SQL with the query analysed under its own language only: one
  group of terms where the app makes one per analyser present (what the other groups cost;
  it finds only the claims in that language);
- `per analyser`: each analyser's group matched and ranked on its own, a claim's best rank
  kept (UNION ALL, GROUP BY): the same claims as the app, ranked by one group at a time;
- `newest N`: ts_rank over the newest N matches only, a bounded candidate set (it answers
  differently: relevance among recent claims).
Also the number of matches of each search, the figures by breadth (matches), and EXPLAIN
(ANALYZE, BUFFERS) of the slowest search as the app runs it. Writes
bench/results/search-cost-<case>-<size>.json and .md; absolute times move with the
machine's load: compare variants within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from bench import latency, search_sql
from bench.database import Target, loaded_state
from bench.measure import percentiles, time_sql
from service.analysis import analyser_for
from service.search import parse, query_groups, tsquery_text

RESULTS = Path(__file__).resolve().parent / "results"
BREADTHS = ((0, 1_000), (1_000, 10_000), (10_000, 50_000), (50_000, None))
PAGE = search_sql.PAGE_ROWS
TSQUERY_CAST = re.compile(r"CAST\((%\(\w+\)s)::VARCHAR AS TSQUERY\)")


def _status(statuses: list[str]) -> str:
    return f" AND {search_sql.status_filter(statuses, 'claim_search')}" if statuses else ""


def unranked(terms: str, statuses: list[str]) -> tuple[str, dict]:
    sql = (
        "WITH matches AS MATERIALIZED (SELECT claim_search.claim_id FROM claim_search "
        "WHERE claim_search.search_vector @@ CAST(%(q)s::VARCHAR AS TSQUERY)"
        f"{_status(statuses)}) "
        f"SELECT claim_id FROM matches ORDER BY claim_id DESC LIMIT {PAGE}"
    )
    return sql, {"q": terms}


def per_analyser(groups: list, statuses: list[str]) -> tuple[str, dict]:
    """Each analyser's group matched on its own (its GIN lookups, its rows) and ranked with its
    own terms only; the ranks added up per claim as the app's one ts_rank adds them up.

    The app's query is an OR of groups, so ts_rank takes its OR branch (calc_rank_or): each
    term's weight in the document, summed, divided by the number of terms in the query. A
    group's terms ORed give the group's sum over its own count: times that count, added
    over the groups a claim matches, divided by the whole count, it is the app's rank.
    """
    total = sum(len(terms) for group in groups for terms, _ in group)
    parts, params = [], {}
    for i, group in enumerate(groups):
        words = [term for terms, excluded in group if not excluded for term in terms]
        params[f"q{i}"] = tsquery_text([group])
        params[f"r{i}"] = " | ".join(f"'{term}'" for term in words)
        parts.append(
            f"SELECT claim_id, ts_rank(search_vector, CAST(%(r{i})s::VARCHAR AS TSQUERY)) "
            f"* {len(words)} AS rank "
            f"FROM claim_search WHERE search_vector @@ CAST(%(q{i})s::VARCHAR AS TSQUERY)"
            f"{_status(statuses)}"
        )
    sql = (
        f"SELECT claim_id, sum(rank) / {total} AS rank FROM ({' UNION ALL '.join(parts)}) "
        f"AS ranked GROUP BY claim_id ORDER BY rank DESC, claim_id DESC LIMIT {PAGE}"
    )
    return sql, params


def newest(terms: str, cap: int, statuses: list[str]) -> tuple[str, dict]:
    sql = (
        "SELECT claim_id, CAST(ts_rank(search_vector, CAST(%(q)s::VARCHAR AS TSQUERY)) "
        "AS DOUBLE PRECISION) AS rank FROM ("
        "SELECT claim_search.claim_id, claim_search.search_vector FROM claim_search "
        "WHERE claim_search.search_vector @@ CAST(%(q)s::VARCHAR AS TSQUERY)"
        f"{_status(statuses)} "
        f"ORDER BY claim_search.claim_id DESC LIMIT {int(cap)}) AS newest "
        f"ORDER BY rank DESC, claim_id DESC LIMIT {PAGE}"
    )
    return sql, {"q": terms}


def matches(connection, terms: str, statuses: list[str]) -> int:
    sql = (
        "SELECT count(*) FROM claim_search "
        f"WHERE search_vector @@ CAST(%(q)s::VARCHAR AS TSQUERY){_status(statuses)}"
    )
    return connection.execute(sql, {"q": terms}).fetchone()[0]


def variants(params: dict, language: str, analysers: set[str], cap: int) -> dict:
    query = params["q"]
    statuses = [params["status"]] if "status" in params else []
    terms = search_sql.search_terms("postgresql", query, analysers)
    own = {analyser_for(language).id}

    def app(analysers: set[str]) -> tuple[str, dict]:
        if statuses:
            return search_sql.q_status("postgresql", query, statuses[0], analysers)
        return search_sql.q("postgresql", query, analysers)

    return {
        "app": app(analysers),
        "tsquery parameter": typed(*app(analysers)),
        "unranked": typed(*unranked(terms, statuses)),
        "one analyser": typed(*app(own)),
        "per analyser": typed(*per_analyser(query_groups(parse(query), analysers), statuses)),
        f"newest {cap:,}": typed(*newest(terms, cap, statuses)),
    }


def typed(sql: str, params: dict) -> tuple[str, dict]:
    """The statement with its query bound as a tsquery rather than cast from text.

    A prepared statement's generic plan keeps `CAST($1::VARCHAR AS TSQUERY)` where it is used
    (the one-row subquery in FROM is pulled up into ts_rank and @@), and parses the literal
    again for every row; a parameter of type tsquery is parsed once, when it is bound.
    """
    return TSQUERY_CAST.sub(r"\1::TSQUERY", sql), params


def explain(connection, sql: str, params: dict) -> str:
    rows = connection.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params).fetchall()
    return "\n".join(row[0] for row in rows)


def measure(target: Target, case_name: str, count: int, cap: int) -> dict:
    case = next(case for case in latency.CASES if case.name == case_name)
    languages, requests = latency.case_requests(case, count)
    queries = [params["q"] for params in requests]
    with closing(target.connect()) as connection:
        analysers = latency.search_analysers(connection)
        plans = [
            variants(params, lang, analysers, cap)
            for params, lang in zip(requests, languages, strict=True)
        ]
        names = list(plans[0])
        found = [
            matches(
                connection,
                search_sql.search_terms("postgresql", params["q"], analysers),
                [params["status"]] if "status" in params else [],
            )
            for params in requests
        ]
        for plan in plans:  # warm-up, and psycopg prepares what it has run five times
            for sql, params in plan.values():
                time_sql(connection, sql, params)
        seconds: dict[str, list[float]] = {name: [] for name in names}
        for index, plan in enumerate(plans):
            turn = index % len(names)
            for name in names[turn:] + names[:turn]:
                seconds[name].append(time_sql(connection, *plan[name]))
        slowest = max(range(count), key=lambda i: seconds["app"][i])
        plan_text = explain(connection, *plans[slowest]["app"])
    by_breadth = {}
    for low, high in BREADTHS:
        mine = [i for i, n in enumerate(found) if n >= low and (high is None or n < high)]
        if len(mine) < 2:
            continue
        label = f"{low:,}–{high:,}" if high else f"≥ {low:,}"
        by_breadth[label] = {
            "searches": len(mine),
            **{name: percentiles([seconds[name][i] for i in mine]) for name in names},
        }
    return {
        "started_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "case": case_name,
        "searches": count,
        "analysers": sorted(analysers),
        "matches": {
            "median": statistics.median(found),
            "p95": statistics.quantiles(found, n=20)[-1],
            "max": max(found),
        },
        "variants": {name: percentiles(values) for name, values in seconds.items()},
        "by_breadth": by_breadth,
        "slowest": {
            "query": queries[slowest],
            "language": languages[slowest],
            "matches": found[slowest],
            "ms": {name: round(seconds[name][slowest] * 1000, 1) for name in names},
            "explain": plan_text,
        },
        "per_search": [
            {"query": q, "language": lang, "matches": n}
            | {name: round(seconds[name][i] * 1000, 2) for name in names}
            for i, (q, lang, n) in enumerate(zip(queries, languages, found, strict=True))
        ],
    }


def markdown(result: dict) -> str:
    names = list(result["variants"])
    ms = lambda f: f"{f['p50_ms']:.1f} · {f['p95_ms']:.1f}"  # noqa: E731
    lines = [
        f"# Where `{result['case']}` spends its time, PostgreSQL, {result['size']:,} claims "
        f"({result['started_at']})",
        "",
        f"`{result['command']}` — {result['searches']} searches (bench.run's "
        f"`{result['case']}` case), SQL on the driver, ms p50 · p95. "
        f"Analysers present: {' '.join(result['analysers'])}. "
        f"Matches per search: median {result['matches']['median']:,}, p95 "
        f"{result['matches']['p95']:,.0f}, max {result['matches']['max']:,}.",
        "",
        "| searches | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
        f"| all {result['searches']} | "
        + " | ".join(ms(result["variants"][n]) for n in names)
        + " |",
    ]
    for label, figures in result["by_breadth"].items():
        lines.append(
            f"| {figures['searches']} matching {label} | "
            + " | ".join(ms(figures[n]) for n in names)
            + " |"
        )
    slowest = result["slowest"]
    lines += [
        "",
        f"Slowest as the app runs it: `{slowest['query']}` ({slowest['language']}, "
        f"{slowest['matches']:,} matches): "
        + ", ".join(f"{name} {value} ms" for name, value in slowest["ms"].items()),
        "",
        "```",
        slowest["explain"],
        "```",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--case", choices=("q", "q_status"), default="q")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--cap", type=int, default=5_000, help="the bounded candidate set")
    parser.add_argument("--results-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")
    target = Target.from_url(args.database_url)
    if target.dialect != "postgresql":
        parser.error("PostgreSQL only: this takes apart its plans")
    size = (loaded_state(target) or (0, 0))[0]
    result = {
        "size": size,
        "command": "python -m bench.search_cost "
        + " ".join(sys.argv[1:] if argv is None else argv),
    } | measure(target, args.case, args.queries, args.cap)
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stem = args.results_dir / f"search-cost-{args.case.replace('_', '-')}-{size}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    stem.with_suffix(".md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()
