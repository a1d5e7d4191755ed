"""The likelihood × impact matrix of a risk register: which risks sit in which cell."""

from __future__ import annotations

from dataclasses import dataclass

from isms_flow.isms.risk import Level, RiskMethod, RiskRegister, Score

__all__ = ["Cell", "RiskMatrix", "risk_matrix"]


@dataclass(frozen=True)
class Cell:
    """One cell: its coordinates, rating and level, and the risks placed there."""

    likelihood: int
    impact: int
    rating: int
    level: Level
    acceptable: bool
    keys: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        """How many risks sit in the cell."""
        return len(self.keys)


@dataclass(frozen=True)
class RiskMatrix:
    """Rows from the highest likelihood down (as a heat map is read), impact left to right.

    `unplaced` are the risks without a score of this kind on the method's scales.
    """

    method: RiskMethod
    residual: bool
    rows: tuple[tuple[Cell, ...], ...]
    unplaced: tuple[str, ...]

    @property
    def placed(self) -> int:
        """How many risks sit in a cell."""
        return sum(cell.count for row in self.rows for cell in row)


def risk_matrix(register: RiskRegister, *, residual: bool = False) -> RiskMatrix:
    """Place every risk by its inherent score, or by its residual rating's score."""
    method = register.method
    placed: dict[tuple[int, int], list[str]] = {}
    unplaced: list[str] = []
    for risk in register.risks:
        score = _score(risk.inherent, risk.residual, method, residual=residual, acts=risk.acts)
        if score is None:
            unplaced.append(risk.key)
        else:
            placed.setdefault((score.likelihood, score.impact), []).append(risk.key)
    rows = tuple(
        tuple(
            Cell(
                likelihood=likelihood,
                impact=impact,
                rating=likelihood * impact,
                level=method.level(likelihood * impact),
                acceptable=method.acceptable(likelihood * impact),
                keys=tuple(placed.get((likelihood, impact), ())),
            )
            for impact in range(1, method.impact_levels + 1)
        )
        for likelihood in range(method.likelihood_levels, 0, -1)
    )
    return RiskMatrix(method=method, residual=residual, rows=rows, unplaced=tuple(unplaced))


def _score(
    inherent: Score | None,
    residual_score: Score | None,
    method: RiskMethod,
    *,
    residual: bool,
    acts: bool,
) -> Score | None:
    # A retained (or untreated) risk keeps its inherent score as its residual one; a risk
    # under an action has no residual position until its result is scored.
    score = inherent
    if residual:
        score = residual_score if residual_score is not None or acts else inherent
    return score if score is not None and method.fits(score) else None
