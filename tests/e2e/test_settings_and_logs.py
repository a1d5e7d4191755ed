"""Settings precedence (config file < ISMS_FLOW_* < flags) and the structured log on stderr."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Cli

ENGLISH_TITLE = "ISO/IEC 27001:2022 certification"
JAPANESE_TITLE = "ISO/IEC 27001:2022 認証取得"


def _title(cli: Cli, *flags: str) -> str:
    return str(cli.call("workflow", "list", "--json", *flags).ok().json()[0]["title"])


def test_language_config_file_then_environment_then_flag(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "isms.toml"
    config.write_text('language = "ja"\ntimezone = "Europe/Berlin"\n', encoding="utf-8")
    # load_settings records --config in ISMS_FLOW_CONFIG; registering the variable with
    # monkeypatch first makes sure it is removed again after this test.
    monkeypatch.setenv("ISMS_FLOW_CONFIG", "")

    assert _title(cli) == ENGLISH_TITLE  # the shipped default
    assert _title(cli, "--config", str(config)) == JAPANESE_TITLE
    monkeypatch.setenv("ISMS_FLOW_LANGUAGE", "en")
    assert _title(cli, "--config", str(config)) == ENGLISH_TITLE
    assert _title(cli, "--config", str(config), "--lang", "ja") == JAPANESE_TITLE
    monkeypatch.delenv("ISMS_FLOW_LANGUAGE")

    # The config file's time zone becomes the default of new clients; the flag still wins
    # over the file for the language.
    added = cli.call(
        "client", "add", "acme", "--name", "ACME", "--json", "--config", str(config),
        "--lang", "en",
    ).ok()  # fmt: skip
    assert added.json()["timezone"] == "Europe/Berlin"
    table = cli.call("client", "list", "--config", str(config)).ok()
    assert "タイムゾーン" in table.out


def test_environment_sets_the_actor_and_a_flag_overrides_it(
    cli: Cli, acme: str, monkeypatch: pytest.MonkeyPatch, make_file: Callable[..., Path]
) -> None:
    monkeypatch.setenv("ISMS_FLOW_ACTOR", "from.env")
    file = str(make_file("scope.md"))
    # cli.call always passes --actor; run main without it to see the variable.
    from isms_flow.cli.app import main

    with pytest.raises(SystemExit) as done:
        main(["--db", cli.db_url, "evidence", "add", acme, file, "--kind", "scope_statement"])
    assert done.value.code == 0
    cli.call("project", "scope", acme, "--whole", actor="from.flag").ok()
    history = cli.call("project", "history", acme, "--json").ok().json()
    assert [e["actor"] for e in history[-2:]] == ["from.env", "from.flag"]


def test_bad_timezone_in_the_environment_is_a_clear_error(cli: Cli) -> None:
    failed = cli.run("client", "list", env={"ISMS_FLOW_TIMEZONE": "Mars/Olympus_Mons"})
    failed.fails(2)
    assert "setting timezone: unknown time zone 'Mars/Olympus_Mons'" in failed.err
    assert "IANA name" in failed.err
    assert not cli.db_file.exists()  # refused before anything was opened or created


def test_bad_config_files_are_clear_errors(cli: Cli, tmp_path: Path) -> None:
    missing = cli.call("client", "list", "--config", str(tmp_path / "nope.toml")).fails(2)
    assert "nope.toml not found" in missing.err
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('colour = "blue"\n', encoding="utf-8")
    failed = cli.run("client", "list", "--config", str(unknown)).fails(2)
    assert "setting colour" in failed.err


def _log_lines(stderr: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


def test_log_is_json_on_stderr_with_client_project_and_actor(
    cli: Cli, acme: str, make_file: Callable[..., Path]
) -> None:
    file = str(make_file("scope.md", "scope"))
    done = cli.run(
        "--log-level", "info", "evidence", "add", acme, file, "--kind", "scope_statement",
        actor="sato.isms",
    ).ok()  # fmt: skip
    assert "{" not in done.out  # stdout stays for people (or --json), logs go to stderr
    lines = _log_lines(done.err)
    assert lines, done.err
    uploaded = [line for line in lines if line["event"] == "evidence_uploaded"]
    assert len(uploaded) == 1
    assert uploaded[0]["client"] == "acme"
    assert uploaded[0]["project"] == "isms"
    assert uploaded[0]["actor"] == "sato.isms"
    assert uploaded[0]["level"] == "info"
    assert uploaded[0]["kind"] == "scope_statement"
    assert "timestamp" in uploaded[0]

    # At the default level (warning) an ordinary command writes no log line at all...
    quiet = cli.call("project", "advance", acme).fails(1)
    assert _log_lines(quiet.err) == []
    # ...and a blocked trigger is logged at info with the same bindings.
    logged = cli.call("project", "advance", acme, "--log-level", "info", actor="bob").fails(1)
    blocked = [line for line in _log_lines(logged.err) if line["event"] == "trigger_blocked"]
    assert len(blocked) == 1
    assert (blocked[0]["client"], blocked[0]["project"], blocked[0]["actor"]) == (
        "acme",
        "isms",
        "bob",
    )
    assert blocked[0]["blockers"] == 4  # no scope, two documents missing, one unapproved


def test_an_unexpected_error_is_one_line_and_debug_logs_its_details(
    cli: Cli, acme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from isms_flow.services import projects

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(projects, "project_status", broken)
    quiet = cli.call("project", "status", acme)
    assert quiet.code == 70
    assert "Traceback" not in quiet.text
    assert "internal error: RuntimeError: disk on fire" in quiet.err
    assert "--log-level debug" in quiet.err
    assert _log_lines(quiet.err) == []

    # The message promises details at debug level: the log line carries the exception, as
    # structured JSON rather than a traceback dumped on the terminal.
    loud = cli.call("project", "status", acme, "--log-level", "debug")
    assert loud.code == 70
    failures = [line for line in _log_lines(loud.err) if line["event"] == "internal_error"]
    assert len(failures) == 1
    assert "disk on fire" in json.dumps(failures[0]["exception"])
    assert "RuntimeError" in json.dumps(failures[0]["exception"])
