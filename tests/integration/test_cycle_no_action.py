"""The three-year certificate cycle when nobody does anything: `isms-flow simulate`'s forecast.

The demo walks a project to `certified` on 2026-04-01 (09:30 in Tokyo). The list below is
written by hand from the rules of workflows/iso27001-2022.yaml and the facts the demo records
(checked first): reminders at 09:00 Tokyo time on the due date minus each offset (90/30/7/1
days unless the rule says otherwise), escalations at 00:00 on the day after the due date.

- corrective_action_due: each finding's own due date, reminders 30/7/1, then escalate;
- internal_audit / management_review: 12 months after the last one, then escalate;
- surveillance_audit: 12 months after the certification decision (2027-04-01), then suspend;
- suspension_limit: 6 months after entering `suspended`, then withdraw — and a withdrawn
  certificate ends every other deadline (the 2028 surveillance, the expiry on 2029-04-01 and
  the recertification, whose first reminders would only come in September 2028).
"""

from __future__ import annotations

from sqlalchemy import text
from structlog.testing import capture_logs

from isms_flow.bootstrap import App
from isms_flow.services.simulation import SimulationView, simulate_schedule
from tests.integration.cycle_support import demo_facts, fingerprint
from tests.integration.deadline_support import REF, certified, certified_template

__all__ = ["certified", "certified_template"]  # fixtures used below

CAD_F002 = "corrective_action_due:IA-2026-2/F-002"
CAD_F005 = "corrective_action_due:S2-2026-1/F-005"
INTERNAL = "internal_audit:2026-03-13"
REVIEW = "management_review:2026-03-26"
SURVEILLANCE = "surveillance_audit:2027"
SUSPENSION = "suspension_limit:2027-04-02"

# Tokyo time, kind, deadline, days before, what the escalation did.
NOBODY_ACTS = [
    ("2026-04-16 09:00", "reminder", CAD_F002, 30, ""),
    ("2026-05-01 09:00", "reminder", CAD_F005, 30, ""),
    ("2026-05-09 09:00", "reminder", CAD_F002, 7, ""),
    ("2026-05-15 09:00", "reminder", CAD_F002, 1, ""),
    ("2026-05-17 00:00", "escalation", CAD_F002, 0, "escalated"),
    ("2026-05-24 09:00", "reminder", CAD_F005, 7, ""),
    ("2026-05-30 09:00", "reminder", CAD_F005, 1, ""),
    ("2026-06-01 00:00", "escalation", CAD_F005, 0, "escalated"),
    ("2026-12-13 09:00", "reminder", INTERNAL, 90, ""),
    ("2026-12-26 09:00", "reminder", REVIEW, 90, ""),
    ("2027-01-01 09:00", "reminder", SURVEILLANCE, 90, ""),
    ("2027-02-11 09:00", "reminder", INTERNAL, 30, ""),
    ("2027-02-24 09:00", "reminder", REVIEW, 30, ""),
    ("2027-03-02 09:00", "reminder", SURVEILLANCE, 30, ""),
    ("2027-03-06 09:00", "reminder", INTERNAL, 7, ""),
    ("2027-03-12 09:00", "reminder", INTERNAL, 1, ""),
    ("2027-03-14 00:00", "escalation", INTERNAL, 0, "escalated"),
    ("2027-03-19 09:00", "reminder", REVIEW, 7, ""),
    ("2027-03-25 09:00", "reminder", REVIEW, 1, ""),
    ("2027-03-25 09:00", "reminder", SURVEILLANCE, 7, ""),
    ("2027-03-27 00:00", "escalation", REVIEW, 0, "escalated"),
    ("2027-03-31 09:00", "reminder", SURVEILLANCE, 1, ""),
    ("2027-04-02 00:00", "escalation", SURVEILLANCE, 0, "suspend: certified → suspended"),
    ("2027-07-04 09:00", "reminder", SUSPENSION, 90, ""),
    ("2027-09-02 09:00", "reminder", SUSPENSION, 30, ""),
    ("2027-09-25 09:00", "reminder", SUSPENSION, 7, ""),
    ("2027-10-01 09:00", "reminder", SUSPENSION, 1, ""),
    ("2027-10-03 00:00", "escalation", SUSPENSION, 0, "withdraw: suspended → withdrawn"),
]

