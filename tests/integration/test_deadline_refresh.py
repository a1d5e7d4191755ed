"""Refreshing deadlines and their outbox on a real SQLite file, from a project the demo walked to
`certified` on 2026-04-01 (Tokyo): rows are written once, recomputed when what they rest on
changes, and reminders that no longer apply are cancelled, never left to fire."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event, select

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.services import clients, evidence, projects
from isms_flow.services.deadlines import refresh_deadlines
from isms_flow.services.recipients import add_recipient
from isms_flow.services.registers.audits.findings import accept_plan, add_finding, update_finding
from isms_flow.services.registers.audits.programme import add_audit
from isms_flow.services.registers.certification.certificate import record_certificate
from isms_flow.store.models import ProjectRow
from isms_flow.store.tables.schedule import DeadlineRow, ReminderRow, ScheduleStateRow
from tests.integration.deadline_support import (
    REF,
    certified,
    certified_template,
    deadline,
    deadline_keys,
    mark_sent,
    reminders,
    statuses,
    tokyo_nine,
)

__all__ = ["certified", "certified_template"]  # fixtures used below

SURVEILLANCE = "surveillance_audit:2027"


def test_refresh_writes_each_deadline_and_one_outbox_row_per_offset_and_channel(
    certified: App, clock: FrozenClock
) -> None:
    assert refresh_deadlines(certified, now=clock.now()) == 1
    assert {
        "certificate_expiry:1",
        "recertification:1",
        "surveillance_audit:2027",
        "surveillance_audit:2028",
    } <= deadline_keys(certified, "open")
    row = deadline(certified, SURVEILLANCE)
    assert (row.due_on, row.on_overdue) == (date(2027, 4, 1), "suspend")
    assert row.due_at == datetime(2027, 4, 1, 15, 0, tzinfo=UTC)  # 00:00 on 2 April in Tokyo
    rows = reminders(certified, SURVEILLANCE)
    assert [(r.kind, r.offset_days, r.channel, r.fire_at) for r in rows] == [
        ("reminder", 90, "log", tokyo_nine(date(2027, 1, 1))),
        ("reminder", 30, "log", tokyo_nine(date(2027, 3, 2))),
        ("reminder", 7, "log", tokyo_nine(date(2027, 3, 25))),
        ("reminder", 1, "log", tokyo_nine(date(2027, 3, 31))),
        ("escalation", 0, "log", datetime(2027, 4, 1, 15, 0, tzinfo=UTC)),
    ]
    assert rows[0].idempotency_key == f"{row.project_id}:{SURVEILLANCE}:2027-04-01:reminder:90:log"
    assert {r.status for r in rows} == {"pending"}


def test_a_second_refresh_finds_nothing_to_do_until_the_project_changes(
    certified: App, clock: FrozenClock
) -> None:
    refresh_deadlines(certified, now=clock.now())
    before = reminders(certified, SURVEILLANCE)
    assert refresh_deadlines(certified, now=clock.now()) == 0
    assert reminders(certified, SURVEILLANCE) == before
    with certified.uow() as uow:
        project = uow.session.scalars(select(ProjectRow)).one()
        state = uow.session.get(ScheduleStateRow, project.id)
        assert state is not None and state.computed_version == project.version


def test_an_audit_held_early_meets_the_deadline_and_cancels_what_was_not_sent(
    certified: App, clock: FrozenClock
) -> None:
    refresh_deadlines(certified, now=clock.now())
    first = reminders(certified, SURVEILLANCE)[0]
    mark_sent(certified, first.id)  # the 90-day reminder went out on 2027-01-01
    clock.current = datetime(2027, 2, 1, 3, 0, tzinfo=UTC)
    add_audit(
        certified,
        ref=REF,
        kind="surveillance",
        started_on=date(2027, 1, 25),
        ended_on=date(2027, 1, 26),
        auditor="JQA lead auditor",
        actor="sato.isms",
    )
    assert refresh_deadlines(certified, now=clock.now()) == 1
    met = deadline(certified, SURVEILLANCE)
    assert (met.status, met.basis["held_on"]) == ("met", "2027-01-26")
    assert statuses(certified, SURVEILLANCE) == [
        ("reminder", 90, "log", "sent"),
        ("reminder", 30, "log", "cancelled"),
        ("reminder", 7, "log", "cancelled"),
        ("reminder", 1, "log", "cancelled"),
        ("escalation", 0, "log", "cancelled"),
    ]
    assert {s for *_, s in statuses(certified, "surveillance_audit:2028")} == {"pending"}


def test_a_planned_audit_counts_only_once_its_day_has_come(
    certified: App, clock: FrozenClock
) -> None:
    add_audit(
        certified,
        ref=REF,
        kind="surveillance",
        started_on=date(2027, 3, 1),
        ended_on=date(2027, 3, 2),
        auditor="JQA lead auditor",
        actor="sato.isms",
    )
    refresh_deadlines(certified, now=clock.now())
    assert deadline(certified, SURVEILLANCE).status == "open"
    with certified.uow() as uow:
        state = uow.session.scalars(select(ScheduleStateRow)).one()
        assert state.recheck_at == datetime(2027, 3, 1, 15, 0, tzinfo=UTC)  # 2 March, Tokyo
    clock.current = datetime(2027, 3, 1, 14, 59, tzinfo=UTC)
    assert refresh_deadlines(certified, now=clock.now()) == 0
    clock.current = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)
    assert refresh_deadlines(certified, now=clock.now()) == 1
    assert deadline(certified, SURVEILLANCE).status == "met"


def test_a_reissued_certificate_moves_its_deadlines_and_cancels_the_outdated_reminders(
    certified: App, clock: FrozenClock
) -> None:
    refresh_deadlines(certified, now=clock.now())
    before = deadline(certified, "certificate_expiry:1")
    old_rows = reminders(certified, "certificate_expiry:1")
    record_certificate(
        certified,
        ref=REF,
        number="JQA-IM2417-R",
        issued_on=date(2026, 3, 20),
        body="JQA (Japan Quality Assurance Organization)",
        scope="Development division, Tokyo head office",
        actor="sato.isms",
    )
    refresh_deadlines(certified, now=clock.now())
    moved = deadline(certified, "certificate_expiry:1")
    assert (moved.id, before.due_on, moved.due_on) == (
        before.id,
        date(2029, 4, 1),
        date(2029, 3, 20),
    )
    assert deadline(certified, SURVEILLANCE).due_on == date(2027, 3, 20)
    rows = reminders(certified, "certificate_expiry:1")
    old_ids = {r.id for r in old_rows}
    assert {r.status for r in rows if r.id in old_ids} == {"cancelled"}
    fresh = [r for r in rows if r.id not in old_ids]
    assert [(r.kind, r.offset_days, r.status) for r in fresh] == [
        ("reminder", 180, "pending"),
        ("reminder", 90, "pending"),
        ("reminder", 30, "pending"),
        ("reminder", 7, "pending"),
        ("escalation", 0, "pending"),
    ]
    assert all(":2029-03-20:" in r.idempotency_key for r in fresh)


def test_restoring_an_evidence_version_revives_the_reminders_its_replacement_cancelled(
    certified: App, clock: FrozenClock, make_file
) -> None:  # type: ignore[no-untyped-def]
    first = evidence.add_evidence(
        certified,
        ref=REF,
        kind="training_record",
        name="awareness-2026",
        file=make_file("awareness-1.pdf", "v1"),
        valid_until=date(2027, 1, 31),
        actor="sato.isms",
    )
    refresh_deadlines(certified, now=clock.now())
    v1 = f"evidence_validity:training_record#{first.id}v1"
    v1_rows = reminders(certified, v1)
    assert [(r.offset_days, r.status) for r in v1_rows] == [
        (30, "pending"),
        (7, "pending"),
        (1, "pending"),
        (0, "pending"),
    ]
    evidence.add_evidence(
        certified,
        ref=REF,
        kind="training_record",
        name="awareness-2026",
        file=make_file("awareness-2.pdf", "v2"),
        valid_until=date(2028, 1, 31),
        actor="sato.isms",
    )
    refresh_deadlines(certified, now=clock.now())
    assert deadline(certified, v1).status == "met"
    assert {r.status for r in reminders(certified, v1)} == {"cancelled"}
    evidence.restore_evidence(
        certified, ref=REF, document_id=first.id, version=1, actor="sato.isms"
    )
    refresh_deadlines(certified, now=clock.now())
    assert deadline(certified, v1).status == "open"
    assert reminders(certified, v1) == v1_rows  # the same rows, pending again
    assert deadline(certified, f"evidence_validity:training_record#{first.id}v2").status == (
        "cancelled"
    )


def test_a_recipient_on_a_channel_adds_that_channels_rows(
    certified: App, clock: FrozenClock
) -> None:
    refresh_deadlines(certified, now=clock.now())
    add_recipient(
        certified,
        client_key="demo-corp",
        channel="email",
        address="isms@demo.example",
        role="isms_manager",
        actor="sato.isms",
    )
    assert refresh_deadlines(certified, now=clock.now()) == 1
    rows = reminders(certified, SURVEILLANCE)
    assert [(r.kind, r.offset_days, r.channel) for r in rows][:2] == [
        ("reminder", 90, "email"),
        ("reminder", 90, "log"),
    ]
    assert len(rows) == 10


def test_a_withdrawn_certificate_cancels_every_open_deadline_and_pending_reminder(
    certified: App, clock: FrozenClock, make_file
) -> None:  # type: ignore[no-untyped-def]
    refresh_deadlines(certified, now=clock.now())
    for kind, trigger in (("suspension_notice", "suspend"), ("withdrawal_notice", "withdraw")):
        evidence.add_evidence(
            certified, ref=REF, kind=kind, file=make_file(f"{kind}.pdf"), actor="jqa"
        )
        projects.fire_trigger(certified, ref=REF, trigger=trigger, actor="jqa")
    refresh_deadlines(certified, now=clock.now())
    assert deadline_keys(certified, "open") == set()
    assert deadline(certified, "suspension_limit:2026-04-01").status == "cancelled"
    with certified.uow() as uow:
        pending = uow.session.scalars(
            select(ReminderRow.id).where(ReminderRow.status == "pending")
        ).all()
    assert pending == []


def test_refresh_reads_as_many_statements_for_twenty_projects_as_for_two(
    app: App, clock: FrozenClock
) -> None:
    clients.add_client(app, key="acme", name="ACME", actor="consultant")

    def certify(count: int, start: int) -> None:
        for number in range(start, start + count):
            ref = f"acme/p{number}"
            projects.create_project(
                app, client_key="acme", key=f"p{number}", title="ISMS", actor="consultant"
            )
            record_certificate(
                app,
                ref=ref,
                number=f"C-{number}",
                issued_on=date(2026, 3, 1) - timedelta(days=number),
                body="JQA",
                scope="Head office",
                actor="consultant",
            )

    def statements_of_a_refresh() -> int:
        seen: list[str] = []

        def count(*args: object) -> None:
            seen.append(str(args[2]))

        event.listen(app.engine, "before_cursor_execute", count)
        try:
            refresh_deadlines(app, now=clock.now())
        finally:
            event.remove(app.engine, "before_cursor_execute", count)
        return len(seen)

    certify(2, 0)
    two = statements_of_a_refresh()
    certify(18, 2)
    twenty = statements_of_a_refresh()
    assert twenty == two
    with app.uow() as uow:
        rows = uow.session.execute(select(DeadlineRow.project_id, DeadlineRow.kind)).all()
    # each: the expiry, two surveillance audits and the recertification of its cycle
    assert len(rows) == 20 * 4 and len({project for project, _ in rows}) == 20


def test_a_deadline_the_dispatcher_marked_overdue_stays_overdue_when_recomputed(
    certified: App, clock: FrozenClock
) -> None:
    refresh_deadlines(certified, now=clock.now())
    with certified.engine.begin() as connection:
        connection.execute(
            DeadlineRow.__table__.update()
            .where(DeadlineRow.key == SURVEILLANCE)
            .values(status="overdue")
        )
    add_audit(  # any change: the project's version moves and it is recomputed
        certified,
        ref=REF,
        kind="follow_up",
        started_on=date(2026, 3, 30),
        auditor="JQA lead auditor",
        actor="sato.isms",
    )
    assert refresh_deadlines(certified, now=clock.now()) == 1
    assert deadline(certified, SURVEILLANCE).status == "overdue"


def test_a_withdrawn_plan_reopens_the_response_deadline_with_its_reminders(
    certified: App, clock: FrozenClock
) -> None:
    audit = add_audit(
        certified,
        ref=REF,
        kind="surveillance",
        started_on=date(2026, 3, 30),
        ended_on=date(2026, 3, 31),
        auditor="JQA lead auditor",
        actor="sato.isms",
    )
    finding = add_finding(
        certified,
        ref=REF,
        audit=audit.key,
        grade="minor",
        clause="7.5.3",
        description="Two procedures unapproved",
        actor="jqa",
        root_cause="No approval step",
        correction="Approved the two",
        corrective_action="Approval step in the DMS",
        owner="sato",
        due=date(2026, 5, 31),
    )
    key = f"corrective_action_response:{audit.key}/{finding.key}"
    refresh_deadlines(certified, now=clock.now())
    assert deadline(certified, key).due_on == date(2026, 6, 29)  # 90 days after 31 March
    accept_plan(certified, ref=REF, key=finding.key, actor="jqa")
    refresh_deadlines(certified, now=clock.now())
    assert deadline(certified, key).status == "met"
    assert {status for *_, status in statuses(certified, key)} == {"cancelled"}
    update_finding(
        certified, ref=REF, key=finding.key, actor="sato", corrective_action="Approval in DMS v2"
    )
    refresh_deadlines(certified, now=clock.now())
    assert deadline(certified, key).status == "open"
    assert {status for *_, status in statuses(certified, key)} == {"pending"}
