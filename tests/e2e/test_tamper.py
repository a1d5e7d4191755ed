"""Out-of-band edits of the vault or the event table are found and named (exit 1)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from tests.e2e.conftest import ANCHOR, Cli


def _sql(cli: Cli, statement: str, *params: object) -> None:
    with sqlite3.connect(cli.db_file) as connection:
        changed = connection.execute(statement, params).rowcount
    assert changed == 1


def test_evidence_verify_names_a_deleted_file(
    cli: Cli, acme: str, make_file: Callable[..., Path]
) -> None:
    scope = make_file("scope.md", "the scope")
    assets = make_file("assets.csv", "laptop")
    cli.call("evidence", "add", acme, str(scope), "--kind", "scope_statement").ok()
    added = cli.call("evidence", "add", acme, str(assets), "--kind", "asset_inventory", "--json")
    sha = added.ok().json()["sha256"]
    assert "2 evidence files verified" in cli.call("evidence", "verify").ok().out

    stored = cli.vault / sha[:2] / sha
    assert stored.is_file()
    stored.unlink()
    failed = cli.run("evidence", "verify").fails(1)
    assert "1 of 2 evidence files failed" in failed.err
    assert f"missing: {sha}" in failed.err
    assert "acme/isms #2 'asset_inventory' v1" in failed.err
    assert str(stored) in failed.err
    assert "'scope_statement'" not in failed.err

    report = cli.call("evidence", "verify", "--json").fails(1).json()  # one JSON document
    assert (report["intact"], report["files"]) == (False, 2)
    assert [(p["sha256"], p["problem"]) for p in report["problems"]] == [(sha, "missing")]
    assert report["problems"][0]["used_by"] == ["acme/isms #2 'asset_inventory' v1"]


def test_evidence_verify_names_a_changed_file(
    cli: Cli, acme: str, make_file: Callable[..., Path]
) -> None:
    added = cli.call(
        "evidence", "add", acme, str(make_file("scope.md", "scope")), "--kind", "scope_statement",
        "--json",
    ).ok()  # fmt: skip
    sha = added.json()["sha256"]
    stored = cli.vault / sha[:2] / sha
    stored.chmod(0o644)
    stored.write_text("scope, quietly edited")
    failed = cli.call("evidence", "verify").fails(1)
    assert f"changed: {sha}" in failed.err
    assert "'scope_statement' v1" in failed.err


def test_audit_verify_names_an_edited_event(cli: Cli, acme: str) -> None:
    cli.call("project", "scope", acme, "--whole").ok()
    cli.call("project", "advance", acme).fails(1)
    assert cli.events() == 3
    _sql(cli, "UPDATE events SET actor = 'mallory' WHERE seq = 2")

    failed = cli.run("audit", "verify").fails(1)
    assert "history check failed after 1 good events" in failed.err
    assert "event seq 2 (project_created" in failed.err
    assert "contents do not match its hash" in failed.err
    assert "verified" not in failed.out

    body = cli.call("audit", "verify", "--json").fails(1).json()  # one JSON document
    assert (body["intact"], body["events"]) == (False, 1)
    assert body["problem"].startswith("event seq 2 (project_created")


def test_audit_verify_names_a_deleted_event(cli: Cli, acme: str) -> None:
    cli.call("project", "scope", acme, "--whole").ok()
    _sql(cli, "DELETE FROM events WHERE seq = 2")
    failed = cli.call("audit", "verify").fails(1)
    assert "event seq 3 (scope_set" in failed.err
    assert "event seq 2 is missing (deleted)" in failed.err


def test_anchor_detects_a_cut_off_tail(cli: Cli, acme: str) -> None:
    cli.call("project", "scope", acme, "--whole").ok()
    anchor = ANCHOR.search(cli.call("audit", "verify").ok().out)
    assert anchor is not None
    assert anchor.group(1) == "3"
    _sql(cli, "DELETE FROM events WHERE seq = 3")
    # Without the anchor a cut-off tail looks like a shorter history...
    assert cli.call("audit", "verify", "--json").ok().json()["events"] == 2
    # ...the anchor printed earlier proves it was truncated.
    failed = cli.call("audit", "verify", "--anchor", anchor.group(0)).fails(1)
    assert "anchor event seq 3 is missing: the history was truncated" in failed.err
