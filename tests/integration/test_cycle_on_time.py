"""The three-year certificate cycle when the client does the right things on time.

The same demo project (certified 2026-04-01 in Tokyo) runs on the real scheduler with a
simulated clock, and between the scheduler's moments the client acts through the services:
corrects its findings, holds the yearly internal audit and management review, has both
surveillance audits, walks the stages, and is recertified two months before expiry. Every
reminder that came due before an action was sent; once a deadline is met, its remaining
reminders and its escalation are cancelled, never sent; no escalation fires at all.

The expected reminders are written by hand from workflows/iso27001-2022.yaml: 09:00 Tokyo
time on the due date minus 90/30/7/1 days (180/90/30/7 for the expiry and the
recertification); a yearly duty is due 12 months after it was last done.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.services import projects
from tests.integration.cycle_support import (
    Client,
    CycleDriver,
    deadline_status,
    outbox,
    tokyo,
)
from tests.integration.deadline_support import REF, certified, certified_template
from tests.integration.support import stored_events

__all__ = ["certified", "certified_template"]  # fixtures used below

SENT_ON_TIME = [
    ("2026-04-16 09:00", "reminder", "corrective_action_due:IA-2026-2/F-002", 30),
    ("2026-05-01 09:00", "reminder", "corrective_action_due:S2-2026-1/F-005", 30),
    ("2026-12-13 09:00", "reminder", "internal_audit:2026-03-13", 90),
    ("2026-12-26 09:00", "reminder", "management_review:2026-03-26", 90),
    ("2027-01-01 09:00", "reminder", "surveillance_audit:2027", 90),
    ("2027-03-02 09:00", "reminder", "surveillance_audit:2027", 30),
    ("2027-09-19 09:00", "reminder", "internal_audit:2026-12-18", 90),
    ("2027-10-16 09:00", "reminder", "management_review:2027-01-14", 90),
    ("2028-07-31 09:00", "reminder", "internal_audit:2027-10-29", 90),
    ("2028-08-21 09:00", "reminder", "management_review:2027-11-19", 90),
    ("2028-09-03 09:00", "reminder", "recertification:1", 180),
    ("2028-10-02 09:00", "reminder", "surveillance_audit:2028", 90),
    ("2028-10-03 09:00", "reminder", "certificate_expiry:1", 180),
    ("2028-12-02 09:00", "reminder", "recertification:1", 90),
    ("2029-01-01 09:00", "reminder", "certificate_expiry:1", 90),
]

SENT, CANCELLED = "sent", "cancelled"


def _r(*offsets: int) -> list[tuple[str, int]]:
    return [("reminder", offset) for offset in offsets]


def test_a_client_acting_on_time_gets_reminders_only_until_each_deadline_is_met(
    certified: App, clock: FrozenClock, tmp_path: Path
) -> None:
    driver = CycleDriver(certified, clock)
    client = Client(certified, REF, tmp_path)

    driver.run_to(tokyo(date(2026, 4, 20)))
    client.correct("F-002")
    driver.run_to(tokyo(date(2026, 5, 5)))
    client.correct("F-005")
    driver.run_to(tokyo(date(2026, 12, 20)))
    client.audit("internal", date(2026, 12, 17), date(2026, 12, 18))
    driver.run_to(tokyo(date(2027, 1, 15)))
    client.review(date(2027, 1, 14))
    driver.run_to(tokyo(date(2027, 3, 10)))
    client.audit("surveillance", date(2027, 3, 8), date(2027, 3, 9))
    assert client.advance() == "surveillance_audit_1"
    client.upload("surveillance_audit_report", "2027")
    client.train_everyone()
    assert client.advance() == "surveillance_audit_2"
    driver.run_to(tokyo(date(2027, 11, 1)))
    client.audit("internal", date(2027, 10, 28), date(2027, 10, 29))
    driver.run_to(tokyo(date(2027, 11, 20)))
    client.review(date(2027, 11, 19))
    driver.run_to(tokyo(date(2028, 9, 20)))
    client.audit("internal", date(2028, 9, 18), date(2028, 9, 19))
    client.review(date(2028, 9, 19))
    driver.run_to(tokyo(date(2028, 10, 5)))
    client.audit("surveillance", date(2028, 10, 3), date(2028, 10, 4))
    client.upload("internal_audit_report", "2028", role="internal_auditor")
    client.upload("management_review_minutes", "2028", role="top_management")
    client.upload("surveillance_audit_report", "2028")
    client.train_everyone()
    assert client.advance() == "recertification_audit"
    driver.run_to(tokyo(date(2029, 1, 20)))
    client.audit("recertification", date(2029, 1, 16), date(2029, 1, 17))
    client.upload("recertification_audit_report", "2029")
    client.upload("recertification_decision", "2029")
    assert client.advance() == "certified"
    driver.run_to(tokyo(date(2029, 4, 30)))

    assert driver.sent() == SENT_ON_TIME
    assert [d for _, d in driver.heard if d.kind == "escalation"] == []
    assert [e for e in stored_events(certified) if e.type == "deadline_overdue"] == []
    assert projects.project_status(certified, ref=REF).project.state == "certified"

    # Each met deadline: what came due before the client acted was sent, the rest cancelled.
    escalation = [("escalation", 0)]
    expected = {
        "corrective_action_due:IA-2026-2/F-002": (_r(30), _r(7, 1) + escalation),
        "corrective_action_due:S2-2026-1/F-005": (_r(30), _r(7, 1) + escalation),
        "internal_audit:2026-03-13": (_r(90), _r(30, 7, 1) + escalation),
        "management_review:2026-03-26": (_r(90), _r(30, 7, 1) + escalation),
        "surveillance_audit:2027": (_r(90, 30), _r(7, 1) + escalation),
        "internal_audit:2026-12-18": (_r(90), _r(30, 7, 1) + escalation),
        "management_review:2027-01-14": (_r(90), _r(30, 7, 1) + escalation),
        "internal_audit:2027-10-29": (_r(90), _r(30, 7, 1) + escalation),
        "management_review:2027-11-19": (_r(90), _r(30, 7, 1) + escalation),
        "surveillance_audit:2028": (_r(90), _r(30, 7, 1) + escalation),
        "recertification:1": (_r(180, 90), _r(30, 7) + escalation),
        "certificate_expiry:1": (_r(180, 90), _r(30, 7) + escalation),
    }
    for key, (sent, cancelled) in expected.items():
        assert deadline_status(certified, key) == "met", key
        assert outbox(certified, key) == {row: SENT for row in sent} | {
            row: CANCELLED for row in cancelled
        }, key
    # The recertification started the next cycle: its deadlines wait, nothing of them fired.
    assert deadline_status(certified, "certificate_expiry:2") == "open"
    assert deadline_status(certified, "surveillance_audit:2030") == "open"
