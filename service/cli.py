"""The `claimtrack` command: serve, migrate, load the demo, write the spec."""

from __future__ import annotations

import importlib.util
import os
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import click
from alembic.util import CommandError
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_smorest.spec import openapi_cli
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from service import db, indexing, migrate
from service.app import create_app
from service.auth import service as auth
from service.auth.models import ApiKey, Role
from service.claims import service as claims
from service.config import ConfigError
from service.errors import ConflictError
from service.exchange import cli as exchange_cli
from service.orm import utcnow

# Flask's own options (--app, --env-file, --debug) choose an app; claimtrack has one.
FLASK_OPTIONS = frozenset({"app", "env_file", "debug"})
# What each database says when a table is missing: SQLite's words, PostgreSQL's SQLSTATE.
UNDEFINED_TABLE = ("no such table", "42P01")
CONTROL = {code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F]} | {
    ord("\n"): "\\n",
    ord("\t"): "\\t",
    ord("\r"): "\\r",
}


class ClaimtrackGroup(FlaskGroup):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.params = [param for param in self.params if param.name not in FLASK_OPTIONS]

    def main(self, *args, **kwargs):
        try:
            return super().main(*args, **kwargs)
        except ConfigError as error:
            click.echo(f"claimtrack: configuration error: {error}", err=True)
            sys.exit(2)
        except DBAPIError as error:
            if not _undefined_table(error):
                raise
            click.echo(
                "claimtrack: the database has no schema yet: run `claimtrack db upgrade`", err=True
            )
            sys.exit(2)


def _undefined_table(error: DBAPIError) -> bool:
    said = f"{getattr(error.orig, 'sqlstate', '')} {error.orig}"
    return any(sign in said for sign in UNDEFINED_TABLE)


def printable(text: str) -> str:
    """Text for a terminal: control characters written as escapes, never sent raw."""
    return text.translate(CONTROL)


@click.group(
    cls=ClaimtrackGroup,
    create_app=create_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
)
def main() -> None:
    """claimtrack: track claims, their sources, evidence and status timeline."""


exchange_cli.init_app(main)  # claimtrack export, claimtrack import


@main.group("openapi")
def openapi_group() -> None:
    """The OpenAPI document (what `make openapi` writes to openapi.yaml)."""


# flask-smorest's own print and write; its list-config-prefixes is for apps with several
# APIs, and claimtrack has one (this group, being main's own, hides the app's).
openapi_group.add_command(openapi_cli.commands["print"])
openapi_group.add_command(openapi_cli.commands["write"])


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--dev", is_flag=True, help="Flask's reloading development server.")
@with_appcontext
def serve(host: str, port: int, dev: bool) -> None:
    """Serve the API (gunicorn when installed, else Flask's development server)."""
    # An unmigrated database stops here with `claimtrack`'s one line, not a 500 per request.
    db.session().execute(select(ApiKey.id).limit(1))
    # Found through this interpreter, not PATH: an unactivated virtualenv still gets it.
    if importlib.util.find_spec("gunicorn") and not dev:
        os.execv(
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "python:service.gunicorn_conf",
                "--bind",
                f"{host}:{port}",
                "service.app:create_app()",
            ],
        )
    current_app.run(host=host, port=port, debug=dev, use_reloader=dev)


@main.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (the newest by default)."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION ('base' empties it)."""
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)


@db_group.command("revision")
@click.option("-m", "--message", required=True, help="What the migration does.")
@with_appcontext
def db_revision(message: str) -> None:
    """Write a migration for what the models changed (review it before committing)."""
    migrate.revision(current_app.config["DATABASE_URL"], message)


@db_group.command("check")
@with_appcontext
def db_check() -> None:
    """Fail when the models and the migrations disagree."""
    try:
        migrate.check(current_app.config["DATABASE_URL"])
    except CommandError as error:
        if "not up to date" not in str(error):
            raise
        click.echo(
            "claimtrack: the database is not at the newest migration: run `claimtrack db upgrade`",
            err=True,
        )
        sys.exit(2)


@main.group("search")
def search_group() -> None:
    """The full-text index."""


@search_group.command("reindex")
@with_appcontext
def search_reindex() -> None:
    """Write every claim's and source's search terms again, after the analysis changed."""
    with db.database().engine.begin() as connection:
        indexing.rebuild(connection)
    click.echo("search: every claim and source indexed again")


