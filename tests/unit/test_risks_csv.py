"""Reading and writing the risk register as CSV: every bad cell named by its line."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from isms_flow.errors import BadInput
from isms_flow.isms.risk import Acceptance, Asset, Risk, RiskMethod, RiskRegister, Score
from isms_flow.isms.risk_csv import (
    ASSET_COLUMNS,
    RISK_COLUMNS,
    asset_csv,
    parse_asset_csv,
    parse_risk_csv,
    risk_csv,
)
from tests.unit.factories import NOW

METHOD = RiskMethod()
ASSETS = frozenset({"A-001", "A-002"})


def test_good_asset_rows_are_read_with_or_without_keys() -> None:
    parsed = parse_asset_csv(
        "Name,Owner,Confidentiality,Integrity,Availability,Key\n"
        "顧客データベース,suzuki.it,3,3,3,a-7\n"
        "\n"
        "Laptops,suzuki.it,3,2,2,\n"
    )
    assert parsed.problems == ()
    assert [(row.line, row.key, row.asset.name) for row in parsed.rows] == [
        (2, "A-7", "顧客データベース"),
        (4, None, "Laptops"),
    ]


def test_every_bad_asset_row_is_named_by_its_line() -> None:
    parsed = parse_asset_csv(
        "key,name,owner,confidentiality,integrity,availability\n"
        "A-001,DB,suzuki.it,4,3,3\n"
        "A-002,,suzuki.it,1,1,1\n"
        "A-001,Again,suzuki.it,1,1,1\n"
        "A-003,Files,hr,high,1,1\n"
    )
    assert [str(p) for p in parsed.problems] == [
        "line 2: confidentiality 4 is not 1 (low), 2 (medium) or 3 (high)",
        "line 3: name must not be empty",
        "line 4: asset A-001 appears twice (first on line 2)",
        "line 5: confidentiality 'high' is not a whole number",
    ]


def test_a_file_without_its_required_columns_is_refused_as_a_whole() -> None:
    with pytest.raises(BadInput) as error:
        parse_risk_csv("key,threat\nR-001,Leak\n", METHOD, ASSETS)
    assert str(error.value).startswith("line 1: missing column owner (required: threat, owner;")
    with pytest.raises(BadInput, match="columns likelihood and impact go together"):
        parse_risk_csv("threat,owner,likelihood\nLeak,a,3\n", METHOD, ASSETS)
    with pytest.raises(BadInput, match="the file is empty"):
        parse_asset_csv("")


def test_every_bad_risk_cell_is_named_by_its_line() -> None:
    parsed = parse_risk_csv(
        "key,asset,threat,owner,likelihood,impact,treatment,controls,treatment_due\n"
        "R-001,A-001,Leak,suzuki.it,4,5,modify,5.15;A.8.13,2026-06-30\n"
        "R-002,A-009,Theft,suzuki.it,,,,,\n"
        "R-003,,Fire,tanaka,6,2,,,\n"
        "R-004,,Flood,tanaka,3,,,,\n"
        "R-005,,Leak,sato,2,2,ignore,,\n"
        "R-006,,Leak,sato,2,2,modify,9.99,\n"
        "R-007,,Leak,sato,2,2,modify,8.1,30/06/2026\n"
        "R 8,,Leak,sato,,,,,\n",
        METHOD,
        ASSETS,
    )
    assert [(row.line, row.key) for row in parsed.rows] == [(2, "R-001")]
    assert parsed.rows[0].edit.controls == ("5.15", "8.13")
    assert parsed.rows[0].edit.inherent == Score(4, 5)
    assert [str(p) for p in parsed.problems] == [
        "line 3: asset A-009 is not in the asset register",
        "line 4: likelihood 6 is outside the risk method's scale 1–5 (5 × 5, acceptable up to 6)",
        "line 5: give likelihood and impact together, or leave both empty",
        "line 6: treatment 'ignore' is not modify, avoid, share or retain "
        "(ISO/IEC 27005: modification, avoidance, sharing, retention)",
        "line 7: Annex A control '9.99' not found: ISO/IEC 27001:2022 Annex A has 5.1–5.37, "
        "6.1–6.8, 7.1–7.14, 8.1–8.34",
        "line 8: treatment_due '30/06/2026' is not a date like 2026-06-30",
        "line 9: risk key 'R 8' is not like R-004",
    ]


def test_only_the_columns_present_are_given_to_the_edit() -> None:
    parsed = parse_risk_csv(
        "key,threat,owner,likelihood,impact\nR-001,Leak,sato,,\n", METHOD, ASSETS
    )
    (row,) = parsed.rows
    assert row.edit.given == frozenset({"threat", "owner", "inherent"})
    assert row.edit.inherent is None  # an empty cell clears the score


def test_an_export_writes_every_column_and_reads_back_to_the_same_edit() -> None:
    register = RiskRegister(
        method=METHOD,
        assets=(Asset("A-001", "顧客DB, 本番", "suzuki.it", 3, 3, 3, "RDS"),),
        risks=(
            Risk(
                key="R-001",
                threat="不正アクセス (Unauthorised access)",
                vulnerability="No MFA",
                owner="suzuki.it",
                asset_key="A-001",
                inherent=Score(4, 5),
                scored_at=NOW,
                treatment="modify",
                controls=("5.15", "8.5"),
                treatment_owner="suzuki.it",
                treatment_due=date(2026, 6, 30),
                residual=Score(2, 4),
                acceptance=Acceptance("suzuki.it", NOW, 8),
            ),
            Risk(key="R-002", threat="Fire", vulnerability="", owner="tanaka"),
        ),
    )
    text = risk_csv(register)
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == RISK_COLUMNS
    assert rows[1] == [
        "R-001", "A-001", "不正アクセス (Unauthorised access)", "No MFA", "suzuki.it", "4", "5",
        "20", "high", "modify", "5.15;8.5", "suzuki.it", "2026-06-30", "2", "4", "8",
        "suzuki.it", "2026-04-01T00:30:00+00:00", "8", "",
    ]  # fmt: skip
    assert rows[2][-1] == "unscored"
    parsed = parse_risk_csv(text, METHOD, frozenset({"A-001"}))
    assert parsed.problems == ()
    first = parsed.rows[0].edit
    assert (first.inherent, first.residual, first.controls) == (
        Score(4, 5),
        Score(2, 4),
        ("5.15", "8.5"),
    )
    assert (first.treatment, first.treatment_due, first.asset_key) == (
        "modify",
        date(2026, 6, 30),
        "A-001",
    )
    assets = list(csv.reader(io.StringIO(asset_csv(register))))
    assert tuple(assets[0]) == ASSET_COLUMNS
    assert assets[1] == ["A-001", "顧客DB, 本番", "suzuki.it", "3", "3", "3", "RDS"]
