"""Turn a claimed outbox row into what a channel sends: the facts, the blockers, the words.

Read-only. What is still missing is computed by the engine from the project's snapshot: the
requirements of the stage the deadline's rule names (e.g. the surveillance audit stage for a
surveillance deadline), whether or not the project is in that stage yet. One `Composer` serves
one tick and remembers the blockers of each project version and stage, so a project with
several rows due at once is evaluated once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from isms_flow.bootstrap import App
from isms_flow.i18n import LANGUAGES, Language, LocalizedText
from isms_flow.schedule.channels.base import Notification
from isms_flow.schedule.messages import MessageFacts, Outcome, compose
from isms_flow.schedule.outbound import Outbound
from isms_flow.services.snapshots import evaluation_context, load_snapshot
from isms_flow.store.models import ClientRow, EventRow, ProjectRow
from isms_flow.store.unit_of_work import UnitOfWork
from isms_flow.workflow.deadline_section import ESCALATE
from isms_flow.workflow.schema import WorkflowDefinition

__all__ = ["Composer", "RuleText", "rule_text"]

_BlockerKey = tuple[int, int, str]  # project id, project version, stage


@dataclass(frozen=True)
class RuleText:
    """What a workflow's deadline rule contributes to a message."""

    title: LocalizedText
    stage: str | None = None
    action: LocalizedText | None = None


def rule_text(definition: WorkflowDefinition, kind: str) -> RuleText:
    """The title and stage the workflow gives a deadline kind.

    A kind the workflow no longer names (an old row after the file changed) is still sent,
    titled by its kind, rather than lost.
    """
    try:
        rule = definition.deadlines.rule(kind)
    except KeyError:
        readable = kind.replace("_", " ")
        return RuleText(title=LocalizedText(en=readable, ja=readable))
    return RuleText(title=rule.title, stage=rule.stage)


@dataclass(frozen=True)
class _Project:
    """What a message reads of a project and its client (and a snapshot needs)."""

    id: int
    version: int
    state: str
    title: str
    workflow_name: str
    workflow_version: int
    scope_whole: bool | None
    scope_units: list[str]
    client_name: str
    timezone: str


_PROJECT: Any = (
    select(
        ProjectRow.id,
        ProjectRow.version,
        ProjectRow.state,
        ProjectRow.title,
        ProjectRow.workflow_name,
        ProjectRow.workflow_version,
        ProjectRow.scope_whole,
        ProjectRow.scope_units,
        ClientRow.name.label("client_name"),
        ClientRow.timezone,
    )
    .join(ClientRow, ClientRow.id == ProjectRow.client_id)
    .where(ProjectRow.id == bindparam("project_id"))
)


class Composer:
    """Renders notifications for one tick.

    It remembers each project it read and the blockers of each project version and stage, so
    rows of one project due together cost one evaluation. The dispatcher calls `forget` when
    it changed a project itself (an escalation fired a trigger).
    """

    def __init__(self, app: App) -> None:
        self._app = app
        self._projects: dict[int, _Project] = {}
        self._blockers: dict[_BlockerKey, tuple[LocalizedText, ...]] = {}

    def forget(self, project_id: int) -> None:
        """Read this project again next time: it changed during the tick."""
        self._projects.pop(project_id, None)

    def notification(self, outbound: Outbound, *, now: datetime, late: bool) -> Notification:
        """The row in the client's language, with every other language as a translation."""
        with _Reader(self._app) as session:
            project = self._project(session, outbound.project_id)
            compiled = self._app.catalog.get(project.workflow_name, project.workflow_version)
            definition = compiled.definition
            rule = rule_text(definition, outbound.deadline_kind)
            escalation = outbound.kind == "escalation"
            facts = MessageFacts(
                kind=outbound.kind,
                client_name=project.client_name,
                project_ref=outbound.project_ref,
                project_title=project.title,
                deadline_key=outbound.deadline_key,
                deadline_title=rule.title,
                due_on=outbound.due_on,
                today=now.astimezone(ZoneInfo(project.timezone)).date(),
                offset_days=outbound.offset_days,
                state_title=definition.state(project.state).title,
                stage_title=definition.state(rule.stage).title if rule.stage else None,
                blockers=self._blockers_of(session, project, definition, rule.stage, now),
                action=rule.action,
                outcome=_outcome(session.get(), outbound, definition) if escalation else None,
                late=late,
            )
        language = cast(Language, outbound.client_language)
        texts = {lang: compose(facts, lang) for lang in LANGUAGES}
        subject, body = texts[language]
        return Notification(
            idempotency_key=outbound.idempotency_key,
            kind=outbound.kind,
            client_key=outbound.client_key,
            project_ref=outbound.project_ref,
            deadline_key=outbound.deadline_key,
            deadline_kind=outbound.deadline_kind,
            due_on=outbound.due_on,
            fire_at=outbound.fire_at,
            late=late,
            language=language,
            subject=subject,
            body=body,
            data=_data(outbound, facts, language),
            translations={lang: text for lang, text in texts.items() if lang != language},
        )

    def _project(self, session: _Reader, project_id: int) -> _Project:
        if project_id not in self._projects:
            row = session.get().connection().execute(_PROJECT, {"project_id": project_id}).one()
            self._projects[project_id] = _Project(**row._asdict())
        return self._projects[project_id]

    def _blockers_of(
        self,
        session: _Reader,
        project: _Project,
        definition: WorkflowDefinition,
        stage: str | None,
        now: datetime,
    ) -> tuple[LocalizedText, ...]:
        if stage is None:
            return ()
        # Any change to the project bumps its version, so (id, version) names one picture.
        key = (project.id, project.version, stage)
        if key not in self._blockers:
            self._blockers[key] = _blockers(session.get(), project, definition, stage, now)
        return self._blockers[key]


