"""The risk register's rules (6.1.2, 6.1.3, 8.2): the risk method, ratings and their levels,
treatment options, information assets, risks, and when an owner's acceptance still holds.

Pure values: the services load them from the store, the guards and the CLI read them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, get_args

from isms_flow.errors import BadInput
from isms_flow.i18n import LocalizedText

__all__ = [
    "CIA_TITLES",
    "DEFAULT_LEVELS",
    "DEFAULT_THRESHOLD",
    "FLAG_TITLES",
    "KEY_PATTERN",
    "LEVELS",
    "LEVEL_TITLES",
    "MAX_LEVELS",
    "MIN_LEVELS",
    "TREATMENT_OPTIONS",
    "TREATMENT_TITLES",
    "Acceptance",
    "AcceptanceState",
    "Asset",
    "Flag",
    "Level",
    "Risk",
    "RiskMethod",
    "RiskRegister",
    "Score",
    "TreatmentOption",
    "check_cia",
    "chosen_controls",
    "normalize_key",
    "parse_treatment",
]

MIN_LEVELS, MAX_LEVELS = 2, 10
DEFAULT_LEVELS = 5
DEFAULT_THRESHOLD = 6
# Highest acceptable rating on the default 5 × 5 scale. Both conventions of
# shared/domain/iso27001.md §4 draw the line there: the score bands accept 3–6 ("low") and
# want treatment from 7 up ("medium" is only conditionally tolerable, time-limited), and the
# ISO/IEC 27005-style grid rates every product up to 6 very low or low (acceptable) and 8
# and above medium or worse. 8 would accept likelihood 4 × impact 2, which the grid calls
# medium, so 6 is the conservative reading.

KEY_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*-[0-9]{1,6}$")
"""Keys of risks and assets, e.g. R-004 or A-012 (the shape the SoA's risk links expect)."""

TreatmentOption = Literal["modify", "avoid", "share", "retain"]
TREATMENT_OPTIONS: tuple[TreatmentOption, ...] = get_args(TreatmentOption)
TREATMENT_TITLES: Mapping[TreatmentOption, LocalizedText] = {
    "modify": LocalizedText(en="Modify (reduce)", ja="リスク低減"),
    "avoid": LocalizedText(en="Avoid", ja="リスク回避"),
    "share": LocalizedText(en="Share (transfer)", ja="リスク移転（共有）"),
    "retain": LocalizedText(en="Retain (accept)", ja="リスク保有（受容）"),
}
# The ISO/IEC 27005 names, their common synonyms and the Japanese terms (glossary §5).
_SPELLINGS: Mapping[str, TreatmentOption] = {
    **dict.fromkeys(("modify", "modification", "reduce", "mitigate", "低減", "修正"), "modify"),
    **dict.fromkeys(("avoid", "avoidance", "回避"), "avoid"),
    **dict.fromkeys(("share", "sharing", "transfer", "移転", "共有"), "share"),
    **dict.fromkeys(("retain", "retention", "accept", "保有", "受容"), "retain"),
}

Level = Literal["very_low", "low", "medium", "high", "very_high"]
LEVELS: tuple[Level, ...] = get_args(Level)
LEVEL_TITLES: Mapping[Level, LocalizedText] = {
    "very_low": LocalizedText(en="very low", ja="極小"),
    "low": LocalizedText(en="low", ja="小"),
    "medium": LocalizedText(en="medium", ja="中"),
    "high": LocalizedText(en="high", ja="大"),
    "very_high": LocalizedText(en="very high", ja="極大"),
}

CIA_TITLES: Mapping[int, LocalizedText] = {
    1: LocalizedText(en="low", ja="低"),
    2: LocalizedText(en="medium", ja="中"),
    3: LocalizedText(en="high", ja="高"),
}


def normalize_key(text: str, what: str = "risk") -> str:
    """ "r-004 " → "R-004"; BadInput for anything not shaped like R-004."""
    key = text.strip().upper()
    if not KEY_PATTERN.match(key):
        example = "A-001" if what == "asset" else "R-004"
        raise BadInput(f"{what} key '{text.strip()}' is not like {example}")
    return key


def parse_treatment(text: str) -> TreatmentOption:
    """modify / avoid / share / retain, or a synonym (mitigate, transfer, accept, 低減…)."""
    value = text.strip().lower().removeprefix("リスク")
    option = _SPELLINGS.get(value)
    if option is None:
        raise BadInput(
            f"treatment '{text.strip()}' is not modify, avoid, share or retain "
            "(ISO/IEC 27005: modification, avoidance, sharing, retention)"
        )
    return option


def check_cia(name: str, value: int) -> int:
    """A confidentiality / integrity / availability value: 1 low, 2 medium, 3 high."""
    if value not in CIA_TITLES:
        raise BadInput(f"{name} {value} is not 1 (low), 2 (medium) or 3 (high)")
    return value


@dataclass(frozen=True)
class Score:
    """Likelihood and impact on the method's scales; their product is the rating."""

    likelihood: int
    impact: int

    @property
    def rating(self) -> int:
        """likelihood × impact."""
        return self.likelihood * self.impact

    def __str__(self) -> str:
        return f"{self.likelihood}×{self.impact}={self.rating}"


@dataclass(frozen=True)
class RiskMethod:
    """Likelihood and impact scales (1..n each) and the highest acceptable rating."""

    likelihood_levels: int = DEFAULT_LEVELS
    impact_levels: int = DEFAULT_LEVELS
    acceptance_threshold: int = DEFAULT_THRESHOLD

    def __post_init__(self) -> None:
        for name, levels in (
            ("likelihood", self.likelihood_levels),
            ("impact", self.impact_levels),
        ):
            if not MIN_LEVELS <= levels <= MAX_LEVELS:
                raise BadInput(
                    f"{name} levels {levels} must be between {MIN_LEVELS} and {MAX_LEVELS}"
                )
        if not 1 <= self.acceptance_threshold < self.max_rating:
            raise BadInput(
                f"acceptance threshold {self.acceptance_threshold} must be between 1 and "
                f"{self.max_rating - 1} on a {self.likelihood_levels} × {self.impact_levels} "
                "scale (the highest acceptable rating; the top rating can never be acceptable)"
            )

    @property
    def max_rating(self) -> int:
        """The highest rating the scales allow."""
        return self.likelihood_levels * self.impact_levels

    def describe(self) -> str:
        """E.g. `5 × 5, acceptable up to 6`."""
        return (
            f"{self.likelihood_levels} × {self.impact_levels}, "
            f"acceptable up to {self.acceptance_threshold}"
        )

    def fits(self, score: Score) -> bool:
        """True when both values lie on the scales."""
        return (
            1 <= score.likelihood <= self.likelihood_levels
            and 1 <= score.impact <= self.impact_levels
        )

    def check(self, score: Score) -> Score:
        """The score itself; BadInput naming the scale when a value lies outside it."""
        for name, value, levels in (
            ("likelihood", score.likelihood, self.likelihood_levels),
            ("impact", score.impact, self.impact_levels),
        ):
            if not 1 <= value <= levels:
                raise BadInput(
                    f"{name} {value} is outside the risk method's scale 1–{levels} "
                    f"({self.describe()})"
                )
        return score

    def acceptable(self, rating: int) -> bool:
        """A rating at or below the threshold meets the acceptance criteria."""
        return rating <= self.acceptance_threshold

    def level(self, rating: int) -> Level:
        """The rating's level, banded around the threshold.

        Acceptable ratings are low, their lowest third very low; above the threshold, up to
        twice it is medium, up to three quarters of the way to the top high, beyond very high.
        On the default 5 × 5 / 6 that gives 1–2, 3–6, 7–12, 13–20, 21–25: the score bands of
        shared/domain/iso27001.md §4.
        """
        threshold = self.acceptance_threshold
        if rating <= threshold:
            return "very_low" if rating <= threshold // 3 else "low"
        high_limit = threshold + (self.max_rating - threshold) * 3 // 4
        if rating <= min(2 * threshold, high_limit):
            return "medium"
        return "high" if rating <= high_limit else "very_high"


@dataclass(frozen=True)
class Asset:
    """An information asset, its owner and its C/I/A classification (1 low – 3 high)."""

    key: str
    name: str
    owner: str
    confidentiality: int
    integrity: int
    availability: int
    description: str = ""

    @property
    def cia(self) -> str:
        """E.g. `C3 I2 A2`."""
        return f"C{self.confidentiality} I{self.integrity} A{self.availability}"


@dataclass(frozen=True)
class Acceptance:
    """The risk owner accepted the residual risk at this rating, at this moment."""

    by: str
    at: datetime
    rating: int


AcceptanceState = Literal["not_needed", "missing", "stale", "current"]
Flag = Literal[
    "unscored",
    "off_scale",
    "untreated",
    "plan_incomplete",
    "no_residual",
    "acceptance_missing",
    "acceptance_stale",
]
FLAG_TITLES: Mapping[Flag, LocalizedText] = {
    "unscored": LocalizedText(en="unscored", ja="未評価"),
    "off_scale": LocalizedText(en="scored off the method's scale", ja="評価値が手法の範囲外"),
    "untreated": LocalizedText(en="untreated", ja="対応未決定"),
    "plan_incomplete": LocalizedText(en="plan incomplete", ja="対応計画が不完全"),
    "no_residual": LocalizedText(en="no residual score", ja="残留リスク未評価"),
    "acceptance_missing": LocalizedText(en="acceptance missing", ja="受容なし"),
    "acceptance_stale": LocalizedText(en="acceptance stale", ja="受容が古い"),
}


@dataclass(frozen=True)
class Risk:
    """A risk to an asset (or a scenario without one), scored, treated and accepted.

    `scored_at` is when the inherent or residual score last changed: an acceptance older than
    that was given for a risk that has since been re-scored.
    """

    key: str
    threat: str
    vulnerability: str
    owner: str
    asset_key: str | None = None
    inherent: Score | None = None
    scored_at: datetime | None = None
    treatment: TreatmentOption | None = None
    controls: tuple[str, ...] = ()
    treatment_owner: str | None = None
    treatment_due: date | None = None
    residual: Score | None = None
    acceptance: Acceptance | None = None

    def needs_treatment(self, method: RiskMethod) -> bool:
        """Scored on the method and rated above the threshold."""
        return self.scored(method) and not method.acceptable(self.rating_or_zero)

    def scored(self, method: RiskMethod) -> bool:
        """Has an inherent score on the method's scales."""
        return self.inherent is not None and method.fits(self.inherent)

    @property
    def rating_or_zero(self) -> int:
        """The inherent rating (0 when unscored)."""
        return self.inherent.rating if self.inherent is not None else 0

    @property
    def acts(self) -> bool:
        """The treatment is an action (modify, avoid, share) the plan must schedule."""
        return self.treatment in ("modify", "avoid", "share")

    def residual_rating(self, method: RiskMethod) -> int | None:
        """What is left after treatment; None while a treatment's result is not yet scored.

        Retaining (or not treating) a risk leaves its inherent rating as it is.
        """
        if self.residual is not None:
            return self.residual.rating if method.fits(self.residual) else None
        if not self.scored(method) or self.acts:
            return None
        return self.rating_or_zero

    def flags(self, method: RiskMethod) -> tuple[Flag, ...]:
        """What keeps this risk from passing the register's guards (empty when nothing)."""
        if self.inherent is None:
            return ("unscored",)
        if not method.fits(self.inherent):
            return ("off_scale",)
        found: list[Flag] = []
        if self.needs_treatment(method) and self.treatment is None:
            found.append("untreated")
        if self.plan_gaps():
            found.append("plan_incomplete")
        if self.residual_missing(method):
            found.append("no_residual")
        state = self.acceptance_state(method)
        if state in ("missing", "stale"):
            found.append("acceptance_missing" if state == "missing" else "acceptance_stale")
        return tuple(found)

    def residual_missing(self, method: RiskMethod) -> bool:
        """Scored, but what is left after treatment is not (or is off the method's scales)."""
        return self.scored(method) and self.residual_rating(method) is None

    def plan_gaps(self) -> tuple[LocalizedText, ...]:
        """What the risk treatment plan still lacks for this risk (nothing for retain)."""
        if not self.acts:
            return ()
        gaps: list[LocalizedText] = []
        if self.treatment == "modify" and not self.controls:
            gaps.append(LocalizedText(en="no Annex A control", ja="附属書A管理策なし"))
        if not self.treatment_owner:
            gaps.append(LocalizedText(en="no treatment owner", ja="対応責任者なし"))
        if self.treatment_due is None:
            gaps.append(LocalizedText(en="no due date", ja="期限なし"))
        return tuple(gaps)

    def acceptance_state(self, method: RiskMethod) -> AcceptanceState:
        """Whether the owner's acceptance is needed, missing, stale or current."""
        residual = self.residual_rating(method)
        treated_or_tolerable = self.treatment is not None or not self.needs_treatment(method)
        if residual is None or method.acceptable(residual) or not treated_or_tolerable:
            return "not_needed"
        if self.acceptance is None:
            return "missing"
        return "stale" if self.stale_reason(method) else "current"

    def stale_reason(self, method: RiskMethod) -> LocalizedText | None:
        """Why the recorded acceptance no longer holds, or None while it does."""
        accepted = self.acceptance
        if accepted is None:
            return None
        residual = self.residual_rating(method)
        if residual is not None and residual != accepted.rating:
            return LocalizedText(
                en=f"accepted at rating {accepted.rating}, now {residual}",
                ja=f"受容時の評価値{accepted.rating}、現在{residual}",
            )
        if self.scored_at is not None and self.scored_at > accepted.at:
            return LocalizedText(
                en=f"re-scored after {accepted.by} accepted it",
                ja=f"{accepted.by}の受容後に再評価",
            )
        if accepted.by != self.owner:
            return LocalizedText(
                en=f"accepted by {accepted.by}, the owner is now {self.owner}",
                ja=f"受容者は{accepted.by}、現在の所有者は{self.owner}",
            )
        return None


@dataclass(frozen=True)
class RiskRegister:
    """The snapshot part "risks": the method, the assets and the risks of one project."""

    method: RiskMethod = field(default_factory=RiskMethod)
    assets: tuple[Asset, ...] = ()
    risks: tuple[Risk, ...] = ()

    def risk(self, key: str) -> Risk | None:
        """The risk with this key, if any."""
        return next((risk for risk in self.risks if risk.key == key), None)

    def asset(self, key: str) -> Asset | None:
        """The asset with this key, if any."""
        return next((asset for asset in self.assets if asset.key == key), None)

    def chosen_controls(self) -> frozenset[str]:
        """Annex A ids chosen in any risk's treatment (the snapshot part "risk_controls")."""
        return chosen_controls(self.risks)


def chosen_controls(risks: Iterable[Risk]) -> frozenset[str]:
    """Annex A ids chosen in the treatments of these risks."""
    return frozenset(c for risk in risks if risk.treatment is not None for c in risk.controls)
