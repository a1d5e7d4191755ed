"""Every error as an RFC 9457 problem (`application/problem+json`), mapped in one place.

The error hierarchy (`isms_flow.errors`) decides *what* went wrong and words the message; this
table decides only the HTTP status and the problem type. Nothing else in the API picks a status
for an error, and no response ever carries a traceback.
"""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from isms_flow.api.concurrency import etag_of
from isms_flow.errors import (
    AuthenticationFailed,
    BadInput,
    ConflictError,
    GuardBlocked,
    IntegrityFailure,
    InvalidTrigger,
    IsmsFlowError,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    PreconditionFailed,
    PreconditionRequired,
    UnsupportedMediaType,
    WorkflowDefinitionError,
)

__all__ = ["PROBLEM_MEDIA_TYPE", "PROBLEM_TYPES", "install_problem_handlers", "problem_response"]

PROBLEM_MEDIA_TYPE = "application/problem+json"

# Most specific first: the first class an error is an instance of decides.
_MAPPING: tuple[tuple[type[IsmsFlowError], int, str, str], ...] = (
    (AuthenticationFailed, 401, "unauthenticated", "Authentication required"),
    (PermissionDenied, 403, "forbidden", "Not allowed"),
    (NotFound, 404, "not-found", "Not found"),
    (PayloadTooLarge, 413, "payload-too-large", "Upload too large"),
    (UnsupportedMediaType, 415, "unsupported-media-type", "File type not accepted"),
    (PreconditionFailed, 412, "stale-version", "The object changed since it was read"),
    (PreconditionRequired, 428, "if-match-required", "If-Match required"),
    (GuardBlocked, 409, "guard-blocked", "Requirements of the stage are unmet"),
    (InvalidTrigger, 409, "invalid-trigger", "Trigger not possible from this stage"),
    (ConflictError, 409, "conflict", "Changed concurrently"),
    (WorkflowDefinitionError, 422, "invalid-workflow", "Workflow definition is broken"),
    (BadInput, 400, "bad-input", "Bad input"),
    (IntegrityFailure, 500, "integrity-failure", "Stored data failed its integrity check"),
)

PROBLEM_TYPES: dict[str, str] = {slug: title for _, _, slug, title in _MAPPING} | {
    "invalid-request": "The request does not match the API schema",
    "http-error": "HTTP error",
    "internal-error": "Internal error",
}
"""Every problem type this API returns (slug → title); served at /problems/{slug}."""

_log = structlog.get_logger(__name__)


class ProblemDetails(BaseModel):
    """An error (RFC 9457); members beyond these carry data a client can act on."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str
    request_id: str | None = None


_PROBLEM_RESPONSE: dict[str, Any] = {
    "description": "An error, as RFC 9457 problem details",
    "content": {PROBLEM_MEDIA_TYPE: {"schema": ProblemDetails.model_json_schema()}},
}
_READ_ERRORS = {400, 401, 403, 404, 422}
_CHANGE_ERRORS = _READ_ERRORS | {409, 412, 413, 415, 428}


def document_problems(router: APIRouter) -> None:
    """Declare in the OpenAPI document the problem answers each route of `router` can give.

    Called on a router before the app includes it: the app builds its routes' response
    schemas from what the router's routes declare.
    """
    for route in router.routes:
        if not isinstance(route, APIRoute):
            continue
        statuses = _CHANGE_ERRORS if (route.methods or set()) - {"GET", "HEAD"} else _READ_ERRORS
        for status in sorted(statuses):
            route.responses.setdefault(status, _PROBLEM_RESPONSE)


def problem_response(
    request: Request,
    status: int,
    slug: str,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem+json response with the request id, for the request being answered."""
    body: dict[str, Any] = {
        "type": f"/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    request_id = getattr(request.state, "request_id", None)
    if request_id:
        body["request_id"] = request_id
    body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def _extras(error: IsmsFlowError) -> dict[str, Any]:
    # Structured fields a client can act on without parsing the message.
    if isinstance(error, GuardBlocked):
        return {"trigger": error.trigger, "stage": error.state, "blockers": error.reasons}
    if isinstance(error, InvalidTrigger):
        return {"trigger": error.trigger, "stage": error.state, "possible": error.valid}
    if isinstance(error, PreconditionFailed):
        return {"current_etag": etag_of(error.current)}
    if isinstance(error, WorkflowDefinitionError):
        return {"problems": error.problems}
    return {}


def _classify(error: IsmsFlowError) -> tuple[int, str, str]:
    """(status, problem slug, title) of the first mapping entry the error is an instance of."""
    for cls, status, slug, title in _MAPPING:
        if isinstance(error, cls):
            return status, slug, title
    return 400, "bad-input", "Bad input"


async def _on_domain_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, IsmsFlowError)
    status, slug, title = _classify(error)
    headers = {"WWW-Authenticate": 'Bearer realm="isms-flow"'} if status == 401 else None
    if status >= 500:
        _log.error("request_failed", error=str(error), kind=type(error).__name__)
    return problem_response(request, status, slug, title, str(error), headers, **_extras(error))


async def _on_validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = [
        {"where": ".".join(str(part) for part in item.get("loc", ())), "problem": item.get("msg")}
        for item in error.errors()
    ]
    detail = "; ".join(f"{e['where']}: {e['problem']}" for e in errors) or "invalid request"
    return problem_response(
        request, 422, "invalid-request", PROBLEM_TYPES["invalid-request"], detail, errors=errors
    )


async def _on_http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    detail = str(error.detail) if error.detail else "HTTP error"
    return problem_response(
        request, error.status_code, "http-error", detail, detail, dict(error.headers or {})
    )


async def _on_unexpected(request: Request, error: Exception) -> JSONResponse:
    # The details go to the log under the request id; the caller gets the id to quote.
    _log.exception("request_crashed", kind=type(error).__name__)
    return problem_response(
        request,
        500,
        "internal-error",
        PROBLEM_TYPES["internal-error"],
        "the server failed to answer this request; it was logged under the request id",
    )


def install_problem_handlers(api: FastAPI) -> None:
    """Answer every error of `api` as problem+json."""
    api.add_exception_handler(IsmsFlowError, _on_domain_error)
    api.add_exception_handler(RequestValidationError, _on_validation_error)
    api.add_exception_handler(StarletteHTTPException, _on_http_error)
    api.add_exception_handler(Exception, _on_unexpected)
