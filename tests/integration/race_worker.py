"""Run in a separate process: load a project, wait for the other process, then advance it.

The steps of `projects.fire_trigger` are driven one by one so that both processes have read
the same project version before either writes.
"""

from __future__ import annotations

from datetime import datetime
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

from isms_flow.bootstrap import bootstrap
from isms_flow.clock import FrozenClock
from isms_flow.config import Settings
from isms_flow.errors import ConflictError
from isms_flow.services.lookup import find_project
from isms_flow.services.snapshots import evaluation_context, load_snapshot
from isms_flow.store.events import append_event
from isms_flow.workflow.engine import assess_trigger


def advance_after_barrier(
    database: tuple[str, str],
    ref: str,
    now_iso: str,
    actor: str,
    barrier: Barrier,
    results: Queue,
) -> None:
    """Advance `ref` once both processes hold the same picture; report what happened.

    `database` is (data_dir, database_url) of the test's App: its SQLite file or its schema.
    """
    data_dir, database_url = database
    app = bootstrap(
        Settings(data_dir=Path(data_dir), database_url=database_url, actor=actor),
        clock=FrozenClock(datetime.fromisoformat(now_iso)),
        migrate=False,
    )
    try:
        now = app.clock.now()
        with app.uow() as uow:
            session = uow.session
            project = find_project(session, ref)
            compiled = app.catalog.get(project.workflow_name, project.workflow_version)
            snapshot = load_snapshot(session, project)
            context = evaluation_context(now, project.client.timezone)
            option = assess_trigger(compiled.definition, snapshot, context, "advance")
            loaded_version = project.version
            barrier.wait(timeout=30)  # both processes have read the project
            if option.blockers:
                results.put((actor, "blocked", loaded_version))
                return
            source = project.state
            dest = compiled.fire(source, "advance", permitted=True)
            project.state, project.state_entered_at, project.updated_at = dest, now, now
            uow.flush()
            append_event(
                session,
                occurred_at=now,
                actor=actor,
                type="state_changed",
                client_id=project.client_id,
                project_id=project.id,
                payload={"trigger": "advance", "from": source, "to": dest, "override": None},
            )
            uow.commit()
        results.put((actor, "moved", loaded_version))
    except ConflictError as error:
        results.put((actor, "conflict", str(error)))
    except BaseException as error:  # reported to the test, which fails on it
        results.put((actor, "error", repr(error)))
    finally:
        app.close()
