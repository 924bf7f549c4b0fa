"""Real published labels, each checked against the class its source gives it (issue 14)."""

import csv
from pathlib import Path

import pytest

from service.claims.statuses import Status
from service.ratings import builtin

pytestmark = pytest.mark.pure

TABLE = Path(__file__).with_name("real_labels.tsv")

T, MT, MX, MF, F, U = (
    Status.TRUE,
    Status.MOSTLY_TRUE,
    Status.MIXED,
    Status.MOSTLY_FALSE,
    Status.FALSE,
    Status.UNPROVEN,
)
PROMISES = {
    Status.FULFILLED,
    Status.PARTIALLY_FULFILLED,
    Status.UNFULFILLED,
    Status.IN_PROGRESS,
    Status.STALLED,
    Status.PENDING,
}
# The statuses each source class allows. Unmapped (None) is allowed for every class: it is never
# wrong, only incomplete; the table still pins exactly which labels we leave unmapped.
ALLOWED = {
    # X-Fact's seven classes (data/x-fact/label_maps/master_mapping.tsv)
    "xfact:true": {T},
    "xfact:mostly true": {MT},
    "xfact:partly true/misleading": {MX, MF},
    "xfact:mostly false": {MF},
    "xfact:false": {F, MF},
    "xfact:complicated/hard to categorise": {U},
    "xfact:other": set(),
    # claimreview-collector's five (claimreview_collector/processing/claimreview.py)
    "mm:credible": {T},
    "mm:mostly_credible": {MT, T},
    "mm:uncertain": {MT, MX, MF, U},
    "mm:not_credible": {F, MF},
    "mm:not_verifiable": {U},
    # ClaimsKG's four (claimskg_generator, claimskg-extractor)
    "ckg:TRUE": {T},
    "ckg:MIXTURE": {MT, MX, MF, U},
    "ckg:FALSE": {F, MF},
    "ckg:OTHER": set(),
    # a publisher's own definition, read as our status (see the data file's note)
    **{f"pub:{status.value}": {status} for status in Status},
    "pub:none": set(),
}


def rows():
    with TABLE.open(encoding="utf-8") as table:
        lines = [line for line in table if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def expected(row):
    return None if row["expected"] == "none" else Status(row["expected"])


ROWS = rows()


def test_the_table_covers_at_least_200_real_labels_in_15_languages():
    assert len(ROWS) >= 200
    assert len({row["lang"] for row in ROWS}) >= 15


def test_every_row_cites_a_source_of_the_vocabulary():
    cited = set(builtin().sources) | {"issue 14"}
    assert {row["source"] for row in ROWS} <= cited


@pytest.mark.parametrize("row", ROWS, ids=[f"{row['lang']}:{row['label'][:40]}" for row in ROWS])
def test_a_published_label_maps_to_the_status_its_source_class_allows(row):
    status = expected(row)
    assert status is None or status in ALLOWED[row["class"]], "expectation against its class"
    assert builtin().status(row["label"]) == status
