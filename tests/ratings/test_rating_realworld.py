"""Real published ClaimReview ratings, read from the shared data folder at test time.

Before issue 14, 464 of the 510 ClaimsKG sample reviews (18 of their 32 labels) and 4 of the 6
claimreview-collector ones mapped; AFP's 'Altered image' rated 5 of 1-5 became true.
"""

import json
from pathlib import Path

import pytest

from service.claims.statuses import Status
from service.exchange.ratings import mapping_for

pytestmark = pytest.mark.pure

REALWORLD = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "realworld"
FILES = ("claimskg_samples_claimreviews.json", "mm_collector_claimreviews.json")

# The labels we leave to a researcher, and why.
UNMAPPED = {
    "Other": "ClaimsKG's stand-in for Full Fact's free-text conclusions",
    "Legend": "Snopes: folklore, no truth value",
    "Originated as Satire": "Snopes: satire taken as fact, not rated false",
    "Satire": "AAP: satire is not a verdict",
    "Unknown": "TruthOrFiction: no verdict",
    "Not really, charts say": "free text with no verdict word",
}


def reviews(name):
    path = REALWORLD / name
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared real-world data is not mounted here")
    return json.loads(path.read_text(encoding="utf-8"))


def label(review):
    rating = review["reviewRating"]
    return rating.get("alternateName") or rating.get("name")


@pytest.mark.parametrize("name", FILES)
def test_every_real_label_maps_except_the_ones_we_leave_to_a_researcher(name):
    unmapped = {label(r) for r in reviews(name) if mapping_for(r["reviewRating"])[0] is None}
    assert unmapped <= set(UNMAPPED)


def test_the_labels_decide_not_the_numbers():
    decided = {mapping_for(r["reviewRating"])[1] for r in reviews(FILES[0]) + reviews(FILES[1])}
    assert decided == {"builtin", None}


@pytest.mark.parametrize(
    ("published", "status"),
    [
        ("Altered image", Status.FALSE),  # AFP, ratingValue 5 of 1-5 on one review
        ("Altered Photo/Video", Status.FALSE),
        ("Decontextualized", Status.MOSTLY_FALSE),
        ("Miscaptioned", Status.FALSE),
        ("Not True", Status.FALSE),
        ("Correct Attribution", Status.TRUE),
        ("Partlyfalse", Status.MIXED),
        ("Missing Context", Status.MOSTLY_FALSE),
        ("Falsk", Status.FALSE),  # TjekDet, ratingValue 1 of 1-1
        ("C’est plus compliqué", Status.MIXED),  # Le Monde, 1 of 0-2
        ("Falso", Status.FALSE),  # AFP Factual, 5 on a reversed scale
    ],
)
def test_a_real_review_gets_its_publishers_class(published, status):
    statuses = {
        mapping_for(r["reviewRating"])[0]
        for name in FILES
        for r in reviews(name)
        if label(r) == published
    }
    assert statuses == {status}
