"""Claims: checkable statements, created in their kind's initial status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any, cast

from flask import current_app
from sqlalchemy import ColumnElement, Select, delete, func, literal, or_, select, tuple_
from sqlalchemy.orm import Session

from service.appearances.models import Appearance
from service.claims.documents import claim_documents
from service.claims.models import CLAIM_SEARCH, Claim, ClaimTag
from service.claims.sorting import SORTS
from service.claims.statuses import FINAL, INITIAL_STATUS, ClaimKind, Status
from service.engine import plan_for_values
from service.errors import ConflictError, FieldError
from service.indexing import present_analysers
from service.orm import utcnow
from service.pagination import Page, SortKey, paginate
from service.search import Found, Listed, Relevance, Searchable, matching, search
from service.status_changes.models import StatusChange

# Claim's id and status where a column is taken: SQLAlchemy takes the mapped attributes for
# their columns; the cast only tells the type checker so.
CLAIM_ID = cast("ColumnElement[int]", Claim.id)
CLAIM_STATUS = cast("ColumnElement[Status]", Claim.status)
SEARCHABLE = Searchable(
    table="claim",
    id_column=Claim.id,
    fts_table="claim_fts",
    vector_table=CLAIM_SEARCH,
    vector_key="claim_id",
    vector_partition="status",
)
CREATION_RATIONALE = "Claim recorded."
# Claims merged into another: left out of lists and searches unless asked for.
MERGED_IDS = select(Claim.id).where(Claim.merged_into_id.is_not(None))
# PostgreSQL: the orders in which a search's page is looked for among the first claims in
# that order (search.Listed), walked from their indexes; review_due puts nulls last.
LOOKED_IN_ORDER = ("-created_at", "created_at", "-status_changed_at")
LANGUAGE_FIELDS = ("language", "language_detected")  # see WrittenIn.keep_language


def create_claim(
    session: Session,
    data: dict[str, Any],
    *,
    at: datetime | None = None,
) -> Claim:
    """A new claim in its kind's initial status; `at` backdates it (imports, the demo)."""
    at = at or utcnow()
    kind = ClaimKind(data["kind"])
    status = INITIAL_STATUS[kind]
    claim = Claim(
        kind=kind,
        status=status,
        status_changed_at=at,
        created_at=at,
        updated_at=at,
    )
    _apply(claim, {name: value for name, value in data.items() if name != "kind"})
    claim.refresh_search_text()
    claim.status_changes.append(
        StatusChange(
            from_status=None,
            to_status=status,
            rationale=CREATION_RATIONALE,
            review_due=claim.review_due,
            created_at=at,
        )
    )
    session.add(claim)
    session.flush()
    return claim


def update_claim(session: Session, claim: Claim, changes: dict[str, Any]) -> Claim:
    _apply(claim, changes)
    if {"text", "summary"} & changes.keys():
        claim.refresh_search_text()
    session.flush()
    return claim


def delete_claim(session: Session, claim: Claim, *, force: bool = False) -> None:
    if not force and _has_history(session, claim):
        raise ConflictError(
            f"claim {claim.id} has a status timeline beyond its creation; it is history. "
            "Pass force=true to delete it anyway (the audit log keeps the deletion).",
            slug="claim-has-history",
        )
    # The timeline goes first: evidence that it cites may not be deleted before it is, and
    # PostgreSQL checks that between the cascades of a single DELETE. So do the timelines
    # of the claims merged into this one (the database deletes them with it), which cite
    # evidence that moved here.
    merged = select(Claim.id).where(Claim.merged_into_id == claim.id)
    session.execute(
        delete(StatusChange).where(
            or_(StatusChange.claim_id == claim.id, StatusChange.claim_id.in_(merged))
        )
    )
    session.expire(claim, ["status_changes"])  # so that a loaded copy is not deleted twice
    session.delete(claim)
    session.flush()


def list_claims(
    session: Session,
    *,
    limit: int,
    cursor: str | None = None,
    with_total: bool = False,
    **filters: Any,
) -> Page:
    """Claims matching every filter given, in the order asked for (or the natural one).

    The page's items are claim documents (see documents.py), as the API shows them.
    """
    selection = select_claims(session, **filters)
    page = paginate(
        session,
        # The documents are read by id, in one go.
        selection.statement.with_only_columns(selection.id),
        order=selection.order,
        sort_name=selection.sort,
        limit=limit,
        cursor=cursor,
        with_total=with_total,
        # By relevance, a page is read from the ranked matches, then from the rest: the
        # same rows and order as the statement's, without ranking every match.
        rows=None if selection.reader is None else partial(selection.reader.rows, session),
    )
    page.items = [document.body for document in claim_documents(session.connection(), page.items)]
    return page


