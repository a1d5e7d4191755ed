"""The contract of a requirement type and the registry that resolves names from workflow files.

A requirement in a workflow file is a mapping whose *type key* names its type, e.g.
`{evidence: scope_statement, approved: true}`. Only types registered here exist: a workflow
file can never name code to run.

Contract of a type: a frozen pydantic model with `type_key` (its YAML key) and
`evaluate(snapshot, ctx, vocab) -> RequirementResult`, a pure function that reads nothing but
its arguments. `label(vocab)` names the requirement in both languages for checklists.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from isms_flow.i18n import LocalizedText
from isms_flow.workflow.snapshot import EvaluationContext, ProjectSnapshot

__all__ = [
    "Blocker",
    "Requirement",
    "RequirementResult",
    "Vocabulary",
    "known_requirement_types",
    "parse_requirement",
    "register",
]


@dataclass(frozen=True)
class Vocabulary:
    """The bilingual names a workflow file declares for evidence kinds and roles."""

    kinds: Mapping[str, LocalizedText]
    roles: Mapping[str, LocalizedText]

    def kind(self, kind: str) -> LocalizedText:
        """Title of an evidence kind (the raw name when undeclared)."""
        return self.kinds.get(kind) or LocalizedText(en=kind, ja=kind)

    def role(self, role: str) -> LocalizedText:
        """Title of a role (the raw name when undeclared)."""
        return self.roles.get(role) or LocalizedText(en=role, ja=role)


@dataclass(frozen=True)
class Blocker:
    """One unmet requirement, said plainly, with the exact items at fault."""

    code: str
    message: LocalizedText
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class RequirementResult:
    """The outcome of one requirement: met or not, progress, and blockers when unmet."""

    label: LocalizedText
    met: bool
    have: int
    need: int
    blockers: tuple[Blocker, ...] = field(default_factory=tuple)


class Requirement(BaseModel):
    """Base of every requirement type; subclasses register themselves with `register`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type_key: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset()
    """Register parts (see ProjectSnapshot.registers) the service must load for this type."""

    title: LocalizedText | None = None

    def label(self, vocab: Vocabulary) -> LocalizedText:
        """The checklist label in both languages."""
        raise NotImplementedError

    def evaluate(
        self,
        snapshot: ProjectSnapshot,
        ctx: EvaluationContext,
        vocab: Vocabulary,
    ) -> RequirementResult:
        """Check the requirement against a snapshot; pure."""
        raise NotImplementedError

    def evidence_kinds(self) -> tuple[str, ...]:
        """Evidence kinds this requirement refers to (checked against the file's declarations)."""
        return ()

    def roles(self) -> tuple[str, ...]:
        """Roles this requirement refers to (checked against the file's declarations)."""
        return ()


_REGISTRY: dict[str, type[Requirement]] = {}


def register(requirement_type: type[Requirement]) -> type[Requirement]:
    """Class decorator: make a requirement type known by its `type_key`."""
    _REGISTRY[requirement_type.type_key] = requirement_type
    return requirement_type


def known_requirement_types() -> tuple[str, ...]:
    """Names of every registered requirement type, sorted."""
    _load_builtin_types()
    return tuple(sorted(_REGISTRY))


def parse_requirement(raw: Any) -> Requirement:
    """Resolve a raw mapping from a workflow file to a registered requirement type.

    Raises ValueError with a one-line reason for anything that is not a known type with valid
    parameters.
    """
    _load_builtin_types()
    if isinstance(raw, Requirement):
        return raw
    if not isinstance(raw, Mapping):
        raise ValueError(f"a requirement must be a mapping, not {type(raw).__name__}")
    type_keys = [key for key in raw if key in _REGISTRY]
    if len(type_keys) != 1:
        first = next(iter(raw), "<empty>")
        known = ", ".join(sorted(_REGISTRY))
        if type_keys:
            raise ValueError(f"a requirement has exactly one type, found {', '.join(type_keys)}")
        raise ValueError(f"unknown requirement type '{first}' (known: {known})")
    requirement_type = _REGISTRY[type_keys[0]]
    try:
        return requirement_type.model_validate(dict(raw))
    except ValidationError as error:
        first_error = error.errors()[0]
        where = ".".join(str(part) for part in first_error["loc"]) or type_keys[0]
        raise ValueError(f"{type_keys[0]} requirement: {where}: {first_error['msg']}") from None


_TYPE_PACKAGES = ("isms_flow.workflow.requirements", "isms_flow.isms.requirements")


def _load_builtin_types() -> None:
    # Imported on first use, so the registry is complete without import-time side effects:
    # every module of these packages registers its types.
    if _LOADED:
        return
    for package_name in _TYPE_PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package_name}.{module.name}")
    _LOADED.append(True)


_LOADED: list[bool] = []
