"""Latency figures: search at the API against its SQL on the driver, deep page against first."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Collection
from contextlib import closing
from dataclasses import dataclass
from types import ModuleType
from urllib.parse import urlencode

from itsdangerous import URLSafeSerializer

from bench.database import Target
from bench.measure import Client, percentiles, time_sql
from bench.raw_app import iso_timestamp
from bench.vocabulary import QUERY_SHARES, Dice, Writer

CLAIMS = "/api/v1/claims"
CURSOR_SALT = "claimtrack.cursor"  # service/pagination.py signs cursors with it
# Statuses common enough to filter a broad search, and ones that carry review dates.
SEARCH_STATUSES = ("false", "in_review", "in_progress", "pending", "mostly_false")
QUEUE_STATUSES = ("pending", "in_progress", "in_review", "stalled")
QUERY_LANGUAGES = [language for language, _ in QUERY_SHARES]


@dataclass(frozen=True)
class Case:
    name: str
    label: str
    # (writer, the query's language) -> the request's parameters
    make_params: Callable[[Writer, str], dict[str, str]]
    # (search_sql module, dialect, parameters, analysers) -> (sql, params)
    make_sql: Callable[[ModuleType, str, dict[str, str], Collection[str]], tuple[str, dict]]
    searches: bool = True  # has words to look for, in a language


CASES = (
    Case(
        "q",
        "`q` (two words)",
        lambda writer, language: {"q": writer.query(language)},
        lambda sql, dialect, params, analysers: sql.q(dialect, params["q"], analysers),
    ),
    Case(
        "q_status",
        "`q` + `status`",
        lambda writer, language: {
            "q": writer.query(language),
            "status": writer.dice.pick(SEARCH_STATUSES),
        },
        lambda sql, dialect, params, analysers: sql.q_status(
            dialect, params["q"], params["status"], analysers
        ),
    ),
    Case(
        "q_newest",
        "`q` + `sort=-created_at`",
        lambda writer, language: {"q": writer.query(language), "sort": "-created_at"},
        lambda sql, dialect, params, analysers: sql.q_newest(dialect, params["q"], analysers),
    ),
    Case(
        "status_review_due",
        "`status` + `sort=review_due`",
        lambda writer, language: {
            "status": writer.dice.pick(QUEUE_STATUSES),
            "sort": "review_due",
        },
        lambda sql, dialect, params, analysers: sql.status_review_due(dialect, params["status"]),
        searches=False,
    ),
)


def search_analysers(connection) -> set[str]:
    """The analysers the index holds (service.indexing.present_analysers, on the raw driver)."""
    return {row[0] for row in connection.execute("SELECT id FROM search_analyser").fetchall()}


def unavailable(reason: str) -> dict:
    return {"status": "unavailable", "reason": reason}


def _problem(status: int, body: bytes) -> str:
    """Why the API refused: the problem's detail, or the start of the body."""
    try:
        document = json.loads(body)
        return f"{status}: {document.get('detail') or document.get('title')}"
    except ValueError:
        return f"{status}: {body[:200]!r}"


def case_requests(case: Case, count: int) -> tuple[list[str], list[dict[str, str]]]:
    """The query language and the parameters of each of a case's requests: the same in
    every run (seeded by the case's name)."""
    writer = Writer(Dice(random.Random(f"search-{case.name}")), pool_size=2_000)
    languages = [writer.dice.pick(writer.query_languages) for _ in range(count)]
    return languages, [case.make_params(writer, language) for language in languages]


def search_case(
    case: Case,
    client: Client,
    connection,
    dialect: str,
    sql_module: ModuleType,
    count: int,
    analysers: Collection[str],
) -> dict:
    """p50/p95 of `count` requests at the API and of their SQL on the driver, interleaved;
    the same per language of the query."""
    languages, requests = case_requests(case, count)
    paths = [f"{CLAIMS}?{urlencode(params)}" for params in requests]
    statements = [case.make_sql(sql_module, dialect, params, analysers) for params in requests]
    status, body, _ = client.get(paths[0])
    if status != 200:
        return unavailable(f"the API answered {_problem(status, body)}")
    try:
        for sql, params in statements:  # warm-up: both sides then meet warm caches
            time_sql(connection, sql, params)
    except Exception as error:  # the search SQL is a parameter; it may not fit the schema
        return unavailable(f"the SQL failed: {str(error).splitlines()[0]}")
    api, direct, found = [], [], []
    for index, (path, (sql, params)) in enumerate(zip(paths, statements, strict=True)):
        # Whichever goes second finds the first one's pages in the database's buffers:
        # take turns going first.
        if index % 2:
            direct.append(time_sql(connection, sql, params))
        status, body, seconds = client.get(path)
        if status != 200:
            return unavailable(f"the API answered {_problem(status, body)} to {path}")
        api.append(seconds)
        found.append(len(json.loads(body)["items"]))
        if not index % 2:
            direct.append(time_sql(connection, sql, params))
    return {
        "status": "ok",
        "requests": count,
        "mean_items": round(sum(found) / count, 1),
        "examples": paths[:3],
        "api": percentiles(api),
        "sql": percentiles(direct),
        **ratios(percentiles(api), percentiles(direct)),
        **({"by_language": by_language(languages, api, direct, found)} if case.searches else {}),
    }


