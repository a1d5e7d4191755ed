"""The `deadlines:` section of a workflow file: deadline rules, milestones, certification bodies.

```yaml
deadlines:
  remind: [90, 30, 7, 1]              # default reminder offsets, days before the due date
  milestones:                         # dated facts recognised from transitions
    surveillance_audit:
      - {source: surveillance_audit_1, dest: surveillance_audit_2}
  certification_bodies:               # a body's own terms, matched against the selected quote
    BSI Group Japan:
      corrective_action_response: 60 days after audit_end
  rules:
    - name: surveillance_audit        # the deadline kind
      rule: surveillance_audit        # its type, from isms_flow.schedule.rules
      title: {en: Surveillance audit, ja: 維持審査}
      due: 12 months after certification_decision   # the anchor is what starts it
      on_overdue: suspend             # a trigger of this workflow, `escalate`, or nothing
      stage: surveillance_audit_1     # whose blockers a reminder lists
```

A rule names a *type* from an internal registry; the file never names code. The types, their
anchors and options are checked here (`deadline_problems`) so a bad file is refused at load
with the line of each problem.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from isms_flow.i18n import LocalizedText

__all__ = [
    "DEFAULT_REMIND",
    "ESCALATE",
    "MAX_OFFSET_DAYS",
    "DeadlineRuleDefinition",
    "DeadlinesSection",
    "DueSpec",
    "TransitionMatch",
    "certification_body_terms",
]

DEFAULT_REMIND: tuple[int, ...] = (90, 30, 7, 1)
"""Reminder offsets (days before the due date) when neither rule nor section names any."""
ESCALATE = "escalate"
"""`on_overdue` value that notifies the client's escalation recipients instead of a trigger."""
MAX_OFFSET_DAYS = 3650
"""The furthest ahead a reminder may go out: ten years."""

_Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
_DUE = re.compile(
    r"^\s*(\d{1,4})\s+(day|days|month|months|year|years)\s+(after|before)\s+"
    r"([a-z][a-z0-9_]*)\s*$"
)
_UNIT_MONTHS = {"month": 1, "months": 1, "year": 12, "years": 12}


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DueSpec(_Strict):
    """When a deadline is due: a whole number of days or months after or before an anchor."""

    amount: int = Field(ge=0)
    unit: Literal["days", "months"]
    direction: Literal["after", "before"]
    anchor: str
    text: str

    @property
    def signed_amount(self) -> int:
        """The amount, negative when the due date is before the anchor."""
        return -self.amount if self.direction == "before" else self.amount


def _parse_due(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    match = _DUE.match(value)
    if match is None:
        raise ValueError(
            f"due '{value}' must read 'N days|months|years after|before ANCHOR', "
            "e.g. '12 months after certification_decision'"
        )
    amount, unit, direction, anchor = match.groups()
    months = _UNIT_MONTHS.get(unit)
    return {
        "amount": int(amount) * (months or 1),
        "unit": "days" if months is None else "months",
        "direction": direction,
        "anchor": anchor,
        "text": " ".join(value.split()),
    }


def _parse_offsets(value: Any) -> Any:
    """Offsets are days; `30d` is read as 30 (the spelling of the design notes)."""
    if isinstance(value, list | tuple):
        return [
            int(item[:-1]) if isinstance(item, str) and re.fullmatch(r"-?\d+d", item) else item
            for item in value
        ]
    return value


_Due = Annotated[DueSpec, BeforeValidator(_parse_due)]
_Offsets = Annotated[tuple[int, ...], BeforeValidator(_parse_offsets)]


class TransitionMatch(_Strict):
    """Transitions that count as a milestone: every field given must equal the transition's."""

    trigger: _Identifier | None = None
    source: _Identifier | None = None
    dest: _Identifier | None = None

    def matches(self, trigger: str, source: str, dest: str) -> bool:
        """True when every given field equals the transition's."""
        return (
            (self.trigger is None or self.trigger == trigger)
            and (self.source is None or self.source == source)
            and (self.dest is None or self.dest == dest)
        )


class DeadlineRuleDefinition(_Strict):
    """One kind of deadline: its rule type, due date, reminders and what happens when missed."""

    name: _Identifier
    rule: _Identifier
    title: LocalizedText
    due: _Due
    remind: _Offsets | None = None
    on_overdue: _Identifier | None = None
    stage: _Identifier | None = None
    # Options some rule types take (checked against the type in `deadline_problems`):
    kinds: tuple[_Identifier, ...] = ()  # evidence kinds
    grades: tuple[_Identifier, ...] = ()  # finding grades
    audit_kinds: tuple[_Identifier, ...] = ()  # audit kinds
    met_by: tuple[_Identifier, ...] = ()  # triggers that meet it (leaving a state)

    @property
    def escalates(self) -> bool:
        """True when a missed deadline notifies the escalation recipients."""
        return self.on_overdue == ESCALATE


class DeadlinesSection(_Strict):
    """The whole `deadlines:` section; empty when a workflow has no deadlines."""

    remind: _Offsets = DEFAULT_REMIND
    milestones: dict[_Identifier, tuple[TransitionMatch, ...]] = Field(default_factory=dict)
    certification_bodies: dict[str, dict[_Identifier, _Due]] = Field(default_factory=dict)
    rules: tuple[DeadlineRuleDefinition, ...] = ()

    def rule(self, name: str) -> DeadlineRuleDefinition:
        """The rule whose deadlines are of kind `name` (KeyError when there is none)."""
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise KeyError(name)

    def offsets(self, rule: DeadlineRuleDefinition) -> tuple[int, ...]:
        """The rule's reminder offsets, else the section's, largest first."""
        chosen = self.remind if rule.remind is None else rule.remind
        return tuple(sorted(set(chosen), reverse=True))


def certification_body_terms(section: DeadlinesSection, body: str | None) -> dict[str, DueSpec]:
    """The due dates a certification body sets differently, by deadline kind.

    A body is matched by its name, or by the leading words of it, ignoring case and spacing:
    `JQA` matches `JQA (Japan Quality Assurance Organization)`. The longest match wins.
    """
    if not body:
        return {}
    name = " ".join(body.split()).casefold()
    best: tuple[int, dict[str, DueSpec]] = (0, {})
    for listed, terms in section.certification_bodies.items():
        key = " ".join(listed.split()).casefold()
        if key and (name == key or name.startswith(key + " ")) and len(key) > best[0]:
            best = (len(key), dict(terms))
    return best[1]
