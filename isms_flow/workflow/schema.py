"""The pydantic schema of a workflow file, and the graph checks a valid file must pass.

The `deadlines:` section has its own module (`deadline_section`, checked by `deadline_checks`).

Structure is checked by pydantic; `graph_problems` then checks what a schema cannot express
(names that must exist, states that must be reachable or have a way out). Both report a
location path such as `("transitions", 3, "dest")`, which the loader turns into a line number.
"""

from __future__ import annotations

from collections import deque
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from isms_flow.i18n import LocalizedText
from isms_flow.workflow.deadline_checks import deadline_problems
from isms_flow.workflow.deadline_section import DeadlinesSection
from isms_flow.workflow.requirements import Requirement, Vocabulary, parse_requirement

__all__ = [
    "FORMAT_VERSION",
    "Location",
    "Problem",
    "StateDefinition",
    "TransitionDefinition",
    "WorkflowDefinition",
    "graph_problems",
]

FORMAT_VERSION = 1
"""The newest workflow file format this engine reads; a newer file is refused."""

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Location = tuple[str | int, ...]
Problem = tuple[Location, str]

_RequirementField = Annotated[Requirement, BeforeValidator(parse_requirement)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StateDefinition(_Strict):
    """A stage of the project; `requires` must be met before it is left by a checking trigger."""

    name: Identifier
    title: LocalizedText
    description: LocalizedText | None = None
    final: bool = False
    requires: tuple[_RequirementField, ...] = ()


class TransitionDefinition(_Strict):
    """A trigger that moves a project from one of `source` to `dest`.

    `checks_stage` (default true) makes the source stage's requirements part of the guard; side
    paths such as suspension set it false and name their own `requires`.
    """

    trigger: Identifier
    source: tuple[Identifier, ...]
    dest: Identifier
    title: LocalizedText
    checks_stage: bool = True
    requires: tuple[_RequirementField, ...] = ()

    @field_validator("source", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value


class WorkflowDefinition(_Strict):
    """A whole workflow file."""

    format: int = Field(default=FORMAT_VERSION, ge=1)
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=64)]
    version: int = Field(ge=1)
    title: LocalizedText
    initial: Identifier
    roles: dict[Identifier, LocalizedText] = Field(default_factory=dict)
    evidence_kinds: dict[Identifier, LocalizedText] = Field(default_factory=dict)
    states: tuple[StateDefinition, ...] = Field(min_length=1)
    transitions: tuple[TransitionDefinition, ...] = Field(min_length=1)
    deadlines: DeadlinesSection = Field(default_factory=DeadlinesSection)

    @property
    def vocabulary(self) -> Vocabulary:
        """Bilingual names of evidence kinds and roles."""
        return Vocabulary(kinds=self.evidence_kinds, roles=self.roles)

    def state(self, name: str) -> StateDefinition:
        """Return the state called `name` (KeyError when it does not exist)."""
        for state in self.states:
            if state.name == name:
                return state
        raise KeyError(name)

    def transitions_from(self, state: str) -> tuple[TransitionDefinition, ...]:
        """Every transition whose source includes `state`, in file order."""
        return tuple(t for t in self.transitions if state in t.source)


def graph_problems(definition: WorkflowDefinition) -> list[Problem]:
    """Check names and reachability; return every problem with its location."""
    problems: list[Problem] = []
    if definition.format > FORMAT_VERSION:
        problems.append(
            (
                ("format",),
                f"format {definition.format} is newer than {FORMAT_VERSION}, the newest "
                "this isms-flow reads; upgrade isms-flow",
            )
        )
    names: dict[str, int] = {}
    for index, state in enumerate(definition.states):
        if state.name in names:
            problems.append(
                (
                    ("states", index, "name"),
                    f"duplicate state '{state.name}' "
                    f"(first defined as states[{names[state.name]}])",
                )
            )
        names.setdefault(state.name, index)
    known = ", ".join(names)
    if definition.initial not in names:
        problems.append((("initial",), f"unknown state '{definition.initial}' (known: {known})"))
    problems += _transition_problems(definition, names, known)
    problems += _reference_problems(definition)
    problems += deadline_problems(definition)
    if not problems:
        problems += _shape_problems(definition, names)
    return problems


def _transition_problems(
    definition: WorkflowDefinition, names: dict[str, int], known: str
) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for index, transition in enumerate(definition.transitions):
        for position, source in enumerate(transition.source):
            if source not in names:
                problems.append(
                    (
                        ("transitions", index, "source", position),
                        f"unknown state '{source}' (known: {known})",
                    )
                )
            pair = (transition.trigger, source)
            if pair in seen:
                problems.append(
                    (
                        ("transitions", index, "trigger"),
                        f"duplicate trigger '{transition.trigger}' from '{source}' "
                        f"(already transitions[{seen[pair]}])",
                    )
                )
            seen.setdefault(pair, index)
        if transition.dest not in names:
            problems.append(
                (
                    ("transitions", index, "dest"),
                    f"unknown state '{transition.dest}' (known: {known})",
                )
            )
    return problems


def _reference_problems(definition: WorkflowDefinition) -> list[Problem]:
    problems: list[Problem] = []
    places: list[tuple[Location, tuple[Requirement, ...]]] = [
        *[(("states", i, "requires"), s.requires) for i, s in enumerate(definition.states)],
        *[
            (("transitions", i, "requires"), t.requires)
            for i, t in enumerate(definition.transitions)
        ],
    ]
    for where, requirements in places:
        for index, requirement in enumerate(requirements):
            for kind in requirement.evidence_kinds():
                if kind not in definition.evidence_kinds:
                    problems.append(
                        (
                            (*where, index),
                            f"evidence kind '{kind}' is not declared in evidence_kinds",
                        )
                    )
            for role in requirement.roles():
                if role not in definition.roles:
                    problems.append(((*where, index), f"role '{role}' is not declared in roles"))
    return problems


def _shape_problems(definition: WorkflowDefinition, names: dict[str, int]) -> list[Problem]:
    problems: list[Problem] = []
    outgoing: dict[str, list[str]] = {name: [] for name in names}
    for transition in definition.transitions:
        for source in transition.source:
            outgoing[source].append(transition.dest)
    reachable = {definition.initial}
    queue = deque([definition.initial])
    while queue:
        for dest in outgoing[queue.popleft()]:
            if dest not in reachable:
                reachable.add(dest)
                queue.append(dest)
    for index, state in enumerate(definition.states):
        if state.name not in reachable:
            problems.append(
                (
                    ("states", index),
                    f"state '{state.name}' cannot be reached from '{definition.initial}'",
                )
            )
        if state.final and outgoing[state.name]:
            problems.append(
                (("states", index), f"final state '{state.name}' has transitions out of it")
            )
        if not state.final and not outgoing[state.name]:
            problems.append(
                (
                    ("states", index),
                    f"state '{state.name}' has no way out and is not marked final: true",
                )
            )
    return problems
