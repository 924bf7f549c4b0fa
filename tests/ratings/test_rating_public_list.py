"""X-Fact's public list of fact-checkers' labels: how much of it maps, and never against it.

Run this file to print the coverage figure:
    .venv/bin/python tests/ratings/test_rating_public_list.py
"""

import csv
from collections import Counter
from pathlib import Path

import pytest

from service.claims.statuses import Status
from service.ratings import builtin

pytestmark = pytest.mark.pure

LIST = Path(__file__).with_name("xfact_label_maps.tsv")

# X-Fact's seven classes and the labels it files under each
# (data/x-fact/label_maps/master_mapping.tsv at c0279a26c9e52ef1fb9b6fd20bdd8b0a6627e029).
MASTER = {
    "true": "true",
    "mostly true": "mostly true|almost true|true, but",
    "partly true/misleading": "half true|partly true|half false|partly false|partially true|"
    "partially false|mix|not quite|lacks context|lacks_context|misleading|manipulated|distorted|"
    "exaggerated|misplaced|deceptive|commotion|selective|underestimated|contradictory|"
    "inaccurate|out of context|misconception|maybe true|incomplete|partly true/misleading",
    "complicated/hard to categorise": "debatable|controversial|complicated|difficult to "
    "determine|difficult to prove|not proven|not sure|investigations continue|doubtful|cannot "
    "be checked|unsustainable|too early to say|no verdict|unverifiable|untenable|uncheckable|"
    "watching|no evidence|unproven",
    "other": "other|satire|impostor|clarification|[-]|myth|sarcasm|cinema|changed attitude|"
    "suspicious|none|candidate in crisis|article|complete|incomplete|in process",
    "mostly false": "mostly false|almost untrue|almost false",
    "false": "false|total lie|fake|fabricated|short legs|crazy|going pinocchio|"
    "pepper on the tongue|very false",
}
CLASS_OF = {}
for master, labels in MASTER.items():
    for label in labels.split("|"):
        CLASS_OF.setdefault(label, master)

TRUE_SIDE = {Status.TRUE, Status.MOSTLY_TRUE}
FALSE_SIDE = {Status.FALSE, Status.MOSTLY_FALSE}
# What a class must never become: the opposite polarity, or any verdict for a non-verdict.
FORBIDDEN = {
    "true": FALSE_SIDE,
    "mostly true": FALSE_SIDE,
    "partly true/misleading": TRUE_SIDE,
    "mostly false": TRUE_SIDE,
    "false": TRUE_SIDE,
    "complicated/hard to categorise": TRUE_SIDE | FALSE_SIDE,
    "other": TRUE_SIDE | FALSE_SIDE,
}
# X-Fact files Chequeado's promise tracker under other/incomplete; our promise statuses fit it.
PROMISE_CLASSES = {"other/complete", "incomplete", "in process"}
PROMISES = {Status.FULFILLED, Status.UNFULFILLED, Status.IN_PROGRESS}


def x_fact_class(fine):
    return "other" if fine.startswith("other/") else CLASS_OF[fine.casefold()]


def rows():
    with LIST.open(encoding="utf-8") as listing:
        lines = [line for line in listing if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def mapped(rows):
    return [(row, builtin().status(row["label"])) for row in rows]


ROWS = rows()


def test_the_list_is_x_facts_34_fact_checkers():
    assert len({row["site"] for row in ROWS}) == 34


def test_no_label_maps_against_its_x_fact_class():
    against = [
        (row["site"], row["label"], row["class"], status)
        for row, status in mapped(ROWS)
        if status in FORBIDDEN[x_fact_class(row["class"])]
        or (status in PROMISES and row["class"] not in PROMISE_CLASSES)
    ]
    assert against == []


def test_most_verdict_labels_of_the_list_map():
    verdicts = [(row, s) for row, s in mapped(ROWS) if x_fact_class(row["class"]) != "other"]
    share = sum(s is not None for _, s in verdicts) / len(verdicts)
    assert share >= 0.8, f"{share:.0%} of the list's verdict labels map"


def report():
    results = mapped(ROWS)
    by_class = Counter()
    for row, status in results:
        by_class[x_fact_class(row["class"]), status is not None] += 1
    total = sum(status is not None for _, status in results)
    print(f"{total} of {len(results)} labels map ({total / len(results):.0%});")
    for master in MASTER:
        yes, no = by_class[master, True], by_class[master, False]
        print(f"  {master}: {yes} map, {no} unmapped")
    print("unmapped verdict labels:")
    for row, status in results:
        if status is None and x_fact_class(row["class"]) != "other":
            print(f"  {row['site']}: {row['label']!r} ({row['class']})")


if __name__ == "__main__":
    report()