class _Reader:
    """A read-only unit of work opened only if something is not cached yet."""

    def __init__(self, app: App) -> None:
        self._app = app
        self._uow: UnitOfWork | None = None

    def get(self) -> Session:
        """The session, opened on first use."""
        if self._uow is None:
            self._uow = self._app.uow().__enter__()
        return self._uow.session

    def __enter__(self) -> _Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._uow is not None:
            self._uow.__exit__(None, None, None)  # rolls back: nothing here writes


def _blockers(
    session: Session, project: _Project, definition: WorkflowDefinition, stage: str, now: datetime
) -> tuple[LocalizedText, ...]:
    requirements = definition.state(stage).requires
    parts = frozenset(part for requirement in requirements for part in requirement.reads)
    snapshot = load_snapshot(session, project, parts)
    context = evaluation_context(now, project.timezone)
    vocabulary = definition.vocabulary
    results = [r.evaluate(snapshot, context, vocabulary) for r in requirements]
    return tuple(blocker.message for result in results for blocker in result.blockers)


def _outcome(session: Session, outbound: Outbound, definition: WorkflowDefinition) -> Outcome:
    """What the `deadline_overdue` event recorded for this deadline (the newest one)."""
    events = session.scalars(
        select(EventRow.payload)
        .where(EventRow.project_id == outbound.project_id, EventRow.type == "deadline_overdue")
        .order_by(EventRow.seq.desc())
    ).all()
    for text in events:
        payload: dict[str, Any] = json.loads(text)
        if payload.get("deadline") != outbound.deadline_key:
            continue
        action = str(payload.get("action", "none"))
        trigger = _trigger_title(definition, str(payload.get("on_overdue", "")))
        return Outcome(action=action, trigger_title=trigger)
    # Not handled by anyone (it was cancelled or met first): describe the rule itself.
    action = "escalated" if outbound.on_overdue == ESCALATE else "none"
    return Outcome(action=action)


def _trigger_title(definition: WorkflowDefinition, trigger: str) -> LocalizedText | None:
    for transition in definition.transitions:
        if transition.trigger == trigger:
            return transition.title
    return None


def _data(outbound: Outbound, facts: MessageFacts, language: Language) -> dict[str, Any]:
    """The machine-readable form of the notification (a webhook's JSON)."""
    return {
        "kind": outbound.kind,
        "client": outbound.client_key,
        "project": outbound.project_ref,
        "project_title": facts.project_title,
        "deadline": {
            "key": outbound.deadline_key,
            "kind": outbound.deadline_kind,
            "title": facts.deadline_title.in_(language),
            "due_on": outbound.due_on.isoformat(),
            "due_at": outbound.due_at.isoformat(),
            "on_overdue": outbound.on_overdue or None,
        },
        "offset_days": outbound.offset_days,
        "fire_at": outbound.fire_at.isoformat(),
        "stage": facts.stage_title.in_(language) if facts.stage_title else None,
        "missing": [blocker.in_(language) for blocker in facts.blockers],
        "outcome": facts.outcome.action if facts.outcome else None,
        "late": facts.late,
    }
