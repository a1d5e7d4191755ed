"""Turn a claimed outbox row into what a channel sends: the facts, the blockers, the words.

Read-only. What is still missing is computed by the engine from the project's snapshot: the
requirements of the stage the deadline's rule names (e.g. the surveillance audit stage for a
surveillance deadline), whether or not the project is in that stage yet.

Built for batches: `Composer.prepare` reads what a whole batch of rows needs at once — its
projects in one query, the evidence of all of them in one more, and each register part a
stage reads once per project. What it read is kept across ticks in a `SnapshotCache` keyed by
project, project version and part: any change to a project bumps its version, so a piece read
at one version stays true for it, and only the day it is judged on moves (the requirements are
evaluated again for each day, which is pure and cheap).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from isms_flow.bootstrap import App
from isms_flow.errors import IsmsFlowError
from isms_flow.i18n import LANGUAGES, Language, LocalizedText
from isms_flow.schedule.channels.base import Notification
from isms_flow.schedule.escalations import Handled
from isms_flow.schedule.messages import MessageFacts, Outcome, compose
from isms_flow.schedule.outbound import Outbound
from isms_flow.schedule.snapshot_cache import MISSING, PieceKey, SnapshotCache
from isms_flow.services.snapshots import (
    evaluation_context,
    load_evidence,
    load_part,
    load_parts,
    scope_of,
)
from isms_flow.store.models import ClientRow, EventRow, ProjectRow
from isms_flow.store.unit_of_work import UnitOfWork
from isms_flow.workflow.deadline_section import ESCALATE
from isms_flow.workflow.schema import WorkflowDefinition
from isms_flow.workflow.snapshot import EvidenceFact, ProjectSnapshot

__all__ = ["Composer", "RuleText", "rule_text"]

SnapshotKey = tuple[int, int, str]  # project id, project version, stage
_EVIDENCE = ""  # the cache's name for a project's current evidence


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
    client_id: int
    version: int
    state: str
    title: str
    workflow_name: str
    workflow_version: int
    scope_whole: bool | None
    scope_units: list[str]
    client_name: str
    timezone: str


_PROJECTS: Any = (
    select(
        ProjectRow.id,
        ProjectRow.client_id,
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
    .where(ProjectRow.id.in_(bindparam("project_ids", expanding=True)))
)


class Composer:
    """Renders notifications for one tick.

    It remembers each project it read and the blockers of each project version, stage and
    day, so rows of one project due together cost one evaluation. The dispatcher calls
    `forget` when it changed a project itself (an escalation fired a trigger).
    """

    def __init__(self, app: App, cache: SnapshotCache | None = None) -> None:
        self._app = app
        self._cache = cache if cache is not None else SnapshotCache()
        self._projects: dict[int, _Project] = {}
        self._blockers: dict[tuple[SnapshotKey, date], tuple[LocalizedText, ...]] = {}

    def forget(self, project_id: int) -> None:
        """Read this project again next time: it changed during the tick."""
        self._projects.pop(project_id, None)

    def moved(self, project_id: int, *, from_version: int) -> None:
        """The scheduler fired a trigger on the project at `from_version`: only its stage
        changed, so what its stages read carries over to the next version."""
        self.forget(project_id)
        self._cache.carry(project_id, from_version, from_version + 1)

    def prepare(self, outbounds: Iterable[Outbound]) -> None:
        """Read in bulk what the messages of these rows will need. A row whose workflow is
        not installed is left out here; its own message then says why it cannot be sent."""
        rows = list(outbounds)
        with _Reader(self._app) as reader:
            self._load_projects(reader, {row.project_id for row in rows})
            evidence: dict[int, _Project] = {}
            parts: dict[PieceKey, _Project] = {}
            for row in rows:
                project = self._projects[row.project_id]
                try:
                    definition = self._definition(project)
                except IsmsFlowError:
                    continue
                stage = rule_text(definition, row.deadline_kind).stage
                if stage is None:
                    continue
                pid, version = project.id, project.version
                if self._cache.get((pid, version, _EVIDENCE)) is MISSING:
                    evidence[pid] = project
                for part in _parts(definition, stage):
                    if self._cache.get((pid, version, part)) is MISSING:
                        parts[(pid, version, part)] = project
            if evidence:
                found = load_evidence(reader.get(), evidence)
                for pid, project in evidence.items():
                    self._cache.put((pid, project.version, _EVIDENCE), found[pid])
            by_part: dict[str, list[_Project]] = {}
            for (_, _, part), project in parts.items():
                by_part.setdefault(part, []).append(project)
            for part, projects in sorted(by_part.items()):
                loaded = load_parts(reader.get(), projects, part)
                for project in projects:
                    self._cache.put((project.id, project.version, part), loaded[project.id])

    def notification(
        self,
        outbound: Outbound,
        *,
        now: datetime,
        late: bool,
        handled: Handled | None = None,
        languages: Iterable[str] | None = None,
    ) -> Notification:
        """The row in the client's language, with a translation into each of `languages`
        (default: every language) that is not the client's.

        `handled` is what this tick's escalation of the row's deadline did, when it did
        anything; otherwise an escalation's outcome is read from the history.
        """
        with _Reader(self._app) as reader:
            project = self._project(reader, outbound.project_id)
            definition = self._definition(project)
            rule = rule_text(definition, outbound.deadline_kind)
            escalation = outbound.kind == "escalation"
            outcome = None
            if escalation:
                outcome = (
                    _handled_outcome(handled, definition)
                    if handled is not None and handled.action != "skipped"
                    else _outcome(reader.get(), outbound, definition)
                )
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
                blockers=self._blockers_of(reader, project, definition, rule.stage, now),
                action=rule.action,
                outcome=outcome,
                late=late,
            )
        language = cast(Language, outbound.client_language)
        wanted = set(LANGUAGES if languages is None else languages) | {language}
        # Only the languages someone reads: rendering a message is most of a delivery's cost.
        texts = {lang: compose(facts, lang) for lang in LANGUAGES if lang in wanted}
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

    def _definition(self, project: _Project) -> WorkflowDefinition:
        return self._app.catalog.get(project.workflow_name, project.workflow_version).definition

    def _load_projects(self, reader: _Reader, project_ids: Iterable[int]) -> None:
        missing = sorted(set(project_ids) - self._projects.keys())
        for start in range(0, len(missing), 500):
            params = {"project_ids": missing[start : start + 500]}
            for row in reader.get().connection().execute(_PROJECTS, params):
                self._projects[row.id] = _Project(*row)  # columns in the order of its fields

    def _project(self, reader: _Reader, project_id: int) -> _Project:
        if project_id not in self._projects:
            self._load_projects(reader, [project_id])
        return self._projects[project_id]

    def _blockers_of(
        self,
        reader: _Reader,
        project: _Project,
        definition: WorkflowDefinition,
        stage: str | None,
        now: datetime,
    ) -> tuple[LocalizedText, ...]:
        if stage is None:
            return ()
        # Any change to the project bumps its version, so (id, version) names one picture.
        key = (project.id, project.version, stage)
        context = evaluation_context(now, project.timezone)
        if (key, context.today) not in self._blockers:
            snapshot = self._snapshot(reader, project, definition, stage)
            requirements = definition.state(stage).requires
            vocabulary = definition.vocabulary
            results = [r.evaluate(snapshot, context, vocabulary) for r in requirements]
            self._blockers[(key, context.today)] = tuple(
                blocker.message for result in results for blocker in result.blockers
            )
        return self._blockers[(key, context.today)]

    def _snapshot(
        self, reader: _Reader, project: _Project, definition: WorkflowDefinition, stage: str
    ) -> ProjectSnapshot:
        pid, version = project.id, project.version
        evidence = self._cache.get((pid, version, _EVIDENCE))
        if evidence is MISSING:
            evidence = load_evidence(reader.get(), [pid])[pid]
            self._cache.put((pid, version, _EVIDENCE), evidence)
        registers: dict[str, object] = {}
        for part in sorted(_parts(definition, stage)):
            piece = self._cache.get((pid, version, part))
            if piece is MISSING:
                piece = load_part(reader.get(), project, part)
                self._cache.put((pid, version, part), piece)
            registers[part] = piece
        return ProjectSnapshot(
            state=project.state,
            scope=scope_of(project),
            evidence=cast(tuple[EvidenceFact, ...], evidence),
            registers=registers,
        )


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


def _parts(definition: WorkflowDefinition, stage: str) -> frozenset[str]:
    """The register parts the requirements of `stage` read."""
    return frozenset(
        part for requirement in definition.state(stage).requires for part in requirement.reads
    )


def _handled_outcome(handled: Handled, definition: WorkflowDefinition) -> Outcome:
    trigger = _trigger_title(definition, handled.trigger) if handled.trigger else None
    return Outcome(action=handled.action, trigger_title=trigger)


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
