"""The staff_training stage reads the training register: status, blocked advance, time passing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.errors import BadInput, GuardBlocked, NotFound
from isms_flow.services import evidence, history, projects
from isms_flow.services.registers import training
from isms_flow.services.views import CheckView
from tests.integration.support import MakeFile, event_count, execute, stored_events

TRAINING_LABEL = "Training: in-scope staff with a current completion (100% required)"


@pytest.fixture
def at_staff_training(app: App, project_ref: str, make_file: MakeFile) -> str:
    """acme/isms moved to staff_training out of band, its competence records uploaded."""
    execute(app, "UPDATE projects SET state = 'staff_training' WHERE key = 'isms'")
    evidence.add_evidence(
        app,
        ref=project_ref,
        kind="training_record",
        file=make_file("competence.pdf", "auditor course certificates"),
        actor="isms",
    )
    return project_ref


def add_people(app: App, ref: str, *people: tuple[str, str, str]) -> None:
    """Put (employee id, name, department) on the roster, joined 2024-04-01."""
    for employee_id, name, department in people:
        training.add_staff(
            app,
            ref=ref,
            employee_id=employee_id,
            name=name,
            department=department,
            role="Engineer",
            joined=date(2024, 4, 1),
            actor="hr",
        )


def training_check(app: App, ref: str) -> CheckView:
    """The training line of the project's checklist."""
    status = projects.project_status(app, ref=ref)
    return next(check for check in status.checklist if check.label == TRAINING_LABEL)


def test_an_empty_roster_blocks_the_stage_with_a_clear_reason(
    app: App, at_staff_training: str
) -> None:
    check = training_check(app, at_staff_training)
    assert (check.met, check.have, check.need) == (False, 0, 1)
    with pytest.raises(GuardBlocked) as blocked:
        projects.fire_trigger(app, ref=at_staff_training, trigger="advance", actor="isms")
    assert blocked.value.reasons == [
        "training_coverage: no in-scope staff on the roster (add them with "
        "`isms-flow training staff-add` or `isms-flow training staff-import`)"
    ]


def test_status_shows_progress_and_names_who_is_missing_then_the_stage_opens(
    app: App, at_staff_training: str
) -> None:
    ref = at_staff_training
    add_people(app, ref, ("E1", "佐藤 花子", "Development"), ("E2", "田中 一郎", "QA"))
    training.add_course(app, ref=ref, key="awareness", title="Awareness", actor="isms")
    training.record_completion(app, ref=ref, employee_id="E1", course="awareness", actor="isms")
    check = training_check(app, ref)
    assert (check.met, check.have, check.need) == (False, 1, 2)
    assert check.blockers == [
        "training_coverage: 1 of 2 in-scope staff (50%) have a current training completion, "
        "100% required; 1 missing: 田中 一郎 (QA, no completion)"
    ]
    ja = projects.project_status(app, ref=ref, lang="ja")
    assert (
        "教育訓練: 適用範囲内の要員2名のうち有効な受講記録があるのは1名（50%）、"
        "必要なのは100%以上。未受講1名: 田中 一郎（QA、受講記録なし）"
    ) in [b for c in ja.checklist for b in c.blockers]
    with pytest.raises(GuardBlocked):
        projects.fire_trigger(app, ref=ref, trigger="advance", actor="isms")

    training.record_completion(app, ref=ref, employee_id="E2", course="awareness", actor="isms")
    assert training_check(app, ref).met
    moved = projects.fire_trigger(app, ref=ref, trigger="advance", actor="isms")
    assert (moved.from_state, moved.to_state) == ("staff_training", "internal_audit")


def test_a_leaver_stops_counting_from_their_leaving_day(
    app: App, at_staff_training: str, clock: FrozenClock
) -> None:
    ref = at_staff_training
    add_people(app, ref, ("E1", "佐藤 花子", "Development"), ("E2", "田中 一郎", "QA"))
    training.add_course(app, ref=ref, key="awareness", title="Awareness", actor="isms")
    training.record_completion(app, ref=ref, employee_id="E1", course="awareness", actor="i")
    training.update_staff(app, ref=ref, employee_id="E2", left_on=date(2026, 4, 2), actor="hr")
    assert (training_check(app, ref).have, training_check(app, ref).need) == (1, 2)
    clock.advance(timedelta(days=1))  # 2026-04-02: E2's first day gone
    check = training_check(app, ref)
    assert (check.met, check.have, check.need) == (True, 1, 1)
    last = stored_events(app)[-1]
    assert (last.type, last.payload) == (
        "training_staff_updated",
        {"employee_id": "E2", "changed": {"left_on": "2026-04-02"}},
    )


