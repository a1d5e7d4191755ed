"""The risk register as CSV: writing assets and risks, and reading them back row by row.

Files have a header row (column names case-insensitive, any order). Reading checks each cell on
its own and names every bad row by its line; the rules that need the whole risk (e.g. a
retained risk takes no controls) are checked by the importer once it has merged a row with the
stored risk (`isms.risk_edit.risk_problems`).

Assets: `name`, `owner`, `confidentiality`, `integrity`, `availability` are required; `key`
(blank: the next free A-nnn) and `description` are optional.

Risks: `threat` and `owner` are required; `key` (blank: the next free R-nnn), `asset`,
`vulnerability`, `likelihood` + `impact`, `treatment`, `controls`, `treatment_owner`,
`treatment_due`, `residual_likelihood` + `residual_impact` are optional. A column that is
absent leaves that field of a stored risk as it is; an empty cell clears it. The other columns
an export writes (rating, level, acceptance, flags) are read-only and ignored.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from isms_flow.errors import BadInput, IsmsFlowError
from isms_flow.isms.annex_a import normalize_control_id, sort_control_ids
from isms_flow.isms.risk import (
    Asset,
    RiskMethod,
    RiskRegister,
    Score,
    check_cia,
    normalize_key,
    parse_treatment,
)
from isms_flow.isms.risk_edit import RiskEdit

__all__ = [
    "ASSET_COLUMNS",
    "RISK_COLUMNS",
    "AssetCsvRow",
    "ParsedCsv",
    "RiskCsvRow",
    "RowProblem",
    "asset_csv",
    "parse_asset_csv",
    "parse_risk_csv",
    "risk_csv",
]

ASSET_COLUMNS = (
    "key",
    "name",
    "owner",
    "confidentiality",
    "integrity",
    "availability",
    "description",
)
"""The columns an asset export writes, in this order."""
RISK_COLUMNS = (
    "key",
    "asset",
    "threat",
    "vulnerability",
    "owner",
    "likelihood",
    "impact",
    "rating",
    "level",
    "treatment",
    "controls",
    "treatment_owner",
    "treatment_due",
    "residual_likelihood",
    "residual_impact",
    "residual_rating",
    "accepted_by",
    "accepted_at",
    "accepted_rating",
    "flags",
)
"""The columns a risk export writes, in this order (stable: scripts may rely on it)."""

_ASSET_REQUIRED = ("name", "owner", "confidentiality", "integrity", "availability")
_RISK_REQUIRED = ("threat", "owner")
_PAIRS = (("likelihood", "impact"), ("residual_likelihood", "residual_impact"))
_SEPARATORS = re.compile(r"[;,\s、]+")
RowT = TypeVar("RowT")


@dataclass(frozen=True)
class RowProblem:
    """Why one line of a file cannot be imported."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class AssetCsvRow:
    """A good asset row (key None: give it the next free key)."""

    line: int
    key: str | None
    asset: Asset


@dataclass(frozen=True)
class RiskCsvRow:
    """A good risk row: its key (None: a new risk) and the fields it sets."""

    line: int
    key: str | None
    edit: RiskEdit


@dataclass(frozen=True)
class ParsedCsv(Generic[RowT]):
    """The good rows and the problems; a file with any problem must not be imported."""

    rows: tuple[RowT, ...]
    problems: tuple[RowProblem, ...]


def parse_asset_csv(text: str) -> ParsedCsv[AssetCsvRow]:
    """Check every row of an asset CSV; BadInput when the file itself is unusable."""
    rows: list[AssetCsvRow] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for line, cell in _records(text, _ASSET_REQUIRED, optional=("key", "description")):
        try:
            key = _key(cell("key"), "asset", line, seen)
            values = {
                n: _integer(n, cell(n)) for n in ("confidentiality", "integrity", "availability")
            }
            asset = Asset(
                key=key or "",
                name=_required("name", cell("name")),
                owner=_required("owner", cell("owner")),
                confidentiality=check_cia("confidentiality", values["confidentiality"]),
                integrity=check_cia("integrity", values["integrity"]),
                availability=check_cia("availability", values["availability"]),
                description=cell("description"),
            )
        except IsmsFlowError as error:
            problems.append(RowProblem(line, str(error)))
            continue
        rows.append(AssetCsvRow(line, key, asset))
    return ParsedCsv(tuple(rows), tuple(problems))


def parse_risk_csv(
    text: str, method: RiskMethod, asset_keys: frozenset[str]
) -> ParsedCsv[RiskCsvRow]:
    """Check every cell of a risk CSV against the method, the assets and Annex A."""
    rows: list[RiskCsvRow] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    optional = tuple(c for c in RISK_COLUMNS if c not in _RISK_REQUIRED)
    for line, cell in _records(text, _RISK_REQUIRED, optional=optional):
        given = frozenset(
            _field(column) for column in RISK_COLUMNS if cell.present(column) and _field(column)
        )
        try:
            key = _key(cell("key"), "risk", line, seen)
            edit = RiskEdit(
                given=given,
                asset_key=_asset(cell("asset"), asset_keys),
                threat=cell("threat"),
                vulnerability=cell("vulnerability"),
                owner=cell("owner"),
                inherent=_score(method, cell("likelihood"), cell("impact")),
                treatment=parse_treatment(cell("treatment")) if cell("treatment") else None,
                controls=_controls(cell("controls")),
                treatment_owner=cell("treatment_owner") or None,
                treatment_due=_date("treatment_due", cell("treatment_due")),
                residual=_score(method, cell("residual_likelihood"), cell("residual_impact")),
            )
        except IsmsFlowError as error:
            problems.append(RowProblem(line, str(error)))
            continue
        rows.append(RiskCsvRow(line, key, edit))
    return ParsedCsv(tuple(rows), tuple(problems))


