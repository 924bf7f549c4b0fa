"""Text analysis: per language, the queries that must find a text and the ones that must not."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from search_table import CROSS_LANGUAGE, MUST_FIND, MUST_NOT_FIND

from service.analysis import (
    ANALYSERS,
    PLAIN_ID,
    Analyser,
    analyser_for,
    query_terms,
)
from service.analysis.analysers import _word_terms
from service.analysis.text import MAX_WORD

pytestmark = pytest.mark.pure  # no database


def finds(query: str, text: str, language: str | None, text_language: str | None = None) -> bool:
    """Whether `text` holds the query's terms consecutively: how a phrase is searched.

    A query with nothing to look for finds nothing, as in service/search.py.
    """
    wanted = query_terms(query, analyser_for(language))
    have = analyser_for(text_language or language).terms(text)
    return bool(wanted) and any(
        have[i : i + len(wanted)] == wanted for i in range(len(have) - len(wanted) + 1)
    )


@pytest.mark.parametrize(("language", "query", "text"), MUST_FIND)
def test_query_finds_text(language, query, text):
    assert finds(query, text, language), (
        query_terms(query, analyser_for(language)),
        analyser_for(language).terms(text),
    )


@pytest.mark.parametrize(("language", "query", "text"), MUST_NOT_FIND)
def test_query_misses_text(language, query, text):
    assert not finds(query, text, language)


@pytest.mark.parametrize(("query_language", "text_language", "query", "text"), CROSS_LANGUAGE)
def test_analyses_differ_across_languages(query_language, text_language, query, text):
    assert finds(query, text, query_language)
    assert not finds(query, text, query_language, text_language)


def test_terms_keep_stop_words_and_positions():
    assert analyser_for("en").terms("The US will open a consulate") == [
        "the",
        "us",
        "will",
        "open",
        "a",
        "consul",
    ]


def test_words_longer_than_a_word_are_dropped():
    assert analyser_for("en").terms("a" * (MAX_WORD + 1) + " consulate") == ["consul"]


@pytest.mark.parametrize(
    ("word", "language", "terms"),
    [
        ("the", "en", []),
        ("The", "en", []),
        ("the", "fr", ["the"]),  # stop words are English only
        ("le", "fr", ["le"]),
        ("the who", "en", ["the", "who"]),  # inside a phrase, stop words keep their place
        ("don't", "en", ["don", "t"]),
        ("consulates", "en", ["consul"]),
    ],
)
def test_query_terms(word, language, terms):
    assert query_terms(word, analyser_for(language)) == terms


@pytest.mark.parametrize("language", [None, "", "und", "xx-unknown", "zh", "ja", "UND"])
def test_plain_analyser_for_unknown_languages(language):
    assert analyser_for(language) is analyser_for(None)
    assert analyser_for(language).id == PLAIN_ID


@pytest.mark.parametrize(
    ("language", "analyser_id"),
    [("fr", "fr"), ("FR", "fr"), ("fr-CA", "fr"), ("pt_BR", "pt"), ("nb", "no"), ("nn", "no")],
)
def test_analyser_for_codes(language, analyser_id):
    assert analyser_for(language).id == analyser_id
    assert analyser_for(language) is analyser_for(analyser_id)


REQUIRED = "ar de en es fr it nl pt ru tr da hi id pl".split()


def test_every_analyser_is_listed_once_with_a_letters_only_id():
    ids = [a.id for a in ANALYSERS]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch("[a-z]+", i) for i in ids)
    assert set(REQUIRED) <= set(ids)
    assert all(isinstance(a, Analyser) for a in ANALYSERS)


@pytest.mark.parametrize("analyser", ANALYSERS, ids=lambda a: a.id)
def test_every_analyser_runs(analyser):
    # A Snowball algorithm missing from the installed PyStemmer fails here, not in production.
    assert analyser.terms("Word 42") == analyser.terms("WORD 42")


@pytest.mark.parametrize("analyser", ANALYSERS, ids=lambda a: a.id)
def test_numbers_are_their_own_terms_in_every_language(analyser):
    """Years, counts and ids are found as written, and in Arabic-Indic digits too; they are
    not kept in the word cache, where an archive's numbers would push its words out."""
    _word_terms.cache_clear()
    assert analyser.terms("2020 12 007 1000000") == ["2020", "12", "007", "1000000"]
    assert _word_terms.cache_info().currsize == 0
    assert analyser.terms("٢٠٢٠") == ["2020"]


def test_analysers_can_be_shared_by_threads():
    texts = [("fr", "Des photos truquées de l'armée"), ("es", "Oraron por el Estado")] * 200
    alone = [analyser_for(language).terms(text) for language, text in texts]
    _word_terms.cache_clear()  # so that the threads reach the stemmers, not the cache
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda pair: analyser_for(pair[0]).terms(pair[1]), texts))
    assert together == alone
