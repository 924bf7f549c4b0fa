"""What the spec shows of the exchange formats: bodies that are not JSON objects, and examples."""

from __future__ import annotations

import json

from service.exchange.export import CSV, CSV_COLUMNS, JSON_LD, NDJSON

RECORD_EXAMPLE = {
    "text": "The United States will open a consulate in Dakhla (Western Sahara).",
    "kind": "promise",
    "claimant": "Morocco World News (reporting the US commitment)",
    "claim_date": "2020-12-17",
    "tags": ["diplomacy", "morocco"],
    "created_at": "2020-12-17T09:00:00+00:00",
    "created_by": "demo",
    "appearances": [
        {
            "source": {"url": "https://www.moroccoworldnews.com/2020/12/329160/", "text": None},
            "quote": "The US is set to open a consulate in the city of Dakhla",
        }
    ],
}
CSV_EXAMPLE = (
    "text,kind,claimant,claim_date,tags\r\n"
    '"Morocco will reestablish diplomatic ties with Israel.",promise,'
    "Morocco World News,2020-12-10,morocco;israel\r\n"
)
CLAIMREVIEW_EXAMPLE = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://factcheck.example/2021/03/wind-turbines-cancer",
    "claimReviewed": "The noise from windmills causes cancer.",
    "datePublished": "2021-03-02",
    "author": {"@type": "Organization", "name": "Factcheck Example"},
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "A politician"},
        "datePublished": "2021-02-27",
        "appearance": {"@type": "CreativeWork", "url": "https://news.example/rally-speech"},
    },
    "reviewRating": {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 6,
        "worstRating": 1,
        "alternateName": "Pants on Fire",
    },
}

_TEXT = {"type": "string"}
CLAIMS_BODY = {
    "required": True,
    "description": "NDJSON: one claim record a line, as `exportClaims` writes them. CSV: a "
    f"header row naming columns among {', '.join(CSV_COLUMNS)} (`text` and `kind` "
    "required; `tags` separated by `;`), then one claim a row.",
    "content": {
        NDJSON: {"schema": _TEXT, "example": json.dumps(RECORD_EXAMPLE) + "\n"},
        CSV: {"schema": _TEXT, "example": CSV_EXAMPLE},
    },
}
_ANY_JSON = {
    "description": "A ClaimReview object, a list of them, or a DataFeed whose dataFeedElement "
    "holds them (bare, or as DataFeedItem.item).",
}
CLAIMREVIEW_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": _ANY_JSON, "example": CLAIMREVIEW_EXAMPLE},
        JSON_LD: {"schema": _ANY_JSON, "example": CLAIMREVIEW_EXAMPLE},
    },
}
EXPORT_RESPONSES = {
    "200": {
        "description": "The claims, streamed.",
        "content": {
            NDJSON: {"schema": _TEXT, "example": json.dumps(RECORD_EXAMPLE) + "\n"},
            CSV: {"schema": _TEXT, "example": ",".join(CSV_COLUMNS) + "\r\n"},
        },
    },
    "422": {"$ref": "#/components/responses/UNPROCESSABLE_ENTITY"},
}
FEED_RESPONSES = {
    "200": {
        "description": "A schema.org DataFeed of ClaimReview, streamed.",
        "content": {
            JSON_LD: {
                "schema": {"type": "object"},
                "example": {
                    "@context": "https://schema.org",
                    "@type": "DataFeed",
                    "dataFeedElement": [
                        {
                            "@type": "DataFeedItem",
                            "dateCreated": "2020-12-17T09:00:00+00:00",
                            "item": [{"@type": "ClaimReview", "claimReviewed": "..."}],
                        }
                    ],
                },
            }
        },
    },
    "422": {"$ref": "#/components/responses/UNPROCESSABLE_ENTITY"},
}
