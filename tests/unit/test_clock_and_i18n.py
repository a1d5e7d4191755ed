"""Injected time and bilingual labels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from isms_flow.clock import FrozenClock, SystemClock, ensure_utc
from isms_flow.i18n import LANGUAGES, LocalizedText

JST = timezone(timedelta(hours=9))


def test_frozen_clock_only_moves_when_told() -> None:
    clock = FrozenClock(datetime(2026, 4, 1, 9, 30, tzinfo=JST))
    assert clock.now() == datetime(2026, 4, 1, 0, 30, tzinfo=UTC)
    assert clock.now().utcoffset() == timedelta(0)
    clock.advance(timedelta(days=1, hours=2))
    assert clock.now() == datetime(2026, 4, 2, 2, 30, tzinfo=UTC)


def test_frozen_clock_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="naive datetime 2026-04-01T09:30:00 has no time zone"):
        FrozenClock(datetime(2026, 4, 1, 9, 30))


def test_ensure_utc_converts_aware_datetimes() -> None:
    assert ensure_utc(datetime(2026, 1, 1, 0, 0, tzinfo=JST)) == datetime(
        2025, 12, 31, 15, 0, tzinfo=UTC
    )
    assert ensure_utc(datetime(2026, 1, 1, 0, 0, tzinfo=JST)).tzinfo is UTC


def test_system_clock_tells_aware_utc_time() -> None:
    now = SystemClock().now()
    assert now.tzinfo is UTC
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)


def test_localized_text_picks_the_language() -> None:
    text = LocalizedText(en="Certified", ja="認証取得済み")
    assert LANGUAGES == ("en", "ja")
    assert [text.in_(lang) for lang in LANGUAGES] == ["Certified", "認証取得済み"]


@pytest.mark.parametrize(
    "fields",
    [
        {"en": "Only English"},
        {"ja": "日本語のみ"},
        {"en": "", "ja": "空"},
        {"en": "A", "ja": "B", "de": "C"},
    ],
)
def test_localized_text_needs_exactly_english_and_japanese(fields: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        LocalizedText.model_validate(fields)
