"""Who a client's reminders and escalations go to: e-mail addresses and signed webhooks.

Recipients are contact data, so even reading them needs `manage_recipients`. A webhook's
secret is in the response that created it when isms-flow generated it, and never again (a
fingerprint identifies it). Recipients belong to the client, not to a project: no `If-Match`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, status
from pydantic import BaseModel, Field

from isms_flow.accounts import Action
from isms_flow.api.context import PageRequestDep
from isms_flow.api.deps import AppDep, PrincipalDep, client_for, requires
from isms_flow.api.pagination import Page
from isms_flow.services import recipients
from isms_flow.services.accounts import ClientAccess
from isms_flow.services.recipients import NewRecipientView, RecipientView

router = APIRouter(prefix="/clients/{client}/recipients", tags=["recipients"])

ManageRecipients = Annotated[ClientAccess, Depends(client_for(Action.MANAGE_RECIPIENTS))]
RecipientId = Annotated[int, Path(ge=1, le=2**62, description="As the list shows")]


class NewRecipient(BaseModel):
    """An e-mail address or webhook URL to notify for a role."""

    channel: Literal["email", "webhook"]
    address: str = Field(description="An e-mail address, or the http(s) URL to POST signed JSON to")
    role: str = Field(description=f"One of {', '.join(recipients.ROLES)}")
    language: Literal["en", "ja"] | None = Field(default=None, description="The client's if unset")
    secret: str | None = Field(
        default=None, description="Webhook HMAC key, 16–200 characters; generated if unset"
    )


@router.get("", openapi_extra=requires(Action.MANAGE_RECIPIENTS))
def list_recipients(
    app: AppDep, access: ManageRecipients, paging: PageRequestDep
) -> Page[RecipientView]:
    """The client's recipients by channel, role and address (secrets by fingerprint only)."""
    views = recipients.list_recipients(app, client_key=access.key)
    return paging.page(views, key=lambda r: (r.channel, r.role, r.address, r.id))


@router.post(
    "", status_code=status.HTTP_201_CREATED, openapi_extra=requires(Action.MANAGE_RECIPIENTS)
)
def add_recipient(
    app: AppDep, principal: PrincipalDep, access: ManageRecipients, body: NewRecipient
) -> NewRecipientView:
    """Notify an address for a role; a generated webhook `secret` is shown here only."""
    return recipients.add_recipient(
        app,
        client_key=access.key,
        channel=body.channel,
        address=body.address,
        role=body.role,
        language=body.language,
        secret=body.secret,
        actor=principal.actor,
    )


@router.delete("/{recipient_id}", openapi_extra=requires(Action.MANAGE_RECIPIENTS))
def remove_recipient(
    app: AppDep, principal: PrincipalDep, access: ManageRecipients, recipient_id: RecipientId
) -> RecipientView:
    """Stop notifying a recipient; the history keeps that it existed."""
    return recipients.remove_recipient(
        app, client_key=access.key, recipient_id=recipient_id, actor=principal.actor
    )
