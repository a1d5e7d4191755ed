"""The three-year certificate cycle on a simulated clock: a driver that runs the real scheduler
(`services.simulation.run_until`) between a client's actions, and the actions a client takes.

Times are Tokyo wall-clock times: the demo client's time zone, and what the lists of expected
notifications in the tests are written in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select, text

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.isms.reviews import REVIEW_INPUTS, Attendee, Decision
from isms_flow.schedule.dispatcher import Delivery
from isms_flow.schedule.snapshot_cache import SnapshotCache
from isms_flow.services import evidence, projects
from isms_flow.services.registers import demo_fillers
from isms_flow.services.registers.audits.findings import mark_corrected
from isms_flow.services.registers.audits.programme import add_audit
from isms_flow.services.registers.reviews.register import record_review
from isms_flow.services.simulation import RecordingChannel, run_until
from isms_flow.store.tables.schedule import DeadlineRow, ReminderRow

TOKYO = ZoneInfo("Asia/Tokyo")
MANAGER = "sato.isms"
SIGNERS = {
    "top_management": "tanaka.ceo",
    "isms_manager": "sato.isms",
    "internal_auditor": "yamada.audit",
}


def tokyo(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A Tokyo wall-clock time as an aware UTC instant."""
    return datetime.combine(day, time(hour, minute), tzinfo=TOKYO).astimezone(UTC)


def shown(moment: datetime) -> str:
    """An instant as Tokyo wall-clock text, to the minute: `2027-04-02 00:00`."""
    return moment.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M")


@dataclass
class CycleDriver:
    """Runs the scheduler on the app's own database, pausing wherever the client acts."""

    app: App
    clock: FrozenClock
    channel: RecordingChannel = field(default_factory=lambda: RecordingChannel("log"))
    heard: list[tuple[datetime, Delivery]] = field(default_factory=list)
    snapshots: SnapshotCache = field(default_factory=SnapshotCache)

    def run_to(self, moment: datetime) -> None:
        """Deliver everything due before `moment`, then stop the clock at `moment`."""
        run_until(
            self.app,
            self.clock,
            until=moment - timedelta(microseconds=1),
            channels={"log": self.channel},
            on_delivery=lambda d: self.heard.append((self.clock.now(), d)),
            snapshots=self.snapshots,
        )
        self.clock.current = moment

    def sent(self) -> list[tuple[str, str, str, int]]:
        """(Tokyo time, kind, deadline, days before) of each delivery recorded sent."""
        return [
            (shown(at), d.kind, d.deadline, d.offset_days)
            for at, d in self.heard
            if d.status == "sent"
        ]


@dataclass
class Client:
    """What the demo client does, through the services, on the driver's clock."""

    app: App
    ref: str
    folder: Path

    def correct(self, finding: str) -> None:
        """The finding's corrective action was carried out."""
        mark_corrected(self.app, ref=self.ref, key=finding, actor=MANAGER)

    def audit(self, kind: str, started: date, ended: date) -> None:
        """An audit held (internal ones cover clauses 4–10 and every Annex A control)."""
        add_audit(
            self.app,
            ref=self.ref,
            kind=kind,
            started_on=started,
            ended_on=ended,
            auditor="山田 太郎" if kind == "internal" else "JQA lead auditor",
            auditor_department="Quality Assurance" if kind == "internal" else None,
            areas=["Development division", "Tokyo head office"],
            clauses=["4-10"],
            controls=["all"],
            actor=MANAGER,
        )

    def review(self, held: date) -> None:
        """A complete management review (9.3): top management, inputs a–g, a decision."""
        record_review(
            self.app,
            ref=self.ref,
            held_on=held,
            attendees=[Attendee("田中 誠", "CEO", top_management=True), Attendee("佐藤", "ISMS")],
            inputs={key: f"Considered on {held}." for key in REVIEW_INPUTS},
            decisions=[Decision("Keep the access reviews quarterly", "improvement", "佐藤")],
            actor=MANAGER,
        )

    def upload(self, kind: str, tag: str, role: str | None = None) -> None:
        """A new version of an evidence document, approved in `role` when given."""
        path = self.folder / f"{kind}-{tag}.md"
        path.write_text(f"# {kind}\n\n{tag}\n", encoding="utf-8")
        view = evidence.add_evidence(self.app, ref=self.ref, kind=kind, file=path, actor=MANAGER)
        if role is not None:
            evidence.approve_evidence(
                self.app, ref=self.ref, document_id=view.id, role=role, actor=SIGNERS[role]
            )

    def train_everyone(self) -> None:
        """Every in-scope person completes this year's awareness training (the demo filler)."""
        definition = self.app.catalog.get("iso27001-2022").definition
        requirement = next(
            r
            for r in definition.state("surveillance_audit_1").requires
            if r.type_key == "training_coverage"
        )
        fill = demo_fillers()["training_coverage"]
        for _ in fill(self.app, self.ref, requirement, self.folder, "en"):
            pass

    def advance(self) -> str:
        """Advance to the next stage; returns the stage reached (blocked raises)."""
        moved = projects.fire_trigger(self.app, ref=self.ref, trigger="advance", actor=MANAGER)
        return moved.to_state


def outbox(app: App, key: str) -> dict[tuple[str, int], str]:
    """Status of each outbox row of the deadline `key`, by (kind, days before)."""
    with app.uow() as uow:
        rows = uow.session.execute(
            select(ReminderRow.kind, ReminderRow.offset_days, ReminderRow.status)
            .join(DeadlineRow, DeadlineRow.id == ReminderRow.deadline_id)
            .where(DeadlineRow.key == key)
        ).all()
    return {(kind, offset): status for kind, offset, status in rows}


def demo_facts(app: App) -> dict[str, list[tuple[str, ...]]]:
    """What the deadlines of the demo project are computed from, as plain text."""
    queries = {
        "certificates": "SELECT number, issued_on, expires_on FROM certificates",
        "audits": "SELECT key, kind, ended_on FROM audits ORDER BY id",
        "findings": "SELECT a.key, f.key, f.grade, f.status, COALESCE(f.due, '') "
        "FROM findings f JOIN audits a ON a.id = f.audit_id ORDER BY f.id",
        "reviews": "SELECT held_on FROM management_reviews",
        "evidence_valid_until": "SELECT kind FROM evidence_versions v JOIN evidence_documents d "
        "ON d.id = v.document_id WHERE v.valid_until IS NOT NULL",
    }
    with app.engine.connect() as connection:
        return {
            name: [tuple(str(value) for value in row) for row in connection.execute(text(sql))]
            for name, sql in queries.items()
        }


def fingerprint(app: App) -> dict[str, object]:
    """Enough of the database to see that nothing changed: counts, states, outbox statuses."""
    with app.engine.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            for table in ("events", "deadlines", "reminders", "schedule_state")
        } | {
            "projects": connection.execute(text("SELECT key, state, version FROM projects")).all(),
            "outbox": connection.execute(
                text("SELECT status, count(*) FROM reminders GROUP BY status ORDER BY status")
            ).all(),
        }


def deadline_status(app: App, key: str) -> str:
    """The stored status of the deadline `key`."""
    with app.uow() as uow:
        return uow.session.scalars(select(DeadlineRow.status).where(DeadlineRow.key == key)).one()
