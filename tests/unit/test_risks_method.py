"""The risk method: scales, threshold, ratings and levels, as an assessor relies on them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isms_flow.errors import BadInput
from isms_flow.isms.risk import (
    LEVELS,
    RiskMethod,
    Score,
    check_cia,
    normalize_key,
    parse_treatment,
)


def test_the_default_method_is_5_by_5_acceptable_up_to_6() -> None:
    method = RiskMethod()
    assert (method.likelihood_levels, method.impact_levels) == (5, 5)
    assert method.acceptance_threshold == 6
    assert method.max_rating == 25
    assert method.describe() == "5 × 5, acceptable up to 6"


def test_default_levels_follow_the_score_bands_of_the_domain_reference() -> None:
    method = RiskMethod()
    bands = {level: [r for r in range(1, 26) if method.level(r) == level] for level in LEVELS}
    assert {level: (min(rs), max(rs)) for level, rs in bands.items()} == {
        "very_low": (1, 2),
        "low": (3, 6),
        "medium": (7, 12),
        "high": (13, 20),
        "very_high": (21, 25),
    }


@pytest.mark.parametrize(
    ("likelihood", "impact", "threshold", "message"),
    [
        (1, 5, 6, "likelihood levels 1 must be between 2 and 10"),
        (5, 11, 6, "impact levels 11 must be between 2 and 10"),
        (5, 5, 0, "acceptance threshold 0 must be between 1 and 24 on a 5 × 5 scale"),
        (3, 3, 9, "acceptance threshold 9 must be between 1 and 8 on a 3 × 3 scale"),
    ],
)
def test_a_method_outside_its_bounds_is_refused_plainly(
    likelihood: int, impact: int, threshold: int, message: str
) -> None:
    with pytest.raises(BadInput, match=message):
        RiskMethod(likelihood, impact, threshold)


def test_a_score_off_the_scale_names_the_value_and_the_scale() -> None:
    method = RiskMethod(4, 3, 4)
    assert method.check(Score(4, 3)) == Score(4, 3)
    with pytest.raises(BadInput) as error:
        method.check(Score(5, 1))
    assert str(error.value) == (
        "likelihood 5 is outside the risk method's scale 1–4 (4 × 3, acceptable up to 4)"
    )
    with pytest.raises(BadInput, match="impact 0 is outside the risk method's scale 1–3"):
        method.check(Score(1, 0))


methods = st.builds(
    lambda likelihood, impact, fraction: RiskMethod(
        likelihood, impact, max(1, int(fraction * (likelihood * impact - 1)))
    ),
    st.integers(2, 10),
    st.integers(2, 10),
    st.floats(0, 1),
)


@given(methods, st.data())
def test_every_rating_on_the_scales_lies_within_1_and_the_top(
    method: RiskMethod, data: st.DataObject
) -> None:
    likelihood = data.draw(st.integers(1, method.likelihood_levels))
    impact = data.draw(st.integers(1, method.impact_levels))
    score = Score(likelihood, impact)
    assert method.fits(score)
    assert 1 <= score.rating <= method.max_rating
    assert method.acceptable(score.rating) == (score.rating <= method.acceptance_threshold)


@given(methods)
def test_levels_never_fall_as_the_rating_rises_and_split_at_the_threshold(
    method: RiskMethod,
) -> None:
    levels = [LEVELS.index(method.level(r)) for r in range(1, method.max_rating + 1)]
    assert levels == sorted(levels)
    for rating in range(1, method.max_rating + 1):
        acceptable_level = method.level(rating) in ("very_low", "low")
        assert acceptable_level == method.acceptable(rating)
    assert method.level(method.max_rating) in ("high", "very_high", "medium")


def test_treatment_options_accept_iso_27005_names_synonyms_and_japanese() -> None:
    spellings = {
        "modify": ["modify", "Mitigate", "reduce", "リスク低減", "低減"],
        "avoid": ["avoid", "avoidance", "回避"],
        "share": ["share", "transfer", "リスク移転", "共有"],
        "retain": ["retain", "accept", "保有", "受容"],
    }
    for option, words in spellings.items():
        assert {parse_treatment(word) for word in words} == {option}
    with pytest.raises(BadInput) as error:
        parse_treatment("ignore")
    assert str(error.value) == (
        "treatment 'ignore' is not modify, avoid, share or retain "
        "(ISO/IEC 27005: modification, avoidance, sharing, retention)"
    )


def test_keys_are_normalized_and_bad_ones_refused() -> None:
    assert normalize_key(" r-004 ") == "R-004"
    assert normalize_key("a-12", "asset") == "A-12"
    with pytest.raises(BadInput, match="risk key 'risk 4' is not like R-004"):
        normalize_key("risk 4")
    with pytest.raises(BadInput, match="asset key 'X' is not like A-001"):
        normalize_key("X", "asset")


def test_cia_values_are_1_to_3() -> None:
    assert check_cia("integrity", 3) == 3
    with pytest.raises(BadInput, match=r"confidentiality 4 is not 1 \(low\), 2 \(medium\)"):
        check_cia("confidentiality", 4)
