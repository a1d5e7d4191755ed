"""Bad input gets one clear message and exit 2, never a traceback, and changes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.e2e.conftest import Cli


def test_invalid_trigger_lists_the_valid_ones(cli: Cli, acme: str) -> None:
    wrong = cli.call("project", "trigger", acme, "raise_major_nonconformity").fails(2)
    assert "'raise_major_nonconformity' is not possible from stage 'scoping'" in wrong.err
    assert "(possible: advance, cancel)" in wrong.err
    assert cli.call("project", "status", acme, "--json").ok().json()["project"]["version"] == 1
    assert cli.events() == 2


def test_unknown_project_and_client(cli: Cli, acme: str, make_file: Callable[..., Path]) -> None:
    for args in (
        ("project", "status", "acme/nope"),
        ("project", "advance", "nope"),
        ("project", "history", "nope"),
        ("evidence", "list", "globex/isms"),
        ("evidence", "add", "nope", str(make_file("x.md")), "--kind", "asset_inventory"),
    ):
        failed = cli.call(*args).fails(2)
        assert re.search(r"project \S+ not found: see `isms-flow project list`", failed.err)
    no_client = cli.call("project", "create", "globex", "isms", "--title", "T").fails(2)
    assert "client globex not found" in no_client.err
    bad_ref = cli.call("project", "status", "a/b/c").fails(2)
    assert "must be CLIENT/PROJECT or PROJECT" in bad_ref.err
    assert cli.events() == 2


def test_bad_dates_store_nothing(cli: Cli, acme: str, make_file: Callable[..., Path]) -> None:
    file = str(make_file("scope.md", "our scope"))
    for options, message in (
        (("--effective", "2026-13-01"), "--effective '2026-13-01' is not a date (use YYYY-MM-DD)"),
        (("--valid-until", "tomorrow"), "--valid-until 'tomorrow' is not a date"),
        (
            ("--effective", "2026-05-01", "--valid-until", "2026-04-30"),
            "valid-until 2026-04-30 is before the effective date 2026-05-01",
        ),
    ):
        failed = cli.call("evidence", "add", acme, file, "--kind", "scope_statement", *options)
        assert message in failed.fails(2).err
    assert cli.call("evidence", "list", acme, "--all-versions", "--json").ok().json() == []
    assert cli.events() == 2
    assert not cli.vault.exists() or not any(p.is_file() for p in cli.vault.rglob("*"))


def test_missing_and_empty_files(cli: Cli, acme: str, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-file.pdf"
    failed = cli.run("evidence", "add", acme, str(missing), "--kind", "scope_statement").fails(2)
    assert f"file {missing} not found" in failed.err
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    failed = cli.call("evidence", "add", acme, str(empty), "--kind", "scope_statement").fails(2)
    assert "the file is empty" in failed.err
    directory = cli.call("evidence", "add", acme, str(tmp_path), "--kind", "scope_statement")
    assert "is not a regular file" in directory.fails(2).err
    assert cli.events() == 2


def test_unknown_kind_suggests_the_close_one(
    cli: Cli, acme: str, make_file: Callable[..., Path]
) -> None:
    failed = cli.call(
        "evidence", "add", acme, str(make_file("p.md")), "--kind", "scope_statment"
    ).fails(2)
    assert "unknown evidence kind 'scope_statment'" in failed.err
    assert "did you mean 'scope_statement'?" in failed.err


def test_usage_errors_exit_2_without_traceback(cli: Cli, acme: str) -> None:
    cli.call("project", "advance").fails(2)  # missing argument
    cli.call("project", "status", acme, "--frobnicate").fails(2)  # unknown option
    cli.call("project", "history", acme, "--limit", "many").fails(2)  # bad value
    cli.call("project", "history", acme, "--limit", "0").fails(2)
    cli.call("project", "status", acme, "--lang", "fr").fails(2)
    unknown = cli.call("evidence", "approve", acme, "99", "--role", "top_management").fails(2)
    assert "evidence #99 of project acme/isms not found" in unknown.err
    bad_anchor = cli.call("audit", "verify", "--anchor", "12:beef").fails(2)
    assert "must be SEQ:SHA256" in bad_anchor.err


def test_duplicate_keys_and_content_are_refused(
    cli: Cli, acme: str, make_file: Callable[..., Path]
) -> None:
    assert "already exists" in cli.call("client", "add", "acme", "--name", "Again").fails(2).err
    again = cli.call("project", "create", "acme", "isms", "--title", "Again").fails(2)
    assert "project 'acme/isms' already exists" in again.err
    bad_key = cli.call("client", "add", "ACME Corp", "--name", "x").fails(2)
    assert "must be 1–64 lowercase letters" in bad_key.err
    file = str(make_file("inventory.csv", "laptop"))
    cli.call("evidence", "add", acme, file, "--kind", "asset_inventory").ok()
    same = cli.call("evidence", "add", acme, file, "--kind", "asset_inventory").fails(2)
    assert "same content as the current version v1" in same.err
    assert cli.events() == 3


def test_workflow_validate_reports_every_problem_with_its_place(cli: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "format: 1\n"
        "name: broken\n"
        "version: 1\n"
        "title: {en: Broken, ja: 壊れた}\n"
        "initial: start\n"
        "states:\n"
        "  - name: start\n"
        "    title: {en: Start, ja: 開始}\n"
        "    requires:\n"
        "      - bogus: 1\n"
        "  - name: end\n"
        "    title: {en: End}\n"
        "    final: true\n"
        "transitions:\n"
        "  - {trigger: go, source: start, dest: end, title: {en: Go, ja: 進む}, colour: red}\n",
        encoding="utf-8",
    )
    failed = cli.run("workflow", "validate", str(broken)).fails(2)
    where = re.compile(rf"{re.escape(str(broken))}:(\d+):(\d+): (\S+): ")
    lines = [line for line in failed.err.splitlines() if line.strip()]
    places = [where.search(line) for line in lines]
    assert all(places), failed.err  # one line per problem, each naming FILE:LINE:COL
    found = {(m.group(3), int(m.group(1))) for m in places if m}
    assert ("states[0].requires[0]", 10) in found
    assert ("states[1].title.ja", 12) in found
    assert ("transitions[0].colour", 15) in found
    assert "unknown requirement type 'bogus'" in failed.err
    assert failed.out == ""

    syntax = tmp_path / "syntax.yaml"
    syntax.write_text("name: [unclosed\nversion: 1\n", encoding="utf-8")
    bad_yaml = cli.call("workflow", "validate", str(syntax)).fails(2)
    assert re.search(rf"{re.escape(str(syntax))}:\d+:\d+: YAML: ", bad_yaml.err)

    missing = cli.call("workflow", "validate", str(tmp_path / "absent.yaml")).fails(2)
    assert "absent.yaml: no such file" in missing.err


def test_shipped_workflow_validates_and_draws(cli: Cli) -> None:
    from tests.conftest import ISO_WORKFLOW

    valid = cli.call("workflow", "validate", str(ISO_WORKFLOW)).ok()
    assert "iso27001-2022 v1 is valid (22 states" in valid.out
    diagram = cli.call("workflow", "diagram", "iso27001-2022").ok()
    assert diagram.out.startswith("stateDiagram-v2")
    assert "scoping --> policy" in diagram.out
    unknown = cli.call("workflow", "show", "iso9001").fails(2)
    assert "workflow iso9001 not found" in unknown.err
