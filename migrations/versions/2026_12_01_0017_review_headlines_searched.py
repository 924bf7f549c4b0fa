"""Claims are found by their reviews' headlines too (issue 15: matching reads them).

A ClaimReview import puts a fact-check's headline in the claim's review, not in the claim;
search and matching now read it with the claim's text, summary, quotes and evidence
(service/indexing.py). This writes the search terms of every claim that has a review again,
in Python, in this migration's one transaction; claims without reviews keep theirs. The
indexes follow by trigger (claim_search on PostgreSQL, claim_fts on SQLite).

Downgrade writes the same claims' terms without the headlines.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 05:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from service import indexing

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REVIEWED = indexing.claim.c.id.in_(sa.select(indexing.review.c.claim_id))


def upgrade() -> None:
    indexing.rebuild_claims(op.get_bind(), where=REVIEWED)


def downgrade() -> None:
    indexing.rebuild_claims(op.get_bind(), reviews=False, where=REVIEWED)
