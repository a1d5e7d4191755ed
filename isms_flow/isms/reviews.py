"""Management reviews (clause 9.3): the seven 9.3.2 inputs, the meetings, and their decisions.

Pure: the snapshot part "reviews" is a ReviewRegister. A meeting records who attended (and
whether they belong to top management), which 9.3.2 inputs it considered with notes, and the
9.3.3 outputs: decisions on continual improvement and on changes to the ISMS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from isms_flow.errors import BadInput
from isms_flow.i18n import LocalizedText

__all__ = [
    "DECISION_KINDS",
    "REVIEW_INPUTS",
    "Attendee",
    "Decision",
    "DecisionKind",
    "ManagementReview",
    "ReviewRegister",
    "input_label",
    "parse_attendee",
    "parse_decision",
    "parse_input",
    "parse_input_key",
]

_L = LocalizedText

REVIEW_INPUTS: Mapping[str, LocalizedText] = {
    "a": _L(
        en="status of actions from previous management reviews",
        ja="前回のマネジメントレビューからの処置の状況",
    ),
    "b": _L(
        en="changes in external and internal issues relevant to the ISMS",
        ja="外部・内部の課題の変化",
    ),
    "c": _L(
        en="changes in needs and expectations of interested parties",
        ja="利害関係者のニーズ・期待の変化",
    ),
    "d": _L(
        en="feedback on information security performance (nonconformities and corrective "
        "actions, monitoring and measurement, audit results, objectives)",
        ja="情報セキュリティパフォーマンスに関するフィードバック",
    ),
    "e": _L(en="feedback from interested parties", ja="利害関係者からのフィードバック"),
    "f": _L(
        en="results of risk assessment and status of the risk treatment plan",
        ja="リスクアセスメントの結果及びリスク対応計画の状況",
    ),
    "g": _L(en="opportunities for continual improvement", ja="継続的改善の機会"),
}
"""The inputs clause 9.3.2 requires a management review to consider, by their item letter."""

DecisionKind = Literal["improvement", "change"]
DECISION_KINDS: Mapping[DecisionKind, LocalizedText] = {
    "improvement": _L(en="continual improvement", ja="継続的改善"),
    "change": _L(en="change to the ISMS", ja="ISMSの変更"),
}
"""The two kinds of 9.3.3 output."""


def parse_input_key(raw: str) -> str:
    """`a`…`g` (also `9.3.2 c`, `C`, `c)`), or BadInput naming the known items."""
    key = raw.strip().lower().removeprefix("9.3.2").strip().rstrip(")").strip()
    if key not in REVIEW_INPUTS:
        raise BadInput(f"unknown 9.3.2 input '{raw.strip()}' (known: {', '.join(REVIEW_INPUTS)})")
    return key


def parse_input(spec: str) -> tuple[str, str]:
    """`c=Two new customer security requirements` → ("c", notes); notes must not be blank."""
    key, sep, notes = spec.partition("=")
    if not sep:
        raise BadInput(f"input '{spec.strip()}' must be ITEM=NOTES, e.g. 'c=New customer demands'")
    item = parse_input_key(key)
    notes = notes.strip()
    if not notes:
        raise BadInput(
            f"input {item} has no notes; leave it out if the meeting did not consider it"
        )
    return item, notes


def _fields(spec: str, what: str, most: int) -> list[str]:
    parts = [part.strip() for part in spec.split("|")]
    if len(parts) > most:
        raise BadInput(f"{what} '{spec.strip()}' has more than {most} parts separated by '|'")
    if not parts[0]:
        raise BadInput(f"{what} '{spec.strip()}' starts with an empty name")
    return parts + [""] * (most - len(parts))


def parse_attendee(spec: str, *, top_management: bool) -> Attendee:
    """`NAME | ROLE` (the role may be left out) → an attendee."""
    name, role = _fields(spec, "attendee", 2)
    return Attendee(name=name, role=role, top_management=top_management)


def parse_decision(spec: str, kind: DecisionKind) -> Decision:
    """`TEXT | OWNER | YYYY-MM-DD` (owner and due date may be left out) → a decision."""
    text, owner, due = _fields(spec, "decision", 3)
    try:
        due_on = date.fromisoformat(due) if due else None
    except ValueError:
        raise BadInput(
            f"decision '{text}': due date '{due}' is not a date (use YYYY-MM-DD)"
        ) from None
    return Decision(text=text, kind=kind, owner=owner or None, due=due_on)


def input_label(key: str) -> LocalizedText:
    """`c (changes in needs and expectations of interested parties)` in both languages."""
    text = REVIEW_INPUTS[key]
    return _L(en=f"{key} ({text.en})", ja=f"{key}（{text.ja}）")


@dataclass(frozen=True)
class Attendee:
    """A person at the meeting; `top_management` marks the people who direct the organization."""

    name: str
    role: str
    top_management: bool = False

    def describe(self) -> str:
        """`田中 誠 (CEO)`."""
        return f"{self.name} ({self.role})" if self.role else self.name


@dataclass(frozen=True)
class Decision:
    """One 9.3.3 output: what was decided, of which kind, optionally by whom and by when."""

    text: str
    kind: DecisionKind
    owner: str | None = None
    due: date | None = None


@dataclass(frozen=True)
class ManagementReview:
    """One management review meeting as recorded."""

    id: int
    held_on: date
    attendees: tuple[Attendee, ...]
    inputs: tuple[tuple[str, str], ...]  # (item letter, notes), in a–g order
    decisions: tuple[Decision, ...] = ()

    @property
    def notes(self) -> dict[str, str]:
        """Notes by 9.3.2 item letter."""
        return dict(self.inputs)

    @property
    def missing_inputs(self) -> tuple[str, ...]:
        """Item letters of the 9.3.2 inputs not considered (no notes), in a–g order."""
        notes = self.notes
        return tuple(key for key in REVIEW_INPUTS if not notes.get(key, "").strip())

    @property
    def top_management(self) -> tuple[Attendee, ...]:
        """The attendees from top management."""
        return tuple(person for person in self.attendees if person.top_management)


@dataclass(frozen=True)
class ReviewRegister:
    """Every management review of a project, oldest first."""

    reviews: tuple[ManagementReview, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, reviews: Iterable[ManagementReview]) -> ReviewRegister:
        """A register in meeting order (by date, then by when it was recorded)."""
        return cls(tuple(sorted(reviews, key=lambda review: (review.held_on, review.id))))

    def latest(self, today: date) -> ManagementReview | None:
        """The most recent meeting held on or before `today`."""
        held = [review for review in self.reviews if review.held_on <= today]
        return held[-1] if held else None
