"""Terms are non-empty runs of letters and digits, whatever the input."""

import unicodedata

import pytest

from service.analysis import ANALYSERS, query_terms
from service.analysis.text import MAX_WORD, fold

pytestmark = pytest.mark.pure  # no database

NASTY = [
    "",
    "   \t\n",
    "😀👍🏽👨‍👩‍👧 🇫🇷",
    "a\u200db\u200cc \u200d\u200c",
    "\u0301\u0308\u064b\u0670 \u093e\u094d",  # combining marks with nothing to sit on
    "\u200f\u202eevil\u202c\u2066x\u2069 \u200e",
    "\x01\x07\x1b[31mred\x7f\x9f",
    "x" * 10_000,
    "é" * 10_000 + " ok",
    "ـــ ــ",  # tatweel alone
    "snake_case kebab-case l'élision ½ ² Ⅻ ① ﷺ ﻻ",
    "ﬃ ǅ Å ẞ ß İI ı ŉ",
    "１２３ ٤٥٦ ۷۸۹ ४५६",
    "\ufeffbom\u00adsoft\u2060joiner",
    "𝐁𝐨𝐥𝐝 𝔉𝔯𝔞𝔨𝔱𝔲𝔯",
    "الـسـودان وَالْقُنْصُلِيَّة",
    "हिन्दी তামিল தமிழ் ไทย",
]


def is_term(term: str) -> bool:
    """A letter or digit, then letters, digits and the marks Indic scripts write words with."""
    return (
        term[:1].isalnum()
        and "_" not in term
        and all(c.isalnum() or unicodedata.category(c)[0] == "M" for c in term)
    )


@pytest.mark.parametrize("analyser", ANALYSERS, ids=lambda a: a.id)
@pytest.mark.parametrize("text", NASTY)
def test_terms_are_nonempty_letters_and_digits(analyser, text):
    for term in analyser.terms(text) + query_terms(text, analyser):
        assert is_term(term), repr(term)
        assert len(term) <= MAX_WORD


def test_only_indic_style_marks_stay_in_terms():
    marks = {
        c
        for a in ANALYSERS
        for text in NASTY
        for term in a.terms(text)
        for c in term
        if not c.isalnum()
    }
    assert marks and all(0x0900 <= ord(c) <= 0x0DFF for c in marks), marks


@pytest.mark.parametrize(
    ("word", "folded"),
    [
        ("café", "cafe"),
        ("ärzte", "arzte"),
        ("ёлка", "елка"),
        ("łódź", "lodz"),
        ("søren", "soren"),
        ("œil", "oeil"),
        ("æble", "aeble"),
        ("ıstanbul", "istanbul"),
        ("đakovo", "dakovo"),
        ("край", "край"),  # й is a letter of its own
        ("αθήνα", "αθηνα"),
        ("שָׁלוֹם", "שלום"),  # Hebrew points
        ("سـودان", "سودان"),  # tatweel
        ("می\u200cروند", "میروند"),  # the zero-width non-joiner, once the stemmer has read it
        ("٢٠٢٤", "2024"),
        ("२०२४", "2024"),
        ("काम", "काम"),  # the vowel sign is the word's
        ("hello", "hello"),
    ],
)
def test_fold(word, folded):
    assert fold(word) == [folded]


def test_fold_leaves_nothing_of_marks_alone():
    assert fold("ـ") == []