def test_the_twelve_month_window_follows_the_clock_in_the_clients_time_zone(
    app: App, at_staff_training: str, clock: FrozenClock
) -> None:
    ref = at_staff_training
    add_people(app, ref, ("E1", "佐藤 花子", "Development"))
    training.add_course(app, ref=ref, key="awareness", title="Awareness", actor="isms")
    done = training.record_completion(
        app, ref=ref, employee_id="E1", course="awareness", actor="isms"
    )
    assert (done.completed_on, done.valid_until) == (date(2026, 4, 1), date(2027, 4, 1))

    clock.advance(timedelta(days=365, hours=6))  # 2027-04-01 15:30 Tokyo
    assert training.training_status(app, ref=ref).covered == 1
    assert training_check(app, ref).met

    clock.advance(timedelta(hours=9))  # 2027-04-02 00:30 Tokyo, still 1 April in UTC
    status = training.training_status(app, ref=ref)
    assert (status.as_of, status.covered, status.in_scope) == (date(2027, 4, 2), 0, 1)
    (missing,) = status.missing
    assert (missing.last_completed, missing.valid_until) == (date(2026, 4, 1), date(2027, 4, 1))
    assert training_check(app, ref).blockers == [
        "training_coverage: 0 of 1 in-scope staff (0%) have a current training completion, "
        "100% required; 1 missing: 佐藤 花子 (Development, expired after 2027-04-01)"
    ]


def test_status_groups_by_department(app: App, at_staff_training: str) -> None:
    ref = at_staff_training
    add_people(app, ref, ("E1", "A", "Development"), ("E2", "B", "Development"), ("E3", "C", "QA"))
    training.add_course(app, ref=ref, key="awareness", title="Awareness", actor="isms")
    training.record_completion(app, ref=ref, employee_id="E2", course="awareness", actor="i")
    status = training.training_status(app, ref=ref)
    assert [(d.department, d.covered, d.in_scope, d.percent) for d in status.departments] == [
        ("Development", 1, 2, 50),
        ("QA", 0, 1, 0),
    ]
    assert [m.employee_id for m in status.missing] == ["E1", "E3"]
    assert (status.covered, status.in_scope, status.percent) == (1, 3, 33)


def test_each_change_is_one_event_and_the_chain_stays_intact(
    app: App, at_staff_training: str
) -> None:
    ref = at_staff_training
    before = event_count(app)
    add_people(app, ref, ("E1", "佐藤 花子", "Development"))
    training.add_course(
        app, ref=ref, key="awareness", title="Awareness", title_ja="意識向上", actor="isms"
    )
    training.record_completion(
        app,
        ref=ref,
        employee_id="E1",
        course="awareness",
        completed_on=date(2026, 3, 2),
        actor="isms",
    )
    training.update_staff(app, ref=ref, employee_id="E1", in_scope=False, actor="hr")
    types = [e.type for e in stored_events(app)[before:]]
    assert types == [
        "training_staff_added",
        "training_course_added",
        "training_completion_recorded",
        "training_staff_updated",
    ]
    assert stored_events(app)[before + 2].payload == {
        "employee_id": "E1",
        "course": "awareness",
        "completed_on": "2026-03-02",
    }
    assert history.verify_history(app).intact


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        (
            lambda app, ref: add_people(app, ref, ("E1", "Again", "QA")),
            BadInput,
            "employee E1 is already on the roster (change it with `training staff-update`)",
        ),
        (
            lambda app, ref: training.record_completion(
                app, ref=ref, employee_id="E9", course="awareness", actor="x"
            ),
            NotFound,
            "employee E9 not found: see `isms-flow training staff-list`",
        ),
        (
            lambda app, ref: training.record_completion(
                app, ref=ref, employee_id="E1", course="gdpr", actor="x"
            ),
            NotFound,
            "course gdpr not found: known: awareness",
        ),
        (
            lambda app, ref: training.record_completion(
                app,
                ref=ref,
                employee_id="E1",
                course="awareness",
                actor="x",
                completed_on=date(2026, 4, 2),
            ),
            BadInput,
            "completed_on 2026-04-02 is after today (2026-04-01)",
        ),
        (
            lambda app, ref: training.add_course(
                app, ref=ref, key="awareness", title="Again", actor="x"
            ),
            BadInput,
            "course 'awareness' already exists",
        ),
        (
            lambda app, ref: training.add_course(
                app, ref=ref, key="Security 101", title="X", actor="x"
            ),
            BadInput,
            "course key 'Security 101' must be 1–64 lowercase letters, digits, '-' or '_', "
            "starting with a letter",
        ),
        (
            lambda app, ref: training.update_staff(app, ref=ref, employee_id="E1", actor="x"),
            BadInput,
            "nothing to change: give at least one new value",
        ),
        (
            lambda app, ref: training.update_staff(
                app, ref=ref, employee_id="E1", left_on=date(2024, 4, 1), actor="x"
            ),
            BadInput,
            "left 2024-04-01 is not after joined 2024-04-01",
        ),
        (
            lambda app, ref: training.update_staff(
                app, ref=ref, employee_id="E1", department="Development", actor="x"
            ),
            BadInput,
            "employee E1 already has these values",
        ),
    ],
)
def test_bad_changes_are_refused_with_one_line_and_change_nothing(
    app: App,
    at_staff_training: str,
    change: Callable[[App, str], object],
    error: type[Exception],
    message: str,
) -> None:
    ref = at_staff_training
    add_people(app, ref, ("E1", "佐藤 花子", "Development"))
    training.add_course(app, ref=ref, key="awareness", title="Awareness", actor="isms")
    before = event_count(app)
    with pytest.raises(error) as refused:
        change(app, ref)
    assert str(refused.value) == message
    assert event_count(app) == before
    assert training.list_staff(app, ref=ref)[0].department == "Development"
