"""A client's outbox: reminders and escalations sent, waiting or failed, and a retry.

Only the client's own projects' notifications are listed or retried; another client's
notification is "not found", like a missing one. A retry requeues an outbox row, which is not
part of a project's versioned state: no `If-Match` (retrying twice is refused, the row is no
longer failed).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from isms_flow.accounts import Action
from isms_flow.api.context import PageRequestDep
from isms_flow.api.deps import AppDep, PrincipalDep, client_for, requires
from isms_flow.api.pagination import Page, decode_cursor, encode_cursor
from isms_flow.errors import BadInput
from isms_flow.services import notifications
from isms_flow.services.accounts import ClientAccess
from isms_flow.services.notifications import Filter, NotificationView

router = APIRouter(prefix="/clients/{client}/notifications", tags=["notifications"])

_FOREIGN_CURSOR = "cursor is not one this API handed out; start without it"

NotificationId = Annotated[int, Path(ge=1, le=2**62, description="As the list shows")]
ProjectKey = Annotated[
    str | None, Query(max_length=100, description="Only this project of the client, e.g. `isms`")
]


@router.get("", openapi_extra=requires(Action.READ_PROJECT))
def list_notifications(
    app: AppDep,
    access: Annotated[ClientAccess, Depends(client_for(Action.READ_PROJECT))],
    paging: PageRequestDep,
    show: Annotated[Filter, Query(description="Which deliveries")] = "all",
    project: ProjectKey = None,
) -> Page[NotificationView]:
    """The client's notifications by when they fire, with attempts, last error and lateness."""
    found = notifications.list_notifications(
        app,
        show=show,
        ref=f"{access.key}/{project}" if project is not None else None,
        limit=paging.limit,
        client_id=access.id,
        after=_after(paging.cursor) if paging.cursor else None,
    )
    page = found.notifications
    next_cursor = encode_cursor((page[-1].fire_at.isoformat(), page[-1].id)) if found.more else None
    paging.link_next(next_cursor)
    return Page[NotificationView](items=page, next_cursor=next_cursor)


@router.post("/{notification_id}/retry", openapi_extra=requires(Action.MANAGE_RECIPIENTS))
def retry_notification(
    app: AppDep,
    principal: PrincipalDep,
    access: Annotated[ClientAccess, Depends(client_for(Action.MANAGE_RECIPIENTS))],
    notification_id: NotificationId,
) -> NotificationView:
    """Put a failed notification back in the queue; the scheduler's next tick delivers it."""
    return notifications.retry_notification(
        app, notification_id=notification_id, actor=principal.actor, client_id=access.id
    )


def _after(cursor: str) -> tuple[datetime, int]:
    fire_at, last_id = decode_cursor(cursor, 2)
    try:
        at, after_id = datetime.fromisoformat(str(fire_at)), int(last_id)
    except (TypeError, ValueError):
        raise BadInput(_FOREIGN_CURSOR) from None
    # The store refuses naive instants; a cursor this API made always carries its offset.
    if at.tzinfo is None or not 0 <= after_id <= 2**62:
        raise BadInput(_FOREIGN_CURSOR)
    return at, after_id
