"""claimtrack export / import: the routes' code on the command line, for big archives."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from exchange_helpers import FILES

from service.cli import main


@pytest.fixture
def run(tmp_path, monkeypatch):
    def invoke(database: str, *args):
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / database}")
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_an_archive_exported_to_a_file_imports_into_another_database(run, tmp_path):
    archive = tmp_path / "claims.ndjson"
    run("a.sqlite3", "db", "upgrade")
    run("a.sqlite3", "demo", "load")
    run("b.sqlite3", "db", "upgrade")

    exported = run("a.sqlite3", "export", "-o", str(archive))
    imported = run("b.sqlite3", "import", str(archive))
    again = run("b.sqlite3", "export")

    assert exported.exit_code == 0 and imported.exit_code == 0, imported.output
    assert "14 records: created 14, existing 0, failed 0; 3 new sources" in imported.output
    first = [json.loads(line) for line in archive.read_text(encoding="utf-8").splitlines()]
    second = [json.loads(line) for line in again.output.splitlines()]
    assert [r["uid"] for r in second] == [r["uid"] for r in first]
    written = [(c["uid"], c["created_by"], c["created_at"]) for c in first[0]["timeline"]]
    kept = [
        (c["uid"], c["original_author"], c["original_created_at"]) for c in second[0]["timeline"]
    ]
    assert kept == written
    assert {c["created_by"] for c in second[0]["timeline"]} == {"cli"}


def test_export_takes_the_list_filters_and_formats(run):
    run("a.sqlite3", "db", "upgrade")
    run("a.sqlite3", "demo", "load")

    promises = run("a.sqlite3", "export", "--format", "csv", "--kind", "promise")
    feed = run("a.sqlite3", "export", "--format", "claimreview", "--base-url", "https://ct.example")
    refused = run("a.sqlite3", "export", "--sort", "relevance")

    assert len(promises.output.strip().splitlines()) == 1 + 4
    reviews = json.loads(feed.output)["dataFeedElement"]
    assert reviews[0]["item"][0]["url"].startswith("https://ct.example/api/v1/claims/")
    assert refused.exit_code != 0


def test_a_claimreview_export_takes_its_base_url_from_the_settings(run, monkeypatch):
    run("a.sqlite3", "db", "upgrade")
    run("a.sqlite3", "demo", "load")
    monkeypatch.setenv("CLAIMTRACK_BASE_URL", "https://Claims.Example.org/")

    feed = run("a.sqlite3", "export", "--format", "claimreview")
    chosen = run(
        "a.sqlite3", "export", "--format", "claimreview", "--base-url", "https://ct.example"
    )

    urls = [r["item"][0]["url"] for r in json.loads(feed.output)["dataFeedElement"]]
    assert urls and all(u.startswith("https://claims.example.org/api/v1/claims/") for u in urls)
    chosen_urls = [r["item"][0]["url"] for r in json.loads(chosen.output)["dataFeedElement"]]
    assert all(u.startswith("https://ct.example/api/v1/claims/") for u in chosen_urls)


def test_a_claimreview_export_without_a_base_url_is_refused(run, monkeypatch):
    monkeypatch.delenv("CLAIMTRACK_BASE_URL", raising=False)
    run("a.sqlite3", "db", "upgrade")

    refused = run("a.sqlite3", "export", "--format", "claimreview")
    ndjson = run("a.sqlite3", "export")

    assert refused.exit_code == 2
    assert "--base-url" in refused.output and "CLAIMTRACK_BASE_URL" in refused.output
    assert ndjson.exit_code == 0


def test_import_dry_run_counts_without_storing(run):
    run("a.sqlite3", "db", "upgrade")

    dry = run("a.sqlite3", "import", str(FILES / "datafeed.json"), "--dry-run")
    after = run("a.sqlite3", "export")

    assert "4 records: would create 4" in dry.output
    assert after.output == ""


def test_a_refused_import_lists_the_bad_lines_and_exits_1(run):
    run("a.sqlite3", "db", "upgrade")

    result = CliRunner().invoke(main, ["import", str(FILES / "latin1.ndjson")])

    assert result.exit_code == 1
    assert "line 2: record: not UTF-8" in result.output


def test_partial_mode_on_the_command_line(run):
    run("a.sqlite3", "db", "upgrade")

    result = run("a.sqlite3", "import", str(FILES / "unknown_status.ndjson"), "--mode", "partial")

    assert "2 records: created 1, existing 0, failed 1" in result.output
    assert "line 2: status" in result.output
