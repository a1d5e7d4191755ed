"""Verifying a client's evidence files over HTTP: that client's files only, no server paths."""

from __future__ import annotations

import httpx

from isms_flow.bootstrap import App
from isms_flow.services import evidence
from tests.api.conftest import KITA_ADMIN, World, email_of
from tests.integration.support import MakeFile

VERIFY = "/clients/{client}/evidence/verification"


def test_each_client_sees_only_its_own_files_and_problems(
    app: App, world: World, make_file: MakeFile
) -> None:
    shared = make_file("shared.pdf", "the same bytes at two clients")
    evidence.add_evidence(app, ref="acme/isms", kind="scope_statement", file=shared, actor="root")
    evidence.add_evidence(app, ref="gamma/isms", kind="scope_statement", file=shared, actor="root")
    own = evidence.add_evidence(
        app, ref="gamma/isms", kind="asset_inventory", file=make_file("a.pdf", "gamma's"), actor="r"
    )
    app.vault.path_for(own.sha256).unlink()

    with world.client(email_of("admin")) as admin:
        acme = admin.get(VERIFY.format(client="acme"))
    assert acme.status_code == 200
    assert acme.json() == {"intact": True, "files": 1, "problems": []}

    with world.client(KITA_ADMIN) as kita:
        gamma = kita.get(VERIFY.format(client="gamma"))
    assert gamma.status_code == 200
    body = gamma.json()
    assert (body["intact"], body["files"]) == (False, 2)
    [problem] = body["problems"]
    assert problem["problem"] == "missing" and problem["sha256"] == own.sha256
    assert [use.split(" ")[0] for use in problem["used_by"]] == ["gamma/isms"]
    assert str(app.settings.data_dir) not in gamma.text and "acme" not in gamma.text


def test_a_shared_file_lists_only_the_callers_uses(
    app: App, world: World, make_file: MakeFile
) -> None:
    shared = make_file("shared.pdf", "the same bytes at two clients")
    view = evidence.add_evidence(
        app, ref="acme/isms", kind="scope_statement", file=shared, actor="root"
    )
    evidence.add_evidence(app, ref="gamma/isms", kind="scope_statement", file=shared, actor="root")
    app.vault.path_for(view.sha256).unlink()
    with world.client(email_of("auditor")) as auditor:
        body = auditor.get(VERIFY.format(client="acme")).json()
    [problem] = body["problems"]
    assert problem["sha256"] == view.sha256
    assert len(problem["used_by"]) == 1 and problem["used_by"][0].startswith("acme/isms ")
    assert "gamma" not in str(body)


def test_verifying_needs_read_evidence_and_a_role_on_the_client(world: World) -> None:
    with world.client(email_of("viewer")) as viewer:
        assert viewer.get(VERIFY.format(client="acme")).status_code == 403
    with world.client(KITA_ADMIN) as kita:
        assert kita.get(VERIFY.format(client="acme")).status_code == 404


def test_nothing_to_verify_is_intact(admin: httpx.Client) -> None:
    assert admin.get(VERIFY.format(client="acme")).json() == {
        "intact": True,
        "files": 0,
        "problems": [],
    }
