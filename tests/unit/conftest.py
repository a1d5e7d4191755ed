"""Unit-test fixtures: the shipped ISO workflow, loaded and compiled once per session."""

from __future__ import annotations

import pytest

from isms_flow.workflow.loader import LoadedWorkflow, load_workflow_file
from isms_flow.workflow.machine import CompiledWorkflow, compile_workflow
from isms_flow.workflow.schema import WorkflowDefinition
from tests.conftest import ISO_WORKFLOW


@pytest.fixture(scope="session")
def iso_loaded() -> LoadedWorkflow:
    """workflows/iso27001-2022.yaml, validated."""
    return load_workflow_file(ISO_WORKFLOW)


@pytest.fixture(scope="session")
def iso(iso_loaded: LoadedWorkflow) -> WorkflowDefinition:
    """The shipped ISO/IEC 27001:2022 definition."""
    return iso_loaded.definition


@pytest.fixture(scope="session")
def iso_compiled(iso_loaded: LoadedWorkflow) -> CompiledWorkflow:
    """The shipped definition compiled into its one shared machine."""
    return compile_workflow(iso_loaded.definition, iso_loaded.digest)