@dataclass(frozen=True)
class Selection:
    """The claims a list asks for, unpaged: the list pages them, the export streams them."""

    statement: Select  # of Claim entities, filtered, unordered
    order: tuple[SortKey, ...]
    sort: str  # the order's name
    id: ColumnElement  # the claim's id: claim.id, or claim_search.claim_id when a search leads
    # How a search reads a page, where not in the plain way: by relevance, how it ranks its
    # matches; in another order, where it looks for them first.
    reader: Relevance | Listed | None = None


def select_claims(
    session: Session,
    *,
    q: str | None = None,
    sort: str | None = None,
    kind: ClaimKind | None = None,
    status: list[Status] | None = None,
    claimant: str | None = None,
    tag: list[str] | None = None,
    source_id: int | None = None,
    language: list[str] | None = None,
    review_due_before: date | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    include_merged: bool = False,
    ranked_matches: int | None = None,
) -> Selection:
    """The claim list's filters and order.

    A search by relevance leads: its rows come ranked from the search's own table (the
    newest `ranked_matches` of them ranked, by default as many as the setting
    CLAIMTRACK_SEARCH_RANKED_MATCHES says: see search.Relevance), and on PostgreSQL a search
    by words and statuses reads `claim` only for its page. In any other order, the claims in
    that order are looked up among the matches.
    """
    sort = sort or ("relevance" if q else "review_due" if review_due_before else "-created_at")
    if sort == "relevance" and q is None:
        raise FieldError("sort", "relevance ranks the results of a search: give q as well")
    dialect = session.get_bind().dialect.name
    statement: Select = select(Claim)
    found: Found | None = None
    matches: Found | None = None
    id_, status_ = CLAIM_ID, CLAIM_STATUS
    analysers = present_analysers(session.connection()) if q is not None else ()
    if q is not None:
        # Planned for its words, every time (engine.plan_for_values).
        plan_for_values(session.connection())
    if q is not None and sort == "relevance":
        found = search(statement, SEARCHABLE, q, dialect, analysers)
        # The filters below go on the search's joins; its condition last (Relevance.scope).
        statement = found.joined
        if found.reads is CLAIM_SEARCH:
            # PostgreSQL: claim_search's copies of the id and status spare reading `claim`,
            # and a search by status reads only its statuses' partitions.
            id_, status_ = CLAIM_SEARCH.c.claim_id, CLAIM_SEARCH.c.status
    elif q is not None:
        matches = matching(SEARCHABLE, q, dialect, analysers)
        statement = _among_matches(statement, matches, status)
    statement = _column_filters(
        statement,
        status_,
        kind=kind,
        status=status,
        claimant=claimant,
        language=language,
        review_due_before=review_due_before,
        created_after=created_after,
        created_before=created_before,
    )
    statement = _id_filters(
        statement, id_, include_merged=include_merged, source_id=source_id, tag=tag
    )
    others = (kind, claimant, language, tag, source_id)
    other = any((*others, review_due_before, created_after, created_before))
    if found is not None:
        return _by_relevance(statement, id_, found, ranked_matches, other=other, status=status)
    order, listed = SORTS[sort], None
    if matches is not None and matches.reads is CLAIM_SEARCH and sort in LOOKED_IN_ORDER:
        if not (other or status):  # the rows in order are the claims themselves
            # The claims in order, before the search narrows them.
            unsearched = select(Claim)
            if not include_merged:
                unsearched = unsearched.where(Claim.id.not_in(MERGED_IDS))
            listed = _listed(statement, unsearched, order, matches)
    return Selection(statement, order, sort, id_, listed)


def _among_matches(statement: Select, matches: Found, status: list[Status] | None) -> Select:
    """`statement` narrowed to the matches of a search that does not lead (search.matching)."""
    ids = matches.statement
    if matches.reads is CLAIM_SEARCH:
        if status:  # as a search by relevance does, among the matches
            ids = ids.where(status_is(CLAIM_SEARCH.c.status, status))
        # With its status, a claim looked up among the matches is looked for in its own
        # status's partition alone (pruned as the query runs), not in all fifteen.
        ids = ids.add_columns(CLAIM_SEARCH.c.status)
        return statement.where(tuple_(Claim.id, Claim.status).in_(ids))
    return statement.where(Claim.id.in_(ids))


