"""Anchoring quotes in source text as W3C TextQuoteSelectors: exact text, offsets, context."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.appearances.models import AnchorState, Appearance
from service.errors import FieldError

CONTEXT_LENGTH = 32
MAX_CANDIDATES_SHOWN = 20


@dataclass(frozen=True)
class Anchor:
    start: int | None
    end: int | None
    prefix: str | None
    suffix: str | None
    state: AnchorState


UNANCHORED = Anchor(None, None, None, None, AnchorState.UNANCHORED)


def occurrences(text: str, quote: str) -> list[int]:
    """Every offset where `quote` starts in `text`, overlapping ones included."""
    found, at = [], text.find(quote)
    while at != -1:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def anchor_at(text: str, start: int, end: int) -> Anchor:
    return Anchor(
        start,
        end,
        text[max(0, start - CONTEXT_LENGTH) : start],
        text[end : end + CONTEXT_LENGTH],
        AnchorState.ANCHORED,
    )


def anchor_quote(
    text: str | None, quote: str, start: int | None = None, end: int | None = None
) -> Anchor:
    """Where `quote` stands in `text`; a FieldError says why it can't be placed."""
    if text is None:
        if start is not None or end is not None:
            raise FieldError(
                "start", "the source has no text to check offsets against; leave them out"
            )
        return UNANCHORED
    if start is None and end is not None:
        start = end - len(quote)
    if start is not None:
        end = start + len(quote) if end is None else end
        if text[start:end] != quote or start < 0:
            raise FieldError(
                "start",
                f"the source's text at [{start}, {end}) is {text[max(start, 0) : end][:80]!r}, "
                "not the quote",
            )
        return anchor_at(text, start, end)
    found = occurrences(text, quote)
    if not found:
        raise FieldError("quote", "not found in the source's text", slug="quote-not-found")
    if len(found) > 1:
        candidates = [{"start": at, "end": at + len(quote)} for at in found]
        raise FieldError(
            "quote",
            f"found {len(found)} times in the source's text, at offsets "
            f"{', '.join(str(at) for at in found[:MAX_CANDIDATES_SHOWN])}; "
            "pass `start` to choose one",
            slug="ambiguous-quote",
            candidates=candidates[:MAX_CANDIDATES_SHOWN],
        )
    return anchor_at(text, found[0], found[0] + len(quote))


def reanchor(appearance: Appearance, text: str | None) -> Anchor:
    """Where an appearance's quote stands after its source's text changed.

    The old offsets win if they still hold; otherwise the occurrence whose context best
    matches the stored prefix and suffix, nearest the old place; otherwise none.
    """
    quote = appearance.quote
    if text is None:
        return UNANCHORED
    start, end = appearance.start, appearance.end
    if start is not None and end is not None and text[start:end] == quote:
        return anchor_at(text, start, end)
    found = occurrences(text, quote)
    if not found:
        return UNANCHORED

    def fit(at: int) -> tuple[int, int]:
        candidate = anchor_at(text, at, at + len(quote))
        context = (candidate.prefix == appearance.prefix) + (candidate.suffix == appearance.suffix)
        return (-context, abs(at - (start or 0)))

    best = min(found, key=fit)
    return anchor_at(text, best, best + len(quote))


def apply_anchor(appearance: Appearance, anchor: Anchor) -> None:
    appearance.start, appearance.end = anchor.start, anchor.end
    appearance.prefix, appearance.suffix = anchor.prefix, anchor.suffix
    appearance.anchor_state = anchor.state


def reanchor_source(session: Session, source) -> None:
    """Re-place every quote in `source` after its text changed.

    Two quotes of one claim that land on the same words keep one place: the first
    appearance keeps it, and the later one becomes unanchored rather than a duplicate.
    """
    appearances = session.scalars(
        select(Appearance).where(Appearance.source_id == source.id).order_by(Appearance.id)
    ).all()
    taken: set[tuple[int, int, int | None]] = set()
    moves = []
    for appearance in appearances:
        anchor = reanchor(appearance, source.text)
        if anchor.start is not None:
            place = (appearance.claim_id, anchor.start, anchor.end)
            anchor = UNANCHORED if place in taken else anchor
            taken.add(place)
        current = (appearance.start, appearance.end, appearance.prefix, appearance.suffix)
        if (anchor.start, anchor.end, anchor.prefix, anchor.suffix) != current:
            moves.append((appearance, anchor))
    # Lift every moving quote first, so that no row passes through another's place (two
    # quotes that swap places would otherwise meet the unique constraint half-way).
    for appearance, _ in moves:
        apply_anchor(appearance, UNANCHORED)
    session.flush()
    for appearance, anchor in moves:
        apply_anchor(appearance, anchor)
        appearance.claim.touch()
