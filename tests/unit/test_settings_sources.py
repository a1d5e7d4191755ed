"""Settings layers: defaults, a config file, the environment, then flags — and nothing leaks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from isms_flow.config import load_settings
from isms_flow.errors import BadInput


def test_layers_in_order_and_a_config_flag_does_not_leak(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "tokyo.toml"
    config.write_text('timezone = "Europe/Berlin"\nlanguage = "ja"\n', encoding="utf-8")
    assert load_settings().timezone == "Asia/Tokyo"  # config/default.toml

    from_file = load_settings(config)
    assert (from_file.timezone, from_file.language) == ("Europe/Berlin", "ja")

    monkeypatch.setenv("ISMS_FLOW_LANGUAGE", "en")
    assert load_settings(config).language == "en"  # the environment beats the file
    assert load_settings(config, language="ja").language == "ja"  # a flag beats both

    # The next load without --config is back on the defaults, and the process environment
    # was never touched.
    assert load_settings().timezone == "Asia/Tokyo"
    assert "ISMS_FLOW_CONFIG" not in os.environ


def test_a_missing_or_broken_config_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match=r"config file .*nowhere.toml not found"):
        load_settings(tmp_path / "nowhere.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("timezone = \n", encoding="utf-8")
    with pytest.raises(BadInput, match="config file"):
        load_settings(broken)
    bad_zone = tmp_path / "zone.toml"
    bad_zone.write_text('timezone = "Mars/Olympus"\n', encoding="utf-8")
    with pytest.raises(BadInput, match="setting timezone: unknown time zone 'Mars/Olympus'"):
        load_settings(bad_zone)
