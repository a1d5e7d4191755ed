"""`--json` on every read command is one valid JSON document with the documented fields."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from tests.e2e.conftest import Cli

PROJECT_FIELDS = {
    "ref",
    "client",
    "key",
    "title",
    "workflow",
    "workflow_version",
    "state",
    "state_title",
    "scope",
    "version",
    "state_entered_at",
    "updated_at",
}
EVIDENCE_FIELDS = {
    "id",
    "project",
    "kind",
    "kind_title",
    "name",
    "version",
    "current",
    "versions",
    "filename",
    "media_type",
    "size",
    "sha256",
    "effective_date",
    "valid_until",
    "expired",
    "uploaded_by",
    "uploaded_at",
    "approvals",
}
WORKFLOW_FIELDS = {"name", "version", "title", "path", "digest", "states", "transitions", "detail"}


@pytest.fixture
def populated(cli: Cli, acme: str, make_file: Callable[..., Path]) -> str:
    """acme/isms with a scope, one approved document of two versions, one more document."""
    cli.call("project", "scope", acme, "--unit", "Development").ok()
    policy = make_file("scope-v1.md", "scope, first draft")
    cli.call("evidence", "add", acme, str(policy), "--kind", "scope_statement").ok()
    revised = make_file("scope-v2.md", "scope, as approved")
    cli.call(
        "evidence", "add", acme, str(revised), "--kind", "scope_statement",
        "--effective", "2026-03-01", "--valid-until", "2027-02-28", "--note", "revised",
    ).ok()  # fmt: skip
    cli.call("evidence", "approve", acme, "1", "--role", "top_management", actor="ceo").ok()
    inventory = make_file("assets.csv", "laptop,server\n")
    cli.call("evidence", "add", acme, str(inventory), "--kind", "asset_inventory").ok()
    return acme


def test_client_list(cli: Cli, populated: str) -> None:
    clients = cli.call("client", "list", "--json").ok().json()
    assert clients == [
        {
            "key": "acme",
            "name": "ACME Corp.",
            "timezone": "Asia/Tokyo",
            "language": "en",
            "projects": 1,
            "created_at": clients[0]["created_at"],
        }
    ]
    datetime.fromisoformat(clients[0]["created_at"])


def test_project_list_and_status(cli: Cli, populated: str) -> None:
    projects = cli.call("project", "list", "--json").ok().json()
    assert len(projects) == 1
    assert set(projects[0]) == PROJECT_FIELDS
    assert projects[0]["ref"] == populated
    assert projects[0]["state"] == "scoping"
    assert projects[0]["scope"] == "Development"

    status = cli.call("project", "status", populated, "--json").ok().json()
    assert set(status) == {
        "project",
        "stage_title",
        "stage_description",
        "final",
        "checklist",
        "triggers",
        "pending_overrides",
        "workflow_file_changed",
    }
    assert set(status["project"]) == PROJECT_FIELDS
    assert status["final"] is False
    checks = {c["label"]: c for c in status["checklist"]}
    assert all(set(c) == {"label", "met", "have", "need", "blockers"} for c in checks.values())
    assert [c["met"] for c in status["checklist"]] == [True, True, True, False]
    assert status["checklist"][3]["blockers"] == [
        "context_analysis: no Issues and interested parties (4.1/4.2) uploaded"
    ]
    triggers = {t["trigger"]: t for t in status["triggers"]}
    assert set(triggers) == {"advance", "cancel"}
    assert set(triggers["advance"]) == {
        "trigger",
        "title",
        "dest",
        "dest_title",
        "open",
        "blockers",
    }
    assert triggers["advance"]["open"] is False
    assert triggers["advance"]["dest"] == "policy"


def test_project_history(cli: Cli, populated: str) -> None:
    events = cli.call("project", "history", populated, "--json").ok().json()
    assert all(
        set(e) == {"seq", "occurred_at", "actor", "type", "summary", "payload", "hash"}
        for e in events
    )
    assert [e["type"] for e in events] == [
        "project_created",
        "scope_set",
        "evidence_uploaded",
        "evidence_uploaded",
        "evidence_approved",
        "evidence_uploaded",
    ]
    assert events[4]["actor"] == "ceo"
    assert events[4]["payload"]["role"] == "top_management"
    newest = cli.call("project", "history", populated, "--limit", "2", "--json").ok().json()
    assert newest == events[-2:]


def test_evidence_list(cli: Cli, populated: str) -> None:
    current = cli.call("evidence", "list", populated, "--json").ok().json()
    assert all(set(v) == EVIDENCE_FIELDS for v in current)
    by_kind = {v["kind"]: v for v in current}
    assert set(by_kind) == {"scope_statement", "asset_inventory"}
    scope = by_kind["scope_statement"]
    assert (scope["version"], scope["versions"], scope["current"]) == (2, 2, True)
    assert (scope["effective_date"], scope["valid_until"]) == ("2026-03-01", "2027-02-28")
    assert scope["expired"] is False
    assert [(a["by"], a["role"]) for a in scope["approvals"]] == [("ceo", "top_management")]
    assert scope["filename"] == "scope-v2.md"
    assert len(scope["sha256"]) == 64

    every = cli.call("evidence", "list", populated, "--all-versions", "--json").ok().json()
    assert [(v["kind"], v["version"], v["current"]) for v in every] == [
        ("asset_inventory", 1, True),
        ("scope_statement", 1, False),
        ("scope_statement", 2, True),
    ]
    only = cli.call("evidence", "list", populated, "--kind", "asset_inventory", "--json")
    assert [v["kind"] for v in only.ok().json()] == ["asset_inventory"]


def test_audit_verify(cli: Cli, populated: str) -> None:
    chain = cli.call("audit", "verify", "--json").ok().json()
    assert chain == {"intact": True, "events": 7, "head": chain["head"], "problem": None}
    assert len(chain["head"]) == 64


def test_workflow_list_and_show(cli: Cli) -> None:
    listed = cli.call("workflow", "list", "--json").ok().json()
    assert [(w["name"], w["version"]) for w in listed] == [("iso27001-2022", 1)]
    assert set(listed[0]) == WORKFLOW_FIELDS
    assert listed[0]["detail"] == []

    shown = cli.call("workflow", "show", "iso27001-2022", "--json").ok().json()
    assert set(shown) == WORKFLOW_FIELDS
    assert shown["states"] == len(shown["detail"])
    first = shown["detail"][0]
    assert set(first) == {"name", "title", "final", "requires", "triggers"}
    assert first["name"] == "scoping"
    assert first["triggers"] == ["advance → policy", "cancel → cancelled"]
    finals = {s["name"] for s in shown["detail"] if s["final"]}
    assert finals == {"withdrawn", "cancelled"}

    japanese = cli.call("workflow", "show", "iso27001-2022", "--json", "--lang", "ja").ok()
    assert japanese.json()["detail"][0]["title"] == "ISMSの適用範囲を決める"


def test_blocked_advance_prints_the_blockers_as_json(cli: Cli, acme: str) -> None:
    blocked = cli.run("project", "advance", acme, "--json").fails(1)
    body = blocked.json()
    assert set(body) == {"error"}
    assert body["error"]["type"] == "GuardBlocked"
    assert [b.split(":")[0] for b in body["error"]["blockers"]] == [
        "scope",
        "scope_statement",
        "asset_inventory",
        "context_analysis",
    ]
    assert "nothing was changed" in body["error"]["message"]
    assert cli.events() == 2


def test_invalid_trigger_as_json_lists_the_valid_ones(cli: Cli, acme: str) -> None:
    body = cli.call("project", "trigger", acme, "suspend", "--json").fails(2).json()
    assert body["error"]["type"] == "InvalidTrigger"
    assert body["error"]["valid_triggers"] == ["advance", "cancel"]