def by_language(languages: list[str], api: list[float], direct: list[float], found: list[int]):
    """The figures of the searches in each language (a few each: read p95 as the slowest)."""
    figures = {}
    for language in sorted(set(languages), key=QUERY_LANGUAGES.index):
        mine = [i for i, each in enumerate(languages) if each == language]
        if len(mine) < 2:
            continue
        figures[language] = {
            "requests": len(mine),
            "found_nothing": sum(not found[i] for i in mine),
            "api": percentiles([api[i] for i in mine]),
            "sql": percentiles([direct[i] for i in mine]),
        }
    return figures


def ratios(measured: dict, baseline: dict) -> dict:
    return {
        f"ratio_{key.removesuffix('_ms')}": round(measured[key] / baseline[key], 2)
        for key in ("p50_ms", "p95_ms")
    }


def search(base_url: str, target: Target, sql_module: ModuleType, count: int) -> dict:
    client = Client(base_url)
    with closing(client), closing(target.connect()) as connection:
        if target.dialect == "postgresql":
            connection.execute("SET TIME ZONE 'UTC'")
            # As the app plans a search (service/claims/service.py): for its words, each time.
            connection.execute("SET plan_cache_mode = force_custom_plan")
            # As the app's connections run (service/engine.py, NO_JIT).
            connection.execute("SET jit = off")
        analysers = search_analysers(connection)
        results = {}
        for case in CASES:
            print(f"  search {case.name}")
            try:
                figures = search_case(
                    case, client, connection, target.dialect, sql_module, count, analysers
                )
            except Exception as error:  # one broken case must not lose the others
                figures = {"status": "error", "reason": f"{type(error).__name__}: {error}"}
            results[case.name] = {"label": case.label} | figures
        return results


def row_after(target: Target, depth: int) -> tuple[tuple, int | None]:
    """(created_at, id) of the row at `depth` in the default order, and the id after it."""
    sql = "SELECT created_at, id FROM claim ORDER BY created_at DESC, id DESC LIMIT 2 OFFSET {}"
    with closing(target.connect()) as connection:
        if target.dialect == "postgresql":
            connection.execute("SET TIME ZONE 'UTC'")
        rows = connection.execute(sql.format(depth - 1)).fetchall()
    return rows[0], rows[1][1] if len(rows) > 1 else None


def mint_cursor(first_cursor: str, secret: str, target: Target, depth: int):
    """A cursor the app would give after `depth` rows, from the shape of its first one.

    Returns (cursor, id the deep page must start with), or (None, why not).
    """
    serializer = URLSafeSerializer(secret, salt=CURSOR_SALT)
    payload = serializer.loads(first_cursor)
    if payload.get("sort") != "-created_at" or len(payload.get("after", [])) != 2:
        return None, f"the first page's cursor is not (created_at, id): {payload}"
    (created_at, claim_id), next_id = row_after(target, depth)
    payload["after"] = [iso_timestamp(created_at), claim_id]
    return serializer.dumps(payload), next_id


def deep_page(base_url: str, target: Target, secret: str, depth: int, count: int) -> dict:
    """The default list's page after `depth` rows against its first page, interleaved."""
    client = Client(base_url)
    with closing(client):
        first_path = f"{CLAIMS}?limit=20"
        status, body, _ = client.get(first_path)
        if status != 200:
            return unavailable(f"the first page: {_problem(status, body)}")
        cursor, expected = mint_cursor(json.loads(body)["next_cursor"], secret, target, depth)
        if cursor is None:
            return unavailable(expected)
        deep_path = f"{CLAIMS}?{urlencode({'limit': 20, 'cursor': cursor})}"
        status, body, _ = client.get(deep_path)
        if status != 200 or json.loads(body)["items"][0]["id"] != expected:
            return unavailable(f"the minted cursor did not lead to claim {expected}: {status}")
        first, deep = [], []
        for _ in range(count):
            first.append(client.get(first_path)[2])
            deep.append(client.get(deep_path)[2])
    return {
        "status": "ok",
        "depth": depth,
        "requests": count,
        "first": percentiles(first),
        "deep": percentiles(deep),
        **ratios(percentiles(deep), percentiles(first)),
    }
