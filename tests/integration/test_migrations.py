"""Schema migrations match the models; projects stay on the workflow version they started with."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import isms_flow.store.tables  # noqa: F401 - every register table is part of the schema
from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.errors import BadInput, GuardBlocked
from isms_flow.services import clients, evidence, projects, workflows
from isms_flow.store.db import make_engine
from isms_flow.store.migrate import (
    alembic_config,
    current_revisions,
    head_revisions,
    upgrade_to_head,
)
from isms_flow.store.models import Base
from tests.integration.support import MakeFile, app_on_copy, stored_events

TABLES = {"alembic_version", *Base.metadata.tables}
CORE_TABLES = {
    "clients",
    "events",
    "evidence_approvals",
    "evidence_documents",
    "evidence_versions",
    "overrides",
    "projects",
}


def test_the_core_tables_are_part_of_the_schema() -> None:
    assert CORE_TABLES <= TABLES


def test_a_fresh_database_upgraded_to_head_matches_the_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        assert current_revisions(engine) == frozenset()
        assert upgrade_to_head(engine) is True
        assert current_revisions(engine) == head_revisions()
        assert upgrade_to_head(engine) is False  # already at head: nothing runs
        assert set(inspect(engine).get_table_names()) == TABLES
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_the_schema_can_be_downgraded_to_nothing_and_upgraded_again(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'roundtrip.db'}")
    try:
        upgrade_to_head(engine)
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
        assert current_revisions(engine) == frozenset()
        assert upgrade_to_head(engine) is True
        assert set(inspect(engine).get_table_names()) == TABLES
    finally:
        engine.dispose()


def _workflow(version: int, draft_requires: str) -> str:
    return f"""\
format: 1
name: tiny
version: {version}
title: {{en: Tiny v{version}, ja: 小さな v{version}}}
initial: draft
roles:
  boss: {{en: Boss, ja: 上司}}
evidence_kinds:
  memo: {{en: Memo, ja: メモ}}
{"  budget: {en: Budget, ja: 予算}" if version > 1 else ""}
states:
  - name: draft
    title: {{en: Draft, ja: 下書き}}
    requires:
{draft_requires}
  - name: done
    title: {{en: Done, ja: 完了}}
    final: true
transitions:
  - {{trigger: advance, source: draft, dest: done, title: {{en: Advance, ja: 進む}}}}
"""


V1 = _workflow(1, "      - evidence: memo")
V2 = _workflow(
    2,
    "      - evidence: memo\n      - evidence: budget\n        approved_by_role: boss",
)


@pytest.fixture
def workflow_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "workflows"
    folder.mkdir()
    (folder / "tiny-v1.yaml").write_text(V1, encoding="utf-8")
    return folder


@pytest.fixture
def v1_app(
    workflow_dir: Path, tmp_path: Path, clock: FrozenClock, migrated_template: Path
) -> Iterator[App]:
    application = app_on_copy(
        migrated_template, tmp_path / "pinned", clock, workflow_dirs=[workflow_dir]
    )
    yield application
    application.close()


def test_a_project_keeps_its_workflow_version_after_a_new_one_is_installed(
    v1_app: App,
    workflow_dir: Path,
    tmp_path: Path,
    clock: FrozenClock,
    migrated_template: Path,
    make_file: MakeFile,
) -> None:
    clients.add_client(v1_app, key="acme", name="ACME", actor="c")
    old = projects.create_project(
        v1_app, client_key="acme", key="old", title="Old", actor="c", workflow="tiny"
    )
    assert old.workflow_version == 1

    (workflow_dir / "tiny-v2.yaml").write_text(V2, encoding="utf-8")
    app = app_on_copy(migrated_template, tmp_path / "pinned", clock, workflow_dirs=[workflow_dir])
    try:
        assert [(w.name, w.version) for w in workflows.list_workflows(app.catalog, "en")] == [
            ("tiny", 1),
            ("tiny", 2),
        ]
        new = projects.create_project(
            app, client_key="acme", key="new", title="New", actor="c", workflow="tiny"
        )
        assert new.workflow_version == 2
        digests = {
            e.payload["key"]: e.payload["workflow_digest"]
            for e in stored_events(app)
            if e.type == "project_created"
        }
        assert digests["old"] != digests["new"]

        for ref in ("acme/old", "acme/new"):
            evidence.add_evidence(app, ref=ref, kind="memo", file=make_file("memo.txt"), actor="c")

        # v2's kind does not exist for the v1 project...
        with pytest.raises(BadInput, match="unknown evidence kind 'budget' for workflow tiny v1"):
            evidence.add_evidence(
                app, ref="acme/old", kind="budget", file=make_file("b.txt"), actor="c"
            )
        # ...and the v2 project is held to v2's extra requirement.
        with pytest.raises(GuardBlocked) as blocked:
            projects.fire_trigger(app, ref="acme/new", trigger="advance", actor="c")
        assert blocked.value.reasons == ["budget: no Budget uploaded"]
        # The v1 project still moves on v1's rules.
        moved = projects.fire_trigger(app, ref="acme/old", trigger="advance", actor="c")
        assert moved.to_state == "done"
        assert projects.project_status(app, ref="acme/old").project.workflow_version == 1
    finally:
        app.close()
