"""The Annex A catalog: 93 controls in four themes, both languages, ids as users type them."""

from __future__ import annotations

import pytest

from isms_flow.errors import BadInput, NotFound
from isms_flow.isms.annex_a import (
    annex_a_controls,
    annex_a_themes,
    expand_control_specs,
    find_control,
    normalize_control_id,
    sort_control_ids,
)


def test_the_catalog_has_the_93_controls_of_2022_each_once() -> None:
    controls = annex_a_controls()
    assert len(controls) == 93
    assert len({c.id for c in controls}) == 93
    assert annex_a_controls() is controls  # read once


def test_themes_have_37_8_14_34_controls_with_names_in_both_languages() -> None:
    shape = [(t.number, t.size, t.title.en, t.title.ja, t.span) for t in annex_a_themes()]
    assert shape == [
        (5, 37, "Organizational", "組織的管理策", "5.1–5.37"),
        (6, 8, "People", "人的管理策", "6.1–6.8"),
        (7, 14, "Physical", "物理的管理策", "7.1–7.14"),
        (8, 34, "Technological", "技術的管理策", "8.1–8.34"),
    ]


def test_every_control_has_a_japanese_title_that_is_not_the_english_one() -> None:
    for control in annex_a_controls():
        assert control.title.ja.strip() and control.title.ja != control.title.en, control.id
        assert control.theme.en in {"Organizational", "People", "Physical", "Technological"}


def test_ids_are_in_numeric_order_so_5_2_comes_before_5_10() -> None:
    ids = [c.id for c in annex_a_controls()]
    assert ids[:11] == [f"5.{n}" for n in range(1, 12)]
    assert ids.index("5.2") < ids.index("5.10")
    assert ids[-1] == "8.34"
    assert sort_control_ids(["8.1", "5.10", "5.2", "5.2", "7.14", "7.4"]) == (
        "5.2",
        "5.10",
        "7.4",
        "7.14",
        "8.1",
    )


def test_a_control_is_found_by_the_spellings_people_use() -> None:
    control = find_control("A.5.15")
    assert (control.id, control.title.en, control.title.ja) == (
        "5.15",
        "Access control",
        "アクセス制御",
    )
    assert control.theme.ja == "組織的管理策"
    assert control.label("ja") == "5.15 アクセス制御"
    typed = ("5.15", " a5.15 ", "A.8.01", "8.34")
    assert [normalize_control_id(t) for t in typed] == ["5.15", "5.15", "8.1", "8.34"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "5.38",
            "Annex A control '5.38' not found: did you mean 5.3, 5.8, 5.37? "
            "ISO/IEC 27001:2022 Annex A has 5.1–5.37, 6.1–6.8, 7.1–7.14, 8.1–8.34",
        ),
        (
            "9.1",
            "Annex A control '9.1' not found: did you mean 6.1, 7.1, 8.1? "
            "ISO/IEC 27001:2022 Annex A has 5.1–5.37, 6.1–6.8, 7.1–7.14, 8.1–8.34",
        ),
        (
            "access",
            "Annex A control 'access' not found: "
            "ISO/IEC 27001:2022 Annex A has 5.1–5.37, 6.1–6.8, 7.1–7.14, 8.1–8.34",
        ),
    ],
)
def test_an_unknown_id_is_refused_naming_near_ids_and_the_valid_ranges(
    typed: str, message: str
) -> None:
    with pytest.raises(NotFound) as error:
        find_control(typed)
    assert str(error.value) == message


def test_specs_expand_to_ids_ranges_and_whole_themes() -> None:
    assert expand_control_specs(["5.1"]) == ("5.1",)
    assert expand_control_specs(["5.9-5.11", "5.1"]) == ("5.1", "5.9", "5.10", "5.11")
    assert expand_control_specs(["7"]) == tuple(f"7.{n}" for n in range(1, 15))
    assert expand_control_specs(["6.*", "6.3"]) == tuple(f"6.{n}" for n in range(1, 9))


def test_a_backwards_range_or_an_unknown_end_is_refused() -> None:
    with pytest.raises(BadInput, match=r"control range '7\.14-7\.1' runs backwards"):
        expand_control_specs(["7.14-7.1"])
    with pytest.raises(NotFound, match=r"Annex A control '7\.15' not found"):
        expand_control_specs(["7.1-7.15"])
