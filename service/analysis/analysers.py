"""One analyser per language: how a document's text, or a query, becomes index terms."""

import functools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

import Stemmer

from . import arabic, lemmas, stopwords
from .text import fold, prepare, words

PLAIN_ID = "x"

# ISO 639-1 code -> Snowball algorithm (PyStemmer 3 runs the stemmers PostgreSQL uses).
SNOWBALL = {
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "eo": "esperanto",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "st": "sesotho",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
# Bokmål and Nynorsk have codes of their own; Snowball's norwegian covers both.
ALIASES = {"nb": "no", "nn": "no"}


def _elision(articles: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{'|'.join(articles.split())})['‘’](?=\w)")


# Bits of words cut off at an apostrophe, before the text is split into words. Elided articles
# and pronouns, as Lucene's French, Italian and Catalan analysers list them, go with their
# apostrophe, so that l'armée meets armée and qu'il meets il.
CLITICS = {
    "fr": _elision("l m t qu n s j d c jusqu quoiqu lorsqu puisqu"),
    "it": _elision("c l all dall dell nell sull coll pell gl agl dagl degl negl sugl un m t s v d"),
    "ca": _elision("d l m n s t"),
    # The English possessive, as Lucene's EnglishPossessiveFilter drops it: Trump's meets Trump.
    "en": re.compile(r"(?<=\w)['‘’]s(?!\w)"),
    # Turkish writes a proper noun's suffixes after an apostrophe; Lucene's ApostropheFilter
    # drops them, so İstanbul'da (in Istanbul) meets İstanbul.
    "tr": re.compile(r"(?<=\w)['‘’]\w+"),
}


class _Snowball:
    """A Snowball stemmer, made on first use."""

    def __init__(self, algorithm: str) -> None:
        self.algorithm = algorithm
        # PyStemmer's objects keep state between calls and must not be used by two threads
        # at once (its documentation); gunicorn runs threads. The word cache below keeps
        # this lock off the hot path.
        self._lock = threading.Lock()
        self._stemmer: Stemmer.Stemmer | None = None

    def __call__(self, word: str) -> str:
        with self._lock:
            if self._stemmer is None:
                # No cache of its own (size 0): the word cache below covers every analyser.
                self._stemmer = Stemmer.Stemmer(self.algorithm, 0)
            return self._stemmer.stemWord(word)


def _unchanged(word: str) -> str:
    return word


def _then(first: Callable[[str], str], second: Callable[[str], str]) -> Callable[[str], str]:
    return lambda word: second(first(word))


@dataclass(frozen=True, eq=False)
class Analyser:
    """How text in one language becomes index terms."""

    id: str
    # One case-folded word to its stem or lemma; folding comes after.
    stem: Callable[[str], str] = _unchanged
    clitics: re.Pattern[str] | None = None
    # Turkish lowers I to dotless ı, and its stemmer reads the difference.
    turkic: bool = False
    stop_words: frozenset[str] = frozenset()

    def words(self, text: str) -> list[str]:
        """The case-folded words of `text`, before stemming and folding."""
        prepared = prepare(text, turkic=self.turkic)
        if self.clitics is not None:
            prepared = self.clitics.sub("", prepared)
        return words(prepared)

    def terms(self, text: str) -> list[str]:
        """The index terms of `text`, in order: positions matter to phrases."""
        return [term for word in self.words(text) for term in _terms_of(self, word)]

    def __repr__(self) -> str:
        return f"<Analyser {self.id}>"


def _terms_of(analyser: Analyser, word: str) -> tuple[str, ...]:
    """A word's terms. A number in ASCII digits is its own term in every language: no stemmer
    or dictionary changes it, and numbers (ids, years, counts) would only push the words out
    of the cache."""
    if word.isascii() and word.isdigit():
        return (word,)
    return _word_terms(analyser, word)


# Analysers are few and live as long as the process, so one bounded cache serves them all:
# news text repeats its words, and a hit skips stemming, dictionary lookups and folding.
@functools.lru_cache(maxsize=1 << 16)
def _word_terms(analyser: Analyser, word: str) -> tuple[str, ...]:
    return tuple(fold(analyser.stem(word)))


def _analysers() -> dict[str, Analyser]:
    """Every language code with an analysis of its own, to its analyser."""
    by_code = {"ar": Analyser("ar", arabic.stem)}
    for code, algorithm in SNOWBALL.items():
        stem: Callable[[str], str] = _Snowball(algorithm)
        if code == "fr":
            stem = _then(lemmas.french, stem)
        elif code == "es":
            stem = _then(lemmas.spanish, stem)
        by_code[code] = Analyser(
            code,
            stem,
            clitics=CLITICS.get(code),
            turkic=code == "tr",
            stop_words=stopwords.ENGLISH if code == "en" else frozenset(),
        )
    return by_code


PLAIN = Analyser(PLAIN_ID)
_BY_CODE = _analysers()
# Every distinct analyser, so that a query can be analysed once under each.
ANALYSERS: tuple[Analyser, ...] = (PLAIN, *sorted(_BY_CODE.values(), key=lambda a: a.id))


def load() -> None:
    """Load now what the analysers load on their first word: each Snowball stemmer, and
    simplemma's French and Spanish dictionaries (about 0.4 s here), so that no request
    pays for it (service/gunicorn_conf.py)."""
    for analyser in _BY_CODE.values():
        analyser.stem("photos")  # a plural: the French lemma looks those up


def analyser_for(language: str | None) -> Analyser:
    """The analyser for an ISO 639-1 code; the plain one for `und`, None or any other code."""
    if not language:
        return PLAIN
    code = language.strip().lower().replace("_", "-").partition("-")[0]
    return _BY_CODE.get(ALIASES.get(code, code), PLAIN)


def query_terms(text: str, analyser: Analyser) -> list[str]:
    """The terms a query word or phrase must match, consecutively, under `analyser`.

    A lone stop word gives no terms: it constrains nothing. Inside a phrase, or a word that
    splits in several (covid-19), stop words keep their place, as in documents.
    """
    found = analyser.words(text)
    if len(found) == 1 and found[0] in analyser.stop_words:
        return []
    return [term for word in found for term in _terms_of(analyser, word)]
