"""Every model, imported in one place so that Base.metadata knows all tables."""

from service.appearances.models import Appearance
from service.audit.models import AuditEvent
from service.auth.models import ApiKey
from service.claims.models import Claim, ClaimTag
from service.evidence.models import Evidence
from service.idempotency.models import IdempotencyKey
from service.indexing import search_analyser
from service.orm import Base
from service.publishers.models import Publisher, PublisherRating
from service.relations.models import Relation
from service.reviews.models import Review
from service.sources.models import Source
from service.status_changes.models import (
    StatusChange,
    status_change_evidence,
    status_change_review,
)

__all__ = [
    "ApiKey",
    "AuditEvent",
    "Appearance",
    "Base",
    "Claim",
    "ClaimTag",
    "Evidence",
    "IdempotencyKey",
    "Publisher",
    "PublisherRating",
    "Relation",
    "Review",
    "Source",
    "StatusChange",
    "search_analyser",
    "status_change_evidence",
    "status_change_review",
]