def _column_filters(
    statement: Select,
    status_: ColumnElement,
    *,
    kind: ClaimKind | None,
    status: list[Status] | None,
    claimant: str | None,
    language: list[str] | None,
    review_due_before: date | None,
    created_after: datetime | None,
    created_before: datetime | None,
) -> Select:
    """`statement` narrowed by the filters given on the claim's own columns."""
    if review_due_before is not None:
        statement = statement.where(Claim.review_due <= review_due_before, status_.not_in(FINAL))
    for column, value in ((Claim.kind, kind), (Claim.claimant, claimant)):
        if value is not None:
            statement = statement.where(column == value)
    if language:
        statement = statement.where(Claim.language.in_(language))
    if status:
        statement = statement.where(status_is(status_, status))
    if created_after is not None:
        statement = statement.where(Claim.created_at > created_after)
    if created_before is not None:
        statement = statement.where(Claim.created_at < created_before)
    return statement


def _id_filters(
    statement: Select,
    id_: ColumnElement,
    *,
    include_merged: bool,
    source_id: int | None,
    tag: list[str] | None,
) -> Select:
    """`statement` narrowed by the filters given that go by the claim's id: merged, source, tags."""
    if not include_merged:
        # By id among the few merged claims: a search that reads claim_search alone
        # (PostgreSQL) need not read `claim` for it.
        statement = statement.where(id_.not_in(MERGED_IDS))
    if source_id is not None:
        statement = statement.where(
            id_.in_(select(Appearance.claim_id).where(Appearance.source_id == source_id))
        )
    for each in dict.fromkeys(tag or ()):
        statement = statement.where(id_.in_(select(ClaimTag.claim_id).where(ClaimTag.tag == each)))
    return statement


def _by_relevance(
    statement: Select,
    id_: ColumnElement,
    found: Found,
    ranked_matches: int | None,
    *,
    other: bool,
    status: list[Status] | None,
) -> Selection:
    """The selection of a search by relevance, `other` when filtered by more than statuses."""
    ranked = ranked_matches or current_app.config["SETTINGS"].search_ranked_matches
    # The newest matches may be found another way than the planner's (Relevance.way)
    # where the rows in scope are claim_search's alone: with no filter but the search
    # and statuses. Only with no filter at all are they walked: asked for a status's
    # rows in order without a limit, PostgreSQL sorted its partition whole.
    scope, statement = statement, statement.where(found.condition)
    relevance = Relevance(
        statement,
        id_,
        found,
        ranked,
        scope=None if other else scope,
        walkable=not (other or status),
    )
    order = (SortKey(relevance.rank, descending=True), SortKey(id_, descending=True))
    return Selection(statement, order, "relevance", id_, relevance)


def _listed(statement: Select, unsearched: Select, order: tuple, matches: Found) -> Listed:
    """A search in one of LOOKED_IN_ORDER, with no other filter (search.Listed). Its rows are
    what list_claims pages: ids. A claim's own search row is in its status's partition."""
    row_matches = (
        select(matches.condition)
        .where(CLAIM_SEARCH.c.claim_id == Claim.id, CLAIM_SEARCH.c.status == Claim.status)
        .scalar_subquery()
    )
    ids = statement.with_only_columns(Claim.id)
    return Listed(ids, unsearched.with_only_columns(Claim.id), order, matches, row_matches)


def status_is(status_column: ColumnElement, statuses: list[Status]) -> ColumnElement[bool]:
    """`status = a OR status = b ...`, with the statuses written into the SQL.

    On PostgreSQL a search reads the partitions of `claim_search` (one per status) for these
    statuses only: a literal status lets the planner leave the others out when it plans,
    even in a prepared statement's generic plan. The values are members of Status, never the
    client's text; each set of them is written one way (sorted, without repeats), so that it
    makes one statement to prepare.
    """
    values = sorted({Status(each).value for each in statuses})
    return or_(*(status_column == literal(value, literal_execute=True) for value in values))


def _has_history(session: Session, claim: Claim) -> bool:
    changes = session.execute(
        select(func.count()).select_from(StatusChange).where(StatusChange.claim_id == claim.id)
    ).scalar_one()
    return changes > 1


def _apply(claim: Claim, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name == "tags":
            _set_tags(claim, set(value))
        elif name not in LANGUAGE_FIELDS:
            setattr(claim, name, value)
    claim.keep_language(data, claim.text)


def _set_tags(claim: Claim, wanted: set[str]) -> None:
    # Changed row by row: replacing the collection would insert the unchanged tags again
    # before deleting the old rows, and collide on the primary key.
    current = {row.tag: row for row in claim.tag_rows}
    if wanted == set(current):
        return
    for tag, row in current.items():
        if tag not in wanted:
            claim.tag_rows.remove(row)
    for tag in wanted - set(current):
        claim.tag_rows.append(ClaimTag(tag=tag))
    claim.tag_rows.sort(key=lambda row: row.tag)
    if claim.id is not None:  # a new claim's timestamps are already set
        claim.touch()
