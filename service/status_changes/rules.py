"""The rules of a claim's status moves: one book for the API, imports and merges.

A move takes a claim of one kind from a status to another; a claim's creation is a move from
none. The rules, in the order they are checked:

1. A claim has only the statuses of its kind.
2. A claim is created in its kind's initial status.
3. A move goes somewhere: a claim is never moved to the status it has. A merge is the
   exception: it records on the target, whose status stays, that a claim was merged into it.
4. A conclusion (a verdict, or a promise's outcome) rests on grounds: evidence or a review.

`refusal()` says which rule a move breaks first, if any; `reason()` says it in words. Each
caller names its own field: the API `status`, an import the timeline entry's `to_status`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import assert_never

from service.claims.statuses import CONCLUSIONS, INITIAL_STATUS, STATUSES_BY_KIND, ClaimKind, Status


class Refusal(enum.Enum):
    NOT_OF_KIND = enum.auto()
    NOT_INITIAL = enum.auto()
    UNMOVED = enum.auto()
    UNGROUNDED = enum.auto()


@dataclass(frozen=True)
class Move:
    kind: ClaimKind
    from_status: Status | None  # None: the claim's creation
    to_status: Status | str  # a string that is no Status breaks rule 1
    # Whether the claim has evidence or a review; asked only of a move to a conclusion.
    grounded: Callable[[], bool] = lambda: False
    merge: bool = False  # records a merge into the claim (rule 3)


def merge_into(kind: ClaimKind, status: Status) -> Move:
    """The move a merge records on its target, in `status`: it stays there (rule 3)."""
    return Move(kind, status, status, merge=True)


def refusal(move: Move) -> Refusal | None:
    """The first rule `move` breaks, or None where it may be made."""
    kind, to_status = ClaimKind(move.kind), move.to_status
    if to_status not in STATUSES_BY_KIND[kind]:
        return Refusal.NOT_OF_KIND
    if move.from_status is None:
        return None if to_status == INITIAL_STATUS[kind] else Refusal.NOT_INITIAL
    if move.merge:  # it records, and moves nothing: nothing to ground either
        return None if to_status == move.from_status else Refusal.UNMOVED
    if to_status == move.from_status:
        return Refusal.UNMOVED
    if to_status in CONCLUSIONS and not move.grounded():
        return Refusal.UNGROUNDED
    return None


def reason(refused: Refusal, move: Move) -> str:
    """Why `move` was refused, for the client who asked for it."""
    kind, to_status = ClaimKind(move.kind), move.to_status
    match refused:
        case Refusal.NOT_OF_KIND:
            allowed = ", ".join(status.value for status in STATUSES_BY_KIND[kind])
            return f"a {kind} claim's status is one of: {allowed}"
        case Refusal.NOT_INITIAL:
            return f"a claim's timeline starts with its creation: null -> {INITIAL_STATUS[kind]}"
        case Refusal.UNMOVED if move.merge:
            return f"a merge leaves the claim's status as it is: {move.from_status}"
        case Refusal.UNMOVED:
            return f"the claim is {to_status} already"
        case Refusal.UNGROUNDED:
            return f"to reach {to_status}, a conclusion, the claim needs evidence or a review"
    assert_never(refused)
