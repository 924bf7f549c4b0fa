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


def _file(media_type: str, description: str) -> dict:
    """A body that is a file of `media_type`, not one JSON document (a client sends bytes)."""
    return {
        "type": "string",
        "format": "binary",
        "contentMediaType": media_type,
        "description": description,
    }


NDJSON_FILE = _file(NDJSON, "One claim a line, each a JSON object as `exportClaims` writes it.")
CSV_FILE = _file(
    CSV,
    f"A header row naming columns among {', '.join(CSV_COLUMNS)} (`text` and `kind` "
    "required; `tags` separated by `;`), then one claim a row.",
)
CLAIMS_BODY = {
    "required": True,
    "description": "NDJSON: one claim record a line, as `exportClaims` writes them. CSV: a "
    f"header row naming columns among {', '.join(CSV_COLUMNS)} (`text` and `kind` "
    "required; `tags` separated by `;`), then one claim a row.",
    "content": {
        NDJSON: {"schema": NDJSON_FILE, "example": json.dumps(RECORD_EXAMPLE) + "\n"},
        CSV: {"schema": CSV_FILE, "example": CSV_EXAMPLE},
    },
}
_STRING = {"type": "string"}
_THING = {
    "type": "object",
    "description": "A schema.org thing (`@type`, `name`, `url`, ...).",
    "additionalProperties": True,
}
# schema.org's own shapes, as the feed writes them and the import reads them. Other
# properties are allowed (the import ignores what it does not use).
COMPONENTS = {
    "ClaimReview": {
        "type": "object",
        "description": "A schema.org ClaimReview (https://schema.org/ClaimReview).",
        "properties": {
            "@context": _STRING,
            "@type": _STRING,
            "url": _STRING,
            "claimReviewed": _STRING,
            "headline": _STRING,
            "reviewBody": _STRING,
            "datePublished": _STRING,
            "dateModified": _STRING,
            "inLanguage": _STRING,
            "author": _THING,
            "itemReviewed": _THING,
            "reviewRating": _THING,
        },
        "additionalProperties": True,
    },
    "DataFeedItem": {
        "type": "object",
        "description": "One claim of a DataFeed: its ClaimReviews in `item`.",
        "properties": {
            "@type": _STRING,
            "dateCreated": _STRING,
            "dateModified": _STRING,
            "item": {"type": "array", "items": {"$ref": "#/components/schemas/ClaimReview"}},
        },
        "additionalProperties": True,
    },
    "DataFeed": {
        "type": "object",
        "description": "A schema.org DataFeed of ClaimReview (Data Commons' fact-check feed).",
        "properties": {
            "@context": _STRING,
            "@type": _STRING,
            "dataFeedElement": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/DataFeedItem"},
            },
        },
        "additionalProperties": True,
    },
}
_CLAIMREVIEW_DOCUMENT = {
    "description": "A ClaimReview object, a list of them, or a DataFeed whose dataFeedElement "
    "holds them (bare, or as DataFeedItem.item).",
    "anyOf": [
        {"$ref": "#/components/schemas/ClaimReview"},
        {"type": "array", "items": {"$ref": "#/components/schemas/ClaimReview"}},
        {"$ref": "#/components/schemas/DataFeed"},
    ],
}
CLAIMREVIEW_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": _CLAIMREVIEW_DOCUMENT, "example": CLAIMREVIEW_EXAMPLE},
        JSON_LD: {"schema": _CLAIMREVIEW_DOCUMENT, "example": CLAIMREVIEW_EXAMPLE},
    },
}
EXPORT_RESPONSES = {
    "200": {
        "description": "The claims, streamed.",
        "content": {
            NDJSON: {"schema": NDJSON_FILE, "example": json.dumps(RECORD_EXAMPLE) + "\n"},
            CSV: {"schema": CSV_FILE, "example": ",".join(CSV_COLUMNS) + "\r\n"},
        },
    },
    "422": {"$ref": "#/components/responses/UNPROCESSABLE_ENTITY"},
}
FEED_RESPONSES = {
    "200": {
        "description": "A schema.org DataFeed of ClaimReview, streamed.",
        "content": {
            JSON_LD: {
                "schema": {"$ref": "#/components/schemas/DataFeed"},
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
