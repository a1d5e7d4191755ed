"""Deadline rule types: the registry a workflow's `deadlines:` rules resolve through.

Importing this package registers the built-in types (one module per family):
`certification` (certificate_expiry, surveillance_audit, recertification), `findings`
(major_nonconformity, corrective_action_response), `recurring` (evidence_validity,
internal_audit, management_review) and `stays` (time_in_state).
"""

from __future__ import annotations

from collections.abc import Mapping

from isms_flow.schedule.rules import certification, findings, recurring, stays
from isms_flow.schedule.rules.base import (
    MILESTONES,
    RuleContext,
    RuleType,
    merge_dates,
    registered,
    shift,
)

__all__ = ["MILESTONES", "RuleContext", "RuleType", "merge_dates", "rule_types", "shift"]

_BUILT_IN = (certification, findings, recurring, stays)  # imported for their registrations


def rule_types() -> Mapping[str, RuleType]:
    """Every known rule type by name."""
    return registered()
