"""Optimistic concurrency on a real SQLite file: of two writers on one picture, one wins."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from isms_flow.bootstrap import App, bootstrap
from isms_flow.clock import FrozenClock
from isms_flow.errors import ConflictError
from isms_flow.services import clients, evidence, history, projects
from isms_flow.workflow import engine
from tests.integration.race_worker import advance_after_barrier
from tests.integration.support import (
    MakeFile,
    event_count,
    project_state,
    satisfy_scoping,
    stored_events,
)


@pytest.fixture
def ready(app: App, project_ref: str, make_file: MakeFile) -> str:
    """acme/isms at scoping with everything needed to advance."""
    satisfy_scoping(app, project_ref, make_file)
    return project_ref


@pytest.fixture
def second_app(app: App, clock: FrozenClock) -> Iterator[App]:
    """Another App (own engine, own connections) on the same SQLite file."""
    other = bootstrap(app.settings, clock=clock, migrate=False)
    yield other
    other.close()


def _pause_after_guard(monkeypatch: pytest.MonkeyPatch, hook: Callable[[], None]) -> None:
    """Run `hook` inside fire_trigger, after the guard passed and before anything is written."""
    original = engine.assess_trigger

    def assess_then_pause(*args: Any, **kwargs: Any) -> engine.TriggerOption:
        option = original(*args, **kwargs)
        hook()
        return option

    monkeypatch.setattr(projects, "assess_trigger", assess_then_pause)


def _assert_moved_exactly_once(app: App, events_before: int, version_before: int) -> None:
    assert project_state(app) == ("policy", version_before + 1)
    rows = stored_events(app)
    assert len(rows) == events_before + 1  # the loser left no orphan event
    changes = [r for r in rows if r.type == "state_changed"]
    assert len(changes) == 1
    assert changes[0].payload["from"] == "scoping"
    assert changes[0].payload["to"] == "policy"
    report = history.verify_history(app)
    assert report.intact, report.problem
    assert report.events == events_before + 1


def test_a_writer_that_read_before_another_committed_gets_a_conflict(
    app: App, second_app: App, ready: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    events_before, (_, version_before) = event_count(app), project_state(app)
    interleaved = []

    def other_advances_first() -> None:
        if not interleaved:  # only inside the first caller's fire_trigger
            interleaved.append(True)
            moved = projects.fire_trigger(second_app, ref=ready, trigger="advance", actor="bob")
            assert moved.to_state == "policy"

    _pause_after_guard(monkeypatch, other_advances_first)
    with pytest.raises(ConflictError, match="changed concurrently"):
        projects.fire_trigger(app, ref=ready, trigger="advance", actor="alice")

    assert interleaved == [True]
    _assert_moved_exactly_once(app, events_before, version_before)
    assert stored_events(app)[-1].actor == "bob"


def test_two_threads_advancing_from_the_same_state_move_the_project_once(
    app: App, second_app: App, ready: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    events_before, (_, version_before) = event_count(app), project_state(app)
    barrier = threading.Barrier(2, timeout=30)
    _pause_after_guard(monkeypatch, barrier.wait)  # both hold the same picture before writing
    outcomes: dict[str, object] = {}

    def advance(application: App, actor: str) -> None:
        try:
            outcomes[actor] = projects.fire_trigger(
                application, ref=ready, trigger="advance", actor=actor
            ).to_state
        except Exception as error:  # collected and asserted below
            outcomes[actor] = error

    threads = [
        threading.Thread(target=advance, args=(app, "alice")),
        threading.Thread(target=advance, args=(second_app, "bob")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)

    winners = [actor for actor, result in outcomes.items() if result == "policy"]
    losers = [result for result in outcomes.values() if isinstance(result, ConflictError)]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1, outcomes
    _assert_moved_exactly_once(app, events_before, version_before)
    assert stored_events(app)[-1].actor == winners[0]


def test_two_processes_advancing_from_the_same_state_move_the_project_once(
    app: App, ready: str, clock: FrozenClock
) -> None:
    events_before, (_, version_before) = event_count(app), project_state(app)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    database = (str(app.settings.data_dir), app.settings.database_url)  # SQLite file or server
    workers = [
        context.Process(
            target=advance_after_barrier,
            args=(database, ready, clock.now().isoformat(), actor, barrier, results),
        )
        for actor in ("alice", "bob")
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0

    by_kind = sorted(kind for _, kind, _ in outcomes)
    assert by_kind == ["conflict", "moved"], outcomes
    _assert_moved_exactly_once(app, events_before, version_before)
    winner = next(actor for actor, kind, _ in outcomes if kind == "moved")
    assert stored_events(app)[-1].actor == winner


def test_an_advance_judged_on_evidence_that_changed_meanwhile_is_a_conflict(
    app: App, second_app: App, ready: str, make_file: MakeFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    [statement] = evidence.list_evidence(app, ref=ready, kind="scope_statement")
    evidence.add_evidence(
        app, ref=ready, kind="scope_statement", file=make_file("s2.pdf", "rewrite"), actor="c"
    )
    evidence.restore_evidence(app, ref=ready, document_id=statement.id, version=1, actor="c")
    events_before, (_, version_before) = event_count(app), project_state(app)
    done = []

    def someone_puts_back_the_unapproved_version() -> None:
        if not done:
            done.append(True)
            evidence.restore_evidence(
                second_app, ref=ready, document_id=statement.id, version=2, actor="bob"
            )

    _pause_after_guard(monkeypatch, someone_puts_back_the_unapproved_version)
    with pytest.raises(ConflictError):
        projects.fire_trigger(app, ref=ready, trigger="advance", actor="alice")

    assert project_state(app) == ("scoping", version_before + 1)  # only the restore landed
    rows = stored_events(app)
    assert len(rows) == events_before + 1
    assert rows[-1].type == "evidence_restored"
    assert history.verify_history(app).intact


def test_every_evidence_change_moves_the_project_version_even_within_one_clock_tick(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    # The clock is frozen: updated_at is written with the same value every time, yet each
    # change must bump the version a concurrent advance is checked against.
    versions = [project_state(app)[1]]
    doc = evidence.add_evidence(
        app, ref=project_ref, kind="scope_statement", file=make_file("a.pdf", "one"), actor="c"
    )
    versions.append(project_state(app)[1])
    evidence.add_evidence(
        app, ref=project_ref, kind="scope_statement", file=make_file("b.pdf", "two"), actor="c"
    )
    versions.append(project_state(app)[1])
    evidence.approve_evidence(
        app, ref=project_ref, document_id=doc.id, role="top_management", actor="ceo"
    )
    versions.append(project_state(app)[1])
    evidence.restore_evidence(app, ref=project_ref, document_id=doc.id, version=1, actor="c")
    versions.append(project_state(app)[1])
    assert versions == [1, 2, 3, 4, 5]


def test_a_change_to_one_project_is_not_refused_because_another_project_changed(
    app: App, second_app: App, project_ref: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    clients.add_client(app, key="beta", name="Beta K.K.", actor="c")
    projects.create_project(app, client_key="beta", key="isms", title="Beta ISMS", actor="c")
    original = projects.find_project
    done = []

    def another_client_changes_meanwhile(session: Any, ref: str) -> Any:
        project = original(session, ref)
        if not done:
            done.append(True)
            projects.set_scope(second_app, ref="beta/isms", actor="bob", whole=True, units=[])
        return project

    monkeypatch.setattr(projects, "find_project", another_client_changes_meanwhile)
    projects.set_scope(app, ref=project_ref, actor="alice", whole=True, units=[])
