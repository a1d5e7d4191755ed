"""Four-eyes overrides: asked by one person with a reason, applied only by another."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from isms_flow.bootstrap import App, bootstrap
from isms_flow.clock import FrozenClock
from isms_flow.config import Settings
from isms_flow.errors import BadInput, ConflictError, PermissionDenied
from isms_flow.services import clients, history, overrides, projects
from tests.integration.support import (
    MakeFile,
    event_count,
    project_state,
    satisfy_scoping,
    stored_events,
)

REASON = "Certification body agreed to review the inventory on site"


def _request(app: App, ref: str, actor: str = "alice", reason: str = REASON) -> int:
    return overrides.request_override(
        app, ref=ref, trigger="advance", reason=reason, actor=actor
    ).id


def test_a_request_records_the_blockers_and_moves_nothing(app: App, project_ref: str) -> None:
    override = overrides.request_override(
        app, ref=project_ref, trigger="advance", reason=REASON, actor="alice"
    )
    assert override.status == "pending"
    assert override.from_state == "scoping"
    assert len(override.blockers) == 4
    assert override.blockers[0].startswith("scope: no certification scope recorded")
    assert project_state(app) == ("scoping", 1)
    status = projects.project_status(app, ref=project_ref)
    assert [o.id for o in status.pending_overrides] == [override.id]


def test_the_requester_cannot_approve_their_own_override(app: App, project_ref: str) -> None:
    override_id = _request(app, project_ref, actor="alice")
    events = event_count(app)
    with pytest.raises(PermissionDenied, match="four eyes"):
        overrides.approve_override(app, ref=project_ref, override_id=override_id, actor="alice")
    assert project_state(app) == ("scoping", 1)
    assert event_count(app) == events
    [still_pending] = overrides.list_overrides(app, ref=project_ref)
    assert still_pending.status == "pending" and still_pending.approved_by is None


@pytest.mark.parametrize("reason", ["", "because", "   short    "])
def test_a_reason_under_ten_characters_is_refused(app: App, project_ref: str, reason: str) -> None:
    events = event_count(app)
    with pytest.raises(BadInput, match="at least 10 characters"):
        _request(app, project_ref, reason=reason)
    assert overrides.list_overrides(app, ref=project_ref) == []
    assert event_count(app) == events


def test_an_override_of_an_unblocked_trigger_is_refused(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    satisfy_scoping(app, project_ref, make_file)
    events = event_count(app)
    with pytest.raises(BadInput, match="nothing blocks 'advance'"):
        _request(app, project_ref)
    assert overrides.list_overrides(app, ref=project_ref) == []
    assert event_count(app) == events


def test_a_second_person_approves_and_the_history_records_both_names_and_the_blockers(
    app: App, project_ref: str
) -> None:
    requested = overrides.request_override(
        app, ref=project_ref, trigger="advance", reason=REASON, actor="alice"
    )
    moved = overrides.approve_override(app, ref=project_ref, override_id=requested.id, actor="bob")
    assert (moved.from_state, moved.to_state) == ("scoping", "policy")
    assert moved.override_id == requested.id
    assert moved.overridden_blockers == requested.blockers
    assert project_state(app) == ("policy", 2)

    last = stored_events(app)[-1]
    assert last.type == "state_changed"
    assert last.actor == "bob"
    assert last.payload == {
        "trigger": "advance",
        "from": "scoping",
        "to": "policy",
        "override": {
            "id": requested.id,
            "reason": REASON,
            "requested_by": "alice",
            "approved_by": "bob",
            "blockers": requested.blockers,
        },
    }
    [applied] = overrides.list_overrides(app, ref=project_ref)
    assert (applied.status, applied.approved_by) == ("applied", "bob")
    summary = history.project_history(app, ref=project_ref, limit=1)[0].summary
    assert "OVERRIDE" in summary and "alice" in summary and "bob" in summary
    assert history.verify_history(app).intact


def test_an_applied_override_cannot_be_applied_again(app: App, project_ref: str) -> None:
    override_id = _request(app, project_ref)
    overrides.approve_override(app, ref=project_ref, override_id=override_id, actor="bob")
    events = event_count(app)
    with pytest.raises(BadInput, match="already applied"):
        overrides.approve_override(app, ref=project_ref, override_id=override_id, actor="carol")
    assert project_state(app) == ("policy", 2)
    assert event_count(app) == events


def test_an_override_asked_before_the_project_moved_is_a_conflict_when_approved_after(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    override_id = _request(app, project_ref)
    satisfy_scoping(app, project_ref, make_file)
    projects.fire_trigger(app, ref=project_ref, trigger="advance", actor="consultant")
    state, events = project_state(app), event_count(app)
    assert state[0] == "policy"

    with pytest.raises(ConflictError, match=r"stage 'scoping'.*now in 'policy'"):
        overrides.approve_override(app, ref=project_ref, override_id=override_id, actor="bob")
    assert project_state(app) == state  # not moved on to certification_body_selection
    assert event_count(app) == events
    [stale] = overrides.list_overrides(app, ref=project_ref)
    assert stale.approved_by is None
    assert projects.project_status(app, ref=project_ref).pending_overrides == []


def test_a_second_request_for_the_same_blocked_trigger_is_refused_while_one_waits(
    app: App, project_ref: str
) -> None:
    first = _request(app, project_ref, actor="alice")
    events = event_count(app)
    with pytest.raises(BadInput, match=f"override #{first} of 'advance' is already waiting"):
        _request(app, project_ref, actor="carol")
    assert event_count(app) == events
    assert [o.id for o in overrides.list_overrides(app, ref=project_ref)] == [first]


LOOP_WORKFLOW = """\
name: loop
version: 1
title: {en: Loop, ja: ループ}
initial: draft
evidence_kinds:
  memo: {en: Memo, ja: メモ}
