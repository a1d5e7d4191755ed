"""The 93 Annex A controls of ISO/IEC 27001:2022, read once from the package's data file.

Ids are written as the standard prints them ("5.1" … "8.34") and sorted numerically, so 5.2
comes before 5.10. Users may type "A.5.1" or "a5.1"; `normalize_control_id` makes "5.1" of it.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from isms_flow.errors import BadInput, NotFound
from isms_flow.i18n import LocalizedText

__all__ = [
    "ANNEX_A_EDITION",
    "Control",
    "Theme",
    "annex_a_controls",
    "annex_a_themes",
    "control_sort_key",
    "expand_control_specs",
    "find_control",
    "is_control_id",
    "normalize_control_id",
    "sort_control_ids",
]

ANNEX_A_EDITION = "ISO/IEC 27001:2022"
_DATA_FILE = "annex_a_2022.csv"
_COLUMNS = ("id", "title", "title_ja", "theme", "theme_ja")
_ID = re.compile(r"^(?:a\.?)?\s*([5-8])\.(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True)
class Theme:
    """One of the four themes (clauses 5–8 of Annex A) and how many controls it holds."""

    number: int
    title: LocalizedText
    size: int

    @property
    def span(self) -> str:
        """The ids it covers, e.g. `7.1–7.14`."""
        return f"{self.number}.1–{self.number}.{self.size}"


@dataclass(frozen=True)
class Control:
    """An Annex A control: its id, its title and its theme, in English and Japanese."""

    id: str
    title: LocalizedText
    theme: LocalizedText

    @property
    def theme_number(self) -> int:
        """5 organizational, 6 people, 7 physical, 8 technological."""
        return int(self.id.split(".")[0])

    def label(self, lang: str = "en") -> str:
        """E.g. `5.15 Access control`."""
        return f"{self.id} {self.title.ja if lang == 'ja' else self.title.en}"


def control_sort_key(control_id: str) -> tuple[int, ...]:
    """Numeric order of a dotted id: 5.2 before 5.10; anything unparsable sorts last."""
    try:
        return tuple(int(part) for part in control_id.split("."))
    except ValueError:
        return (10_000,)


def sort_control_ids(ids: Iterable[str]) -> tuple[str, ...]:
    """Ids in numeric order, each once."""
    return tuple(sorted(set(ids), key=control_sort_key))


@cache
def annex_a_controls() -> tuple[Control, ...]:
    """Every control in numeric id order (read from package data on first use)."""
    text = resources.files("isms_flow").joinpath("data", _DATA_FILE).read_text("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != _COLUMNS:
        raise RuntimeError(f"{_DATA_FILE}: columns must be {', '.join(_COLUMNS)}")
    controls = [
        Control(
            id=row["id"].strip(),
            title=LocalizedText(en=row["title"].strip(), ja=row["title_ja"].strip()),
            theme=LocalizedText(en=row["theme"].strip(), ja=row["theme_ja"].strip()),
        )
        for row in reader
    ]
    if len({c.id for c in controls}) != len(controls):
        raise RuntimeError(f"{_DATA_FILE}: a control id appears twice")
    return tuple(sorted(controls, key=lambda c: control_sort_key(c.id)))


@cache
def _by_id() -> Mapping[str, Control]:
    return {control.id: control for control in annex_a_controls()}


@cache
def annex_a_themes() -> tuple[Theme, ...]:
    """The themes in order, with their sizes as the catalog has them."""
    themes: dict[int, Theme] = {}
    for control in annex_a_controls():
        seen = themes.get(control.theme_number)
        size = 1 if seen is None else seen.size + 1
        themes[control.theme_number] = Theme(control.theme_number, control.theme, size)
    return tuple(themes[number] for number in sorted(themes))


def is_control_id(control_id: str) -> bool:
    """True for an id of the catalog as written there ("5.1", not "A.5.1")."""
    return control_id in _by_id()


def normalize_control_id(text: str) -> str:
    """ "A.5.01", "a5.1" or " 5.1 " → "5.1"; NotFound naming near ids for anything else."""
    match = _ID.match(text.strip())
    if match is not None:
        candidate = f"{match.group(1)}.{int(match.group(2))}"
        if candidate in _by_id():
            return candidate
    raise NotFound("Annex A control", f"'{text.strip()}'", hint=_near_hint(text.strip()))


def find_control(text: str) -> Control:
    """The control with this id (see `normalize_control_id` for accepted spellings)."""
    return _by_id()[normalize_control_id(text)]


def expand_control_specs(specs: Iterable[str]) -> tuple[str, ...]:
    """Ids from what a user types: "5.1", a range "7.1-7.14", or a whole theme "7" / "7.*".

    Sorted, each once; NotFound for an unknown id, BadInput for a range running backwards.
    """
    found: list[str] = []
    order = [control.id for control in annex_a_controls()]
    for spec in specs:
        text = spec.strip().removesuffix(".*")
        theme = next((t for t in annex_a_themes() if text == str(t.number)), None)
        if theme is not None:
            found += [c for c in order if c.startswith(f"{theme.number}.")]
            continue
        low, dash, high = text.partition("-")
        if not dash:
            found.append(normalize_control_id(text))
            continue
        first, last = (
            order.index(normalize_control_id(low)),
            order.index(normalize_control_id(high)),
        )
        if first > last:
            raise BadInput(f"control range '{spec.strip()}' runs backwards; write it low-high")
        found += order[first : last + 1]
    return sort_control_ids(found)


def _near_hint(text: str) -> str:
    ids = list(_by_id())
    near = sort_control_ids(
        difflib.get_close_matches(text.removeprefix("A.").removeprefix("a."), ids, n=3)
    )
    spans = ", ".join(theme.span for theme in annex_a_themes())
    guess = f"did you mean {', '.join(near)}? " if near else ""
    return f"{guess}{ANNEX_A_EDITION} Annex A has {spans}"
