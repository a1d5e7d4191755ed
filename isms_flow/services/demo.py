"""The demo: a client and a project walked from scoping to certified, step by step.

It shows what the product does: an advance without evidence is blocked with the exact reasons,
then the evidence an auditor would ask for is uploaded and approved, stage after stage. What it
uploads is derived from each stage's requirements in the workflow file, so it stays right when
the workflow changes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from isms_flow.bootstrap import App
from isms_flow.errors import GuardBlocked
from isms_flow.i18n import Language
from isms_flow.services import clients, evidence, projects
from isms_flow.services.registers import demo_fillers
from isms_flow.store.models import ClientRow, ProjectRow
from isms_flow.workflow.requirements.evidence import EvidenceRequirement
from isms_flow.workflow.requirements.scope import ScopeRequirement

__all__ = ["DEMO_CLIENT", "DemoStep", "run_demo"]

DEMO_CLIENT = "demo-corp"
TARGET = "certified"

# Who signs in which role in the demo organization.
_PEOPLE = {
    "top_management": "tanaka.ceo",
    "isms_manager": "sato.isms",
    "risk_owner": "suzuki.it",
    "internal_auditor": "yamada.audit",
    "certification_body": "jqa.lead-auditor",
}
_CONSULTANT = "consultant.kobayashi"


@dataclass(frozen=True)
class DemoStep:
    """One thing the demo did, for printing."""

    kind: str  # client, project, blocked, scope, evidence, approval, advanced, done
    text: str
    details: tuple[str, ...] = ()
    ref: str = ""


def run_demo(app: App, *, lang: Language = "en") -> Iterator[DemoStep]:
    """Create the demo client and a new project, and walk it to `certified`."""
    if not _client_exists(app):
        view = clients.add_client(
            app,
            key=DEMO_CLIENT,
            name="デモ株式会社 (Demo Corp.)",
            actor=_CONSULTANT,
            timezone="Asia/Tokyo",
            language=lang,
        )
        yield DemoStep("client", f"client {view.key}: {view.name}")
    key = _free_project_key(app)
    ref = f"{DEMO_CLIENT}/{key}"
    project = projects.create_project(
        app,
        client_key=DEMO_CLIENT,
        key=key,
        title="ISMS certification (development division)",
        actor=_CONSULTANT,
        lang=lang,
    )
    yield DemoStep("project", f"project {ref} created at '{project.state_title}'", ref=ref)
    with tempfile.TemporaryDirectory(prefix="isms-flow-demo-") as folder:
        yield from _walk(app, ref, Path(folder), lang)


def _walk(app: App, ref: str, folder: Path, lang: Language) -> Iterator[DemoStep]:
    shown_blockers: set[str] = set()
    for _ in range(100):  # a bound, not a target: the workflow is finite
        status = projects.project_status(app, ref=ref, lang=lang)
        if status.project.state == TARGET:
            yield DemoStep(
                "done",
                f"{ref} reached '{status.stage_title}' after "
                f"{len(shown_blockers)} stages, each blocked until its evidence existed",
            )
            return
        try:
            moved = projects.fire_trigger(
                app, ref=ref, trigger="advance", actor=_PEOPLE["isms_manager"], lang=lang
            )
        except GuardBlocked as blocked:
            if status.project.state in shown_blockers:
                raise  # evidence was added and it is still blocked: a real problem, show it
            shown_blockers.add(status.project.state)
            yield DemoStep(
                "blocked",
                f"advance from '{status.stage_title}' is blocked:",
                tuple(blocked.reasons),
            )
            yield from _satisfy(app, ref, folder, lang)
            continue
        yield DemoStep("advanced", f"{moved.from_state} → {moved.to_state} ({moved.to_title})")
    raise RuntimeError("demo did not reach the certified stage")


def _satisfy(app: App, ref: str, folder: Path, lang: Language) -> Iterator[DemoStep]:
    """Provide what the current stage requires, the way a client would."""
    with app.uow() as uow:
        project = uow.session.scalars(
            select(ProjectRow)
            .join(ClientRow)
            .where(ClientRow.key == DEMO_CLIENT, ProjectRow.key == ref.split("/")[1])
        ).one()
        definition = app.catalog.get(project.workflow_name, project.workflow_version).definition
        stage = definition.state(project.state)
    for requirement in stage.requires:
        if isinstance(requirement, ScopeRequirement):
            view = projects.set_scope(
                app,
                ref=ref,
                actor=_CONSULTANT,
                whole=False,
                units=["Development division", "Tokyo head office"],
                lang=lang,
            )
            yield DemoStep("scope", f"scope recorded: {view.scope}")
        elif isinstance(requirement, EvidenceRequirement):
            yield from _provide(app, ref, folder, requirement, lang)
        elif requirement.type_key in demo_fillers():
            yield from demo_fillers()[requirement.type_key](app, ref, requirement, folder, lang)


def _provide(
    app: App, ref: str, folder: Path, requirement: EvidenceRequirement, lang: Language
) -> Iterator[DemoStep]:
    kind = requirement.evidence
    existing = evidence.list_evidence(app, ref=ref, kind=kind, lang=lang)
    for index in range(len(existing), requirement.min_count):
        name = kind if requirement.min_count == 1 else f"{kind}-{index + 1}"
        path = folder / f"{name}.md"
        path.write_text(
            f"# {name}\n\nDemo document for {ref}: {kind} #{index + 1}.\n", encoding="utf-8"
        )
        view = evidence.add_evidence(
            app, ref=ref, kind=kind, file=path, actor=_PEOPLE["isms_manager"], name=name, lang=lang
        )
        yield DemoStep(
            "evidence",
            f"uploaded {view.kind_title}: {path.name} "
            f"(#{view.id} v{view.version}, sha256 {view.sha256[:12]}…)",
        )
        existing.append(view)
    role = requirement.approved_by_role or ("isms_manager" if requirement.approved else None)
    if role is None:
        return
    for view in existing:
        if not any(a.role == role for a in view.approvals):
            evidence.approve_evidence(
                app, ref=ref, document_id=view.id, role=role, actor=_PEOPLE[role], lang=lang
            )
            yield DemoStep("approval", f"{_PEOPLE[role]} approved {view.kind_title} as {role}")


def _client_exists(app: App) -> bool:
    with app.uow() as uow:
        found = uow.session.scalars(select(ClientRow.id).where(ClientRow.key == DEMO_CLIENT))
        return found.first() is not None


def _free_project_key(app: App) -> str:
    with app.uow() as uow:
        taken = set(
            uow.session.scalars(
                select(ProjectRow.key).join(ClientRow).where(ClientRow.key == DEMO_CLIENT)
            ).all()
        )
    base = "isms-cert"
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, 10_000) if f"{base}-{n}" not in taken)
