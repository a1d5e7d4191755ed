"""The same engine on a real PostgreSQL server: migrations, guards, history, time zones.

Runs when ISMS_FLOW_TEST_POSTGRES_URL names a server (CI sets it); otherwise skipped, and the
pytest summary says so.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from isms_flow.bootstrap import App, bootstrap
from isms_flow.clock import FrozenClock
from isms_flow.config import Settings
from isms_flow.errors import ConflictError, GuardBlocked
from isms_flow.services import clients, evidence, history, projects
from isms_flow.services.demo import run_demo
from isms_flow.services.registers.soa.show import show_soa
from isms_flow.store.models import ClientRow
from tests.backends import fresh_postgres_url

pytestmark = pytest.mark.postgresql


@pytest.fixture
def pg_url() -> str:
    """This test process's schema on the server, empty and migrated."""
    return fresh_postgres_url()


@pytest.fixture
def pg_app(pg_url: str, tmp_path: Path, clock: FrozenClock) -> Iterator[App]:
    """The application on PostgreSQL, migrated by Alembic."""
    settings = Settings(data_dir=tmp_path, database_url=pg_url, actor="tester")
    application = bootstrap(settings, clock=clock)
    yield application
    application.close()


def _ready_to_leave_policy(app: App, make_file, ref: str) -> None:  # type: ignore[no-untyped-def]
    projects.set_scope(app, ref=ref, actor="pm", whole=True, units=[])
    for kind in ("scope_statement", "asset_inventory", "context_analysis"):
        view = evidence.add_evidence(
            app, ref=ref, kind=kind, file=make_file(f"{kind}.txt", kind), actor="pm"
        )
        if kind == "scope_statement":
            evidence.approve_evidence(
                app, ref=ref, document_id=view.id, role="top_management", actor="ceo"
            )


def test_a_project_walks_a_guarded_stage_on_postgresql(pg_app: App, make_file) -> None:  # type: ignore[no-untyped-def]
    clients.add_client(pg_app, key="acme", name="ACME", actor="consultant")
    projects.create_project(pg_app, client_key="acme", key="isms", title="ISMS", actor="pm")
    with pytest.raises(GuardBlocked) as blocked:
        projects.fire_trigger(pg_app, ref="acme/isms", trigger="advance", actor="pm")
    assert len(blocked.value.reasons) == 4

    _ready_to_leave_policy(pg_app, make_file, "acme/isms")
    moved = projects.fire_trigger(pg_app, ref="acme/isms", trigger="advance", actor="pm")

    assert (moved.from_state, moved.to_state) == ("scoping", "policy")
    events = history.project_history(pg_app, ref="acme/isms")
    assert [e.type for e in events][-1] == "state_changed"
    assert history.verify_history(pg_app).intact


def test_instants_come_back_as_the_same_utc_instant_on_postgresql(pg_app: App) -> None:
    tokyo_morning = datetime(2026, 4, 1, 9, 0, tzinfo=timezone(timedelta(hours=9)))
    with pg_app.uow() as uow:
        uow.session.add(
            ClientRow(
                key="tz", name="TZ", timezone="Asia/Tokyo", language="ja", created_at=tokyo_morning
            )
        )
        uow.commit()
    with pg_app.uow() as uow:
        stored = uow.session.query(ClientRow).filter_by(key="tz").one().created_at
    assert stored == datetime(2026, 4, 1, 0, 0, tzinfo=UTC)
    assert stored.utcoffset() == timedelta(0)


def test_of_two_concurrent_advances_on_postgresql_exactly_one_wins(
    pg_app: App,
    pg_url: str,
    tmp_path: Path,
    clock: FrozenClock,
    make_file,  # type: ignore[no-untyped-def]
) -> None:
    clients.add_client(pg_app, key="acme", name="ACME", actor="consultant")
    projects.create_project(pg_app, client_key="acme", key="isms", title="ISMS", actor="pm")
    _ready_to_leave_policy(pg_app, make_file, "acme/isms")
    second = bootstrap(Settings(data_dir=tmp_path, database_url=pg_url, actor="other"), clock=clock)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def advance(app: App) -> None:
        # Both load the project at the same version before either writes.
        from isms_flow.services.lookup import find_project

        with app.uow() as uow:
            project = find_project(uow.session, "acme/isms")
            compiled = app.catalog.get(project.workflow_name, project.workflow_version)
            barrier.wait()
            project.state = compiled.fire(project.state, "advance", permitted=True) or ""
            try:
                uow.flush()
                uow.commit()
                outcomes.append("won")
            except ConflictError:
                outcomes.append("conflict")

    threads = [threading.Thread(target=advance, args=(a,)) for a in (pg_app, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    second.close()

    assert sorted(outcomes) == ["conflict", "won"]
    assert projects.project_status(pg_app, ref="acme/isms").project.state == "policy"


def test_the_demo_fills_every_register_and_certifies_on_postgresql(pg_app: App) -> None:
    steps = list(run_demo(pg_app))
    ref = next(step.ref for step in steps if step.ref)
    assert steps[-1].kind == "done"
    assert projects.project_status(pg_app, ref=ref).project.state == "certified"
    assert show_soa(pg_app, ref=ref).decided == 93
    kinds = {event.type for event in history.project_history(pg_app, ref=ref)}
    assert {"risks_imported", "training_completions_imported", "finding_closed"} <= kinds
    assert {"management_review_recorded", "cb_quote_selected", "certificate_recorded"} <= kinds
    assert history.verify_history(pg_app).intact
