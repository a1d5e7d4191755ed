"""The tour a new user takes, through the real entry point on a real SQLite file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.e2e.conftest import ANCHOR, Cli

SCOPING_BLOCKERS = ("scope_statement:", "asset_inventory:", "context_analysis:")


def test_tour_from_client_to_an_advanced_project(cli: Cli, make_file: Callable[..., Path]) -> None:
    cli.call("client", "add", "acme", "--name", "ACME Corp.").ok()
    created = cli.call(
        "project", "create", "acme", "isms", "--title", "ISMS 2026",
        "--unit", "Development", "--unit", "Tokyo office",
    ).ok()  # fmt: skip
    assert "acme/isms" in created.out

    status = cli.run("project", "status", "acme/isms").ok()
    assert "Development, Tokyo office" in status.out
    assert status.out.count("✗") == 3  # scope is met, three documents are missing
    assert status.out.count("✓") == 1
    for blocker in SCOPING_BLOCKERS:
        assert blocker in status.out

    blocked = cli.run("project", "advance", "acme/isms").fails(1)
    assert "nothing was changed" in blocked.err
    listed = [line.strip() for line in blocked.err.splitlines() if line.strip().startswith("- ")]
    assert len(listed) == 3, blocked.err
    for blocker, line in zip(SCOPING_BLOCKERS, listed, strict=True):
        assert line.startswith(f"- {blocker}")

    ids = {}
    for kind in ("scope_statement", "asset_inventory", "context_analysis"):
        added = cli.call(
            "evidence", "add", "acme/isms", str(make_file(f"{kind}.md", kind)), "--kind", kind,
            "--json", actor="sato.isms",
        ).ok()  # fmt: skip
        ids[kind] = added.json()["id"]
    still = cli.call("project", "advance", "acme/isms").fails(1)
    assert "scope_statement:" in still.err and "not approved by Top management" in still.err
    assert "asset_inventory:" not in still.err

    wrong_role = cli.call(
        "evidence", "approve", "acme/isms", str(ids["scope_statement"]), "--role", "ceo",
        actor="tanaka.ceo",
    ).fails(2)  # fmt: skip
    assert "unknown role 'ceo'" in wrong_role.err
    approved = cli.call(
        "evidence", "approve", "acme/isms", str(ids["scope_statement"]),
        "--role", "top_management", actor="tanaka.ceo",
    ).ok()  # fmt: skip
    assert "approved by tanaka.ceo as top_management" in approved.out

    moved = cli.run("project", "advance", "acme/isms", actor="sato.isms").ok()
    assert "scoping → policy" in moved.out

    history = cli.call("project", "history", "acme/isms").ok()
    for expected in (
        "project_created",
        "evidence_uploaded",
        "evidence_approved",
        "state_changed",
        "advance: scoping → policy",
        "tanaka.ceo",
        "sato.isms",
    ):
        assert expected in history.out
    events = cli.call("project", "history", "acme/isms", "--json").ok().json()
    assert [e["type"] for e in events] == [
        "project_created",
        *["evidence_uploaded"] * 3,
        "evidence_approved",
        "state_changed",
    ]
    assert [e["seq"] for e in events] == list(range(2, 8))  # seq 1 is the client

    verified = cli.run("audit", "verify").ok()
    anchor = ANCHOR.search(verified.out)
    assert anchor is not None, verified.out
    assert anchor.group(1) == "7"
    assert anchor.group(2) == events[-1]["hash"]
    # The printed anchor is accepted by a later run.
    cli.call("audit", "verify", "--anchor", anchor.group(0)).ok()


def test_status_and_advance_in_japanese(cli: Cli, acme: str) -> None:
    status = cli.run("project", "status", acme, "--lang", "ja").ok()
    for text in ("段階", "ISMSの適用範囲を決める", "この段階の要件", "次に実行できること"):
        assert text in status.out
    assert "情報資産台帳が提出されていません" in status.out
    assert "認証の適用範囲が記録されていません" in status.out

    blocked = cli.call("project", "advance", acme, "--lang", "ja").fails(1)
    assert "適用範囲: 認証の適用範囲が記録されていません" in blocked.err
    assert "scope_statement: ISMS適用範囲 (4.3)が提出されていません" in blocked.err
    assert "no ISMS scope statement" not in blocked.err

    as_json = cli.call("project", "advance", acme, "--json", "--lang", "ja").fails(1).json()
    assert len(as_json["error"]["blockers"]) == 4
    assert all("提出されていません" in b or "記録されていません" in b
               for b in as_json["error"]["blockers"])  # fmt: skip


def test_demo_twice_on_one_database_keeps_history_intact(cli: Cli) -> None:
    first = cli.run("demo").ok()
    assert "reached 'Certified'" in first.out
    second = cli.call("demo").ok()
    assert "demo-corp/isms-cert-2" in second.out
    assert "client demo-corp" not in second.out  # the client is reused, not added twice

    listed = cli.call("project", "list", "--json").ok().json()
    assert {(p["ref"], p["state"]) for p in listed} == {
        ("demo-corp/isms-cert", "certified"),
        ("demo-corp/isms-cert-2", "certified"),
    }
    clients = cli.call("client", "list", "--json").ok().json()
    assert [(c["key"], c["projects"]) for c in clients] == [("demo-corp", 2)]
    verified = cli.call("audit", "verify", "--json").ok().json()
    assert verified["intact"] is True
    assert verified["problem"] is None
    history = cli.call("project", "history", "demo-corp/isms-cert-2", "--json").ok().json()
    assert history[-1]["summary"] == "advance: certification_decision → certified"
    assert verified["events"] == history[-1]["seq"]
