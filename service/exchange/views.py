"""Exchange routes: exports streamed as they are read, imports checked whole before storing."""

from __future__ import annotations

import shutil
import socket
import tempfile
from typing import BinaryIO, cast

from flask import Response, current_app, request, stream_with_context, url_for
from flask.views import MethodView
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from service import db
from service.auth.access import requires
from service.auth.models import Role
from service.errors import database_outage
from service.exchange import examples, export, imports
from service.exchange.deadlines import ClientGoneError, DeadlineExceededError, Watch
from service.exchange.schemas import (
    ClaimsImportQuery,
    ExportQuery,
    FeedQuery,
    ImportQuery,
    ImportReportOut,
)
from service.json_bodies import Blueprint, accepts

SPOOL_IN_MEMORY = 8 * 1024 * 1024  # larger bodies go to a temporary file
COPY_BUFFER = 1024 * 1024

blp = Blueprint(
    "exchange",
    __name__,
    url_prefix="/api/v1",
    description="Claims in and out in bulk: NDJSON, CSV and ClaimReview.",
)


@blp.route("/export/claims")
class ExportClaims(MethodView):
    @blp.doc(operationId="exportClaims", responses=examples.EXPORT_RESPONSES)
    @blp.arguments(ExportQuery, location="query")
    def get(self, query):
        """Export claims (NDJSON or CSV), streamed, with the claim list's filters

        NDJSON has one whole claim a line (appearances with their sources, evidence and the
        timeline): what `POST /api/v1/import/claims` reads back. CSV has one row of flat fields
        per claim. `format` wins over `Accept`.
        """
        format = query.pop("format", None) or _negotiated()
        export.with_merged_default(query, format)
        if not {"sort", "q", "review_due_before"} & query.keys():
            query["sort"] = "created_at"
        lines = export.ndjson_lines if format == "ndjson" else export.csv_lines
        session = db.snapshot_session()
        claims = export.exported_claims(session, query)
        return _streamed(session, lines(claims), export.MEDIA_TYPES[format], f"claims.{format}")


@blp.route("/export/claimreview")
class ExportClaimReview(MethodView):
    @blp.doc(operationId="exportClaimReview", responses=examples.FEED_RESPONSES)
    @blp.arguments(FeedQuery, location="query")
    def get(self, query):
        """Export reviews as a ClaimReview DataFeed, streamed

        One ClaimReview per review, as its publisher published it (author, URL, headline,
        date, language, `reviewRating` verbatim), and one per claim with a verdict or outcome
        of our own, authored by this deployment's organisation (`CLAIMTRACK_ORGANIZATION`).
        `publisher` keeps one publisher's reviews.
        """
        session = db.snapshot_session()
        feed = export.claimreview_feed(
            session,
            query,
            claim_url=lambda claim_id: url_for(
                "claims.ClaimById", claim_id=claim_id, _external=True
            ),
            organization=current_app.config["SETTINGS"].organization,
        )
        return _streamed(session, feed, export.JSON_LD, "claimreview.jsonld")


@blp.route("/import/claims")
class ImportClaims(MethodView):
    @requires(blp, Role.RESEARCHER)
    @accepts(export.NDJSON, export.CSV)
    @blp.doc(operationId="importClaims", requestBody=examples.CLAIMS_BODY)
    @blp.arguments(ClaimsImportQuery, location="query")
    @blp.response(200, ImportReportOut)
    @blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
    @blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    def post(self, query):
        """Import claims from NDJSON (as exported) or CSV, by Content-Type

        Every record is checked before any is stored. By default one bad record refuses the
        file: the 422 lists each bad line (up to `max_errors`). Claims already stored (same
        fingerprint) and sources already known (same normalised URL) are left as they are.
        `format` wins over Content-Type.
        """
        format = query.pop("format", None) or (
            "csv" if request.mimetype == export.CSV else "ndjson"
        )
        return _imported(format, query)


@blp.route("/import/claimreview")
class ImportClaimReview(MethodView):
    @requires(blp, Role.RESEARCHER)
    @accepts("application/json", export.JSON_LD)
    @blp.doc(operationId="importClaimReview", requestBody=examples.CLAIMREVIEW_BODY)
    @blp.arguments(ImportQuery, location="query")
    @blp.response(200, ImportReportOut)
    @blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
    def post(self, query):
        """Import ClaimReview: one object, a list, or a DataFeed

        Each ClaimReview becomes a review of its claim (the claim is created, or found by its
        fingerprint), by a publisher found by the host of its site or created. The rating is
        kept as written and mapped: the publisher's own vocabulary, then the built-in one, its
        `ratingValue` only when it has no label; a mapped verdict settles a claim that has
        none yet. The report lists `unmapped_labels`, and `warnings` for what was repaired
        (dates such as `2021-7-20`) or dropped (appearances without a usable URL).
        """
        return _imported("claimreview", query)


def _imported(format: str, query: dict) -> imports.ImportReport:
    session = db.session()
    with _spooled_body() as body:
        watch = Watch("import", db.allow_exchange_time(), request.environ.get("gunicorn.socket"))
        report = imports.import_file(session, body, format, progress=watch.progress, **query)
    if report.dry_run:
        session.rollback()
    else:
        session.commit()
    return report


def _spooled_body() -> BinaryIO:
    """The request body, read whole before the import starts: a socket that becomes readable
    afterwards tells that the client has gone (service/exchange/deadlines.py)."""
    # Imports have their own limit, larger than the JSON bodies' one (Flask 3.1: per request).
    request.max_content_length = current_app.config["SETTINGS"].max_import_bytes
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    shutil.copyfileobj(request.stream, spool, COPY_BUFFER)
    spool.seek(0)
    return cast(BinaryIO, spool)


def _abort(sock: socket.socket | None) -> None:
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)  # gunicorn's last write then fails quietly (EPIPE)
    except OSError:
        pass


def _negotiated() -> str:
    best = request.accept_mimetypes.best_match([export.NDJSON, export.CSV])
    return "csv" if best == export.CSV else "ndjson"


class ExportStoppedError(Exception):
    """An export cut off before its end (time limit, client gone, database lost)."""


def _streamed(session: Session, lines, mimetype: str, filename: str) -> Response:
    sock = request.environ.get("gunicorn.socket")
    watch = Watch("export", db.allow_exchange_time(), sock)

    def closing():
        # The stream outlives the view: its session (and the transaction that holds the
        # server-side cursor) ends with the stream, even when the client goes away mid-way
        # (gunicorn then fails to write, and closes this generator).
        done = 0
        try:
            for line in lines:
                yield line
                done += 1
                watch.check(done)
        except (DeadlineExceededError, ClientGoneError, SQLAlchemyError) as error:
            if isinstance(error, SQLAlchemyError) and database_outage(error) is None:
                raise  # a bug: its traceback is logged
            # The answer has begun (200 and part of the body): only a connection closed
            # before the body's end tells the client that it is incomplete.
            _abort(sock)
            if sock is None:
                raise ExportStoppedError(str(error)) from None
        finally:
            session.close()

    response = Response(stream_with_context(closing()), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
