"""The hash-chained history: intact chains verify; edits, deletions and forgeries are named."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.services import evidence, history, projects
from isms_flow.store.events import _row_hash
from tests.integration.support import MakeFile, execute, stored_events


@pytest.fixture
def five_events(app: App, project_ref: str, make_file: MakeFile) -> str:
    """client_added, project_created, scope_set, evidence_uploaded, evidence_approved."""
    projects.set_scope(app, ref=project_ref, actor="consultant", whole=True, units=[])
    doc = evidence.add_evidence(
        app,
        ref=project_ref,
        kind="scope_statement",
        file=make_file("scope.pdf", "whole organization"),
        actor="consultant",
    )
    evidence.approve_evidence(
        app, ref=project_ref, document_id=doc.id, role="top_management", actor="ceo"
    )
    types = [e.type for e in stored_events(app)]
    assert types == [
        "client_added",
        "project_created",
        "scope_set",
        "evidence_uploaded",
        "evidence_approved",
    ]
    return project_ref


def _rehash(app: App, seq: int) -> None:
    """Recompute one row's own hash the way an attacker who read events.py would."""
    with app.engine.connect() as connection:
        row = connection.exec_driver_sql(
            "SELECT seq, format, occurred_at, client_id, project_id, actor, type, payload, "
            f"prev_hash FROM events WHERE seq = {seq}"
        ).one()
    stored = row.occurred_at  # text on SQLite, a timestamp with time zone on PostgreSQL
    if isinstance(stored, datetime):
        occurred = stored.astimezone(UTC)
    else:
        occurred = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    digest = _row_hash(
        seq=row.seq,
        format=row.format,
        occurred_at=occurred,
        client_id=row.client_id,
        project_id=row.project_id,
        actor=row.actor,
        type=row.type,
        payload=row.payload,
        prev_hash=row.prev_hash,
    )
    execute(app, "UPDATE events SET hash = :h WHERE seq = :s", h=digest, s=seq)


def test_an_untouched_history_verifies_with_its_count_and_head(app: App, five_events: str) -> None:
    rows = stored_events(app)
    report = history.verify_history(app)
    assert report.intact
    assert report.problem is None
    assert report.events == 5
    assert report.head == rows[-1].hash
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert rows[0].prev_hash == "0" * 64


def test_an_edited_payload_is_named_by_its_seq(app: App, five_events: str) -> None:
    execute(
        app,
        "UPDATE events SET payload = replace(payload, 'true', 'false') WHERE seq = 3",
    )
    report = history.verify_history(app)
    assert not report.intact
    assert report.problem is not None
    assert report.problem.startswith("event seq 3 (scope_set")
    assert "edited" in report.problem
    assert report.events == 2


def test_an_edited_actor_is_detected_too(app: App, five_events: str) -> None:
    execute(app, "UPDATE events SET actor = 'someone-else' WHERE seq = 5")
    report = history.verify_history(app)
    assert not report.intact
    assert report.problem is not None
    assert report.problem.startswith("event seq 5 ")
    assert "edited" in report.problem


def test_a_deleted_middle_row_is_named_as_missing(app: App, five_events: str) -> None:
    execute(app, "DELETE FROM events WHERE seq = 3")
    report = history.verify_history(app)
    assert not report.intact
    assert report.problem is not None
    assert report.problem.startswith("event seq 4 ")
    assert "event seq 3 is missing" in report.problem


def test_several_deleted_rows_are_named_as_a_range(app: App, five_events: str) -> None:
    execute(app, "DELETE FROM events WHERE seq IN (2, 3)")
    report = history.verify_history(app)
    assert report.problem is not None
    assert "event seq 2–3 is missing" in report.problem


def test_a_re_hashed_edited_row_is_caught_at_the_next_seq(app: App, five_events: str) -> None:
    execute(app, "UPDATE events SET actor = 'mallory' WHERE seq = 3")
    _rehash(app, 3)
    report = history.verify_history(app)
    assert not report.intact
    assert report.problem is not None
    assert report.problem.startswith("event seq 4 ")
    assert "does not link to event seq 3" in report.problem
    assert report.events == 3


