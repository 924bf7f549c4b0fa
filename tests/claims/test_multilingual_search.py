"""Search in every language, through the API, on both databases: tests/search_table.py."""

from __future__ import annotations

import factories
import pytest
from search_table import MUST_FIND, MUST_NOT_FIND

from service.languages import primary_code


def by_language(cases) -> dict[str, list[tuple[str, str]]]:
    grouped: dict[str, list[tuple[str, str]]] = {}
    for language, query, text in cases:
        grouped.setdefault(primary_code(language), []).append((query, text))
    return grouped


FIND, MISS = by_language(MUST_FIND), by_language(MUST_NOT_FIND)


def found(client, query: str, **params) -> set[int]:
    response = client.get("/api/v1/claims", query_string={"q": query, "limit": 100, **params})
    assert response.status_code == 200, response.get_json()
    return {claim["id"] for claim in response.get_json()["items"]}


@pytest.mark.parametrize("language", sorted(FIND.keys() | MISS.keys()))
def test_each_query_finds_its_text_and_misses_the_other(client, language):
    """Claims written in `language` (given, not detected), one per row; each query is asked
    of the whole archive, and must find its row's claim, or must not. A query of several
    words is a phrase, as the table means it."""
    cases = [(query, text, True) for query, text in FIND.get(language, [])]
    cases += [(query, text, False) for query, text in MISS.get(language, [])]
    ids = [factories.claim(client, text=text, language=language)["id"] for _, text, _ in cases]

    wrong = [
        (query, text, "should find" if should else "should miss")
        for (query, text, should), claim_id in zip(cases, ids, strict=True)
        if (claim_id in found(client, f'"{query}"' if " " in query else query)) != should
    ]

    assert wrong == []


def test_a_headline_of_the_claim_s_evidence_finds_it_in_its_own_language(client):
    claim = factories.claim(client, text="A photo shows flooding in Valencia.", language="en")
    factories.evidence(
        client,
        claim["id"],
        title="Estas fotografías no muestran inundaciones en Valencia",
        language="es",
    )

    assert claim["id"] in found(client, "fotografía")
    assert claim["id"] not in found(client, "fotografía", language="es")  # the claim's own


def test_a_quote_is_read_in_its_source_s_language(client):
    claim = factories.claim(client, text="The US will open a consulate in Dakhla.", language="en")
    source = factories.source(
        client, language="fr", text="Washington va ouvrir une représentation consulaire à Dakhla."
    )
    factories.appearance(
        client, claim["id"], source_id=source["id"], quote="ouvrir une représentation consulaire"
    )

    assert claim["id"] in found(client, '"représentations consulaires"')


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("قنصلية -الداخلة", {"rabat"}),
        ('"photos truquées"', {"photos"}),
        ("brandir or oraron", {"brandi", "oraron"}),
        ("السودان or consulat", {"sudan", "consulat"}),
        ("-الداخلة", set()),
    ],
)
def test_the_query_syntax_works_in_every_language(client, query, expected):
    texts = {
        "dakhla": ("ar", "افتتاح قنصلية أمريكية في الداخلة"),
        "rabat": ("ar", "القنصلية في الرباط"),
        "sudan": ("ar", "الحرب في سودان"),
        "photos": ("fr", "Ces photos truquées circulent depuis hier."),
        "consulat": ("fr", "Le consulat de France a ouvert."),
        "brandi": ("fr", "Il a brandi un drapeau."),
        "oraron": ("es", "Los fieles oraron toda la noche."),
    }
    ids = {
        name: factories.claim(client, text=text, language=language)["id"]
        for name, (language, text) in texts.items()
    }

    assert found(client, query) == {ids[name] for name in expected}
