"""The installed workflows: every `*.yaml` in the configured folders, compiled once each."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from isms_flow.errors import NotFound, WorkflowDefinitionError
from isms_flow.workflow.loader import LoadedWorkflow, load_workflow_file
from isms_flow.workflow.machine import CompiledWorkflow, compile_workflow

__all__ = ["WorkflowCatalog"]


class WorkflowCatalog:
    """Finds workflow files by (name, version) and caches one compiled machine per version."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self._folders = list(folders)
        self._loaded: dict[tuple[str, int], LoadedWorkflow] | None = None
        self._compiled: dict[tuple[str, int], CompiledWorkflow] = {}

    def available(self) -> list[LoadedWorkflow]:
        """Every installed workflow version, sorted by name and version."""
        return [self._index()[key] for key in sorted(self._index())]

    def get(self, name: str, version: int | None = None) -> CompiledWorkflow:
        """The compiled workflow `name` at `version` (default: the newest installed)."""
        index = self._index()
        versions = sorted(v for (n, v) in index if n == name)
        if not versions:
            known = ", ".join(sorted({n for n, _ in index})) or "none installed"
            raise NotFound("workflow", name, hint=f"installed: {known}")
        chosen = versions[-1] if version is None else version
        if chosen not in versions:
            listed = ", ".join(str(v) for v in versions)
            raise NotFound(
                "workflow", f"{name} version {chosen}", hint=f"installed versions: {listed}"
            )
        key = (name, chosen)
        if key not in self._compiled:
            loaded = index[key]
            self._compiled[key] = compile_workflow(loaded.definition, loaded.digest)
        return self._compiled[key]

    def _index(self) -> dict[tuple[str, int], LoadedWorkflow]:
        if self._loaded is None:
            loaded: dict[tuple[str, int], LoadedWorkflow] = {}
            problems: list[str] = []
            for path in self._files():
                try:
                    workflow = load_workflow_file(path)
                except WorkflowDefinitionError as error:
                    problems.extend(error.problems)
                    continue
                key = (workflow.definition.name, workflow.definition.version)
                if key in loaded:
                    problems.append(
                        f"{path}: workflow {key[0]} version {key[1]} is also defined in "
                        f"{loaded[key].path}"
                    )
                    continue
                loaded[key] = workflow
            if problems:
                raise WorkflowDefinitionError(problems)
            self._loaded = loaded
        return self._loaded

    def _files(self) -> list[Path]:
        files: list[Path] = []
        for folder in self._folders:
            if folder.is_dir():
                files += sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"})
        return files
