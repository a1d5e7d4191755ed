"""Requirement types: what a stage needs before it may be left, as pure checks."""

from isms_flow.workflow.requirements.base import (
    Blocker,
    Requirement,
    RequirementResult,
    Vocabulary,
    known_requirement_types,
    parse_requirement,
)

__all__ = [
    "Blocker",
    "Requirement",
    "RequirementResult",
    "Vocabulary",
    "known_requirement_types",
    "parse_requirement",
]
