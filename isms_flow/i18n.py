"""Bilingual text: every user-facing label exists in English and Japanese."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["LANGUAGES", "Language", "LocalizedText"]

Language = Literal["en", "ja"]
LANGUAGES: tuple[Language, ...] = ("en", "ja")


class LocalizedText(BaseModel):
    """A label in both languages."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    en: str = Field(min_length=1, pattern=r"\S")
    ja: str = Field(min_length=1, pattern=r"\S")

    def in_(self, lang: Language) -> str:
        """Return the text in `lang`."""
        return self.ja if lang == "ja" else self.en