states:
  - name: draft
    title: {en: Draft, ja: 下書き}
    requires:
      - evidence: memo
  - name: review
    title: {en: Review, ja: レビュー}
transitions:
  - {trigger: advance, source: draft, dest: review, title: {en: Advance, ja: 進む}}
  - trigger: skip
    source: draft
    dest: review
    checks_stage: false
    title: {en: Skip, ja: 飛ばす}
  - trigger: back
    source: review
    dest: draft
    checks_stage: false
    title: {en: Back, ja: 戻る}
"""


def test_an_override_from_an_earlier_visit_to_the_stage_is_stale_and_cannot_be_applied(
    tmp_path: Path, clock: FrozenClock
) -> None:
    folder = tmp_path / "workflows"
    folder.mkdir()
    (folder / "loop.yaml").write_text(LOOP_WORKFLOW, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", workflow_dirs=[folder], actor="t")
    loop_app = bootstrap(settings, clock=clock)
    try:
        clients.add_client(loop_app, key="acme", name="ACME", actor="c")
        projects.create_project(
            loop_app, client_key="acme", key="p", title="P", actor="c", workflow="loop"
        )
        old = overrides.request_override(
            loop_app, ref="acme/p", trigger="advance", reason=REASON, actor="alice"
        )
        clock.advance(timedelta(minutes=5))
        projects.fire_trigger(loop_app, ref="acme/p", trigger="skip", actor="bob")
        clock.advance(timedelta(minutes=5))
        projects.fire_trigger(loop_app, ref="acme/p", trigger="back", actor="bob")

        assert projects.project_status(loop_app, ref="acme/p").pending_overrides == []
        [listed] = overrides.list_overrides(loop_app, ref="acme/p")
        assert listed.status == "stale"
        with pytest.raises(ConflictError, match="before the project last entered 'draft'"):
            overrides.approve_override(loop_app, ref="acme/p", override_id=old.id, actor="bob")
        assert projects.project_status(loop_app, ref="acme/p").project.state == "draft"
    finally:
        loop_app.close()
