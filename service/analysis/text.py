"""Unicode steps every analyser shares: normalising, splitting into words, folding."""

import functools
import re
import unicodedata

# Longer runs are not words (hashes, base64, long digit strings). PostgreSQL refuses lexemes
# over 2047 bytes; dropping them here keeps both databases alike, and 200 characters of at
# most 4 UTF-8 bytes each stay well under that limit.
MAX_WORD = 200

ZWNJ, ZWJ, TATWEEL = "\u200c", "\u200d", "\u0640"
# Invisible inside a word (soft hyphen, word joiner, byte-order mark): removed, so that
# "infor\u00admation" stays one word. Other format characters (bidi marks, zero-width
# space) separate words, as they do on screen.
_INVISIBLE = re.compile("[\u00ad\u2060\ufeff]")

# Marks that are accents over a letter of any script (the generic combining blocks, Cyrillic
# titlo, Hebrew points, Arabic harakat): folded away. Other marks are the vowel signs and
# viramas of Indic and South-East Asian scripts, which carry the word (Hindi कम "less",
# काम "work"), so they stay.
_DIACRITICS = (
    (0x0300, 0x036F),
    (0x0483, 0x0489),
    (0x0591, 0x05C7),
    (0x0610, 0x061A),
    (0x064B, 0x065F),
    (0x0670, 0x0670),
    (0x06D6, 0x06ED),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE00, 0xFE0F),
    (0xFE20, 0xFE2F),
    (0xE0100, 0xE01EF),
)
# Letters that no Unicode decomposition takes apart but that people type without their
# stroke or as two letters; the same choices as PostgreSQL's unaccent rules.
_LETTERS = {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ı": "i", "œ": "oe", "æ": "ae"}
# й is its own key on every Cyrillic keyboard; folding it to и would merge край and краи.
_KEEP = frozenset("й")


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The word pattern for text, and the pattern a finished term must match."""
    marks: list[list[int]] = []
    # Every combining mark Unicode has assigned lives in planes 0, 1 and 14; scanning only
    # those keeps this first call near 20 ms instead of 300.
    for plane in (0, 1, 14):
        for code in range(plane << 16, (plane + 1) << 16):
            if unicodedata.category(chr(code))[0] == "M":
                if marks and marks[-1][1] == code - 1:
                    marks[-1][1] = code
                else:
                    marks.append([code, code])
    inner = "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in marks)
    # A word starts with a letter or digit; marks and joiners only continue one. prepare()
    # turns "_" into a space, so \w means letters and digits in the first pattern.
    word = re.compile(rf"\w[\w{inner}{ZWNJ}{ZWJ}]*")
    return word, re.compile(rf"[^\W_](?:[^\W_]|[{inner}])*")


def prepare(text: str, *, turkic: bool = False) -> str:
    """Text in compatibility form, case-folded, with word-internal invisibles removed."""
    text = unicodedata.normalize("NFKC", text)
    # str.casefold turns İ into i + a combining dot; Turkish and Azeri also lower I to ı.
    text = text.replace("İ", "i")
    if turkic:
        text = text.replace("I", "ı")
    text = _INVISIBLE.sub("", text.casefold())
    # ʼ is a letter to Unicode but an apostrophe to the people who type it.
    return text.replace("\u02bc", "'").replace("_", " ")


def words(prepared: str) -> list[str]:
    """The words of prepared text, in order, without the ones too long to be words."""
    return [w for w in _patterns()[0].findall(prepared) if len(w) <= MAX_WORD]


def _is_diacritic(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _DIACRITICS)


def _fold_char(char: str) -> str:
    if char in _KEEP:
        return char
    if char in _LETTERS:
        return _LETTERS[char]
    if char in (ZWNJ, ZWJ, TATWEEL):
        return ""
    digit = unicodedata.decimal(char, None)
    if digit is not None:
        return str(digit)
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in decomposed if not _is_diacritic(c))
    return unicodedata.normalize("NFC", kept)


class _FoldTable(dict[int, str]):
    """Code point to folded text, computed the first time str.translate asks for it."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD = _FoldTable()


def fold(word: str) -> list[str]:
    """`word` without accents, with ASCII digits: one term, or none if nothing is left.

    Runs after stemming, because Snowball stemmers read accents (French é, German ä).
    """
    if not word.isascii():
        word = word.translate(_FOLD)
    if word.isalnum():
        return [word]
    # Indic vowel signs are not isalnum; anything else that slipped through splits the word.
    return _patterns()[1].findall(word)
