import factories
import pytest

TEXT = factories.ARTICLE_TEXT


@pytest.fixture
def claim(client):
    return factories.claim(client, kind="promise")


@pytest.fixture
def source(client):
    return factories.source(client, text=TEXT)


def test_a_quote_is_anchored_in_the_source_text(client, claim, source):
    response = client.post(
        f"/api/v1/claims/{claim['id']}/appearances",
        json={"source_id": source["id"], "quote": "open a consulate"},
    )

    assert response.status_code == 201
    appearance = response.get_json()
    assert TEXT[appearance["start"] : appearance["end"]] == "open a consulate"
    assert appearance["prefix"] == TEXT[: appearance["start"]][-32:]
    assert appearance["suffix"] == TEXT[appearance["end"] :][:32]
    assert appearance["anchor_state"] == "anchored"
    shown = client.get(f"/api/v1/claims/{claim['id']}").get_json()["appearances"]
    assert shown == [appearance]


def test_a_quote_not_in_the_text_is_422_and_stores_nothing(client, claim, source, row_counts):
    before = row_counts()

    response = client.post(
        f"/api/v1/claims/{claim['id']}/appearances",
        json={"source_id": source["id"], "quote": "open an embassy"},
    )

    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert "quote" in response.get_json()["errors"]
    assert row_counts() == before


def test_an_ambiguous_quote_is_422_listing_candidates(client, claim, source, row_counts):
    before = row_counts()

    response = client.post(
        f"/api/v1/claims/{claim['id']}/appearances",
        json={"source_id": source["id"], "quote": "consulate"},
    )

    assert response.status_code == 422
    problem = response.get_json()
    assert "quote" in problem["errors"]
    starts = [c["start"] for c in problem["candidates"]]
    assert [TEXT[s : s + len("consulate")] for s in starts] == ["consulate", "consulate"]
    assert row_counts() == before


def test_start_picks_one_of_an_ambiguous_quote(client, claim, source):
    second = TEXT.index("consulate", TEXT.index("consulate") + 1)

    appearance = factories.appearance(
        client, claim["id"], source_id=source["id"], quote="consulate", start=second
    )

    assert (appearance["start"], appearance["end"]) == (second, second + len("consulate"))


def test_offsets_that_do_not_match_the_quote_are_422(client, claim, source, row_counts):
    before = row_counts()

    response = client.post(
        f"/api/v1/claims/{claim['id']}/appearances",
        json={"source_id": source["id"], "quote": "consulate", "start": 0},
    )

    assert response.status_code == 422
    assert "start" in response.get_json()["errors"]
    assert row_counts() == before


def test_a_source_without_text_keeps_the_quote_unanchored(client, claim):
    bare = factories.source(client)

    appearance = factories.appearance(client, claim["id"], source_id=bare["id"], quote="words")

    assert appearance["anchor_state"] == "unanchored"
    assert (appearance["start"], appearance["end"], appearance["prefix"]) == (None, None, None)


def test_a_missing_source_is_422_on_source_id(client, claim):
    response = client.post(
        f"/api/v1/claims/{claim['id']}/appearances", json={"source_id": 4242, "quote": "words"}
    )

    assert response.status_code == 422
    assert "source_id" in response.get_json()["errors"]


def test_the_same_place_twice_is_a_conflict(client, claim, source):
    body = {"source_id": source["id"], "quote": "city of Dakhla"}
    factories.appearance(client, claim["id"], **body)

    response = client.post(f"/api/v1/claims/{claim['id']}/appearances", json=body)

    assert response.status_code == 409


def test_adding_an_appearance_changes_the_claims_etag(client, claim, source):
    url = f"/api/v1/claims/{claim['id']}"
    before = client.get(url).headers["ETag"]

    factories.appearance(client, claim["id"], source_id=source["id"], quote="city of Dakhla")

    assert client.get(url).headers["ETag"] != before


