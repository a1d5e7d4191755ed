"""What the scheduler reads of many projects at once is what it would read of each alone: the
bulk register loaders behind a batch of notifications against the per-project ones."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.services.demo import run_demo
from isms_flow.services.registers import bulk_part_loaders, part_loaders
from isms_flow.services.snapshots import load_evidence, load_parts, load_snapshot
from isms_flow.store.models import ProjectRow
from tests.integration.deadline_support import certified, certified_template

__all__ = ["certified", "certified_template"]  # fixtures used below


def test_bulk_loaders_give_each_project_exactly_its_own_parts(
    certified: App, clock: FrozenClock
) -> None:
    clock.advance(timedelta(days=3))
    for _ in run_demo(certified):  # a second demo project, its registers filled differently
        pass
    with certified.uow() as uow:
        session = uow.session
        projects = list(session.scalars(select(ProjectRow).order_by(ProjectRow.id)))
        assert len(projects) == 2
        assert set(bulk_part_loaders()) <= set(part_loaders())
        for part in sorted(bulk_part_loaders()):
            together = load_parts(session, projects, part)
            assert together == {p.id: part_loaders()[part](session, p) for p in projects}, part
        evidence = load_evidence(session, [p.id for p in projects])
        for project in projects:
            assert evidence[project.id] == load_snapshot(session, project).evidence
            assert evidence[project.id]  # the demo uploaded documents to both
