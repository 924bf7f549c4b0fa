"""The claimtrack command, as an operator runs it."""

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

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


def test_keys_create_prints_a_working_key_once_and_list_never_shows_it(run):
    run("db", "upgrade")

    created = run("keys", "create", "--name", "alice", "--role", "editor")
    listed = run("keys", "list")

    key = created.output.strip().splitlines()[-1]
    assert created.exit_code == 0 and key.startswith("ct_")
    assert "alice" in listed.output and "editor" in listed.output
    assert key not in listed.output and key.split("_")[1] in listed.output


def test_keys_revoke_by_id(run):
    run("db", "upgrade")
    run("keys", "create", "--name", "alice", "--role", "editor")

    result = run("keys", "revoke", "1")

    assert result.exit_code == 0
    assert "revoked" in run("keys", "list").output


def test_keys_revoke_refuses_the_last_admin_key(run):
    run("db", "upgrade")
    run("keys", "create", "--name", "root", "--role", "admin")

    result = run("keys", "revoke", "1")

    assert result.exit_code == 1
    assert "the last active admin key" in result.output
    assert "revoked" not in run("keys", "list").output


def test_keys_create_refuses_a_past_expiry_and_an_unknown_role(run):
    run("db", "upgrade")

    past = CliRunner().invoke(
        main, ["keys", "create", "--name", "a", "--role", "editor", "--expires", "2020-01-01"]
    )
    role = CliRunner().invoke(main, ["keys", "create", "--name", "a", "--role", "boss"])

    assert past.exit_code == 2 and "--expires" in past.output
    assert role.exit_code == 2 and "--role" in role.output


def test_the_demo_prints_a_local_admin_key_that_works(run, monkeypatch):
    run("db", "upgrade")

    result = run("demo", "load", "--if-empty", "--admin-key")

    key = next(word for word in result.output.split() if word.startswith("ct_"))
    from service.app import create_app

    client = create_app().test_client()
    response = client.get("/api/v1/keys", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


def test_a_second_make_run_says_how_to_get_a_key_and_that_command_gives_one(run):
    run("db", "upgrade")
    run("demo", "load", "--if-empty", "--admin-key")

    second = run("demo", "load", "--if-empty", "--admin-key")

    assert "ct_" not in second.output
    told = second.output.split("for another: ", 1)[1].split()
    assert told[0].endswith("claimtrack") and told[1:3] == ["keys", "create"]
    made = run(*told[1:])
    key = next(word for word in made.output.split() if word.startswith("ct_"))
    from service.app import create_app

    client = create_app().test_client()
    response = client.get("/api/v1/keys", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


def test_the_demo_never_makes_an_admin_key_in_production(run, monkeypatch):
    monkeypatch.setenv("CLAIMTRACK_ENV", "production")
    monkeypatch.setenv("CLAIMTRACK_SECRET_KEY", "prod-secret")
    run("db", "upgrade")

    result = run("demo", "load", "--if-empty", "--admin-key")

    assert "ct_" not in result.output
    assert "no admin key in production" in result.output


def test_search_reindex_writes_the_terms_again(run, tmp_path):
    run("db", "upgrade")
    run("demo", "load")
    engine = create_engine(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE claim SET search_text = ''"))

    def consulates() -> list:
        with engine.connect() as connection:
            return connection.execute(
                text("SELECT rowid FROM claim_fts WHERE claim_fts MATCH '\"fr0consulair\"'")
            ).all()

    lost = consulates()
    result = run("search", "reindex")
    found = consulates()
    engine.dispose()

    assert result.exit_code == 0, result.output
    assert lost == [] and len(found) == 1


def test_the_help_shows_claimtrack_s_options_not_flask_s(run):
    shown = run("--help").output

    assert "--app" not in shown and "--env-file" not in shown and "--debug" not in shown
    assert "serve" in shown and "keys" in shown


SCHEMA_COMMANDS = [
    ["due"],
    ["keys", "list"],
    ["keys", "create", "--name", "a", "--role", "admin"],
    ["keys", "revoke", "1"],
    ["import", "x.ndjson"],
    ["export"],
    ["export", "--format", "csv", "-o", "out.csv"],
    ["demo", "load"],
    ["search", "reindex"],
    ["serve", "--port", "8399"],  # refused before it binds: nothing listens on 8399
]


@pytest.mark.parametrize("command", SCHEMA_COMMANDS, ids=" ".join)
def test_an_unmigrated_database_gets_one_line_and_exit_2(tmp_path, monkeypatch, command):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    (tmp_path / "x.ndjson").write_text('{"text": "x", "kind": "factual"}\n')
    monkeypatch.chdir(tmp_path)

    result = CliRunner().invoke(main, command)

    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "claimtrack: the database has no schema yet: run `claimtrack db upgrade`"
    ]
    assert not (tmp_path / "out.csv").exists()  # nothing half-written before the refusal


def test_db_check_on_an_unmigrated_database_says_to_upgrade(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")

    result = CliRunner().invoke(main, ["db", "check"])

    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "claimtrack: the database is not at the newest migration: run `claimtrack db upgrade`"
    ]


def test_openapi_offers_print_and_write_only(run):
    shown = run("openapi", "--help").output

    assert "list-config-prefixes" not in shown
    assert "print" in shown and "write" in shown


def test_keys_list_has_a_header_and_escapes_control_characters(run):
    run("db", "upgrade")
    run("keys", "create", "--name", "evil\x1b[2Jname", "--role", "researcher")

    lines = run("keys", "list").output.splitlines()

    assert lines[0].split() == ["id", "key", "name", "role", "state", "expires"]
    assert "\x1b" not in lines[1] and "evil\\x1b[2Jname" in lines[1]


def test_due_escapes_control_characters_in_claim_text(run, monkeypatch):
    run("db", "upgrade")
    run("demo", "load")
    engine = create_engine(os.environ["DATABASE_URL"])
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE claim SET text = 'Bell\aand\x1b[31mred', review_due = '2000-01-01' "
                "WHERE id = 7"
            )
        )
    engine.dispose()

    shown = run("due").output

    assert "\a" not in shown and "\x1b" not in shown
    assert "Bell\\x07and\\x1b[31mred" in shown
