"""`isms-flow portfolio` as a consultant drives it: the table, --json, filters, pages, --user,
and every refusal (exit 2, one line, nothing changed).

The command line runs on the real clock, so deadlines are set relative to today: evidence that
lapsed ten days ago (overdue), lapses in ten days (due soon) and in a hundred days.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import Cli

TANAKA = "tanaka@nakano.example.jp"


@pytest.fixture
def consultancy(cli: Cli) -> Cli:
    """Clients acme (nakano) and beta (default organization); four projects, three deadlines;
    tanaka@nakano is a viewer of acme."""
    cli.call("org", "add", "nakano", "--name", "Nakano Consulting").ok()
    cli.call("client", "add", "acme", "--name", "ACME Corp.", "--org", "nakano").ok()
    cli.call("client", "add", "beta", "--name", "Beta Inc.").ok()
    for ref in ("acme/late", "acme/soon", "beta/later", "beta/calm"):
        client, key = ref.split("/")
        cli.call("project", "create", client, key, "--title", key.title()).ok()
    today = datetime.now(ZoneInfo("Asia/Tokyo")).date()  # the clients' time zone
    month_ago = (today - timedelta(days=30)).isoformat()
    inventory = cli.folder / "assets.xlsx"
    inventory.write_text("laptops")
    for ref, days in (("acme/late", -10), ("acme/soon", 10), ("beta/later", 100)):
        lapses = (today + timedelta(days=days)).isoformat()
        cli.call("evidence", "add", ref, str(inventory), "--kind", "asset_inventory",
                 "--effective", month_ago, "--valid-until", lapses).ok()  # fmt: skip
    cli.call("user", "add", TANAKA, "--org", "nakano", "--name", "Tanaka Taro").ok()
    cli.call("user", "grant", TANAKA, "acme", "viewer").ok()
    return cli


def test_json_lists_every_project_soonest_deadline_first(consultancy: Cli) -> None:
    page = consultancy.call("portfolio", "--json").ok().json()
    assert [row["project"] for row in page["rows"]] == [
        "acme/late",
        "acme/soon",
        "beta/later",
        "beta/calm",
    ]
    assert page["total"] == 4 and page["next_cursor"] is None
    late, soon, later, calm = page["rows"]
    assert (late["overdue"], late["days_left"]) == (True, -10)
    assert (soon["overdue"], soon["days_left"]) == (False, 10)
    assert later["next_deadline"]["kind"] == "evidence_validity"
    assert calm["next_deadline"] is None and calm["days_left"] is None
    assert calm["stage"] == "scoping" and calm["forward_trigger"] == "advance"
    assert calm["blockers"] == 4  # scope, statement, inventory, context analysis
    assert soon["blockers"] == 3  # its inventory is uploaded and still valid
    assert late["blockers"] == 4  # its inventory lapsed: it no longer counts


def test_the_table_marks_overdue_and_says_how_to_see_the_next_page(consultancy: Cli) -> None:
    # A fresh process: its terminal width comes from COLUMNS, whoever imported Rich first.
    first = consultancy.run("portfolio", "--limit", "2").ok().out
    assert "Portfolio — every client" in first
    assert "-10 (overdue)" in first and "Define the ISMS scope" in first
    assert "2 of 4 project(s) shown" in first
    hint = next(line for line in first.splitlines() if line.startswith("more: "))
    words = hint.removeprefix("more: ").split()
    assert words[:4] == ["isms-flow", "portfolio", "--limit", "2"] and words[4] == "--cursor"
    rest = consultancy.run(*words[1:]).ok().out
    assert "beta/later" in rest and "beta/calm" in rest and "acme/late" not in rest
    assert "more: " not in rest


def test_japanese_labels(consultancy: Cli) -> None:
    table = consultancy.run("portfolio", "--lang", "ja").ok().out
    assert "ポートフォリオ — 全クライアント" in table
    assert "期限超過" in table and "ISMSの適用範囲を決める" in table


def test_filters_by_client_stage_and_overdue(consultancy: Cli) -> None:
    def refs(*options: str) -> list[str]:
        page = consultancy.call("portfolio", *options, "--json").ok().json()
        return [row["project"] for row in page["rows"]]

    assert refs("--client", "beta") == ["beta/later", "beta/calm"]
    assert refs("--overdue") == ["acme/late"]
    assert refs("--no-overdue") == ["acme/soon", "beta/later", "beta/calm"]
    assert refs("--stage", "policy") == []
    assert "No project matches" in consultancy.call("portfolio", "--stage", "policy").ok().out


def test_user_shows_only_what_that_user_may_see(consultancy: Cli) -> None:
    page = consultancy.call("portfolio", "--user", TANAKA, "--json").ok().json()
    assert [row["project"] for row in page["rows"]] == ["acme/late", "acme/soon"]
    table = consultancy.call("portfolio", "--user", TANAKA).ok().out
    assert f"what {TANAKA} may see" in table
    hidden = consultancy.call("portfolio", "--user", TANAKA, "--client", "beta").fails(2)
    assert hidden.err.strip() == "error: client beta not found"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--cursor", "garbage"], "the cursor is not one this listing gave out"),
        (["--limit", "0"], "limit must be between 1 and 500, not 0"),
        (["--stage", "polcy"], "unknown stage 'polcy'"),
        (["--client", "zeta"], "client zeta not found"),
        (["--user", "nobody@example.com"], "user nobody@example.com not found"),
        (["--user", "not-an-address"], "not-an-address"),
    ],
)
def test_bad_input_is_refused_in_one_line_and_changes_nothing(
    consultancy: Cli, options: list[str], message: str
) -> None:
    before = consultancy.events()
    refused = consultancy.call("portfolio", *options).fails(2)
    assert message in refused.err and len(refused.err.strip().splitlines()) == 1
    as_json = consultancy.call("portfolio", *options, "--json").fails(2).json()
    assert message in as_json["error"]["message"]
    assert consultancy.events() == before


def test_a_bad_cursor_in_a_fresh_process(consultancy: Cli) -> None:
    refused = consultancy.run("portfolio", "--cursor", "eyJ2IjoyfQ").fails(2)
    assert "start again without a cursor" in refused.err