def asset_csv(register: RiskRegister) -> str:
    """The assets as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ASSET_COLUMNS)
    for a in register.assets:
        writer.writerow(
            [a.key, a.name, a.owner, a.confidentiality, a.integrity, a.availability, a.description]
        )
    return out.getvalue()


def risk_csv(register: RiskRegister) -> str:
    """The risks as CSV text, with their ratings, levels, acceptance and flags."""
    method = register.method
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(RISK_COLUMNS)
    for r in register.risks:
        inherent, residual, accepted = r.inherent, r.residual, r.acceptance
        residual_rating = r.residual_rating(method)
        writer.writerow(
            [
                r.key,
                r.asset_key or "",
                r.threat,
                r.vulnerability,
                r.owner,
                *(_pair(inherent)),
                inherent.rating if inherent else "",
                method.level(inherent.rating) if inherent and method.fits(inherent) else "",
                r.treatment or "",
                ";".join(r.controls),
                r.treatment_owner or "",
                r.treatment_due.isoformat() if r.treatment_due else "",
                *(_pair(residual)),
                residual_rating if residual_rating is not None else "",
                accepted.by if accepted else "",
                accepted.at.isoformat() if accepted else "",
                accepted.rating if accepted else "",
                ";".join(r.flags(method)),
            ]
        )
    return out.getvalue()


class _Cells:
    """The cells of one record by column name ("" for a column the file lacks)."""

    def __init__(self, columns: Mapping[str, int], record: Sequence[str]) -> None:
        self._columns, self._record = columns, record

    def __call__(self, name: str) -> str:
        index = self._columns.get(name)
        return (
            self._record[index].strip() if index is not None and index < len(self._record) else ""
        )

    def present(self, name: str) -> bool:
        return name in self._columns


def _records(
    text: str, required: tuple[str, ...], *, optional: tuple[str, ...]
) -> Iterator[tuple[int, _Cells]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise BadInput("the file is empty; the first row must name the columns")
    columns = {name.strip().lower(): index for index, name in enumerate(header)}
    missing = [name for name in required if name not in columns]
    if missing:
        raise BadInput(
            f"line 1: missing column {', '.join(missing)} (required: {', '.join(required)}; "
            f"optional: {', '.join(c for c in optional if c in _EDITABLE_COLUMNS)})"
        )
    for first, second in _PAIRS:
        if (first in columns) != (second in columns):
            raise BadInput(f"line 1: columns {first} and {second} go together; give both or none")
    end = reader.line_num
    for record in reader:
        line, end = end + 1, reader.line_num  # a quoted cell may span several lines
        if any(cell.strip() for cell in record):
            yield line, _Cells(columns, record)


_EDITABLE_COLUMNS = frozenset(
    {"key", "description", "asset", "vulnerability", "likelihood", "impact", "treatment"}
    | {"controls", "treatment_owner", "treatment_due", "residual_likelihood", "residual_impact"}
)
_FIELDS = {
    "asset": "asset_key",
    "threat": "threat",
    "vulnerability": "vulnerability",
    "owner": "owner",
    "likelihood": "inherent",
    "impact": "inherent",
    "treatment": "treatment",
    "controls": "controls",
    "treatment_owner": "treatment_owner",
    "treatment_due": "treatment_due",
    "residual_likelihood": "residual",
    "residual_impact": "residual",
}


def _field(column: str) -> str:
    return _FIELDS.get(column, "")


def _key(text: str, what: str, line: int, seen: dict[str, int]) -> str | None:
    if not text:
        return None
    key = normalize_key(text, what)
    if key in seen:
        raise BadInput(f"{what} {key} appears twice (first on line {seen[key]})")
    seen[key] = line
    return key


def _required(name: str, text: str) -> str:
    if not text:
        raise BadInput(f"{name} must not be empty")
    return text


def _integer(name: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise BadInput(f"{name} '{text}' is not a whole number") from None


def _score(method: RiskMethod, likelihood: str, impact: str) -> Score | None:
    if not likelihood and not impact:
        return None
    if not likelihood or not impact:
        raise BadInput("give likelihood and impact together, or leave both empty")
    return method.check(Score(_integer("likelihood", likelihood), _integer("impact", impact)))


def _asset(text: str, asset_keys: frozenset[str]) -> str | None:
    if not text:
        return None
    key = normalize_key(text, "asset")
    if key not in asset_keys:
        raise BadInput(f"asset {key} is not in the asset register")
    return key


def _controls(text: str) -> tuple[str, ...]:
    return sort_control_ids(normalize_control_id(c) for c in _SEPARATORS.split(text) if c)


def _date(name: str, text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{name} '{text}' is not a date like 2026-06-30") from None


def _pair(score: Score | None) -> tuple[int | str, int | str]:
    return (score.likelihood, score.impact) if score else ("", "")
