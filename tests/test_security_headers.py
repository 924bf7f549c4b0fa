import pytest


@pytest.mark.parametrize("path", ["/docs", "/api/v1/claims", "/api/v1/nothing", "/openapi.json"])
def test_every_answer_carries_the_security_headers(anonymous, path):
    headers = anonymous.get(path).headers

    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_the_docs_page_has_no_inline_script(anonymous):
    page = anonymous.get("/docs").get_data(as_text=True)

    assert page.count("<script") == page.count("<script src=")


def test_cors_is_off_by_default(anonymous):
    response = anonymous.get("/api/v1/claims", headers={"Origin": "https://elsewhere.example"})

    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_allows_the_listed_origins_only(database_url):
    from service.app import create_app

    app = create_app(
        {
            "database_url": database_url,
            "secret_key": "s",
            "cors_origins": ("https://newsroom.example",),
        }
    )
    client = app.test_client()
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Authorization, Content-Type, Idempotency-Key",
    }

    allowed = client.options(
        "/api/v1/claims", headers={"Origin": "https://newsroom.example", **preflight}
    )
    other = client.options(
        "/api/v1/claims", headers={"Origin": "https://elsewhere.example", **preflight}
    )

    assert allowed.headers["Access-Control-Allow-Origin"] == "https://newsroom.example"
    assert "authorization" in allowed.headers["Access-Control-Allow-Headers"].lower()
    assert "idempotency-key" in allowed.headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Origin" not in other.headers
