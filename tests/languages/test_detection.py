"""A text's language, detected from its words, with `und` where there are too few to tell."""

from __future__ import annotations

import socket

import pytest

from service.languages import LANGUAGE_CODES, UNDETERMINED, detect, primary_code

pytestmark = pytest.mark.pure  # no database

# Ordinary sentences of news about the Dakhla consulate, one per language.
SENTENCES = {
    "ar": "أعلنت الولايات المتحدة أنها ستفتح قنصلية في مدينة الداخلة لتشجيع الاستثمار.",
    "da": (
        "Regeringen har besluttet, at USA skal åbne et konsulat i "
        "Dakhla, og det vil ske i løbet af næste år."
    ),
    "de": (
        "Die Vereinigten Staaten wollen in Dakhla ein Konsulat eröffnen und Investitionen fördern."
    ),
    "en": (
        "The United States will open a consulate in Dakhla to encourage investment in the region."
    ),
    "es": "Estados Unidos abrirá un consulado en Dajla para fomentar la inversión en la región.",
    "fr": "Les États-Unis vont ouvrir un consulat à Dakhla pour encourager les investissements.",
    "hi": "अमेरिका दाखला में एक वाणिज्य दूतावास खोलेगा ताकि क्षेत्र में निवेश को बढ़ावा मिले।",
    "id": (
        "Amerika Serikat akan membuka konsulat di Dakhla untuk mendorong investasi di wilayah itu."
    ),
    "it": "Gli Stati Uniti apriranno un consolato a Dakhla per incoraggiare gli investimenti.",
    "nl": (
        "De Verenigde Staten gaan een consulaat openen in Dakhla om investeringen aan te moedigen."
    ),
    "pl": "Stany Zjednoczone otworzą konsulat w Dakhli, aby zachęcić do inwestycji w regionie.",
    "pt": "Os Estados Unidos vão abrir um consulado em Dakhla para incentivar o investimento.",
    "ru": "Соединённые Штаты откроют консульство в Дахле, чтобы поощрять инвестиции в регионе.",
    "tr": (
        "Amerika Birleşik Devletleri bölgedeki yatırımları "
        "teşvik etmek için Dahla'da konsolosluk açacak."
    ),
}
TOO_SHORT = ["", "   ", "Dakhla", "2020-12-17", "?!", "😀😀😀", "https://t.co/x", "US, UK"]


@pytest.mark.parametrize(("language", "sentence"), sorted(SENTENCES.items()))
def test_an_ordinary_sentence_is_detected_in_its_language(language, sentence):
    assert detect(sentence) == language


@pytest.mark.parametrize("text", TOO_SHORT)
def test_too_little_text_is_undetermined(text):
    assert detect(text) == UNDETERMINED


@pytest.mark.parametrize(
    "text",
    ["a", "ab cd", "e\u0301\u0301\u0301", "\u200f\u200e", "x" * 5000, "line\nbreaks\tand\x0b"],
)
def test_any_short_or_odd_text_gives_a_code_and_never_fails(text):
    assert detect(text) in LANGUAGE_CODES


def test_detection_never_reaches_the_network(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("language detection tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)

    assert detect(SENTENCES["fr"]) == "fr"


@pytest.mark.parametrize(
    ("tag", "code"),
    [("pt-BR", "pt"), ("EN", "en"), ("zh_Hant", "zh"), ("xx", "und"), (None, "und")],
)
def test_a_language_tag_keeps_its_iso_639_1_primary_code(tag, code):
    assert primary_code(tag) == code
