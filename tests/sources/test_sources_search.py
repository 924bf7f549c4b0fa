import factories
import pytest


@pytest.fixture
def sources(client):
    return {
        "mwn": factories.source(
            client,
            title="Hammouchi talks security with US officials",
            publisher="Morocco World News",
            published_on="2020-12-17",
            text="The US is set to open a consulate in Dakhla.",
        ),
        "le360": factories.source(
            client,
            title="Hammouchi reçoit un émissaire",
            publisher="Le360",
            published_on="2020-12-18",
        ),
        "old": factories.source(
            client,
            title="Pompeo meets Hammouchi",
            publisher="Morocco World News",
            published_on="2019-12-05",
        ),
    }


def ids(client, **params):
    response = client.get("/api/v1/sources", query_string={"limit": 100, **params})
    assert response.status_code == 200, response.get_json()
    return {source["id"] for source in response.get_json()["items"]}


def test_search_reads_titles_and_texts(client, sources):
    assert ids(client, q="Hammouchi") == {s["id"] for s in sources.values()}
    assert ids(client, q="consulate") == {sources["mwn"]["id"]}  # in the text only
    assert ids(client, q="Hammouchi -Pompeo") == {sources["mwn"]["id"], sources["le360"]["id"]}


def test_filters_by_publisher_and_publication_dates(client, sources):
    assert ids(client, publisher="Morocco World News") == {
        sources["mwn"]["id"],
        sources["old"]["id"],
    }
    assert ids(client, published_after="2020-01-01") == {
        sources["mwn"]["id"],
        sources["le360"]["id"],
    }
    assert ids(client, published_before="2020-12-18", published_after="2020-01-01") == {
        sources["mwn"]["id"]
    }
    assert ids(client, q="Hammouchi", publisher="Le360") == {sources["le360"]["id"]}


def test_a_title_edit_reaches_the_index(client, sources):
    client.patch(f"/api/v1/sources/{sources['le360']['id']}", json={"title": "Saffron harvest"})

    assert ids(client, q="saffron") == {sources["le360"]["id"]}
    assert sources["le360"]["id"] not in ids(client, q="Hammouchi")
