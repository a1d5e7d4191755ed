"""Four-eyes overrides from the command line, and a lost race mapped to exit 3."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.e2e.conftest import Cli

REASON = "the certification body accepted the draft scope"


def test_override_needs_a_second_person(cli: Cli, acme: str) -> None:
    short = cli.call("project", "override", "request", acme, "advance", "--reason", "ok")
    assert "at least 10 characters" in short.fails(2).err
    requested = cli.call(
        "project", "override", "request", acme, "advance", "--reason", REASON, "--json",
        actor="alice",
    ).ok()  # fmt: skip
    override = requested.json()
    assert (override["status"], override["requested_by"]) == ("pending", "alice")
    assert len(override["blockers"]) == 4
    pending = cli.call("project", "status", acme, "--json").ok().json()["pending_overrides"]
    assert [o["id"] for o in pending] == [override["id"]]

    oid = str(override["id"])
    again = cli.call("project", "override", "request", acme, "advance", "--reason", REASON)
    assert f"override #{oid} of 'advance' is already waiting for approval" in again.fails(2).err
    own = cli.call("project", "override", "approve", acme, oid, actor="alice").fails(2)
    assert "four eyes" in own.err and "different person" in own.err
    status = cli.call("project", "status", acme, "--json").ok().json()
    assert status["project"]["state"] == "scoping"

    applied = cli.call("project", "override", "approve", acme, oid, actor="bob").ok()
    assert "scoping → policy" in applied.out
    assert "override #1 applied; bypassed:" in applied.out
    assert "scope_statement: no ISMS scope statement (4.3) uploaded" in applied.out

    history = cli.call("project", "history", acme).ok()
    assert "OVERRIDE #1 asked by alice, approved by bob" in history.out
    moved = cli.call("project", "history", acme, "--json").ok().json()[-1]
    assert moved["type"] == "state_changed"
    assert moved["actor"] == "bob"
    assert moved["payload"]["override"]["requested_by"] == "alice"
    assert moved["payload"]["override"]["approved_by"] == "bob"
    assert moved["payload"]["override"]["reason"] == REASON
    assert len(moved["payload"]["override"]["blockers"]) == 4

    twice = cli.call("project", "override", "approve", acme, oid, actor="carol").fails(2)
    assert "already applied" in twice.err
    listed = cli.call("project", "override", "list", acme, "--json").ok().json()
    assert [(o["status"], o["approved_by"]) for o in listed] == [("applied", "bob")]


def test_override_only_for_a_blocked_trigger_of_this_stage(
    cli: Cli, acme: str, make_file: Callable[..., Path]
) -> None:
    wrong = cli.call("project", "override", "request", acme, "reinstate", "--reason", REASON)
    assert "(possible: advance, cancel)" in wrong.fails(2).err

    cli.call("project", "scope", acme, "--whole").ok()
    for kind in ("scope_statement", "asset_inventory", "context_analysis"):
        cli.call("evidence", "add", acme, str(make_file(kind, kind)), "--kind", kind).ok()
    cli.call("evidence", "approve", acme, "1", "--role", "top_management", actor="ceo").ok()
    before = cli.events()
    open_ = cli.call("project", "override", "request", acme, "advance", "--reason", REASON)
    assert "nothing blocks 'advance'; fire it directly" in open_.fails(2).err
    assert cli.events() == before
    assert cli.call("project", "override", "list", acme, "--json").ok().json() == []


def test_override_approved_after_the_project_moved_is_a_conflict(cli: Cli, acme: str) -> None:
    # One waiting request per trigger: the second one is for another blocked trigger.
    for trigger in ("advance", "cancel"):
        cli.call(
            "project", "override", "request", acme, trigger, "--reason", REASON, actor="alice"
        ).ok()
    cli.call("project", "override", "approve", acme, "1", actor="bob").ok()
    before = cli.events()

    stale = cli.run("project", "override", "approve", acme, "2", "--json", actor="bob")
    body = stale.fails(3).json()
    assert body["error"]["type"] == "ConflictError"
    assert "asked from stage 'scoping' but the project is now in 'policy'" in stale.err
    assert cli.events() == before
    status = cli.call("project", "status", acme, "--json").ok().json()
    assert status["project"]["state"] == "policy"
    assert status["pending_overrides"] == []  # the stale one is not offered from `policy`
