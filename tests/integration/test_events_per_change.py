"""Every change appends exactly one event in the same transaction; reads and refusals none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from isms_flow.bootstrap import App
from isms_flow.errors import GuardBlocked
from isms_flow.services import evidence, history, overrides, projects
from tests.integration.support import MakeFile, event_count, satisfy_scoping, stored_events


def _one_event(app: App, change: Callable[[], Any], expected_type: str) -> Any:
    before = event_count(app)
    result = change()
    after = stored_events(app)
    assert len(after) == before + 1, f"{expected_type}: {len(after) - before} events appended"
    assert after[-1].type == expected_type
    return result


def test_each_kind_of_change_appends_exactly_one_event(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    ref = project_ref
    _one_event(
        app,
        lambda: projects.set_scope(app, ref=ref, actor="consultant", whole=True, units=[]),
        "scope_set",
    )
    v1 = _one_event(
        app,
        lambda: evidence.add_evidence(
            app, ref=ref, kind="scope_statement", file=make_file("s1.pdf", "v1"), actor="c"
        ),
        "evidence_uploaded",
    )
    _one_event(
        app,
        lambda: evidence.add_evidence(
            app, ref=ref, kind="scope_statement", file=make_file("s2.pdf", "v2"), actor="c"
        ),
        "evidence_uploaded",
    )
    _one_event(
        app,
        lambda: evidence.restore_evidence(app, ref=ref, document_id=v1.id, version=1, actor="c"),
        "evidence_restored",
    )
    _one_event(
        app,
        lambda: evidence.approve_evidence(
            app, ref=ref, document_id=v1.id, role="top_management", actor="ceo"
        ),
        "evidence_approved",
    )
    override = _one_event(
        app,
        lambda: overrides.request_override(
            app, ref=ref, trigger="advance", reason="inventory is reviewed on site", actor="alice"
        ),
        "override_requested",
    )
    _one_event(
        app,
        lambda: overrides.approve_override(app, ref=ref, override_id=override.id, actor="bob"),
        "state_changed",
    )
    policy = evidence.add_evidence(
        app, ref=ref, kind="information_security_policy", file=make_file("p.pdf"), actor="c"
    )
    evidence.approve_evidence(
        app, ref=ref, document_id=policy.id, role="top_management", actor="ceo"
    )
    _one_event(
        app,
        lambda: projects.fire_trigger(app, ref=ref, trigger="advance", actor="consultant"),
        "state_changed",
    )
    assert history.verify_history(app).intact


def test_reads_and_blocked_triggers_append_nothing(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    before = event_count(app)
    projects.project_status(app, ref=project_ref)
    projects.list_projects(app)
    evidence.list_evidence(app, ref=project_ref, all_versions=True)
    history.project_history(app, ref=project_ref)
    history.verify_history(app)
    evidence.verify_vault(app)
    with pytest.raises(GuardBlocked):
        projects.fire_trigger(app, ref=project_ref, trigger="advance", actor="consultant")
    assert event_count(app) == before


def test_an_advance_event_records_the_trigger_and_both_stages(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    satisfy_scoping(app, project_ref, make_file)
    projects.fire_trigger(app, ref=project_ref, trigger="advance", actor="consultant")
    last = stored_events(app)[-1]
    assert last.type == "state_changed"
    assert last.actor == "consultant"
    assert last.payload == {
        "trigger": "advance",
        "from": "scoping",
        "to": "policy",
        "override": None,
    }
