"""The dictionary rules for French plurals and Spanish verb forms, word by word."""

import pytest

from service.analysis import lemmas

pytestmark = pytest.mark.pure  # no database


@pytest.mark.parametrize(
    ("word", "singular"),
    [
        ("photos", "photo"),
        ("vidéos", "vidéo"),
        ("jeux", "jeu"),
        ("mais", "mais"),  # not the plural of mai
        ("fois", "fois"),
        ("prix", "prix"),
        ("fausses", "fausses"),  # the plural of faux: Snowball's business
        ("été", "été"),  # no plural mark: never looked up as être
        ("xyzzys", "xyzzys"),  # unknown to the dictionary
    ],
)
def test_french_plural(word, singular):
    assert lemmas.french(word) == singular


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("oraron", "orar"),
        ("dijo", "decir"),
        ("murieron", "morir"),
        ("veces", "vez"),
        ("estado", "estado"),  # the lemma of estados: a headword of its own
        ("estados", "estado"),
        ("mercado", "mercado"),
        ("orar", "orar"),
        ("xyzzy", "xyzzy"),  # unknown to the dictionary
    ],
)
def test_spanish_lemma(word, lemma):
    assert lemmas.spanish(word) == lemma
