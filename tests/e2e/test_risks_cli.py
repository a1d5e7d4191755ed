"""`isms-flow risks …` as a user drives it: assess, treat, accept, heat map, CSV, clean errors."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.e2e.conftest import Cli


def assess(cli: Cli, acme: str) -> None:
    """Two assets, three risks scored, R-001 treated with a residual score."""
    cli.call(
        "risks", "asset-add", acme, "Customer database", "--owner", "suzuki.it",
        "-c", "3", "-i", "3", "-a", "3",
    ).ok()  # fmt: skip
    cli.call("risks", "add", acme, "Data leak", "--owner", "suzuki.it", "--asset", "A-001",
             "--vulnerability", "No MFA on admin accounts", "--likelihood", "4", "--impact", "5",
             ).ok()  # fmt: skip
    cli.call("risks", "add", acme, "Laptop theft", "--owner", "suzuki.it").ok()
    cli.call("risks", "score", acme, "R-002", "4", "3").ok()
    cli.call("risks", "add", acme, "Typo in a web page", "--owner", "sato.isms",
             "--likelihood", "1", "--impact", "1").ok()  # fmt: skip
    cli.call(
        "risks", "treat", acme, "R-001", "modify", "--control", "5.15", "--control", "A.8.5",
        "--owner", "suzuki.it", "--due", "2026-06-30",
    ).ok()  # fmt: skip
    cli.call("risks", "residual", acme, "R-001", "2", "4").ok()


def test_the_heatmap_counts_risks_per_cell_and_gives_the_matrix_as_json(
    cli: Cli, acme: str
) -> None:
    assess(cli, acme)
    out = cli.call("risks", "heatmap", acme).ok().out
    assert "Risk heat map of acme/isms: 3 risk(s) by likelihood × impact before treatment" in out
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") == 7}
    assert [cell.strip() for cell in rows["4"].split("│")[2:7]] == ["·", "·", "1", "·", "1"]
    assert [cell.strip() for cell in rows["1"].split("│")[2:7]] == ["1", "·", "·", "·", "·"]
    assert "acceptable up to rating 6" in out

    matrix = cli.call("risks", "heatmap", acme, "--residual", "--json").ok().json()
    assert (matrix["residual"], matrix["likelihood_levels"], matrix["impact_levels"]) == (
        True, 5, 5,
    )  # fmt: skip
    cells = {(c["likelihood"], c["impact"]): c for row in matrix["rows"] for c in row}
    assert [row[0]["likelihood"] for row in matrix["rows"]] == [5, 4, 3, 2, 1]
    assert cells[(2, 4)] == {
        "likelihood": 2, "impact": 4, "rating": 8, "level": "medium", "acceptable": False,
        "count": 1, "keys": ["R-001"],
    }  # fmt: skip
    assert cells[(4, 3)]["keys"] == ["R-002"]  # untreated: it stays where it is
    assert matrix["unplaced"] == [] and matrix["placed"] == 3

    with_keys = cli.call("risks", "heatmap", acme, "--residual", "--keys").ok().out
    assert "R-001" in with_keys and "Residual risk heat map of acme/isms" in with_keys


def test_accept_list_and_status_as_the_owner_sees_them(cli: Cli, acme: str) -> None:
    assess(cli, acme)
    refused = cli.call("risks", "accept", acme, "R-001", actor="sato.isms").fails(2)
    assert "only the risk owner suzuki.it may accept the residual risk of R-001" in refused.err
    done = cli.call("risks", "accept", acme, "R-001", actor="suzuki.it").ok().out
    assert "✓ suzuki.it accepted the residual risk of R-001 at rating 8" in done
    listed = cli.call("risks", "list", acme, "--json").ok().json()
    assert listed["progress"] == [
        "risks scored 3/3",
        "above the acceptance level treated 1/2",
        "residual risks accepted 1/1",
    ]
    assert [(r["key"], r["flags"]) for r in listed["risks"]] == [
        ("R-001", []), ("R-002", ["untreated"]), ("R-003", []),
    ]  # fmt: skip
    untreated = cli.call("risks", "list", acme, "--flag", "untreated").ok().out
    assert "R-002" in untreated and "R-001" not in untreated
    ja = cli.call("risks", "list", acme, "--lang", "ja").ok().out
    assert "評価済みリスク 3/3" in ja and "対応未決定" in ja

    rescored = cli.call("risks", "score", acme, "R-001", "5", "5").ok().out
    assert "the acceptance by suzuki.it is now stale" in rescored


def test_export_and_import_through_files_and_bad_rows_change_nothing(
    cli: Cli, acme: str, tmp_path: Path
) -> None:
    assess(cli, acme)
    out_file = tmp_path / "risks.csv"
    exported = cli.call("risks", "export", acme, "-o", str(out_file)).ok().out
    assert f"3 risks of acme/isms written to {out_file}" in exported
    with out_file.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["key"], r["rating"], r["flags"]) for r in rows] == [
        ("R-001", "20", "acceptance_missing"), ("R-002", "12", "untreated"), ("R-003", "1", ""),
    ]  # fmt: skip

    events = cli.events()
    bad = tmp_path / "bad.csv"
    bad.write_text("key,threat,owner,likelihood,impact\nR-009,Flood,x,0,2\nR-010,,x,,\n", "utf-8")
    failed = cli.call("risks", "import", acme, str(bad)).fails(2)
    assert "bad.csv: 2 bad rows, nothing was imported:" in failed.err
    assert "line 2: likelihood 0 is outside the risk method's scale 1–5" in failed.err
    assert "line 3: R-010: the threat must not be empty" in failed.err
    as_json = cli.call("risks", "import", acme, str(bad), "--json").fails(2).json()
    assert as_json["error"]["type"] == "BadInput"
    assert cli.events() == events

    unchanged = cli.call("risks", "import", acme, str(out_file)).ok().out
    assert "0 added, 0 changed, 3 unchanged" in unchanged
    assert "nothing changed, so nothing was saved" in unchanged


def test_bad_input_exits_2_with_one_line_and_no_traceback(cli: Cli, acme: str) -> None:
    assess(cli, acme)
    events = cli.events()
    cases = [
        (("risks", "score", acme, "R-001", "6", "1"), "likelihood 6 is outside the risk method"),
        (("risks", "treat", acme, "R-001", "ignore"), "treatment 'ignore' is not modify, avoid"),
        (("risks", "treat", acme, "R-001", "modify", "--control", "9.1"), "Annex A control '9.1'"),
        (("risks", "residual", acme, "R-001"), "give LIKELIHOOD and IMPACT after treatment"),
        (("risks", "method", acme, "--likelihood", "11"), "likelihood levels 11 must be between"),
        (("risks", "score", acme, "R-404", "1", "1"), "risk R-404 of project acme/isms not found"),
        (("risks", "treat", acme, "R-001", "modify", "--due", "June"), "--due 'June' is not a"),
        (("risks", "list", acme, "--flag", "late"), "unknown flag 'late' (known: unscored,"),
    ]
    for args, message in cases:
        result = cli.call(*args).fails(2)
        assert message in result.err, (args, result.err)
        assert len(result.err.strip().splitlines()) <= 2, result.err
    assert cli.events() == events


def test_a_real_process_sets_the_method_and_shows_it(cli: Cli) -> None:
    cli.run("client", "add", "acme", "--name", "ACME").ok()
    cli.run("project", "create", "acme", "isms", "--title", "ISMS").ok()
    shown = cli.run("risks", "method", "acme/isms", "--likelihood", "4", "--impact", "4",
                    "--threshold", "4").ok().out  # fmt: skip
    assert "risk method of acme/isms set to 4 × 4, acceptable up to 4; no risk was re-scored" in (
        shown
    )
    assert "very low" in shown and "5–8" in shown
    as_json = cli.run("risks", "method", "acme/isms", "--json").ok().json()
    assert (as_json["acceptance_threshold"], as_json["default"]) == (4, False)


def test_the_demo_blocks_on_an_empty_register_then_fills_it(cli: Cli) -> None:
    out = cli.call("demo").ok().out
    assert "risks_scored: the risk register has no risks" in out  # blocked first
    assert "risk register imported from risk-register.csv: 15 risks scored" in out
    assert "tanaka.ceo accepted the residual risk of R-015 at rating 8" in out
    assert "→ risk_assessment → staff_training" in out
    heat = cli.call("risks", "heatmap", "demo-corp/isms-cert", "--json").ok().json()
    assert heat["placed"] == 15
