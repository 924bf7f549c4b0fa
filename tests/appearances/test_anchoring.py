import pytest

from service.appearances.anchoring import anchor_quote, occurrences
from service.appearances.models import AnchorState
from service.errors import FieldError

TEXT = "Rabat – the US will open a consulate. The consulate is in Dakhla, the consulate said."


def test_a_unique_quote_is_anchored_with_offsets_and_context():
    anchor = anchor_quote(TEXT, "in Dakhla")

    assert TEXT[anchor.start : anchor.end] == "in Dakhla"
    assert anchor.prefix == TEXT[max(0, anchor.start - 32) : anchor.start]
    assert anchor.suffix == TEXT[anchor.end : anchor.end + 32]
    assert anchor.state is AnchorState.ANCHORED


def test_offsets_count_characters_not_bytes():
    anchor = anchor_quote(TEXT, "the US")

    assert anchor.start == 8  # the en dash is one character, three bytes


def test_an_ambiguous_quote_lists_every_candidate():
    with pytest.raises(FieldError) as raised:
        anchor_quote(TEXT, "consulate")

    starts = [c["start"] for c in raised.value.extensions["candidates"]]
    assert starts == occurrences(TEXT, "consulate") and len(starts) == 3


def test_start_chooses_among_candidates():
    second = occurrences(TEXT, "consulate")[1]

    assert anchor_quote(TEXT, "consulate", start=second).start == second


@pytest.mark.parametrize(("start", "end"), [(0, None), (9, 20), (None, 5), (-1, None)])
def test_offsets_that_do_not_hold_the_quote_are_refused(start, end):
    with pytest.raises(FieldError) as raised:
        anchor_quote(TEXT, "consulate", start=start, end=end)

    assert "start" in raised.value.errors


def test_a_quote_missing_from_the_text_is_refused():
    with pytest.raises(FieldError) as raised:
        anchor_quote(TEXT, "embassy")

    assert "quote" in raised.value.errors


def test_no_text_means_unanchored():
    assert anchor_quote(None, "anything").state is AnchorState.UNANCHORED


def test_overlapping_occurrences_are_all_found():
    assert occurrences("aaaa", "aa") == [0, 1, 2]
