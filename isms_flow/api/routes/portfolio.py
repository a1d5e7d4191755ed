"""The consultant's portfolio: every project the caller may see, soonest deadline first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from isms_flow.api.deps import AppDep, LangDep, PrincipalDep, requires
from isms_flow.api.pagination import Cursor, link_next
from isms_flow.services.portfolio import MAX_LIMIT, PortfolioPage, list_portfolio

router = APIRouter(tags=["portfolio"])


@router.get("/portfolio", openapi_extra=requires("authenticated"))
def portfolio(
    app: AppDep,
    principal: PrincipalDep,
    lang: LangDep,
    request: Request,
    response: Response,
    client: Annotated[str | None, Query(description="Only this client's projects")] = None,
    stage: Annotated[str | None, Query(description="Only projects in this stage")] = None,
    overdue: Annotated[bool | None, Query(description="Only (or no) overdue projects")] = None,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> PortfolioPage:
    """Stage, days in stage, blockers, next deadline and days left of each visible project.

    A client the caller holds no role on is 404, like one that does not exist.
    """
    page = list_portfolio(
        app,
        principal=principal,
        client=client,
        stage=stage,
        overdue=overdue,
        cursor=cursor,
        limit=limit,
        lang=lang,
    )
    link_next(request, response, page.next_cursor, limit)
    return page
