"""Reading an SoA CSV: good rows become decisions, every bad row is named by its line."""

from __future__ import annotations

import pytest

from isms_flow.errors import BadInput
from isms_flow.isms.soa import Decision
from isms_flow.isms.soa_csv import parse_applicable, parse_soa_csv

HEADER = "control_id,applicable,justification,status,risk_keys,evidence_ids\n"


def test_good_rows_become_decisions_in_the_order_of_the_file() -> None:
    parsed = parse_soa_csv(
        HEADER + "A.5.15,yes,Access is role-based,Implemented,r-4; R-011,#3 7\n"
        "7.4,no,No server room,,,\n"
    )
    assert parsed.problems == ()
    assert [(r.line, r.control_id, r.decision) for r in parsed.rows] == [
        (
            2,
            "5.15",
            Decision(True, "Access is role-based", "implemented", ("R-4", "R-011"), (3, 7)),
        ),
        (3, "7.4", Decision(False, "No server room")),
    ]


def test_columns_may_come_in_any_order_and_unknown_ones_are_ignored() -> None:
    parsed = parse_soa_csv(
        "Title,Justification,Control_ID,Theme,Applicable,Status\n"
        "Access control,Role-based access,5.15,Organizational,適用,partial\n"
    )
    assert [(r.control_id, r.decision) for r in parsed.rows] == [
        ("5.15", Decision(True, "Role-based access", "partial")),
    ]


@pytest.mark.parametrize(
    ("cell", "value"),
    [("yes", True), ("Y", True), ("TRUE", True), ("適用", True), ("はい", True),
     ("applicable", True), ("no", False), ("N", False), ("除外", False), ("いいえ", False),
     ("excluded", False), ("", None), ("  ", None)],
)  # fmt: skip
def test_applicable_accepts_the_usual_spellings(cell: str, value: bool | None) -> None:
    assert parse_applicable(cell) is value


def test_a_row_without_a_decision_is_kept_but_decides_nothing() -> None:
    parsed = parse_soa_csv(
        HEADER + "5.1,,,,,\n\n5.2,yes,Roles are in the ISMS manual,implemented,,\n"
    )
    assert [(r.line, r.control_id, r.decision is None) for r in parsed.rows] == [
        (2, "5.1", True),
        (4, "5.2", False),
    ]


def test_every_bad_row_is_reported_with_its_line_even_after_a_multi_line_cell() -> None:
    text = HEADER + (
        '5.1,yes,"Policy approved by the CEO,\nreviewed yearly",implemented,,\n'  # lines 2–3
        "5.38,yes,Typo,implemented,,\n"  # 4
        "7.1,no,,,,\n"  # 5
        "7.2,maybe,Shared office,,,\n"  # 6
        "8.1,yes,Laptops,done,,\n"  # 7
        "8.2,yes,Admin rights,implemented,R4,x1\n"  # 8
        "5.1,no,Again,,,\n"  # 9
        "8.3,no,Cloud only,implemented,R-002,\n"  # 10
        ",yes,No id,implemented,,\n"  # 11
        "8.4,yes,Source code access,,,\n"  # 12
    )
    parsed = parse_soa_csv(text)
    assert [r.control_id for r in parsed.rows] == ["5.1"]  # the one good row
    assert [str(p) for p in parsed.problems] == [
        "line 4: Annex A control '5.38' not found: did you mean 5.3, 5.8, 5.37? "
        "ISO/IEC 27001:2022 Annex A has 5.1–5.37, 6.1–6.8, 7.1–7.14, 8.1–8.34",
        "line 5: an excluded control needs a justification",
        "line 6: applicable 'maybe' is not yes or no",
        "line 7: status 'done' is not planned, partial or implemented",
        "line 8: risk key 'R4' is not like R-004; evidence id 'x1' is not a number",
        "line 9: control 5.1 is already on line 2",
        "line 10: an excluded control has no implementation status; "
        "an excluded control treats no risk (linked to R-002)",
        "line 11: control_id is empty",
        "line 12: an applicable control needs an implementation status "
        "(planned, partial, implemented)",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty; the first row must name the columns"),
        (
            "control,applicable\n5.1,yes\n",
            "line 1: missing column control_id, justification (required: control_id, "
            "applicable, justification; optional: status, risk_keys, evidence_ids)",
        ),
        (HEADER, "the file has a header row but no rows"),
    ],
)
def test_an_unusable_file_is_refused_as_a_whole(text: str, message: str) -> None:
    with pytest.raises(BadInput) as error:
        parse_soa_csv(text)
    assert str(error.value) == message
