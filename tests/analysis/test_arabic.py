"""The Arabic rules, word by word: normalisation, then Light10."""

import pytest

from service.analysis import analyser_for, arabic

pytestmark = pytest.mark.pure  # no database


@pytest.mark.parametrize(
    ("word", "normalised"),
    [
        ("أحمد", "احمد"),  # alef with hamza above
        ("إسلام", "اسلام"),  # alef with hamza below
        ("آمن", "امن"),  # alef with madda
        ("ٱلله", "الله"),  # alef wasla
        ("مدرسة", "مدرسه"),  # ta marbuta
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("محـــمد", "محمد"),  # tatweel
        ("مُحَمَّدٌ", "محمد"),  # tashkeel: damma, fatha, shadda, dammatan
        ("رَحْمٰن", "رحمن"),  # sukun, superscript alef
        ("٢٠٢٤", "2024"),  # Arabic-Indic digits
        ("۱۴۰۳", "1403"),  # Eastern Arabic-Indic digits
        ("سودان", "سودان"),
    ],
)
def test_arabic_normalisation(word, normalised):
    assert arabic.normalise(word) == normalised


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        # و comes off when 3 letters remain, not when 2 do.
        ("وسودان", "سود"),
        ("وزير", "زير"),
        ("ولد", "ولد"),
        # Each article, when 2 letters remain.
        ("السودان", "سود"),
        ("والسودان", "سود"),
        ("بالقنصليه", "قنصل"),
        ("كالبحر", "بحر"),
        ("فالبحر", "بحر"),
        ("للقنصليه", "قنصل"),
        ("وبالقنصليه", "قنصل"),  # و, then بال
        ("الم", "الم"),  # only one letter would remain
        ("البر", "بر"),
        # Bare prepositions stay: they begin too many words.
        ("فرنسا", "فرنسا"),
        ("بيروت", "بيروت"),
        ("كتاب", "كتاب"),
        # Each suffix, when 2 letters remain; the list is walked once, in order.
        ("كتابها", "كتاب"),
        ("سودان", "سود"),
        ("انتخابات", "انتخاب"),
        ("مسلمون", "مسلم"),
        ("مسلمين", "مسلم"),
        ("قنصليه", "قنصل"),
        ("كتابه", "كتاب"),
        ("عربي", "عرب"),
        ("كتابيها", "كتاب"),  # ها, then ي
        ("بان", "بان"),  # only one letter would remain
        ("فيديو", "فيديو"),
    ],
)
def test_arabic_light10(word, stem):
    assert arabic.light10(word) == stem


def test_arabic_analyser_normalises_before_stemming():
    assert analyser_for("ar").terms("للقنصلية القنصلية قُنْصُلِيَّة") == ["قنصل"] * 3