@main.group()
def demo() -> None:
    """The demo data set."""


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Only into a database with no claims yet.")
@click.option(
    "--admin-key",
    is_flag=True,
    help="Also create a local admin key and print it (never in production).",
)
@with_appcontext
def demo_load(if_empty: bool, admin_key: bool) -> None:
    """Load the demo article, claims, evidence and timelines (once)."""
    from service.demo.loader import database_is_empty, load_demo

    session = db.session()
    if if_empty and not database_is_empty(session):
        click.echo("demo: the database has claims already; left as it is")
        if admin_key:
            click.echo(
                "demo: the admin key was shown when the demo was loaded; for another: "
                f"{_command_path()} keys create --role admin --name local-admin"
            )
        return
    if not load_demo(session):
        click.echo("demo: already loaded")
        return
    session.commit()
    click.echo(
        "demo: loaded the Morocco World News article and its 14 claims, "
        "with the Dakhla promise quoted in French and Arabic articles too"
    )
    if not admin_key:
        return
    if current_app.config["SETTINGS"].env == "production":
        click.echo("demo: no admin key in production; use `claimtrack keys create`")
        return
    _, plain = auth.create_key(
        session, name="local-admin", role=Role.ADMIN, server_secret=current_app.config["SECRET_KEY"]
    )
    session.commit()
    click.echo(f"demo: admin key {plain} (shown once: paste it into Authorize at /docs)")


def _command_path() -> str:
    """This command as it was called (`.venv/bin/claimtrack`), to be run again as it is."""
    called = Path(sys.argv[0])
    return str(called) if called.name == "claimtrack" else "claimtrack"


@main.command()
@click.option("--on", "day", type=click.DateTime(formats=["%Y-%m-%d"]), help="Default: today.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 100))
@with_appcontext
def due(day: datetime | None, limit: int) -> None:
    """The follow-up queue: claims due for review, oldest due first."""
    on = day.date() if day else utcnow().date()
    page = claims.list_claims(db.session(), limit=limit, review_due_before=on)
    if not page.items:
        click.echo(f"Nothing is due on {on}.")
        return
    click.echo(f"{'due':<10}  {'id':>5}  {'kind':<7}  {'status':<19}  claim")
    for claim in page.items:
        text = printable(claim["text"])
        text = text if len(text) <= 60 else text[:59] + "…"
        click.echo(
            f"{claim['review_due']}  {claim['id']:>5}  {claim['kind']:<7}  "
            f"{claim['status']:<19}  {text}"
        )
    if page.next_cursor:
        click.echo(f"… and more: see GET /api/v1/claims?review_due_before={on}")


@main.group()
def keys() -> None:
    """API keys: writes need one."""


@keys.command("create")
@click.option("--name", required=True, help="Who holds the key; shown as created_by.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option(
    "--expires",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Last day the key works (YYYY-MM-DD, UTC).",
)
@with_appcontext
def keys_create(name: str, role: str, expires: datetime | None) -> None:
    """Create a key and print it, once: it is stored only as a hash."""
    expires_at = None
    if expires is not None:
        expires_at = datetime.combine(expires.date() + timedelta(days=1), time(), tzinfo=UTC)
        if expires_at <= utcnow():
            raise click.BadParameter("must not be in the past", param_hint="--expires")
    session = db.session()
    session.info["actor"] = "cli"
    api_key, plain = auth.create_key(
        session,
        name=name,
        role=Role(role),
        expires_at=expires_at,
        server_secret=current_app.config["SECRET_KEY"],
    )
    session.commit()
    click.echo(f"key {api_key.id} for {name} ({role}); store it now, it is not shown again:")
    click.echo(plain)


@keys.command("list")
@with_appcontext
def keys_list() -> None:
    """List keys: id, prefix, name, role, state, expiry."""
    row = "{:>4}  {:<22}  {:<24} {:<10} {:<8} {}"
    listed = db.session().scalars(select(ApiKey).order_by(ApiKey.id)).all()
    click.echo(row.format("id", "key", "name", "role", "state", "expires"))
    for api_key in listed:
        expires = f"{api_key.expires_at:%Y-%m-%d %H:%M} UTC" if api_key.expires_at else "never"
        click.echo(
            row.format(
                api_key.id,
                f"ct_{api_key.prefix}_…",
                printable(api_key.name),
                api_key.role,
                api_key.state,
                expires,
            )
        )


@keys.command("revoke")
@click.argument("key")
@with_appcontext
def keys_revoke(key: str) -> None:
    """Revoke KEY (its id or its prefix); it stops working at once."""
    session = db.session()
    session.info["actor"] = "cli"
    api_key = auth.find_key(session, key.removeprefix("ct_").split("_")[0])
    if api_key is None:
        raise click.BadParameter(f"no key {key}", param_hint="KEY")
    try:
        auth.revoke_key(session, api_key)
    except ConflictError as error:
        raise click.ClickException(error.detail) from None
    session.commit()
    click.echo(f"key {api_key.id} ({api_key.name}) revoked")
