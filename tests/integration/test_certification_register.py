"""Quotes and the certificate on a real SQLite file: events, selection, comparison with the
in-scope headcount of the staff table, the guard at certification body selection."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.errors import BadInput, GuardBlocked, NotFound
from isms_flow.services import evidence, projects
from isms_flow.services.lookup import find_project
from isms_flow.services.registers.certification import (
    add_quote,
    compare_quotes,
    list_quotes,
    record_certificate,
    select_quote,
    show_certificate,
)
from isms_flow.services.views import EvidenceView
from isms_flow.store.tables.training import StaffRow
from tests.integration.support import (
    MakeFile,
    event_count,
    row_count,
    satisfy_scoping,
    stored_events,
)

TODAY = date(2026, 4, 1)  # the conftest clock, in Tokyo


def quote(app: App, ref: str, body: str, accreditation: str, days: str, cost: str) -> int:
    """Record a quote dated today; return its number."""
    return add_quote(
        app,
        ref=ref,
        body=body,
        accreditation=accreditation,
        audit_days=days,
        cost=cost,
        actor="buyer",
    ).id


def three_quotes(app: App, ref: str) -> list[int]:
    """JQA and BSI near the chart for 45 persons, Sakura far below it."""
    return [
        quote(app, ref, "JQA", "isms-ac", "8.5", "1650000"),
        quote(app, ref, "BSI Group Japan", "UKAS", "9", "1,890,000"),
        quote(app, ref, "Sakura Certification", "ISMS-AC", "5.5", "990000"),
    ]


def test_a_quote_is_stored_normalised_and_recorded_as_an_event(app: App, project_ref: str) -> None:
    view = add_quote(
        app,
        ref=project_ref,
        body="  BSI   Group Japan ",
        accreditation="ukas",
        audit_days="9",
        cost="1,890,000",
        quoted_on=date(2026, 3, 12),
        note="travel at cost",
        actor="buyer",
    )
    assert (view.body, view.accreditation, view.currency) == ("BSI Group Japan", "UKAS", "JPY")
    assert (view.audit_days, view.cost, view.price) == (
        Decimal("9.0"),
        Decimal(1890000),
        "JPY 1,890,000",
    )
    assert view.cost_per_day_text == "JPY 210,000"
    [listed] = list_quotes(app, ref=project_ref)
    assert listed == view
    event = stored_events(app)[-1]
    assert (event.type, event.actor) == ("cb_quote_added", "buyer")
    assert event.payload == {
        "quote_id": view.id,
        "body": "BSI Group Japan",
        "accreditation": "UKAS",
        "audit_days": "9.0",
        "cost": "1890000",
        "currency": "JPY",
        "quoted_on": "2026-03-12",
        "note": "travel at cost",
    }


def test_bad_quotes_are_refused_and_change_nothing(app: App, project_ref: str) -> None:
    three_quotes(app, project_ref)
    events, rows = event_count(app), row_count(app, "cb_quotes")
    attempts = {
        "quoted on 2026-04-02 is after today (2026-04-01)": {"quoted_on": date(2026, 4, 2)},
        "this quote of JQA is already recorded as #1": {"body": "jqa", "cost": "1650000"},
        "cost 1650000.5 JPY: JPY takes whole amounts": {"cost": "1650000.5"},
        "certification body must not be empty": {"body": "  "},
    }
    for message, changes in attempts.items():
        values = {"body": "JQA", "accreditation": "ISMS-AC", "audit_days": "8.5", "cost": "1"}
        values.update(changes)  # type: ignore[arg-type]
        with pytest.raises(BadInput) as refused:
            add_quote(app, ref=project_ref, actor="buyer", **values)  # type: ignore[arg-type]
        assert str(refused.value) == message
    assert (event_count(app), row_count(app, "cb_quotes")) == (events, rows)


def test_selecting_another_body_unselects_the_first_and_history_says_so(
    app: App, project_ref: str
) -> None:
    jqa, bsi, _ = three_quotes(app, project_ref)
    first = select_quote(app, ref=project_ref, quote_id=jqa, reason="ISMS-AC", actor="ceo")
    assert first.selected.selected and first.unselected == []
    second = select_quote(app, ref=project_ref, quote_id=bsi, reason="UKAS, English", actor="ceo")
    assert [q.id for q in second.unselected] == [jqa]
    assert [(q.id, q.selected, q.selection_reason) for q in list_quotes(app, ref=project_ref)] == [
        (jqa, False, ""),
        (bsi, True, "UKAS, English"),
        (3, False, ""),
    ]
    events = stored_events(app)[-3:]
    assert [e.type for e in events] == [
        "cb_quote_selected",
        "cb_quote_unselected",
        "cb_quote_selected",
    ]
    assert events[1].payload == {
        "quote_id": jqa,
        "body": "JQA",
        "reason": "ISMS-AC",
        "replaced_by": {"quote_id": bsi, "body": "BSI Group Japan"},
    }
    assert events[2].payload == {
        "quote_id": bsi,
        "body": "BSI Group Japan",
        "reason": "UKAS, English",
        "previous_reason": None,
        "unselected": [jqa],
    }


def test_reselecting_changes_only_the_reason_and_the_same_reason_is_refused(
    app: App, project_ref: str
) -> None:
    jqa, _, _ = three_quotes(app, project_ref)
    select_quote(app, ref=project_ref, quote_id=jqa, reason="ISMS-AC", actor="ceo")
    events = event_count(app)
    with pytest.raises(BadInput, match=r"quote #1 \(JQA\) is already selected for this reason"):
        select_quote(app, ref=project_ref, quote_id=jqa, reason=" ISMS-AC ", actor="ceo")
    assert event_count(app) == events
    again = select_quote(app, ref=project_ref, quote_id=jqa, reason="ISMS-AC, price", actor="ceo")
    assert again.previous_reason == "ISMS-AC" and again.unselected == []
    with pytest.raises(NotFound, match="quote #9 not found"):
        select_quote(app, ref=project_ref, quote_id=9, reason="x", actor="ceo")
    with pytest.raises(BadInput, match="reason must not be empty"):
        select_quote(app, ref=project_ref, quote_id=jqa, reason=" ", actor="ceo")


def add_staff(
    app: App, ref: str, rows: list[tuple[date, date | None, bool]], first: int = 1
) -> None:
    """Put people on the roster straight into the table: (joined, left_on, in_scope)."""
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        for number, (joined, left_on, in_scope) in enumerate(rows, first):
            uow.session.add(
                StaffRow(
                    project_id=project.id,
                    employee_id=f"E{number:04d}",
                    name=f"Person {number}",
                    department="Development",
                    role="Engineer",
                    joined=joined,
                    left_on=left_on,
                    in_scope=in_scope,
                )
            )
        uow.commit()


def test_compare_counts_in_scope_staff_working_today(app: App, project_ref: str) -> None:
    three_quotes(app, project_ref)
    long_ago = date(2020, 4, 1)
    roster = [(long_ago, None, True)] * 44
    roster += [
        (long_ago, TODAY + timedelta(days=1), True),  # leaves tomorrow: still counted
        (long_ago, TODAY, True),  # today is the first day gone
        (long_ago, None, False),  # outside the scope
        (TODAY + timedelta(days=7), None, True),  # joins next week
    ]
    add_staff(app, project_ref, roster)
    view = compare_quotes(app, ref=project_ref)
    assert (view.headcount, view.headcount_source, view.suggested_days) == (
        45,
        "staff",
        Decimal("8.5"),
    )
    assert view.note is None and view.bodies == 3 and view.selected_id is None
    rows = {row.quote.body: row for row in view.rows}
    assert [r.outlier for r in view.rows] == [False, False, True]
    assert rows["Sakura Certification"].days_deviation_percent == -35
    assert rows["Sakura Certification"].flags == [
        "5.5 audit days, 35% below the 8.5 the ISO/IEC 27006 chart suggests"
    ]
    assert rows["BSI Group Japan"].peer_cost_per_day == Decimal(187059)

    add_staff(app, project_ref, [(long_ago, None, True)], first=100)  # into the 46–65 band
    assert compare_quotes(app, ref=project_ref).suggested_days == Decimal(10)


def test_compare_without_a_roster_asks_for_a_headcount(app: App, project_ref: str) -> None:
    three_quotes(app, project_ref)
    view = compare_quotes(app, ref=project_ref, lang="ja")
    assert (view.headcount, view.suggested_days) == (0, None)
    assert view.note == (
        "2026-04-01時点で教育訓練の名簿に適用範囲内の要員がいません。ISO/IEC 27006の目安と"
        "比較するには --headcount を指定してください"
    )
    assert not any(row.outlier for row in view.rows)
    given = compare_quotes(app, ref=project_ref, headcount=12)
    assert (given.headcount_source, given.suggested_days) == ("given", Decimal(6))
    with pytest.raises(BadInput, match="headcount 0: the ISO/IEC 27006 audit time chart starts"):
        compare_quotes(app, ref=project_ref, headcount=0)


def walk_to_cb_selection(app: App, ref: str, make_file: MakeFile) -> EvidenceView:
    satisfy_scoping(app, ref, make_file)
    projects.fire_trigger(app, ref=ref, trigger="advance", actor="c")
    policy = evidence.add_evidence(
        app, ref=ref, kind="information_security_policy", file=make_file("p.pdf"), actor="c"
    )
    evidence.approve_evidence(
        app, ref=ref, document_id=policy.id, role="top_management", actor="ceo"
    )
    projects.fire_trigger(app, ref=ref, trigger="advance", actor="c")
    contract = evidence.add_evidence(
        app, ref=ref, kind="cb_contract", file=make_file("contract.pdf"), actor="c"
    )
    return evidence.approve_evidence(
        app, ref=ref, document_id=contract.id, role="top_management", actor="ceo"
    )


def test_the_stage_is_blocked_until_two_bodies_quoted_and_one_selected(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    walk_to_cb_selection(app, project_ref, make_file)
    quote(app, project_ref, "JQA", "ISMS-AC", "8.5", "1650000")
    status = projects.project_status(app, ref=project_ref)
    [quotes_check] = [
        c for c in status.checklist if c.label.startswith("Certification body quotes")
    ]
    assert (quotes_check.met, quotes_check.have, quotes_check.need) == (False, 1, 3)
    with pytest.raises(GuardBlocked) as blocked:
        projects.fire_trigger(app, ref=project_ref, trigger="advance", actor="c")
    assert blocked.value.reasons == [
        "cb_quotes: quotes from 1 of the 2 certification bodies required (so far: JQA)",
        "cb_quotes: no certification body selected (choose one with "
        "`isms-flow quotes select PROJECT QUOTE_ID --reason TEXT`)",
    ]
    bsi = quote(app, project_ref, "BSI Group Japan", "UKAS", "9", "1890000")
    select_quote(app, ref=project_ref, quote_id=bsi, reason="UKAS", actor="ceo")
    moved = projects.fire_trigger(app, ref=project_ref, trigger="advance", actor="c")
    assert moved.to_state == "isms_documentation"


def test_a_certificate_takes_the_selected_body_and_the_project_scope(
    app: App, project_ref: str, clock: FrozenClock
) -> None:
    projects.set_scope(app, ref=project_ref, actor="c", whole=False, units=["Dev", "Tokyo"])
    jqa, _, _ = three_quotes(app, project_ref)
    with pytest.raises(BadInput, match="no certification body is selected among the quotes"):
        record_certificate(app, ref=project_ref, number="C-1", issued_on=TODAY, actor="isms")
    select_quote(app, ref=project_ref, quote_id=jqa, reason="ISMS-AC", actor="ceo")
    view = record_certificate(
        app, ref=project_ref, number=" JQA-IM2417 ", issued_on=date(2024, 2, 29), actor="isms"
    )
    assert (view.number, view.body, view.scope) == ("JQA-IM2417", "JQA", "Dev, Tokyo")
    assert (view.expires_on, view.expiry_reason, view.standard) == (
        date(2027, 2, 28),
        "",
        "ISO/IEC 27001:2022",
    )
    assert (view.expired, view.days_to_expiry) == (False, 333)
    event = stored_events(app)[-1]
    assert (event.type, event.payload["expires_on"], event.payload["number"]) == (
        "certificate_recorded",
        "2027-02-28",
        "JQA-IM2417",
    )
    events = event_count(app)
    with pytest.raises(BadInput, match="certificate JQA-IM2417 is already recorded"):
        record_certificate(app, ref=project_ref, number="JQA-IM2417", issued_on=TODAY, actor="isms")
    with pytest.raises(BadInput, match=r"issued on 2026-04-02 is after today \(2026-04-01\)"):
        record_certificate(
            app, ref=project_ref, number="C-2", issued_on=date(2026, 4, 2), actor="isms"
        )
    assert event_count(app) == events and row_count(app, "certificates") == 1

    renewed = record_certificate(
        app,
        ref=project_ref,
        number="JQA-IM2417-R1",
        issued_on=date(2026, 3, 1),
        expires_on=date(2027, 2, 28),
        expiry_reason="recertification keeps the running cycle",
        body="JQA (Japan Quality Assurance Organization)",
        scope="ISMS of the development division",
        actor="isms",
    )
    status = show_certificate(app, ref=project_ref)
    assert status.current == renewed
    assert [c.number for c in status.earlier] == ["JQA-IM2417"]
    clock.advance(timedelta(days=334))
    assert show_certificate(app, ref=project_ref).current.expired  # type: ignore[union-attr]
