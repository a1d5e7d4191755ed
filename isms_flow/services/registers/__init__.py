"""Use cases of the ISMS registers, one module per register.

Contract of a register module (every module in this package is discovered):

- `SNAPSHOT_PARTS: Mapping[str, PartLoader]` — for each register part it owns (the names
  requirement types list in `reads`), a function `(session, project) -> part` that loads it
  as a frozen, pure value for `ProjectSnapshot.registers`.
- `SNAPSHOT_BULK_PARTS: Mapping[str, BulkPartLoader]` (optional) — for a part it owns, a
  function `(session, projects) -> {project id: part}` that loads the part of many projects
  in a few queries, equal to what `SNAPSHOT_PARTS` gives for each; the scheduler uses it for
  a batch of notifications. A part without one is loaded project by project.
- `DEMO_FILLERS: Mapping[str, DemoFiller]` — for each requirement type it owns (by
  `type_key`), a function `(app, ref, requirement, folder, lang) -> Iterator[DemoStep]` that
  fills the register the way a client would, so `isms-flow demo` can meet the requirement.

Each use case records its change as an event and bumps the project's version
(`services.changes.record_change`).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from isms_flow.i18n import Language

if TYPE_CHECKING:
    from isms_flow.bootstrap import App
    from isms_flow.services.demo import DemoStep
    from isms_flow.workflow.requirements import Requirement

__all__ = [
    "BulkPartLoader",
    "DemoFiller",
    "PartLoader",
    "bulk_part_loaders",
    "demo_fillers",
    "part_loaders",
]

PartLoader = Callable[[Session, Any], object]
"""`(session, project) -> part`; `project` has at least `id`, `client_id`, `state` (a ProjectRow,
or the plain `services.lookup.ProjectFacts` the transition path reads)."""
BulkPartLoader = Callable[[Session, Sequence[Any]], Mapping[int, object]]
"""`(session, projects) -> {project id: part}`, for projects as `PartLoader` takes them."""
DemoFiller = Callable[["App", str, "Requirement", Path, Language], Iterator["DemoStep"]]


@cache
def _modules() -> tuple[Any, ...]:
    return tuple(
        importlib.import_module(f"{__name__}.{module.name}")
        for module in pkgutil.iter_modules(__path__)
    )


@cache
def part_loaders() -> Mapping[str, PartLoader]:
    """Every register part loader, by part name."""
    loaders: dict[str, PartLoader] = {}
    for module in _modules():
        loaders.update(getattr(module, "SNAPSHOT_PARTS", {}))
    return loaders


@cache
def bulk_part_loaders() -> Mapping[str, BulkPartLoader]:
    """Every bulk part loader, by part name."""
    loaders: dict[str, BulkPartLoader] = {}
    for module in _modules():
        loaders.update(getattr(module, "SNAPSHOT_BULK_PARTS", {}))
    return loaders


@cache
def demo_fillers() -> Mapping[str, DemoFiller]:
    """Every demo filler, by requirement type."""
    fillers: dict[str, DemoFiller] = {}
    for module in _modules():
        fillers.update(getattr(module, "DEMO_FILLERS", {}))
    return fillers
