"""Dictionary lemmas (simplemma) where Snowball falls short: French plurals, Spanish verbs.

Each language's dictionary loads on its first word. simplemma's stream backend keeps it
compressed in memory, decoding a small block per lookup: measured +4 MB RSS for French and
+10 MB for Spanish, against +24 MB and +82 MB for its plain dictionaries.

Lemmas are used sparingly, because a dictionary knows one lemma per form: taken whole, it
turns French été (summer) into être and fausse into fausser while fausses becomes faux, and
Spanish estado (the State) into estar, away from estados.
"""

from simplemma.strategies import DictionaryLookupStrategy
from simplemma.strategies.dictionaries import StreamDictionaryFactory

_LOOKUP = DictionaryLookupStrategy(StreamDictionaryFactory(cache_max_size=2))


def _lemma(word: str, language: str) -> str | None:
    lemma = _LOOKUP.get_lemma(word, language)
    # Some lemmas are several words or carry an apostrophe; a term is one word.
    return lemma.casefold() if lemma is not None and lemma.isalpha() else None


def french(word: str) -> str:
    """`photos` → `photo`: the plural -s or -x, when the dictionary says that is all it is.

    Snowball french keeps a final s after a vowel (photos, vidéos, euros) so that mais, pas
    and fois survive; the dictionary tells those (mais is not the plural of mai) apart.
    """
    if word[-1:] in ("s", "x") and _lemma(word, "fr") == word[:-1]:
        return word[:-1]
    return word


def spanish(word: str) -> str:
    """`oraron` → `orar`: the dictionary lemma, unless the word is a headword of its own.

    Snowball spanish leaves short verb forms (oraron) and irregular ones (dijo) apart from
    their infinitive. A word that is the lemma of its own plural (estado of estados) is a
    noun or adjective in its own right and keeps its meaning.
    """
    lemma = _lemma(word, "es")
    if lemma is None or lemma == word:
        return word
    # Spanish adds -s after a vowel, -es after a consonant.
    plural = word + ("s" if word[-1] in "aeiouáéíóú" else "es")
    return word if _lemma(plural, "es") == word else lemma
