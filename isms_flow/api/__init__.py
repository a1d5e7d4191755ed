"""The HTTP API: FastAPI routes over the same services the CLI calls; no business logic here."""

from __future__ import annotations

from isms_flow.api.app import create_app

__all__ = ["create_app"]
