"""Guards through the services: blocked triggers explain themselves and change nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.errors import GuardBlocked, InvalidTrigger
from isms_flow.services import clients, evidence, projects
from tests.integration.support import (
    MakeFile,
    event_count,
    project_state,
    satisfy_scoping,
    stored_events,
)

SCOPE_HINT = (
    "scope: no certification scope recorded "
    "(set it with `isms-flow project scope PROJECT --whole` or `--unit NAME`)"
)


def _advance(app: App, ref: str = "acme/isms") -> str:
    return projects.fire_trigger(app, ref=ref, trigger="advance", actor="consultant").to_state


def test_advancing_from_scoping_with_nothing_done_names_every_blocker_and_changes_nothing(
    app: App, project_ref: str
) -> None:
    before_state, before_events = project_state(app), event_count(app)
    with pytest.raises(GuardBlocked) as blocked:
        _advance(app)
    assert blocked.value.trigger == "advance"
    assert blocked.value.state == "scoping"
    assert blocked.value.reasons == [
        SCOPE_HINT,
        "scope_statement: no ISMS scope statement (4.3) uploaded",
        "asset_inventory: no Information asset inventory uploaded",
        "context_analysis: no Issues and interested parties (4.1/4.2) uploaded",
    ]
    assert "nothing was changed" in str(blocked.value)
    assert project_state(app) == before_state == ("scoping", 1)
    assert event_count(app) == before_events


def test_blockers_are_given_in_japanese_when_asked(app: App, project_ref: str) -> None:
    with pytest.raises(GuardBlocked) as blocked:
        projects.fire_trigger(app, ref=project_ref, trigger="advance", actor="c", lang="ja")
    assert blocked.value.reasons[1] == "scope_statement: ISMS適用範囲 (4.3)が提出されていません"


def test_an_approval_in_the_wrong_role_does_not_count(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    satisfy_scoping(app, project_ref, make_file, approver="ceo")
    [statement] = evidence.list_evidence(app, ref=project_ref, kind="scope_statement")
    evidence.add_evidence(
        app, ref=project_ref, kind="scope_statement", file=make_file("s2.pdf", "v2"), actor="c"
    )
    evidence.approve_evidence(
        app, ref=project_ref, document_id=statement.id, role="isms_manager", actor="manager"
    )
    with pytest.raises(GuardBlocked) as blocked:
        _advance(app)
    assert blocked.value.reasons == [
        "scope_statement: 0 of 1 required ISMS scope statement (4.3) qualify — "
        "'scope_statement' v2: not approved by Top management"
    ]


def test_with_scope_evidence_and_approval_the_project_advances(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    satisfy_scoping(app, project_ref, make_file)
    _, version = project_state(app)
    moved = projects.fire_trigger(app, ref=project_ref, trigger="advance", actor="consultant")
    assert (moved.from_state, moved.to_state) == ("scoping", "policy")
    assert moved.to_title == "Set the information security policy"
    assert project_state(app) == ("policy", version + 1)
    assert moved.version == version + 1
    status = projects.project_status(app, ref=project_ref)
    assert status.project.state == "policy"
    assert [c.met for c in status.checklist] == [False]


def test_a_trigger_that_does_not_exist_here_is_refused_with_the_possible_ones(
    app: App, project_ref: str
) -> None:
    events = event_count(app)
    with pytest.raises(InvalidTrigger) as refused:
        projects.fire_trigger(app, ref=project_ref, trigger="reinstate", actor="c")
    assert refused.value.valid == ["advance", "cancel"]
    assert event_count(app) == events
    assert project_state(app) == ("scoping", 1)


def test_evidence_that_expired_yesterday_no_longer_counts(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    satisfy_scoping(app, project_ref, make_file)
    evidence.add_evidence(
        app,
        ref=project_ref,
        kind="asset_inventory",
        file=make_file("old-assets.xlsx", "last year's inventory"),
        actor="c",
        effective_date=date(2025, 4, 1),
        valid_until=date(2026, 3, 31),  # yesterday in Tokyo
    )
    with pytest.raises(GuardBlocked) as blocked:
        _advance(app)
    assert blocked.value.reasons == [
        "asset_inventory: 0 of 1 required Information asset inventory qualify — "
        "'asset_inventory' v2: expired on 2026-03-31"
    ]


def test_evidence_stops_counting_once_the_clock_passes_its_valid_until(
    app: App, project_ref: str, make_file: MakeFile, clock: FrozenClock
) -> None:
    satisfy_scoping(app, project_ref, make_file)
    evidence.add_evidence(
        app,
        ref=project_ref,
        kind="asset_inventory",
        file=make_file("assets-v2.xlsx", "valid until tomorrow"),
        actor="c",
        valid_until=date(2026, 4, 2),
    )
    clock.advance(timedelta(days=1))  # 2026-04-02 in Tokyo: still valid on its last day
    status = projects.project_status(app, ref=project_ref)
    assert next(t for t in status.triggers if t.trigger == "advance").open

    clock.advance(timedelta(days=1))  # 2026-04-03: expired
    events = event_count(app)
    with pytest.raises(GuardBlocked) as blocked:
        _advance(app)
    assert blocked.value.reasons == [
        "asset_inventory: 0 of 1 required Information asset inventory qualify — "
        "'asset_inventory' v2: expired on 2026-04-02"
    ]
    assert event_count(app) == events
    [inventory] = evidence.list_evidence(app, ref=project_ref, kind="asset_inventory")
    assert inventory.expired


def test_today_is_the_clients_date_in_tokyo_not_the_utc_date(
    app: App, project_ref: str, make_file: MakeFile, clock: FrozenClock
) -> None:
    clients.add_client(app, key="london", name="London Ltd.", actor="c", timezone="UTC")
    projects.create_project(app, client_key="london", key="isms", title="ISMS", actor="c")
    for ref in (project_ref, "london/isms"):
        satisfy_scoping(app, ref, make_file)
        evidence.add_evidence(
            app,
            ref=ref,
            kind="asset_inventory",
            file=make_file(f"assets-{ref.split('/')[0]}.xlsx", f"inventory of {ref}"),
            actor="c",
            valid_until=date(2026, 4, 1),
        )

    clock.advance(timedelta(hours=15))  # 2026-04-01T15:30Z = 2026-04-02 00:30 in Tokyo
    with pytest.raises(GuardBlocked) as blocked:
        _advance(app, project_ref)
    assert blocked.value.reasons == [
        "asset_inventory: 0 of 1 required Information asset inventory qualify — "
        "'asset_inventory' v2: expired on 2026-04-01"
    ]
    assert _advance(app, "london/isms") == "policy"  # still 2026-04-01 in London

    upload = evidence.add_evidence(
        app, ref=project_ref, kind="risk_treatment_plan", file=make_file("rtp.pdf"), actor="c"
    )
    assert upload.effective_date == date(2026, 4, 2)


def test_a_stage_whose_checks_pass_still_needs_its_own_transition_requirements(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    with pytest.raises(GuardBlocked) as blocked:
        projects.fire_trigger(app, ref=project_ref, trigger="cancel", actor="c")
    assert blocked.value.reasons == [
        "cancellation_decision: no Decision to stop the certification project uploaded"
    ]
    decision = evidence.add_evidence(
        app, ref=project_ref, kind="cancellation_decision", file=make_file("stop.pdf"), actor="c"
    )
    evidence.approve_evidence(
        app, ref=project_ref, document_id=decision.id, role="top_management", actor="ceo"
    )
    assert projects.fire_trigger(app, ref=project_ref, trigger="cancel", actor="c").to_state == (
        "cancelled"
    )
    assert stored_events(app)[-1].payload["to"] == "cancelled"