def test_patch_moves_the_anchor_to_a_chosen_occurrence(client, claim, source):
    second = TEXT.index("consulate", TEXT.index("consulate") + 1)
    first = factories.appearance(
        client,
        claim["id"],
        source_id=source["id"],
        quote="consulate",
        start=TEXT.index("consulate"),
    )

    response = client.patch(f"/api/v1/appearances/{first['id']}", json={"start": second})

    assert response.status_code == 200
    assert response.get_json()["start"] == second


def test_changing_the_source_text_reanchors_its_quotes(client, claim, source):
    appearance = factories.appearance(
        client, claim["id"], source_id=source["id"], quote="city of Dakhla"
    )
    new_text = "Breaking: " + TEXT

    client.patch(f"/api/v1/sources/{source['id']}", json={"text": new_text})

    moved = client.get(f"/api/v1/appearances/{appearance['id']}").get_json()
    assert new_text[moved["start"] : moved["end"]] == "city of Dakhla"
    assert moved["start"] == appearance["start"] + len("Breaking: ")


def test_a_quote_gone_from_the_new_text_becomes_unanchored(client, claim, source):
    appearance = factories.appearance(
        client, claim["id"], source_id=source["id"], quote="city of Dakhla"
    )

    client.patch(f"/api/v1/sources/{source['id']}", json={"text": "A different story."})

    gone = client.get(f"/api/v1/appearances/{appearance['id']}").get_json()
    assert (gone["anchor_state"], gone["start"]) == ("unanchored", None)


def test_delete_removes_the_appearance(client, claim, source):
    appearance = factories.appearance(
        client, claim["id"], source_id=source["id"], quote="city of Dakhla"
    )

    assert client.delete(f"/api/v1/appearances/{appearance['id']}").status_code == 204
    assert client.get(f"/api/v1/claims/{claim['id']}").get_json()["appearances"] == []


def test_an_empty_patch_keeps_a_chosen_occurrence(client, claim, source):
    second = TEXT.index("consulate", TEXT.index("consulate") + 1)
    appearance = factories.appearance(
        client, claim["id"], source_id=source["id"], quote="consulate", start=second
    )

    response = client.patch(f"/api/v1/appearances/{appearance['id']}", json={})

    assert response.status_code == 200
    assert response.get_json()["start"] == second


def test_quotes_that_land_on_the_same_words_keep_one_place(client, claim):
    source = factories.source(client, text="abc abc")
    first = factories.appearance(client, claim["id"], source_id=source["id"], quote="abc", start=0)
    second = factories.appearance(client, claim["id"], source_id=source["id"], quote="abc", start=4)

    response = client.patch(f"/api/v1/sources/{source['id']}", json={"text": "abc"})

    assert response.status_code == 200
    kept = client.get(f"/api/v1/appearances/{first['id']}").get_json()
    lifted = client.get(f"/api/v1/appearances/{second['id']}").get_json()
    assert (kept["start"], kept["anchor_state"]) == (0, "anchored")
    assert (lifted["start"], lifted["anchor_state"]) == (None, "unanchored")


def test_quotes_that_swap_places_are_both_reanchored(client, claim):
    source = factories.source(client, text="one two")
    one = factories.appearance(client, claim["id"], source_id=source["id"], quote="one")
    two = factories.appearance(client, claim["id"], source_id=source["id"], quote="two")

    response = client.patch(f"/api/v1/sources/{source['id']}", json={"text": "two one"})

    assert response.status_code == 200
    assert client.get(f"/api/v1/appearances/{one['id']}").get_json()["start"] == 4
    assert client.get(f"/api/v1/appearances/{two['id']}").get_json()["start"] == 0


def test_a_longer_quote_at_the_same_start_is_another_appearance(client, claim):
    source = factories.source(client, text="abc abc")
    factories.appearance(client, claim["id"], source_id=source["id"], quote="abc", start=0)

    longer = factories.appearance(client, claim["id"], source_id=source["id"], quote="abc abc")

    assert (longer["start"], longer["end"]) == (0, 7)
