"""Use cases of the certificate: record one as issued, show the current one and the earlier.

The expiry is computed: issue date + 3 years (29 February → 28 February). An earlier expiry is
accepted only with a reason (a recertification keeps the running cycle's expiry); a later one
never (see `isms.certification.check_expiry`).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.isms.certification import DEFAULT_STANDARD, check_expiry
from isms_flow.services.changes import record_change
from isms_flow.services.lookup import find_project, project_ref
from isms_flow.services.registers.certification.register import (
    certificate_rows,
    certificate_view,
    quote_rows,
)
from isms_flow.services.registers.certification.views import (
    CertificateStatusView,
    CertificateView,
)
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.services.snapshots import evaluation_context, scope_of
from isms_flow.store.models import ProjectRow
from isms_flow.store.tables.certification import CertificateRow

__all__ = ["record_certificate", "show_certificate"]


def _text(what: str, value: str, most: int) -> str:
    text = " ".join(value.split())
    if not text:
        raise BadInput(f"{what} must not be empty")
    if len(text) > most:
        raise BadInput(f"{what} is {len(text)} characters long; at most {most}")
    return text


def record_certificate(
    app: App,
    *,
    ref: str,
    number: str,
    issued_on: date,
    actor: str,
    body: str | None = None,
    scope: str | None = None,
    standard: str = DEFAULT_STANDARD,
    expires_on: date | None = None,
    expiry_reason: str = "",
) -> CertificateView:
    """Record an issued certificate; the body defaults to the selected quote's, the scope to
    the project's recorded scope."""
    now = app.clock.now()
    certificate_number = _text("certificate number", number, 64)
    edition = _text("standard", standard, 64)
    expiry, why = check_expiry(issued_on, expires_on, expiry_reason)

    def attempt(pin: VersionPin) -> CertificateView:
        with app.uow() as uow:
            session = uow.session
            project = find_project(session, ref)
            today = evaluation_context(now, project.client.timezone).today
            if issued_on > today:
                raise BadInput(
                    f"issued on {issued_on.isoformat()} is after today ({today}); record the "
                    "certificate once it is issued"
                )
            taken = session.scalars(
                select(CertificateRow.id).where(
                    CertificateRow.project_id == project.id,
                    CertificateRow.number == certificate_number,
                )
            ).first()
            if taken is not None:
                raise BadInput(f"certificate {certificate_number} is already recorded")
            row = CertificateRow(
                project_id=project.id,
                number=certificate_number,
                body=_body(body, session, project.id),
                scope=_scope(scope, project),
                issued_on=issued_on,
                expires_on=expiry,
                expiry_reason=why,
                standard=edition,
                recorded_by=actor,
                recorded_at=now,
            )
            session.add(row)
            uow.flush()
            payload = {
                "certificate_id": row.id,
                "number": row.number,
                "body": row.body,
                "scope": row.scope,
                "standard": row.standard,
                "issued_on": issued_on.isoformat(),
                "expires_on": expiry.isoformat(),
                "expiry_reason": why,
            }
            record_change(
                uow, project, now=now, actor=actor, type="certificate_recorded", payload=payload
            )
            uow.commit()
            return certificate_view(row, project_ref(project), today)

    return retry_on_conflict(attempt)


def show_certificate(app: App, *, ref: str) -> CertificateStatusView:
    """The latest certificate (None before the first) and the earlier ones, as of today."""
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        today = evaluation_context(app.clock.now(), project.client.timezone).today
        name = project_ref(project)
        views = [
            certificate_view(row, name, today) for row in certificate_rows(uow.session, project.id)
        ]
    return CertificateStatusView(
        project=name,
        as_of=today,
        current=views[-1] if views else None,
        earlier=list(reversed(views[:-1])),
    )


def _body(given: str | None, session: Session, project_id: int) -> str:
    if given is not None:
        return _text("certification body", given, 200)
    chosen = [row.body for row in quote_rows(session, project_id) if row.selected]
    if len(chosen) != 1:
        raise BadInput(
            "no certification body is selected among the quotes: give --body "
            "(or choose one with `isms-flow quotes select`)"
        )
    return chosen[0]


def _scope(given: str | None, project: ProjectRow) -> str:
    if given is not None:
        return _text("scope", given, 4000)
    recorded = scope_of(project)
    if recorded is None:
        raise BadInput(
            "the project has no recorded scope: give --scope with the certificate's scope text"
        )
    return recorded.describe()
