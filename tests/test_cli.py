"""The claimtrack command, as an operator runs it."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from service.cli import main


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")

    def invoke(*args):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_upgrade_then_demo_load_once(run):
    assert run("db", "upgrade").exit_code == 0

    first = run("demo", "load")
    second = run("demo", "load")

    assert first.exit_code == 0 and "loaded" in first.output
    assert second.exit_code == 0 and "already loaded" in second.output


def test_demo_load_if_empty_leaves_a_database_with_claims_alone(run):
    run("db", "upgrade")
    run("demo", "load")

    result = run("demo", "load", "--if-empty")

    assert "left as it is" in result.output


def test_db_check_passes_on_a_migrated_database(run):
    run("db", "upgrade")

    assert run("db", "check").exit_code == 0


def test_a_configuration_error_is_one_line_and_exit_2(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/claims")

    result = CliRunner().invoke(main, ["db", "upgrade"])

    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "claimtrack: configuration error: DATABASE_URL must point to SQLite or PostgreSQL"
    ]


def test_openapi_write_produces_the_committed_spec(run, tmp_path):
    target = tmp_path / "spec.yaml"

    result = run("openapi", "write", "--format=yaml", str(target))

    assert result.exit_code == 0
    assert target.read_text() == (Path(__file__).parent.parent / "openapi.yaml").read_text()