def test_a_forged_row_replacing_a_real_one_is_caught(app: App, five_events: str) -> None:
    rows = stored_events(app)
    execute(app, "DELETE FROM events WHERE seq = 4")
    execute(
        app,
        "INSERT INTO events (seq, format, occurred_at, client_id, project_id, actor, type, "
        "payload, prev_hash, hash) VALUES (4, 1, '2026-04-01 00:30:00.000000', 1, 1, "
        "'mallory', 'evidence_uploaded', '{}', :prev, :fake)",
        prev=rows[2].hash,
        fake="f" * 64,
    )
    report = history.verify_history(app)
    assert report.problem is not None
    assert report.problem.startswith("event seq 4 ")
    assert "edited" in report.problem

    _rehash(app, 4)  # a careful forger makes the row consistent with itself...
    report = history.verify_history(app)
    assert report.problem is not None  # ...and the next row no longer links to it
    assert report.problem.startswith("event seq 5 ")
    assert "does not link to event seq 4" in report.problem


def test_a_forged_row_appended_at_the_end_is_caught(app: App, five_events: str) -> None:
    execute(
        app,
        "INSERT INTO events (seq, format, occurred_at, client_id, project_id, actor, type, "
        "payload, prev_hash, hash) VALUES (6, 1, '2026-04-01 00:30:00.000000', 1, 1, "
        "'mallory', 'state_changed', '{}', :prev, :fake)",
        prev="a" * 64,
        fake="b" * 64,
    )
    report = history.verify_history(app)
    assert report.problem is not None
    assert report.problem.startswith("event seq 6 ")
    assert "does not link to event seq 5" in report.problem
    assert report.events == 5


def test_a_cut_off_tail_is_only_caught_with_an_anchor(app: App, five_events: str) -> None:
    before = history.verify_history(app)
    anchor = f"5:{before.head}"
    execute(app, "DELETE FROM events WHERE seq IN (4, 5)")

    without_anchor = history.verify_history(app)
    assert without_anchor.intact  # a shorter chain is self-consistent: this is the limit
    assert without_anchor.events == 3

    with_anchor = history.verify_history(app, anchor=anchor)
    assert not with_anchor.intact
    assert with_anchor.problem is not None
    assert "anchor event seq 5 is missing" in with_anchor.problem
    assert "truncated" in with_anchor.problem


def test_an_anchor_detects_a_tail_that_was_cut_off_and_rewritten(
    app: App, five_events: str, make_file: MakeFile
) -> None:
    anchor = f"5:{history.verify_history(app).head}"
    execute(app, "DELETE FROM events WHERE seq IN (4, 5)")
    # New, valid events take the freed numbers: the chain is intact but differs from the anchor.
    projects.set_scope(app, ref=five_events, actor="consultant", whole=False, units=["HQ"])
    projects.set_scope(app, ref=five_events, actor="consultant", whole=True, units=[])
    assert history.verify_history(app).intact
    report = history.verify_history(app, anchor=anchor)
    assert not report.intact
    assert report.problem is not None
    assert "seq 5 does not match the anchor hash" in report.problem


def test_an_anchor_at_the_current_head_or_earlier_passes(app: App, five_events: str) -> None:
    rows = stored_events(app)
    assert history.verify_history(app, anchor=f"5:{rows[4].hash}").intact
    assert history.verify_history(app, anchor=f"2:{rows[1].hash.upper()}").intact


@pytest.mark.parametrize("anchor", ["5", "x:" + "a" * 64, "5:abc", ":"])
def test_a_malformed_anchor_is_refused(app: App, five_events: str, anchor: str) -> None:
    with pytest.raises(BadInput, match="SEQ:SHA256"):
        history.verify_history(app, anchor=anchor)
