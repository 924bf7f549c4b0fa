"""Rating labels reduced to the form they are compared in.

Case, accents, punctuation and runs of whitespace never distinguish two labels: 'Pants on Fire!'
is 'pants on fire', 'C’est plus compliqué' is 'c est plus complique'. Arabic loses its short
vowels (tashkeel), tatweel and the hamza on alef ('خطأ' and 'خطا' are one word), Persian
letters meet their Arabic twins, and a zero-width non-joiner separates words as a space does.
Marks that carry meaning in other scripts (Devanagari vowel signs, Hangul) stay.
"""

from __future__ import annotations

import re
import unicodedata

# Combining marks that are accents or vowel pointing: Latin/Greek/Cyrillic diacritics, Arabic
# tashkeel and Quranic marks, Hebrew points, and the Devanagari nukta that writers add or leave
# out (फ़र्ज़ी, फर्जी). Other combining marks spell the word itself.
_ACCENTS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    "\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u093c]"
)
# Letters NFKD leaves whole that readers treat as accented forms, and Arabic-script variants.
_LETTERS = str.maketrans(
    {
        "ł": "l",
        "ı": "i",
        "ø": "o",
        "đ": "d",
        "ħ": "h",
        "ŧ": "t",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ک": "ك",
        "ة": "ه",
        "ـ": "",  # tatweel
        "\u200c": " ",  # zero-width non-joiner
        "\u200d": "",
        "\u200f": "",
        "\u200e": "",
    }
)


def normalise(label: str) -> str:
    """The comparison form of a label: casefolded, unaccented, one space between words."""
    text = unicodedata.normalize("NFKD", label.casefold())
    text = _ACCENTS.sub("", text).translate(_LETTERS)
    text = unicodedata.normalize("NFC", text)
    words = "".join(ch if ch.isalnum() or _is_spelling_mark(ch) else " " for ch in text)
    return " ".join(words.split())


def _is_spelling_mark(ch: str) -> bool:
    # A vowel sign or virama inside a Devanagari or Gujarati word is part of the word.
    return unicodedata.category(ch) in ("Mn", "Mc")
