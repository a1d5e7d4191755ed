"""Read a workflow YAML file into a validated `WorkflowDefinition`.

Every problem is reported as one line `FILE:LINE:COL: PATH: reason`. The YAML is read with
ruamel's round-trip loader, which builds only plain mappings, lists and scalars (a
`!!python/...` tag is refused), and keeps the line of every key for those messages.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from isms_flow.errors import WorkflowDefinitionError
from isms_flow.workflow.schema import Location, WorkflowDefinition, graph_problems

__all__ = ["LoadedWorkflow", "load_workflow_file", "load_workflow_text"]


@dataclass(frozen=True)
class LoadedWorkflow:
    """A validated definition, the file it came from and the digest of its bytes."""

    definition: WorkflowDefinition
    path: Path
    digest: str


def load_workflow_file(path: Path) -> LoadedWorkflow:
    """Load and validate one workflow file; raise WorkflowDefinitionError naming every problem."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise WorkflowDefinitionError([f"{path}: no such file"]) from None
    except IsADirectoryError:
        raise WorkflowDefinitionError([f"{path}: is a directory, not a workflow file"]) from None
    except OSError as error:
        raise WorkflowDefinitionError([f"{path}: cannot read: {error.strerror}"]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WorkflowDefinitionError([f"{path}: not UTF-8 text (byte {error.start})"]) from None
    definition = load_workflow_text(text, source=str(path))
    return LoadedWorkflow(definition, path, hashlib.sha256(raw).hexdigest())


def load_workflow_text(text: str, *, source: str) -> WorkflowDefinition:
    """Validate workflow YAML text; `source` names it in messages."""
    document = _parse_yaml(text, source)
    tagged = _tag_problems(document, ())
    if tagged:
        raise WorkflowDefinitionError(
            [_format(source, document, loc, message) for loc, message in tagged]
        )
    if not isinstance(document, CommentedMap):
        raise WorkflowDefinitionError([f"{source}:1:1: the file must be a mapping of fields"])
    try:
        definition = WorkflowDefinition.model_validate(_plain(document))
    except ValidationError as error:
        raise WorkflowDefinitionError(
            [
                _format(source, document, tuple(item["loc"]), _message(item))
                for item in _reported(error.errors(include_url=False))
            ]
        ) from None
    problems = graph_problems(definition)
    if problems:
        raise WorkflowDefinitionError(
            [_format(source, document, loc, message) for loc, message in problems]
        )
    return definition


def _parse_yaml(text: str, source: str) -> Any:
    yaml = YAML(typ="rt", pure=True)
    try:
        return yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        reason = " ".join(part for part in (error.context, error.problem) if part)
        raise WorkflowDefinitionError([f"{where}: YAML: {_one_line(reason)}"]) from None
    except YAMLError as error:
        raise WorkflowDefinitionError([f"{source}: YAML: {_one_line(str(error))}"]) from None


def _tag_problems(node: Any, loc: Location) -> list[tuple[Location, str]]:
    """Every explicit YAML tag (`!!python/...`): refused, or a tagged mapping would pass as data."""
    problems: list[tuple[Location, str]] = []
    tag = getattr(getattr(node, "tag", None), "value", None)
    if tag:
        shown = str(tag).replace("tag:yaml.org,2002:", "!!", 1)
        problems.append((loc, f"YAML tag '{shown}' is not allowed: a workflow file is plain data"))
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            problems += _tag_problems(value, (*loc, key))
    elif isinstance(node, CommentedSeq):
        for index, item in enumerate(node):
            problems += _tag_problems(item, (*loc, index))
    return problems


def _plain(node: Any) -> Any:
    """Turn ruamel's commented containers into dicts and lists for pydantic."""
    if isinstance(node, CommentedMap):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, CommentedSeq):
        return [_plain(item) for item in node]
    return node


def _reported(errors: list[Any]) -> list[Any]:
    """Drop pydantic's "tuple too short" when it only counts items already reported invalid."""
    locs = [tuple(item["loc"]) for item in errors]
    return [
        item
        for item in errors
        if item["type"] != "too_short"
        or not any(
            len(loc) > len(item["loc"]) and loc[: len(item["loc"])] == item["loc"] for loc in locs
        )
    ]


def _message(item: Any) -> str:
    message = str(item["msg"])
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    if item["type"] == "extra_forbidden":
        message = "unknown field"
    return message


def _format(source: str, document: CommentedMap, loc: Location, message: str) -> str:
    path = _dotted(loc)
    line, column = _position(document, loc)
    return f"{source}:{line + 1}:{column + 1}: {path}: {_one_line(message)}"


def _dotted(loc: Location) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "<file>"


def _position(document: CommentedMap, loc: Location) -> tuple[int, int]:
    """Line and column (0-based) of the deepest part of `loc` present in the YAML."""
    node: Any = document
    line, column = 0, 0
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line, column = node.lc.value(part) if _is_scalar(node[part]) else node.lc.key(part)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, column = node.lc.item(part)
            node = node[part]
        else:
            break
    return line, column


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, CommentedMap | CommentedSeq)


def _one_line(text: str) -> str:
    return " ".join(text.split())
