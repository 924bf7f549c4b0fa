"""Features for a re-ranker over matching's best candidates (bench/rerank_experiment.py).

For each of the best candidates by BM25 (service/claims/matching.py), a handful of features
compare the text with the claim's own text and its summary (in CheckThat! 2020, the Snopes
headline) one field at a time: BM25 and coverage per field, word pairs in common, numbers,
capitalised words, length. Tried, not shipped: fitted on train they moved dev MAP@5 by less
than one query's worth (bench/HISTORY.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from service.analysis import analyser_for
from service.search import PREFIX_END

if TYPE_CHECKING:
    from service.claims.matching import Candidate, Query

RERANK_DEPTH = 30  # candidates ranked again, the best by BM25


@dataclass(frozen=True)
class Fields:
    """What a re-ranker reads of a candidate claim beyond its index terms."""

    text: str
    summary: str | None
    language: str | None


FEATURES = (
    "bm25",  # over every index term, as the first step ranked by
    "bm25_share_of_best",  # against the best candidate's
    "bm25_rank",  # 1 / (1 + rank by BM25)
    "bm25_text",  # BM25 against the claim's text alone, over the query's against itself
    "bm25_summary",  # ... against its summary alone
    "query_in_text",  # the share of the query's idf that the claim's text holds
    "query_in_summary",
    "text_in_query",  # the share of the claim's text's distinct terms that the query holds
    "summary_in_query",
    "pairs_text",  # the share of the claim's text's word pairs that the query holds
    "pairs_summary",
    "numbers_found",  # the share of the claim's numbers that the query holds
    "numbers_missed",  # 1 when the claim has numbers and the query none of them
    "names_found",  # the share of the claim's capitalised words that the query holds
    "text_length",  # log(1 + terms of the claim's text)
)


def features(
    query: Query, candidates: Sequence[Candidate], fields: dict[int, Fields]
) -> list[list[float]]:
    """One row of FEATURES per candidate, in their order."""
    query_terms = set(query.counts)
    query_pairs = _pairs(query.terms)
    query_numbers = {term for term in query_terms if _number(term)}
    idf_total = sum(query.idf[term] for term in query_terms) or 1.0
    best = max(candidate.bm25 for candidate in candidates) or 1.0
    rows = []
    for rank, candidate in enumerate(candidates):
        analysed = _Analysed(fields[candidate.claim_id])
        text, summary = analysed.text, analysed.summary
        numbers = {term for term in (*text, *summary) if _number(term)}
        found_numbers = numbers & query_numbers
        names = analysed.names
        rows.append(
            [
                candidate.bm25,
                candidate.bm25 / best,
                1 / (1 + rank),
                _field_bm25(query, text),
                _field_bm25(query, summary),
                sum(query.idf[term] for term in query_terms & set(text)) / idf_total,
                sum(query.idf[term] for term in query_terms & set(summary)) / idf_total,
                _share(set(text), query_terms),
                _share(set(summary), query_terms),
                _share(_pairs(text), query_pairs),
                _share(_pairs(summary), query_pairs),
                _share(numbers, query_numbers),
                1.0 if numbers and not found_numbers else 0.0,
                _share(names, query_terms),
                math.log1p(len(text)),
            ]
        )
    return rows


class _Analysed:
    """A candidate's text and summary as terms of its language, stop words dropped."""

    def __init__(self, candidate: Fields) -> None:
        analyser = analyser_for(candidate.language)
        prefix = f"{analyser.id}{PREFIX_END}"
        self.names: set[str] = set()

        def terms(text: str | None) -> list[str]:
            found = []
            for raw in (text or "").split():
                capitalised = raw[:1].isupper()
                for word in analyser.words(raw):
                    if word in analyser.stop_words:
                        continue
                    for term in analyser.terms(word):
                        found.append(prefix + term)
                        if capitalised:
                            self.names.add(prefix + term)
            return found

        self.text = terms(candidate.text)
        self.summary = terms(candidate.summary)


# A field's length against this many terms: a claim's text or headline is a sentence.
FIELD_AVERAGE = 12.0
K1, B = 1.2, 0.75


def _field_bm25(query: Query, field: list[str]) -> float:
    if not field:
        return 0.0
    counts: dict[str, int] = {}
    for term in field:
        counts[term] = counts.get(term, 0) + 1
    normalised = K1 * (1 - B + B * len(field) / FIELD_AVERAGE)
    score = 0.0
    for term in query.counts:
        found = counts.get(term, 0)
        if found:
            score += query.idf[term] * found * (K1 + 1) / (found + normalised)
    return min(1.0, score / query.itself)


def _pairs(terms: Sequence[str]) -> set[tuple[str, str]]:
    return set(zip(terms, terms[1:], strict=False))


def _share(these: set, among: set) -> float:
    return len(these & among) / len(these) if these else 0.0


def _number(term: str) -> bool:
    return term.partition(PREFIX_END)[2].isdigit()
