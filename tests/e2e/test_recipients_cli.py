"""`isms-flow recipients …` as a user drives it: add, list, remove, and bad input."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Cli


def _listed(cli: Cli) -> list[dict[str, object]]:
    listed = cli.call("recipients", "list", "acme", "--json").ok().json()
    assert isinstance(listed, list)
    return listed


def test_add_list_and_remove_an_email_and_a_webhook(cli: Cli, acme: str) -> None:
    added = cli.call(
        "recipients", "add", "acme", "--email", "tanaka@acme.example.jp", "--role", "isms_manager"
    ).ok()
    assert added.out.strip() == (
        "✓ email recipient #1 tanaka@acme.example.jp added for client acme as isms_manager "
        "(language: client's (en))"
    )

    hook = cli.call(
        "recipients", "add", "acme", "--webhook", "https://hooks.acme.example.jp/isms",
        "--role", "escalation", "--language", "ja",
    ).ok()  # fmt: skip
    lines = hook.out.strip().splitlines()
    assert lines[0] == (
        "✓ webhook recipient #2 https://hooks.acme.example.jp/isms added for client acme as "
        "escalation (language: ja)"
    )
    assert "shown only now" in lines[1]
    secret = lines[2].strip()
    assert len(secret) >= 40 and " " not in secret

    table = cli.call("recipients", "list", "acme").ok().out
    assert "tanaka@acme.example.jp" in table and "https://hooks.acme.example.jp/isms" in table
    assert secret not in table
    listed = _listed(cli)
    assert [(r["id"], r["channel"], r["role"]) for r in listed] == [
        (1, "email", "isms_manager"),
        (2, "webhook", "escalation"),
    ]
    assert secret not in str(listed)
    assert listed[1]["secret_fingerprint"] in table

    removed = cli.call("recipients", "remove", "acme", "1").ok()
    assert removed.out.strip() == (
        "✓ recipient #1 (email tanaka@acme.example.jp, isms_manager) removed"
    )
    assert [r["id"] for r in _listed(cli)] == [2]


def test_json_shows_a_generated_secret_once(cli: Cli, acme: str) -> None:
    added = cli.call(
        "recipients", "add", "acme", "--webhook", "http://127.0.0.1:9000/hook",
        "--role", "any", "--json",
    ).ok().json()  # fmt: skip
    assert added["secret"] and added["secret_fingerprint"]
    assert "secret" not in _listed(cli)[0]

    given = cli.call(
        "recipients", "add", "acme", "--webhook", "http://127.0.0.1:9000/other",
        "--role", "any", "--secret", "my-own-secret-0123456789",
    ).ok()  # fmt: skip
    assert "my-own-secret-0123456789" not in given.out
    assert "Deliveries are signed with the secret given (fingerprint" in given.out


def test_labels_in_japanese(cli: Cli, acme: str) -> None:
    cli.call("recipients", "add", "acme", "--email", "a@acme.example.jp", "--role", "any").ok()
    table = cli.call("recipients", "list", "acme", "--lang", "ja").ok().out
    assert "宛先" in table and "役割" in table and "クライアントに従う" in table
    removed = cli.call("recipients", "remove", "acme", "1", "--lang", "ja").ok()
    assert "を削除しました" in removed.out
    none = cli.call("recipients", "list", "acme").ok()
    assert none.out.startswith("Client acme has no notification recipients yet")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--email", "tanaka@", "--role", "any"],
            "error: 'tanaka@' is not an e-mail address (expected e.g. name@example.com)",
        ),
        (
            ["--webhook", "ftp://acme.example.jp/hook", "--role", "any"],
            "error: webhook URL 'ftp://acme.example.jp/hook' must start with http:// or https://",
        ),
        (
            ["--webhook", "not a url", "--role", "any"],
            "error: webhook URL 'not a url' must not be empty or contain spaces",
        ),
        (
            ["--email", "a@acme.example.jp", "--role", "ceo"],
            "error: role 'ceo' is not one of isms_manager, top_management, risk_owner, "
            "internal_auditor, consultant, escalation, any",
        ),
        (
            ["--email", "a@acme.example.jp", "--webhook", "https://x.example", "--role", "any"],
            "error: give exactly one of --email ADDRESS or --webhook URL",
        ),
        (["--role", "any"], "error: give exactly one of --email ADDRESS or --webhook URL"),
        (
            ["--email", "a@acme.example.jp", "--role", "any", "--language", "fr"],
            "error: language 'fr' is not one of en, ja",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line_and_stores_nothing(
    cli: Cli, acme: str, args: list[str], message: str
) -> None:
    before = cli.events()
    result = cli.call("recipients", "add", "acme", *args).fails(2)
    assert result.err.strip() == message
    assert result.out == ""
    assert _listed(cli) == []
    assert cli.events() == before


def test_an_unknown_client_or_recipient_exits_2(cli: Cli, acme: str) -> None:
    before = cli.events()
    unknown = cli.call(
        "recipients", "add", "nobody", "--email", "a@b.example.jp", "--role", "any"
    ).fails(2)
    assert unknown.err.strip() == "error: client nobody not found: see `isms-flow client list`"
    listing = cli.call("recipients", "list", "nobody").fails(2)
    assert listing.err.strip() == "error: client nobody not found: see `isms-flow client list`"
    gone = cli.call("recipients", "remove", "acme", "7").fails(2)
    assert gone.err.strip() == (
        "error: recipient #7 of client 'acme' not found: see `isms-flow recipients list acme`"
    )
    assert cli.events() == before


def test_a_bad_address_as_json_is_one_error_document(cli: Cli, acme: str) -> None:
    result = cli.call(
        "recipients", "add", "acme", "--email", "nope", "--role", "any", "--json"
    ).fails(2)
    assert result.json() == {
        "error": {
            "type": "BadInput",
            "message": "'nope' is not an e-mail address (expected e.g. name@example.com)",
        }
    }


def test_the_installed_command_adds_a_recipient(cli: Cli, acme: str) -> None:
    # A real process: the command is registered and its output survives a pipe.
    result = cli.run(
        "recipients", "add", "acme", "--email", "sato@acme.example.jp", "--role", "escalation"
    ).ok()
    assert "email recipient #1 sato@acme.example.jp added for client acme" in result.out
    bad = cli.run("recipients", "add", "acme", "--email", "sato@", "--role", "escalation")
    bad.fails(2)
    assert len(bad.err.strip().splitlines()) == 1
