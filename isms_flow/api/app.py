"""The FastAPI application: routers, error mapping and request logging around one App."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI

from isms_flow import __version__
from isms_flow.api.problems import document_problems, install_problem_handlers
from isms_flow.api.requests import RequestLogging
from isms_flow.api.routes import (
    accounts,
    audit,
    audits,
    certification,
    clients,
    deadlines,
    evidence,
    history,
    meta,
    notifications,
    overrides,
    portfolio,
    projects,
    recipients,
    reviews,
    risks,
    soa,
    training,
    workflows,
)
from isms_flow.bootstrap import App

__all__ = ["create_app"]

_DESCRIPTION = """\
ISO/IEC 27001 certification projects as state machines. Every call but `/health` needs
`Authorization: Bearer <token>` (`isms-flow token create`). A client you hold no role on
answers 404, exactly like a missing one. Changes to a project need `If-Match` with the
ETag you read (412 when stale, 428 when missing). Errors are RFC 9457 problem+json.
"""


def create_app(
    app: App,
    *,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
) -> FastAPI:
    """The HTTP API over `app`; the caller owns `app` and closes it."""
    api = FastAPI(
        title="isms-flow",
        version=__version__,
        description=_DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    api.state.isms_flow = app
    install_problem_handlers(api)
    for module in (
        meta,
        portfolio,
        clients,
        projects,
        history,
        workflows,
        accounts,
        recipients,
        notifications,
        audit,
        risks,
        soa,
        training,
        audits,
        reviews,
        certification,
        evidence,
        overrides,
        deadlines,
    ):
        document_problems(module.router)
        api.include_router(module.router)
    api.add_middleware(RequestLogging)
    return api