DEMO_FACTS = {
    "certificates": [("JQA-IM2417", "2026-04-01", "2029-04-01")],
    "audits": [
        ("IA-2026-1", "internal", "2026-02-16"),
        ("IA-2026-2", "internal", "2026-03-03"),
        ("IA-2026-3", "internal", "2026-03-13"),
        ("S1-2026-1", "stage1", "2026-03-25"),
        ("S2-2026-1", "stage2", "2026-03-30"),
    ],
    "findings": [
        ("IA-2026-1", "F-001", "minor", "closed", "2026-04-11"),
        ("IA-2026-2", "F-002", "minor", "plan_accepted", "2026-05-16"),
        ("IA-2026-2", "F-003", "observation", "open", ""),
        ("S1-2026-1", "F-004", "minor", "corrected", "2026-04-15"),
        ("S2-2026-1", "F-005", "minor", "plan_accepted", "2026-05-31"),
    ],
    "reviews": [("2026-03-26",)],
    "evidence_valid_until": [],
}


def as_table(view: SimulationView) -> list[tuple[str, str, str, int, str]]:
    """The forecast in the form of NOBODY_ACTS (ties at one moment in deadline order)."""
    rows = []
    for item in view.notifications:
        did = item.escalation or ""
        if did == "fired":
            did = f"{item.trigger}: {item.from_state} → {item.to_state}"
        rows.append((item.local_time[:16], item.kind, item.deadline, item.offset_days, did))
    return sorted(rows, key=lambda row: (row[0], row[2]))


def test_nobody_acting_gives_exactly_these_reminders_and_escalations_over_the_cycle(
    certified: App,
) -> None:
    assert demo_facts(certified) == DEMO_FACTS
    before = fingerprint(certified)

    with capture_logs() as logs:
        view = simulate_schedule(certified, until="2029-12-31", ref=REF)

    assert as_table(view) == NOBODY_ACTS
    assert [n.local_time[:16] for n in view.notifications] == [row[0] for row in NOBODY_ACTS]
    assert all(n.channels == ["log"] and not n.late for n in view.notifications)
    assert (view.reminders, view.escalations) == (22, 6)
    assert [(p.project, p.state_before, p.state_after) for p in view.projects] == [
        (REF, "certified", "withdrawn")
    ]
    first = view.notifications[0]
    assert first.subject.startswith("[isms-flow] Corrective action carried out due 2026-05-16")
    # Nothing was sent for real, and the user's database is exactly as it was.
    assert [line for line in logs if line["event"] == "notification"] == []
    assert fingerprint(certified) == before


def test_a_shorter_forecast_stops_at_the_end_of_its_day(certified: App) -> None:
    view = simulate_schedule(certified, until="2026-05-17", ref=REF)

    assert as_table(view) == NOBODY_ACTS[:5]  # the escalation at 00:00 on the 17th is in


def test_a_project_whose_workflow_is_gone_does_not_hold_the_simulated_clock_still(
    certified: App,
) -> None:
    with certified.engine.begin() as connection:  # its deadlines can never be computed again
        connection.execute(text("UPDATE projects SET workflow_version = 99"))
        connection.execute(
            text(
                "INSERT INTO schedule_state (project_id, computed_version, computed_at, "
                "recheck_at) SELECT id, version, '2026-03-01 00:00:00.000000', "
                "'2026-03-31 00:00:00.000000' FROM projects"
            )
        )

    view = simulate_schedule(certified, until="2029-12-31", ref=REF)

    assert (view.notifications, view.ticks) == ([], 1)
