"""A list read the way a client pages through it."""


def every_id(client, url: str = "/api/v1/claims", **query) -> list[int]:
    """The ids of every item the list at `url` shows for `query`, page after page."""
    ids, cursor = [], None
    while True:
        response = client.get(url, query_string={**query, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.get_json()
        page = response.get_json()
        ids += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return ids
