"""`isms-flow soa …` as a user drives it: decide, show, export, import; --json; clean errors."""

from __future__ import annotations

from openpyxl import load_workbook  # type: ignore[import-untyped]

from tests.e2e.conftest import Cli

NO_SERVER_ROOM = "No server room: production runs on AWS"


def test_init_decide_and_show_with_progress_in_both_languages(cli: Cli, acme: str) -> None:
    assert (
        "93 Annex A controls added as undecided; 0/93 decided"
        in cli.call("soa", "init", acme).ok().out
    )
    decided = cli.call(
        "soa", "decide", acme, "5.1", "5.2", "--applicable", "--status", "implemented",
        "-j", "Policy and roles approved by the CEO", "--risk", "R-001",
    ).ok()  # fmt: skip
    assert "2 control(s) marked applicable in the SoA of acme/isms: 5.1, 5.2 (2/93 decided)" in (
        decided.out
    )
    excluded = cli.call(
        "soa", "decide", acme, "7.11-7.12", "--excluded", "-j", NO_SERVER_ROOM, "--json"
    ).ok().json()  # fmt: skip
    assert (excluded["controls"], excluded["verdict"], excluded["decided"]) == (
        ["7.11", "7.12"],
        "excluded",
        4,
    )

    shown = cli.call("soa", "show", acme, "--theme", "7").ok().out
    assert "SoA 4/93 decided — 2 applicable (2 implemented, 0 partial, 0 planned), 2 excluded" in (
        shown
    )
    assert "7.12" in shown and "✗ excluded" in shown and NO_SERVER_ROOM in shown
    assert "5.1 " not in shown  # filtered to the physical theme
    assert "soa_complete: 89 of 93 Annex A controls undecided: 5.3, 5.4," in shown

    japanese = cli.call("soa", "show", acme, "--undecided", "--lang", "ja").ok().out
    assert "適用宣言書 4/93 決定済み" in japanese
    assert "アクセス制御" in japanese and "未決定" in japanese
    assert "物理的セキュリティ境界" in japanese  # 7.1, undecided
    assert "ケーブル配線のセキュリティ" not in japanese  # 7.12 is decided

    as_json = cli.call("soa", "show", acme, "--json").ok().json()
    assert (as_json["progress"], as_json["decided"], as_json["complete"]) == (
        "SoA 4/93 decided",
        4,
        False,
    )
    assert as_json["entries"][0]["risk_keys"] == ["R-001"]


def test_bad_input_exits_2_with_one_line_and_changes_nothing(cli: Cli, acme: str) -> None:
    events = cli.events()
    unknown = cli.call("soa", "decide", acme, "5.38", "--excluded", "-j", "x").fails(2)
    assert unknown.err.strip() == (
        "error: Annex A control '5.38' not found: did you mean 5.3, 5.8, 5.37? "
        "ISO/IEC 27001:2022 Annex A has 5.1–5.37, 6.1–6.8, 7.1–7.14, 8.1–8.34"
    )
    undecided = cli.call("soa", "decide", acme, "5.1", "-j", "Policy").fails(2)
    assert undecided.err.strip() == (
        "error: say whether the controls apply: --applicable or --excluded"
    )
    unjustified = cli.call("soa", "decide", acme, "7.4", "--excluded", "--json").fails(2).json()
    assert unjustified["error"] == {
        "type": "BadInput",
        "message": "an excluded control needs a justification",
    }
    theme = cli.call("soa", "show", acme, "--theme", "legal").fails(2)
    assert "unknown Annex A theme 'legal'" in theme.err
    missing = cli.call("soa", "show", "acme/nothing").fails(2)
    assert "project acme/nothing not found" in missing.err
    assert cli.events() == events


def test_a_csv_import_with_bad_rows_names_them_and_saves_nothing_then_a_good_one_saves(
    cli: Cli, acme: str
) -> None:
    events = cli.events()
    bad = cli.folder / "soa.csv"
    bad.write_text(
        "control_id,applicable,justification,status\n"
        "5.1,yes,Policy,implemented\n"
        "7.4,no,,\n"
        "9.1,yes,Not a control,implemented\n",
        encoding="utf-8",
    )
    refused = cli.call("soa", "import", acme, str(bad)).fails(2)
    assert refused.err.startswith("error: soa.csv: 2 bad rows, nothing was imported:")
    assert "  line 3: an excluded control needs a justification" in refused.err
    assert "  line 4: Annex A control '9.1' not found" in refused.err
    assert cli.call("soa", "show", acme, "--json").ok().json()["decided"] == 0
    assert cli.events() == events

    bad.write_text(
        "control_id,applicable,justification,status\n5.1,yes,Policy,implemented\n"
        f"7.4,no,{NO_SERVER_ROOM},\n",
        encoding="utf-8",
    )
    done = cli.call("soa", "import", acme, str(bad), "--json").ok().json()
    assert (done["changed"], done["decided"], done["saved"]) == (["5.1", "7.4"], 2, True)
    assert cli.events() == events + 1
    history = cli.call("project", "history", acme, "--json").ok().json()
    assert history[-1]["type"] == "soa_imported"


def test_export_writes_an_xlsx_and_a_csv_and_refuses_other_suffixes(cli: Cli, acme: str) -> None:
    cli.call("soa", "decide", acme, "7.4", "--excluded", "-j", NO_SERVER_ROOM).ok()
    written = cli.call("soa", "export", acme, "-o", "soa.xlsx").ok().out
    assert "SoA of acme/isms written to soa.xlsx (93 controls, 1/93 decided)" in written
    sheet = load_workbook(cli.folder / "soa.xlsx").active
    assert (sheet["B52"].value, sheet["D52"].value) == ("7.4", "No")

    as_json = cli.call("soa", "export", acme, "-o", "soa.csv", "--lang", "ja", "--json").ok()
    assert as_json.json()["format"] == "csv"
    text = (cli.folder / "soa.csv").read_text(encoding="utf-8-sig")
    assert "7.4,物理的管理策,物理的セキュリティの監視,no," in text

    refused = cli.call("soa", "export", acme, "-o", "soa.pdf").fails(2)
    assert refused.err.strip() == "error: soa.pdf: export to a .xlsx or a .csv file"


def test_the_installed_command_shows_the_soa_as_json(cli: Cli, acme: str) -> None:
    shown = cli.run("soa", "show", acme, "--undecided", "--theme", "people", "--json").ok().json()
    assert [e["control"] for e in shown["entries"]] == [f"6.{n}" for n in range(1, 9)]
    assert shown["filters"] == {"undecided": "yes", "theme": "6"}
