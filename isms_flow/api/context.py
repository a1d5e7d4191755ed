"""What a project route needs, bundled: a read with its ETag, a change under If-Match, a page.

Each bundle is a dependency, so a route declares one parameter instead of six, and the steps
every route repeats (send the ETag, check If-Match inside the writing transaction, send the
new ETag, page a list) are written once here. Clients see the same OpenAPI parameters: the
bundles' own parameters (If-Match, `cursor`, `limit`) are what the routes declared before.
"""

# No `from __future__ import annotations`: FastAPI must resolve the `Depends(access_for)`
# annotations of the closures below, which a string annotation would hide from it.
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request, Response

from isms_flow.accounts import Action, Principal
from isms_flow.api.concurrency import IfMatch, expected_version, set_etag
from isms_flow.api.deps import AppDep, PrincipalDep, project_for
from isms_flow.api.pagination import (
    DEFAULT_LIMIT,
    Cursor,
    Limit,
    Page,
    SortKey,
    decode_cursor,
    encode_cursor,
    link_next,
    paginate,
)
from isms_flow.bootstrap import App
from isms_flow.services import projects
from isms_flow.services.accounts import ProjectAccess
from isms_flow.services.preconditions import expecting_version

__all__ = [
    "PageRequest",
    "PageRequestDep",
    "ProjectChange",
    "ProjectRead",
    "project_change",
    "project_read",
]

T = TypeVar("T")


@dataclass(frozen=True)
class ProjectRead:
    """A read of a project the caller may see; its ETag is already on the response."""

    app: App
    access: ProjectAccess

    @property
    def ref(self) -> str:
        """The project's `client/project` reference."""
        return self.access.ref


@dataclass(frozen=True)
class ProjectChange:
    """A change to a project by the caller, based on the ETag they sent in If-Match."""

    app: App
    principal: Principal
    access: ProjectAccess
    response: Response
    if_match: str | None

    @property
    def ref(self) -> str:
        """The project's `client/project` reference."""
        return self.access.ref

    @property
    def actor(self) -> str:
        """Who the history records as making the change."""
        return self.principal.actor

    @contextmanager
    def applying(self) -> Iterator[None]:
        """Run the service against the version If-Match names; send the new ETag after it."""
        with expecting_version(self.access.id, expected_version(self.if_match)) as expected:
            yield
        # The version this change wrote; read it back only for a change that wrote none.
        written = expected.written
        if written is None:
            written = projects.current_version(self.app, project_id=self.access.id)
        set_etag(self.response, written)


def project_read(action: Action) -> Callable[..., ProjectRead]:
    """A dependency resolving `{client}/{project}` for reading; sends the project's ETag."""
    access_for = project_for(action)

    def resolve(
        app: AppDep,
        response: Response,
        access: Annotated[ProjectAccess, Depends(access_for)],
    ) -> ProjectRead:
        set_etag(response, access.version)
        return ProjectRead(app=app, access=access)

    return resolve


def project_change(action: Action) -> Callable[..., ProjectChange]:
    """A dependency resolving `{client}/{project}` for a change under `If-Match`."""
    access_for = project_for(action)

    def resolve(
        app: AppDep,
        principal: PrincipalDep,
        response: Response,
        access: Annotated[ProjectAccess, Depends(access_for)],
        if_match: IfMatch = None,
    ) -> ProjectChange:
        return ProjectChange(
            app=app, principal=principal, access=access, response=response, if_match=if_match
        )

    return resolve


@dataclass(frozen=True)
class PageRequest:
    """The `cursor` and `limit` a list was asked with, and where to put its `Link` header."""

    request: Request
    response: Response
    cursor: str | None
    limit: int

    def page(self, items: Sequence[T], *, key: Callable[[T], SortKey]) -> Page[T]:
        """The asked-for page of `items` sorted by `key`."""
        return paginate(
            items,
            key=key,
            cursor=self.cursor,
            limit=self.limit,
            request=self.request,
            response=self.response,
        )

    def after(self, arity: int) -> SortKey | None:
        """The sort key the cursor points after, for a list paged in SQL; None on page one."""
        return decode_cursor(self.cursor, arity) if self.cursor else None

    def fetched(self, rows: Sequence[T], *, key: Callable[[T], SortKey]) -> Page[T]:
        """The page of `limit + 1` rows fetched after the cursor; the extra row means more."""
        items = list(rows[: self.limit])
        more = len(rows) > self.limit
        next_cursor = encode_cursor(key(items[-1])) if more else None
        self.link_next(next_cursor)
        return Page[T](items=items, next_cursor=next_cursor)

    def link_next(self, next_cursor: str | None) -> None:
        """Send `Link: rel="next"` for the page after this one, if there is one."""
        link_next(self.request, self.response, next_cursor, self.limit)


def page_request(
    request: Request, response: Response, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> PageRequest:
    """The page parameters of a list route."""
    return PageRequest(request=request, response=response, cursor=cursor, limit=limit)


PageRequestDep = Annotated[PageRequest, Depends(page_request)]
