"""The `claimtrack` command: serve, migrate, load the demo, write the spec."""

from __future__ import annotations

import importlib.util
import os
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from service import db, migrate
from service.app import create_app
from service.config import ConfigError


class ClaimtrackGroup(FlaskGroup):
    def main(self, *args, **kwargs):
        try:
            return super().main(*args, **kwargs)
        except ConfigError as error:
            click.echo(f"claimtrack: configuration error: {error}", err=True)
            sys.exit(2)


@click.group(
    cls=ClaimtrackGroup,
    create_app=create_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
)
def main() -> None:
    """claimtrack: track claims, their sources, evidence and status timeline."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--dev", is_flag=True, help="Flask's reloading development server.")
@with_appcontext
def serve(host: str, port: int, dev: bool) -> None:
    """Serve the API (gunicorn when installed, else Flask's development server)."""
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
    migrate.check(current_app.config["DATABASE_URL"])


@main.group()
def demo() -> None:
    """The demo data set."""


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Only into a database with no claims yet.")
@with_appcontext
def demo_load(if_empty: bool) -> None:
    """Load the demo article, claims, evidence and timelines (once)."""
    from service.demo.loader import database_is_empty, load_demo

    session = db.session()
    if if_empty and not database_is_empty(session):
        click.echo("demo: the database has claims already; left as it is")
        return
    if load_demo(session):
        session.commit()
        click.echo("demo: loaded the Morocco World News article and its 14 claims")
    else:
        click.echo("demo: already loaded")
