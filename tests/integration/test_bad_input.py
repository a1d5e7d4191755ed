"""Bad input gets a clear error naming what is wrong, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput, IsmsFlowError, NotFound
from isms_flow.services import clients, evidence, history, overrides, projects
from tests.integration.support import MakeFile, event_count, project_state, vault_files

REASON = "certification body agreed to it"


@pytest.fixture
def two_acme_like_projects(app: App, project_ref: str) -> None:
    """acme/isms and beta/isms: the bare key 'isms' is ambiguous."""
    clients.add_client(app, key="beta", name="Beta K.K.", actor="consultant")
    projects.create_project(app, client_key="beta", key="isms", title="Beta ISMS", actor="c")


def _operations(make_file: MakeFile) -> dict[str, Callable[[App, str], Any]]:
    return {
        "fire_trigger": lambda app, ref: projects.fire_trigger(
            app, ref=ref, trigger="advance", actor="c"
        ),
        "set_scope": lambda app, ref: projects.set_scope(
            app, ref=ref, actor="c", whole=True, units=[]
        ),
        "add_evidence": lambda app, ref: evidence.add_evidence(
            app, ref=ref, kind="asset_inventory", file=make_file("assets.xlsx"), actor="c"
        ),
        "request_override": lambda app, ref: overrides.request_override(
            app, ref=ref, trigger="advance", reason=REASON, actor="c"
        ),
        "project_status": lambda app, ref: projects.project_status(app, ref=ref),
        "project_history": lambda app, ref: history.project_history(app, ref=ref),
    }


def test_an_ambiguous_bare_project_key_is_refused_listing_both_refs(
    app: App, two_acme_like_projects: None, make_file: MakeFile
) -> None:
    events = event_count(app)
    for name, operation in _operations(make_file).items():
        with pytest.raises(BadInput) as refused:
            operation(app, "isms")
        assert str(refused.value) == (
            "project 'isms' is ambiguous; say which: acme/isms, beta/isms"
        ), name
    assert event_count(app) == events
    assert vault_files(app) == []
    with app.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT state, version FROM projects").all()
    assert sorted(tuple(r) for r in rows) == [("scoping", 1), ("scoping", 1)]


def test_a_bare_key_works_when_only_one_client_has_it(app: App, project_ref: str) -> None:
    assert projects.project_status(app, ref="isms").project.ref == "acme/isms"


@pytest.mark.parametrize("ref", ["acme/nope", "nope", "ghost/isms"])
def test_an_unknown_project_is_not_found_and_nothing_is_written(
    app: App, project_ref: str, make_file: MakeFile, ref: str
) -> None:
    events = event_count(app)
    for name, operation in _operations(make_file).items():
        with pytest.raises(NotFound) as refused:
            operation(app, ref)
        assert str(refused.value) == f"project {ref} not found: see `isms-flow project list`", name
    assert event_count(app) == events
    assert vault_files(app) == []
    assert project_state(app) == ("scoping", 1)


@pytest.mark.parametrize("ref", ["", "a/b/c"])
def test_a_malformed_project_reference_is_refused(app: App, project_ref: str, ref: str) -> None:
    with pytest.raises(BadInput, match="must be CLIENT/PROJECT or PROJECT"):
        projects.fire_trigger(app, ref=ref, trigger="advance", actor="c")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda app: projects.set_scope(
                app, ref="acme/isms", actor="c", whole=True, units=["HQ"]
            ),
            "either the whole organization or named units",
        ),
        (
            lambda app: projects.set_scope(
                app, ref="acme/isms", actor="c", whole=False, units=["HQ", " HQ "]
            ),
            "named twice",
        ),
        (
            lambda app: projects.set_scope(app, ref="acme/isms", actor="c", whole=False, units=[]),
            "give --whole or at least one --unit",
        ),
        (
            lambda app: projects.create_project(
                app, client_key="acme", key="isms", title="Again", actor="c"
            ),
            "already exists",
        ),
        (
            lambda app: projects.create_project(
                app, client_key="acme", key="Bad Key", title="x", actor="c"
            ),
            "must be 1–64 lowercase letters",
        ),
        (
            lambda app: projects.create_project(
                app, client_key="nobody", key="x", title="x", actor="c"
            ),
            "client nobody not found",
        ),
        (
            lambda app: clients.add_client(
                app, key="tokyo", name="T", actor="c", timezone="Asia/Tokio"
            ),
            "unknown time zone 'Asia/Tokio'",
        ),
        (
            lambda app: evidence.approve_evidence(
                app, ref="acme/isms", document_id=999, role="top_management", actor="ceo"
            ),
            "evidence #999 of project acme/isms not found",
        ),
        (
            lambda app: overrides.approve_override(
                app, ref="acme/isms", override_id=42, actor="bob"
            ),
            "override #42 of project acme/isms not found",
        ),
    ],
    ids=[
        "scope both",
        "scope unit twice",
        "scope empty",
        "duplicate project",
        "bad project key",
        "unknown client",
        "unknown time zone",
        "unknown evidence",
        "unknown override",
    ],
)
def test_other_bad_input_is_refused_with_its_reason_and_changes_nothing(
    app: App, project_ref: str, call: Callable[[App], Any], message: str
) -> None:
    events = event_count(app)
    with pytest.raises(IsmsFlowError, match=message):
        call(app)
    assert event_count(app) == events
    assert project_state(app) == ("scoping", 1)
