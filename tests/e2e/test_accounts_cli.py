"""`isms-flow org | user | token …` as an administrator drives them, including every refusal."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import Cli

TANAKA = "tanaka@nakano.example.jp"
TOKEN = re.compile(r"^isf_[A-Za-z0-9_-]{43}$")


@pytest.fixture
def nakano(cli: Cli) -> Cli:
    """Organization nakano with client acme and user tanaka (no role yet)."""
    cli.call("org", "add", "nakano", "--name", "Nakano Consulting").ok()
    cli.call("client", "add", "acme", "--name", "ACME", "--org", "nakano").ok()
    cli.call("user", "add", TANAKA, "--org", "nakano", "--name", "Tanaka Taro").ok()
    return cli


def test_an_organization_its_client_a_user_and_a_role(cli: Cli) -> None:
    added = cli.call("org", "add", "nakano", "--name", "Nakano Consulting").ok()
    assert added.out.strip() == "✓ organization nakano (Nakano Consulting) added"
    cli.call("client", "add", "acme", "--name", "ACME", "--org", "nakano").ok()
    cli.call("client", "add", "solo", "--name", "Solo").ok()  # the default organization's
    user = cli.call("user", "add", "Tanaka@Nakano.example.jp", "--org", "nakano",
                    "--name", "Tanaka Taro").ok()  # fmt: skip
    assert user.out.strip() == (
        f"✓ user {TANAKA} (Tanaka Taro) added to organization nakano; grant a role with "
        f"`isms-flow user grant {TANAKA} CLIENT ROLE`"
    )
    granted = cli.call("user", "grant", TANAKA, "acme", "viewer").ok()
    assert granted.out.strip() == f"✓ {TANAKA} now has the role viewer on client acme"
    changed = cli.call("user", "grant", TANAKA, "acme", "consultant").ok()
    assert changed.out.strip() == (
        f"✓ {TANAKA} now has the role consultant on client acme (was viewer)"
    )

    orgs = cli.call("org", "list", "--json").ok().json()
    assert [(o["key"], o["clients"], o["users"]) for o in orgs] == [
        ("default", ["solo"], 0),
        ("nakano", ["acme"], 1),
    ]
    users = cli.call("user", "list", "--org", "nakano", "--json").ok().json()
    assert [(u["email"], u["roles"], u["active_tokens"]) for u in users] == [
        (TANAKA, [{"client": "acme", "role": "consultant"}], 0)
    ]
    table = cli.call("user", "list").ok().out
    assert TANAKA in table and "acme: consultant" in table

    revoked = cli.call("user", "revoke", TANAKA, "acme", "--actor", "sato").ok()
    assert revoked.out.strip() == f"✓ {TANAKA} no longer has the role consultant on client acme"
    assert cli.call("user", "list", "--json").ok().json()[0]["roles"] == []
    assert cli.events() == 7  # org, 2 clients, user, 2 grants, revoke


def test_a_token_is_shown_once_listed_by_fingerprint_and_revoked(nakano: Cli) -> None:
    cli = nakano
    created = cli.call("token", "create", TANAKA, "--name", "ci", "--expires-in-days", "30").ok()
    first, warning, token = created.out.strip().splitlines()
    assert re.fullmatch(
        rf"✓ API token #1 \(([0-9a-f]{{12}})\) created for {re.escape(TANAKA)}, "
        r"valid until 2\d{3}-\d\d-\d\d \d\d:\d\d JST",
        first,
    )
    fingerprint = first.split("(")[1].split(")")[0]
    assert warning == "! Copy the token now: it is shown only this once and stored nowhere."
    assert TOKEN.match(token)

    table = cli.call("token", "list", TANAKA).ok().out
    assert fingerprint in table and "ci" in table and "active" in table and "never" in table
    listed = cli.call("token", "list", TANAKA, "--json").ok().json()
    assert [(t["id"], t["name"], t["status"]) for t in listed] == [(1, "ci", "active")]
    assert token not in str(listed) and token not in table

    done = cli.call("token", "revoke", "1").ok()
    assert done.out.strip() == (
        f"✓ API token #1 ({fingerprint}) of {TANAKA} revoked: it is refused from now on"
    )
    assert cli.call("token", "list", TANAKA, "--json").ok().json()[0]["status"] == "revoked"


def test_json_gives_the_token_once_and_a_subprocess_prints_it_alone_on_its_line(
    nakano: Cli,
) -> None:
    made = nakano.call("token", "create", TANAKA, "--json").ok().json()
    assert TOKEN.match(made["token"]) and made["status"] == "active"
    assert "token" not in nakano.call("token", "list", TANAKA, "--json").ok().json()[0]
    printed = nakano.run("token", "create", TANAKA).ok()
    assert TOKEN.match(printed.out.strip().splitlines()[-1])


def test_japanese_labels(nakano: Cli) -> None:
    nakano.call("user", "grant", TANAKA, "acme", "auditor").ok()
    assert "メールアドレス" in nakano.call("user", "list", "--lang", "ja").ok().out
    created = nakano.call("token", "create", TANAKA, "--lang", "ja").ok().out
    assert "APIトークン #1" in created and "今回しか表示されず" in created
    assert "フィンガープリント" in nakano.call("token", "list", TANAKA, "--lang", "ja").ok().out
    assert "ユーザー数" in nakano.call("org", "list", "--lang", "ja").ok().out


REFUSALS = [
    (("org", "add", "Nakano!", "--name", "X"),
     "organization key 'Nakano!' must be 1–64 lowercase letters, digits or '-', starting with "
     "a letter or digit"),
    (("org", "add", "nakano", "--name", "Again"), "organization 'nakano' already exists"),
    (("org", "add", "other", "--name", "  "), "organization name must not be empty"),
    (("client", "add", "beta", "--name", "Beta", "--org", "nowhere"),
     "organization nowhere not found: see `isms-flow org list`"),
    (("user", "add", "not-an-address", "--org", "nakano", "--name", "X"),
     "'not-an-address' is not an e-mail address (expected e.g. name@example.com)"),
    (("user", "add", "x@nakano.example.jp", "--org", "nowhere", "--name", "X"),
     "organization nowhere not found: see `isms-flow org list`"),
    (("user", "add", "TANAKA@nakano.example.jp", "--org", "default", "--name", "X"),
     f"user {TANAKA} already exists (organization 'nakano')"),
    (("user", "grant", TANAKA, "acme", "owner"),
     "role 'owner' is not one of admin, consultant, project_manager, auditor, viewer"),
    (("user", "grant", "who@nakano.example.jp", "acme", "viewer"),
     "user who@nakano.example.jp not found: see `isms-flow user list`"),
    (("user", "grant", TANAKA, "globex", "viewer"),
     "client globex not found: see `isms-flow client list`"),
    (("user", "grant", TANAKA, "solo", "viewer"),
     f"{TANAKA} belongs to organization 'nakano', client 'solo' to 'default': a role is "
     "granted only on clients of the user's own organization"),
    (("user", "revoke", TANAKA, "acme"), f"{TANAKA} has no role on client 'acme'"),
    (("user", "list", "--org", "nowhere"),
     "organization nowhere not found: see `isms-flow org list`"),
    (("token", "create", "who@nakano.example.jp"),
     "user who@nakano.example.jp not found: see `isms-flow user list`"),
    (("token", "create", TANAKA, "--expires-in-days", "0"),
     "a token must expire within 1–365 days (got 0); the default is 90"),
    (("token", "create", TANAKA, "--expires-in-days", "400"),
     "a token must expire within 1–365 days (got 400); the default is 90"),
    (("token", "create", TANAKA, "--name", "x" * 101),
     "token name is 101 characters long; at most 100"),
    (("token", "list", "who@nakano.example.jp"),
     "user who@nakano.example.jp not found: see `isms-flow user list`"),
    (("token", "revoke", "7"), "API token #7 not found: see `isms-flow token list EMAIL`"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "message"), REFUSALS, ids=[" ".join(a[:2]) for a, _ in REFUSALS])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    nakano: Cli, args: tuple[str, ...], message: str
) -> None:
    nakano.call("client", "add", "solo", "--name", "Solo").ok()
    before = nakano.events()
    failed = nakano.call(*args).fails(2)
    assert failed.err.strip() == f"error: {message}"
    assert nakano.events() == before


def test_usage_errors_and_a_second_revocation(nakano: Cli) -> None:
    assert (
        "Invalid value for '--expires-in-days'"
        in nakano.call("token", "create", TANAKA, "--expires-in-days", "abc").fails(2).err
    )
    nakano.call("token", "create", TANAKA).ok()
    nakano.call("token", "revoke", "1").ok()
    again = nakano.call("token", "revoke", "1", "--json").fails(2)
    assert again.json()["error"]["type"] == "BadInput"
    assert re.fullmatch(
        r"error: API token #1 was already revoked by tester on \d{4}-\d\d-\d\d", again.err.strip()
    )
