"""`claimtrack export` and `claimtrack import`: the HTTP routes' code, for archives too big
for one request. A progress bar shows on a terminal (on stderr, so stdout stays the data)."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

import click
import marshmallow as ma
from flask import current_app
from flask.cli import with_appcontext
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import func, select

from service import db
from service.claims import service as claims
from service.claims.models import Claim
from service.claims.sorting import SORT_NAMES
from service.claims.statuses import ClaimKind, Status
from service.errors import ProblemError
from service.exchange import export, imports
from service.exchange.readers import ImportRefusedError, RecordError
from service.exchange.schemas import MODES, ExportQuery

FORMATS_BY_SUFFIX = {
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".csv": "csv",
    ".json": "claimreview",
    ".jsonld": "claimreview",
}


def _progress(label: str):
    console = Console(stderr=True)
    if not console.is_terminal:
        return nullcontext(None)
    columns = [TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    return Progress(*columns, console=console, transient=False)


@click.command("export")
@click.option(
    "--format",
    "format_",
    type=click.Choice(["ndjson", "csv", "claimreview"]),
    default="ndjson",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-")
@click.option("--q", help="Full-text search, as the claim list's q.")
@click.option("--status", multiple=True, type=click.Choice([s.value for s in Status]))
@click.option("--kind", type=click.Choice([k.value for k in ClaimKind]))
@click.option("--claimant")
@click.option("--tag", multiple=True, help="Repeatable: claims with all of these tags.")
@click.option("--source-id", type=int)
@click.option("--language")
@click.option("--review-due-before", help="YYYY-MM-DD.")
@click.option("--created-after", help="RFC 3339.")
@click.option("--created-before", help="RFC 3339.")
@click.option("--sort", type=click.Choice(SORT_NAMES))
@click.option(
    "--base-url",
    help="Where the API is served: ClaimReview urls point there. "
    "Defaults to CLAIMTRACK_BASE_URL; --format claimreview needs one or the other.",
)
@with_appcontext
def export_command(format_: str, output: str, base_url: str | None, **options) -> None:
    """Export claims with the claim list's filters (NDJSON, CSV or a ClaimReview feed)."""
    base_url = base_url or current_app.config["SETTINGS"].base_url
    if format_ == "claimreview" and not base_url:
        raise click.UsageError(
            "--format claimreview needs --base-url (where the API is served, for the "
            "reviews' urls) unless CLAIMTRACK_BASE_URL is set"
        )
    raw = {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in options.items()
        if value not in (None, ())
    }
    try:
        filters = ExportQuery().load(raw)
    except ma.ValidationError as error:
        raise click.UsageError(f"bad filter: {error.messages}") from None
    if not {"sort", "q", "review_due_before"} & filters.keys() and format_ != "claimreview":
        filters["sort"] = "created_at"
    export.with_merged_default(filters, format_)
    session = db.session()
    try:
        claims.select_claims(session, **filters)  # a filter the list refuses stops us here
    except ProblemError as error:
        raise click.UsageError(error.detail) from None
    # Before anything is written (a CSV header, an -o file): an unmigrated database stops
    # here, with the one line `claimtrack` gives for it.
    session.execute(select(Claim.id).limit(1))
    with _output(output) as stream, _progress("exporting") as progress:
        advance = None
        if progress is not None:
            statement = claims.select_claims(session, **filters).statement
            total = session.scalar(select(func.count()).select_from(statement.subquery()))
            task = progress.add_task("export", total=total)
            advance = lambda _claim: progress.advance(task)  # noqa: E731
        if format_ == "claimreview":
            chunks = export.claimreview_feed(
                session,
                filters,
                claim_url=lambda claim_id: f"{base_url.rstrip('/')}/api/v1/claims/{claim_id}",
                organization=current_app.config["SETTINGS"].organization,
                each=advance,
            )
        else:
            lines = export.ndjson_lines if format_ == "ndjson" else export.csv_lines
            chunks = lines(export.exported_claims(session, filters, each=advance))
        for chunk in chunks:
            stream.write(chunk)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "format_",
    type=click.Choice(["ndjson", "csv", "claimreview"]),
    help="Default: from the file's suffix (.ndjson/.jsonl, .csv, .json/.jsonld).",
)
@click.option("--mode", type=click.Choice(MODES), default="all", show_default=True)
@click.option("--dry-run", is_flag=True, help="Check and count, store nothing.")
@click.option("--max-errors", type=click.IntRange(1, 10_000), default=100, show_default=True)
@click.option("--actor", default="cli", show_default=True, help="Who the audit log names.")
@with_appcontext
def import_command(
    file: Path, format_: str | None, mode: str, dry_run: bool, max_errors: int, actor: str
) -> None:
    """Import FILE: NDJSON as exported, CSV, or ClaimReview JSON (one, a list, a DataFeed)."""
    format_ = format_ or FORMATS_BY_SUFFIX.get(file.suffix.lower())
    if format_ is None:
        raise click.BadParameter("unknown suffix: give --format", param_hint="FILE")
    session = db.session()
    session.info["actor"] = actor
    with file.open("rb") as body, _progress("importing") as progress:
        tasks: dict[str, object] = {}

        def advance(phase: str, done: int) -> None:
            if progress is None:
                return
            if phase not in tasks:
                tasks[phase] = progress.add_task(phase, total=None)
            progress.update(tasks[phase], completed=done, description=phase)

        try:
            report = imports.import_file(
                session,
                body,
                format_,
                mode=mode,
                dry_run=dry_run,
                max_errors=max_errors,
                progress=advance,
            )
        except ImportRefusedError as error:
            session.rollback()
            click.echo(f"import refused: {error.detail}", err=True)
            for line in error.extensions.get("invalid_records", []):
                where = (
                    f"line {line['line']}" if line["line"] is not None else f"item {line['item']}"
                )
                click.echo(f"  {where}: {line['field']}: {line['message']}", err=True)
            sys.exit(1)
    if dry_run:
        session.rollback()
    else:
        session.commit()
    verb = "would create" if dry_run else "created"
    click.echo(
        f"{report.records} records: {verb} {report.created}, existing {report.existing}, "
        f"failed {report.failed}; {report.sources_created} new sources"
    )
    for failed in report.errors:
        _echo_error(failed)


def _echo_error(error: RecordError) -> None:
    where = f"line {error.line}" if error.line is not None else f"item {error.item}"
    click.echo(f"  {where}: {error.field}: {error.message}", err=True)


def _output(path: str):
    if path == "-":
        return nullcontext(sys.stdout)
    return open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 (a context manager)


def init_app(group: click.Group) -> None:
    group.add_command(export_command)
    group.add_command(import_command)
