"""Claim matching: the stored claims that say what a text says, whatever its wording.

A text (a tweet, a headline, a paragraph, a new claim) is analysed as search analyses it
(service/analysis), into terms behind their analyser's id, and matched in three bounded
steps, the same on PostgreSQL and SQLite:

1. Each distinct term's document frequency, counted through the full-text index up to
   DF_CAP (a term in more claims than that is "common": its exact count costs a scan and
   changes nothing that matters). On PostgreSQL, a term its own statistics (pg_stats of
   claim_search) put in twice DF_CAP claims or more is common without counting.
2. Candidates: the claims holding the rarest terms, taken rarest first while their counts
   add up to CANDIDATE_POOL at most, ranked by the summed weight (idf) of the rare terms each
   holds; the best MAX_CANDIDATES are kept. Keyword search ANDs its words, which finds
   nothing for a tweet; this ORs them, but never reads more than the pool. When every term
   is common, the claims holding the rarest few together; with PostgreSQL's statistics, the
   claims holding the rarest 6 together, then 3, 2, 1, each read bounded (_held_together).
3. Scoring, in Python, of those candidates' stored terms (claim text, summary, quotes,
   evidence titles and summaries, review headlines: service/indexing.py) with BM25 over
   every term of the text. The score shown is that BM25 divided by the text's BM25 against
   itself, at most 1: how much of what the text says the claim says too.

So the databases only find and count; the ranking is computed here from what they return,
and both give the same scores where PostgreSQL's statistics show no common term (small
archives; at a million claims they choose other candidates, far cheaper to read).
bench/claim_matching.py measured the choices (README: "Claim matching"): BM25 over these
terms with English stop words dropped from the text, and @handles and #hashtags split at
their capitals; trigram similarity, word pairs and numbers did not help on CheckThat! 2020
and are not used.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Row, func, select
from sqlalchemy import text as sql

from service.analysis import Analyser, analyser_for
from service.analysis.analysers import ANALYSERS
from service.claims.models import Claim
from service.indexing import present_analysers
from service.languages.codes import UNDETERMINED
from service.languages.detection import detect, guesses
from service.search import PREFIX_END

# BM25's constants, as Lucene and Robertson set them; the others tried on the training split
# did no better (README, "Claim matching").
K1, B = 1.2, 0.75
DF_CAP = 2_000  # terms counted up to this many claims
COMMON_TOGETHER = 3  # when every term is common, candidates hold the rarest 3 (else 2) together
CANDIDATE_POOL = 1_000  # claims read for candidates, at most (plus one term's DF_CAP)
MAX_CANDIDATES = 200  # candidates scored in Python
FTS_TABLE = "claim_fts"  # SQLite's index of claims (made by the migrations)
MAX_TERMS = 64  # distinct terms of a text looked up, per analyser, in order of appearance

URL = re.compile(r"https?://\S+|\bpic\.twitter\.com/\S+|\bwww\.\S+", re.IGNORECASE)
# @JoeBiden, #PedoGate: the words a handle or hashtag runs together.
HANDLE = re.compile(r"[#@](\w+)")
CAPITAL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")


@dataclass(frozen=True)
class Match:
    claim_id: int
    score: float  # 0..1


def prepared(text: str) -> str:
    """The text without links, with handles and hashtags split into their words."""
    text = URL.sub(" ", text)
    return HANDLE.sub(lambda m: " " + CAPITAL.sub(" ", m.group(1)) + " ", text)


def analysers_for(connection: Connection, text: str, language: str | None) -> list[Analyser]:
    """The language given; else the one detected, if the archive holds its terms; else the
    likely ones (below); else every analyser whose terms the archive holds, as a search
    without a language does."""
    present = present_analysers(connection)
    if language == UNDETERMINED:
        language = None
    if language is None:
        detected = detect(text)
        if detected != UNDETERMINED and analyser_for(detected).id in present:
            language = detected
    if language is not None:
        return [analyser_for(language)]
    likely = {analyser.id: analyser for analyser in map(analyser_for, _likely_languages(text))}
    if likely and next(iter(likely)) in present:
        return [analyser for analyser_id, analyser in likely.items() if analyser_id in present]
    return [analyser for analyser in ANALYSERS if analyser.id in present]


# A text detection cannot name a language for (its best guess under MIN_SCORE, 0.7) but
# whose best guess has at least LIKELY_SCORE, and is held by the archive, is matched in
# that language and in the other guesses held that have LIKELY_SHARE of its probability.
# 15 of the 17 CheckThat! dev tweets of no detected language are English at 0.51-0.70
# (capitals, handles, links); each was looked up under all 7 analysers of the generated
# archive, 100-200 terms: 77-175 ms at a million claims.
LIKELY_SCORE = 0.5
LIKELY_SHARE = 0.5


def _likely_languages(text: str) -> list[str]:
    found = guesses(text)
    if not found or found[0][1] < LIKELY_SCORE:
        return []
    best = found[0][1]
    return list(dict.fromkeys(code for code, score in found if score >= LIKELY_SHARE * best))


def text_terms(text: str, analysers: Sequence[Analyser]) -> tuple[list[str], float]:
    """The text's prefixed terms under each analyser, without stop words, in order; and its
    length in terms, stop words included, as the index would store it."""
    terms, length = [], 0
    for analyser in analysers:
        prefix = f"{analyser.id}{PREFIX_END}"
        for word in analyser.words(prepared(text)):
            analysed = analyser.terms(word)
            length += len(analysed)
            if word not in analyser.stop_words:
                terms += [prefix + term for term in analysed]
    return terms, length / max(len(analysers), 1)


@dataclass(frozen=True)
class Query:
    """A text as matching reads it: its terms (counted), their idf, and its length."""

    terms: list[str]  # in order, stop words dropped
    counts: Counter[str]
    idf: dict[str, float]
    length: float
    itself: float  # the text's BM25 against itself, as if stored: the best a claim scores


@dataclass(frozen=True)
class Candidate:
    claim_id: int
    bm25: float  # BM25 over its index terms, divided by the text's against itself, at most 1


def match(
    connection: Connection,
    text: str,
    *,
    language: str | None = None,
    limit: int = 10,
    exclude: Collection[int] = (),
) -> list[Match]:
    """The claims that best match `text`, best first, without the ids in `exclude`."""
    found = candidates(connection, text, language=language, exclude=exclude)
    if found is None:
        return []
    _, ranked = found
    return [Match(candidate.claim_id, candidate.bm25) for candidate in ranked[:limit]]


def _lookup(connection: Connection, statement: str, parameters: dict) -> Sequence[Row]:
    """The rows of one of the PostgreSQL statements below, which look many terms up at once.
    They run without JIT compiling, as every statement of the app (service/engine.py NO_JIT):
    compiling took 30 ms of a 35 ms lookup of 20 terms at a million claims."""
    return connection.execute(sql(statement), parameters).all()


def candidates(
    connection: Connection,
    text: str,
    *,
    language: str | None = None,
    exclude: Collection[int] = (),
) -> tuple[Query, list[Candidate]] | None:
    """The analysed text, and every candidate that scores, best first (None: nothing to
    match). bench/rerank_experiment.py reads these to try re-rankers over them."""
    terms, length = text_terms(text, analysers_for(connection, text, language))
    if not terms:
        return None
    looked_up = _bounded(Counter(terms))
    # Only the terms looked up count: one left out has no frequency to weigh it by.
    kept = set(looked_up)
    terms = [term for term in terms if term in kept]
    counts = Counter(terms)
    frequencies = _document_frequencies(connection, looked_up)
    claims = _claim_count(connection)
    idf = {term: _idf(claims, frequencies.get(term, 0)) for term in counts}
    pool = _candidates(connection, looked_up, frequencies, idf, exclude)
    if not pool:
        return None
    documents = _stored_terms(connection, pool)
    if not documents:
        return None
    lengths = {claim_id: len(stored) for claim_id, stored in documents.items()}
    # The candidates' mean length stands for the archive's: the newest 1,000 claims' mean
    # gave 0.002 more MAP@5 on train, and reading their terms cost 25-40 ms on PostgreSQL.
    average = sum(lengths.values()) / len(lengths)
    # The text against itself, as if stored: the best a claim could score.
    itself = _bm25(counts, counts, idf, length, average) or 1.0
    query = Query(terms, counts, idf, length, itself)
    ranked = []
    for claim_id, stored in documents.items():
        score = _bm25(counts, Counter(stored), idf, lengths[claim_id], average)
        if score > 0:
            ranked.append(Candidate(claim_id, round(min(1.0, score / itself), 6)))
    # Equal scores: the older claim first, the one a later copy most likely repeats.
    ranked.sort(key=lambda candidate: (-candidate.bm25, candidate.claim_id))
    return query, ranked


def _bounded(counts: Counter[str]) -> list[str]:
    """At most MAX_TERMS distinct terms per analyser, in order of appearance."""
    kept: list[str] = []
    per_analyser: Counter[str] = Counter()
    for term in counts:
        analyser_id = term.partition(PREFIX_END)[0]
        if per_analyser[analyser_id] < MAX_TERMS:
            per_analyser[analyser_id] += 1
            kept.append(term)
    return kept


def _idf(claims: int, frequency: int) -> float:
    return math.log(1 + (claims - frequency + 0.5) / (frequency + 0.5))


def _bm25(
    query: Counter[str], stored: Counter[str], idf: dict[str, float], length: float, average: float
) -> float:
    normalised = K1 * (1 - B + B * length / average)
    score = 0.0
    for term in query:
        found = stored.get(term, 0)
        if found:
            score += idf[term] * found * (K1 + 1) / (found + normalised)
    return score


def _term_select(dialect: str, index: int, extra: str = "") -> str:
    """SQLite: SQL selecting `id` (and `extra`) of the claims whose index holds the term
    bound as `t{index}` (see _term_parameters). Plain SQL: a match reads up to 64 of these,
    and building them as SQLAlchemy statements cost a third of its time."""
    assert dialect == "sqlite", "PostgreSQL looks terms up in one statement (below)"
    return f"SELECT rowid AS id{extra} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :t{index}"


def _term_parameters(dialect: str, terms: Sequence[str | tuple[str, ...]]) -> dict[str, str]:
    """Each term, or group of terms all held, as its database's query, bound (terms are
    letters and digits)."""
    quote, both = ("'", " & ") if dialect == "postgresql" else ('"', " AND ")
    return {
        f"t{index}": both.join(f"{quote}{term}{quote}" for term in _group(group))
        for index, group in enumerate(terms)
    }


def _group(terms: str | tuple[str, ...]) -> tuple[str, ...]:
    return (terms,) if isinstance(terms, str) else terms


# PostgreSQL: one statement for any number of terms, each looked up by a subquery that runs
# once per term. A UNION of a subquery per term made PostgreSQL plan each of them over the 15
# partitions of claim_search, which took as long as running them.
POSTGRESQL_FREQUENCIES = (
    "SELECT t.i - 1, (SELECT count(*) FROM (SELECT 1 FROM claim_search "
    "WHERE search_vector @@ t.q LIMIT :cap) AS found) "
    "FROM unnest(CAST(:terms AS tsquery[])) WITH ORDINALITY AS t(q, i)"
)
POSTGRESQL_CANDIDATES = (
    "SELECT found.id, t.i - 1 FROM unnest(CAST(:terms AS tsquery[])) WITH ORDINALITY AS t(q, i) "
    "CROSS JOIN LATERAL (SELECT claim_id AS id FROM claim_search WHERE search_vector @@ t.q "
    "ORDER BY claim_id DESC LIMIT :cap) AS found"
)

POSTGRESQL_GROUP = (
    "SELECT claim_id, 0 FROM claim_search WHERE search_vector @@ CAST(:q AS tsquery) "
    "ORDER BY claim_id DESC LIMIT :cap"
)


def _document_frequencies(connection: Connection, terms: list[str]) -> dict[str, int]:
    """How many claims hold each term, counted up to DF_CAP, in one statement; on
    PostgreSQL, a term its statistics show in many more claims than that is not counted."""
    if not terms:
        return {}
    dialect = connection.dialect.name
    if dialect == "postgresql":
        common = term_statistics(connection).common
        frequencies = {term: DF_CAP for term in terms if term in common}
        counted = [term for term in terms if term not in common]
        if counted:
            queries = list(_term_parameters(dialect, counted).values())
            rows = _lookup(connection, POSTGRESQL_FREQUENCIES, {"terms": queries, "cap": DF_CAP})
            frequencies |= {counted[index]: found for index, found in rows}
        return frequencies
    selects = [
        f"SELECT {index} AS term, count(*) AS claims "
        f"FROM ({_term_select(dialect, index)} LIMIT {DF_CAP}) AS found{index}"
        for index in range(len(terms))
    ]
    rows = _sqlite_union(connection, selects, _term_parameters(dialect, terms))
    return {terms[index]: found for index, found in rows}


# PostgreSQL's own statistics of claim_search's vectors (ANALYZE, by autovacuum too) list the
# 10,000 most common terms of each status partition (set by the migrations) and the share of its
# rows holding each. A term they put in at least STATISTICS_MARGIN times DF_CAP claims is
# common without counting it: counting meant visiting DF_CAP rows of the table (a kB each)
# for every common term of a text. The margin is for the statistics' drift: they are a
# sample, taken at the last ANALYZE. Where they are absent or show no term that common (a
# small archive, the tests), every term is counted, as on SQLite, and the scores are equal.
STATISTICS_MARGIN = 2
STATISTICS_LIFETIME = 300.0  # seconds a process keeps the statistics it read
POSTGRESQL_TERM_STATISTICS = (
    "SELECT e.term, sum(e.share * c.reltuples * (1 - s.null_frac)) "
    "FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid "
    "JOIN pg_namespace AS n ON n.oid = c.relnamespace "
    "JOIN pg_stats AS s ON s.schemaname = n.nspname AND s.tablename = c.relname "
    "CROSS JOIN LATERAL unnest(CAST(CAST(s.most_common_elems AS text) AS text[]), "
    "s.most_common_elem_freqs) AS e(term, share) "
    "WHERE i.inhparent = CAST('claim_search' AS regclass) AND s.attname = 'search_vector' "
    "AND NOT s.inherited AND c.reltuples > 0 AND e.term IS NOT NULL GROUP BY e.term "
    "HAVING sum(e.share * c.reltuples * (1 - s.null_frac)) >= :least"
)


@dataclass(frozen=True)
class TermStatistics:
    """How many claims PostgreSQL's statistics put each term they list in (summed over the
    partitions that list it: never more than they show), DF_CAP / 2 or more, and the common
    ones."""

    claims: dict[str, float]
    common: frozenset[str]


NO_STATISTICS = TermStatistics({}, frozenset())
_statistics: dict[str, tuple[float, TermStatistics]] = {}  # by database: (read at, them)


def term_statistics(connection: Connection) -> TermStatistics:
    """The statistics of claim_search's terms (none on SQLite), read at most once per
    STATISTICS_LIFETIME by a process."""
    if connection.dialect.name != "postgresql":
        return NO_STATISTICS
    key = connection.engine.url.render_as_string(hide_password=True)
    now = time.monotonic()
    cached = _statistics.get(key)
    if cached is not None and now - cached[0] < STATISTICS_LIFETIME:
        return cached[1]
    # Only the terms near DF_CAP or above matter: the others are counted anyway, and the
    # estimates only order the terms counted at DF_CAP (an archive's lists hold 150,000).
    rows = connection.execute(sql(POSTGRESQL_TERM_STATISTICS), {"least": DF_CAP / 2})
    claims = {term: found for term, found in rows}
    least = STATISTICS_MARGIN * DF_CAP
    read = TermStatistics(claims, frozenset(t for t, n in claims.items() if n >= least))
    _statistics[key] = (now, read)
    return read


def forget_statistics() -> None:
    """Read the statistics again at the next match (after an ANALYZE, in tests)."""
    _statistics.clear()


# SQLite refuses a compound SELECT of more than 500 parts (SQLITE_MAX_COMPOUND_SELECT): a
# text no language was detected for is looked up under every analyser the archive holds,
# 64 terms each, so an archive of many languages needs several statements.
SQLITE_COMPOUND = 250


def _sqlite_union(connection: Connection, selects: list[str], parameters: dict[str, str]):
    """The rows of a UNION ALL of `selects` (the i-th binds `t{i}`), in chunks SQLite takes."""
    for start in range(0, len(selects), SQLITE_COMPOUND):
        chunk = range(start, min(start + SQLITE_COMPOUND, len(selects)))
        statement = " UNION ALL ".join(selects[index] for index in chunk)
        yield from connection.execute(
            sql(statement), {f"t{index}": parameters[f"t{index}"] for index in chunk}
        )


def _claim_count(connection: Connection) -> int:
    """The archive's size for idf: the highest id, read from the index in no time (an exact
    count reads every row at a million claims); deletions make it a slight overestimate."""
    return max(connection.scalar(select(func.max(Claim.id))) or 0, 1)


def _candidates(
    connection: Connection,
    terms: list[str],
    frequencies: dict[str, int],
    idf: dict[str, float],
    exclude: Collection[int],
) -> list[int]:
    """Up to MAX_CANDIDATES ids, by the summed idf of the rarest terms they hold."""
    # Terms counted up to DF_CAP are all as common; the statistics, where they list them,
    # tell which are the rarest (else the order is alphabetical, as it is on SQLite).
    statistics = term_statistics(connection)
    estimates = statistics.claims

    def rareness(term: str) -> tuple[int, float, str]:
        found = frequencies[term]
        return found, estimates.get(term, 0.0) if found >= DF_CAP else 0.0, term

    rarest = sorted((t for t in terms if frequencies.get(t)), key=rareness)
    chosen: list[str] = []
    read = 0
    for term in rarest:
        if chosen and read + frequencies[term] > CANDIDATE_POOL:
            break
        chosen.append(term)
        read += frequencies[term]
    if not chosen:
        return []
    weights: dict[int, float] = {}
    if frequencies[chosen[0]] >= DF_CAP and statistics.common.intersection(rarest):
        weights = _held_together(connection, rarest, idf, exclude)
    elif frequencies[chosen[0]] >= DF_CAP:
        # Every term is common. The claims holding the rarest few together are far fewer
        # than those holding any one of them, and the newest of a common term's claims are
        # found only by reading all of them (PostgreSQL's bitmap scan fetches every row).
        for together in range(min(COMMON_TOGETHER, len(rarest)), 1, -1):
            weights = _holding(connection, [tuple(rarest[:together])], idf)
            if weights:
                break
    if not weights:
        weights = _holding(connection, [(term,) for term in chosen], idf)
    for claim_id in exclude:
        weights.pop(claim_id, None)
    best = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    return [claim_id for claim_id, _ in best[:MAX_CANDIDATES]]


MOST_TOGETHER = 6  # common terms looked up together, at most
ENOUGH = 50  # candidates that end the search for more: the most matches an answer holds

# Stops at :limit rows, in the order the partitions store them: a bitmap scan of PostgreSQL
# fetches the rows of every match before it can sort them by id, and the claims holding two
# or three common terms together were 40,000 of a million (250 ms) when their words go
# together ("doctors per inhabitant").
POSTGRESQL_SOME_HOLDING = (
    "SELECT claim_id FROM claim_search WHERE search_vector @@ CAST(:q AS tsquery) LIMIT :limit"
)


def _held_together(
    connection: Connection,
    rarest: list[str],
    idf: dict[str, float],
    exclude: Collection[int],
) -> dict[int, float]:
    """When every term is common by PostgreSQL's statistics: the claims holding most of
    them, each weighed by the summed idf of the terms it was found with. Up to
    MAX_CANDIDATES claims holding all of them (MOST_TOGETHER at most, the rarest first),
    then as many holding the rarest 3, 2 and 1, until there are ENOUGH: a claim that says
    what the text says holds all its words, and looking them up together reads the fewest
    rows. Reworded stored claims at a million (bench/match_latency.py, interleaved):
    6 terms found the claim among the 10 matches as often as 8 (0.835) in 13% less time,
    5 less often (0.79); filling up to 200 candidates rather than 50 took 8% more time and
    put the claim first less often (0.47 against 0.48): claims holding only the rarest 3
    outranked it."""
    sizes = {min(len(rarest), MOST_TOGETHER), *range(min(COMMON_TOGETHER, len(rarest)), 0, -1)}
    weights: dict[int, float] = {}
    for size in sorted(sizes, reverse=True):
        group = tuple(rarest[:size])
        weight = sum(idf[term] for term in group)
        parameters = {"q": _term_parameters("postgresql", [group])["t0"], "limit": MAX_CANDIDATES}
        for claim_id in connection.scalars(sql(POSTGRESQL_SOME_HOLDING), parameters):
            if claim_id not in weights and claim_id not in exclude:
                weights[claim_id] = weight
        if len(weights) >= ENOUGH:
            break
    return weights


def _holding(
    connection: Connection, groups: list[tuple[str, ...]], idf: dict[str, float]
) -> dict[int, float]:
    """The newest DF_CAP claims holding all the terms of each group, with the summed idf of
    the groups each holds."""
    dialect = connection.dialect.name
    parameters: dict = _term_parameters(dialect, groups)
    rows: Iterable[Row]
    if dialect == "postgresql" and len(groups) == 1:
        # Planned for its terms: PostgreSQL reads a common term's newest claims in id order
        # instead of collecting every one of them (it cannot tell inside POSTGRESQL_CANDIDATES).
        rows = connection.execute(sql(POSTGRESQL_GROUP), {"q": parameters["t0"], "cap": DF_CAP})
    elif dialect == "postgresql":
        parameters = {"terms": list(parameters.values()), "cap": DF_CAP}
        rows = _lookup(connection, POSTGRESQL_CANDIDATES, parameters)
    else:
        selects = [
            f"SELECT * FROM ({_term_select(dialect, index, f', {index} AS term')} "
            f"ORDER BY id DESC LIMIT {DF_CAP}) AS found{index}"
            for index in range(len(groups))
        ]
        rows = _sqlite_union(connection, selects, parameters)
    weights: defaultdict[int, float] = defaultdict(float)
    for claim_id, index in rows:
        weights[claim_id] += sum(idf[term] for term in groups[index])
    return dict(weights)


def _stored_terms(connection: Connection, ids: list[int]) -> dict[int, list[str]]:
    """The candidates' index terms, for those that matching may return."""
    # A claim merged into another is never a match: its target, which holds its records, is.
    if connection.dialect.name == "postgresql":
        # One array: 200 bound values made a statement that psycopg parsed anew each time.
        rows = connection.execute(sql(POSTGRESQL_STORED_TERMS), {"ids": ids})
    else:
        rows = connection.execute(
            select(Claim.id, Claim.search_text).where(
                Claim.id.in_(ids), Claim.merged_into_id.is_(None)
            )
        )
    return {claim_id: (terms or "").split() for claim_id, terms in rows}


POSTGRESQL_STORED_TERMS = (
    "SELECT id, search_text FROM claim WHERE id = ANY(:ids) AND merged_into_id IS NULL"
)


MAX_DUPLICATES = 5  # Link headers on a new claim, at most


def duplicates(connection: Connection, claim: Claim, threshold: float) -> list[int]:
    """The ids of the stored claims that a new claim likely repeats, best first."""
    found = match(
        connection, claim.text, language=claim.language, limit=MAX_DUPLICATES, exclude={claim.id}
    )
    return [each.claim_id for each in found if each.score >= threshold]
