"""The demo's choice of certification body and its certificate: three quotes for the ~45 people
of the development division and the Tokyo head office, compared with the ISO/IEC 27006 chart
(one quote plans too few audit days and is flagged), JQA chosen for stated reasons, and later
the certificate JQA issues."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from isms_flow.bootstrap import App
from isms_flow.i18n import Language
from isms_flow.isms.certification import format_days
from isms_flow.services.demo import DemoStep
from isms_flow.services.registers.certification.certificate import (
    record_certificate,
    show_certificate,
)
from isms_flow.services.registers.certification.quotes import (
    add_quote,
    compare_quotes,
    list_quotes,
    select_quote,
)

if TYPE_CHECKING:
    from isms_flow.workflow.requirements import Requirement

__all__ = ["fill_certificate", "fill_quotes"]

_BUYER = "sato.isms"
_HEADCOUNT = 45  # declared in the applications; the roster is imported at the training stage

# (body, accreditation, audit days, cost in JPY, days before today, note)
_QUOTES: tuple[tuple[str, str, str, str, int, str], ...] = (
    (
        "JQA (Japan Quality Assurance Organization)",
        "ISMS-AC",
        "8.5",
        "1650000",
        24,
        "Stage 1 + Stage 2 incl. registration fee; auditors' travel within Tokyo included",
    ),
    (
        "BSI Group Japan",
        "UKAS",
        "9",
        "1890000",
        19,
        "Stage 1 + Stage 2; English or Japanese report; travel billed at cost",
    ),
    (
        "Sakura Certification Services",
        "ISMS-AC",
        "5.5",
        "990000",
        12,
        "Stage 1 remote, Stage 2 on site in one visit",
    ),
)
_REASON = (
    "ISMS-AC accreditation, which our Japanese customers ask for; audit days in line with the "
    "ISO/IEC 27006 chart for 45 people; auditors with SaaS experience and audits in Japanese. "
    "Sakura's 5.5 days are too few for our scope."
)
_SCOPE = (
    "Development, operation and support of cloud-based business applications by the "
    "development division at the Tokyo head office"
)


def fill_quotes(
    app: App, ref: str, requirement: Requirement, folder: Path, lang: Language
) -> Iterator[DemoStep]:
    """Record three quotes, compare them with the chart, select JQA with a reason."""
    if not list_quotes(app, ref=ref):
        today = show_certificate(app, ref=ref).as_of  # the client's today
        for body, accreditation, days, cost, age, note in _QUOTES:
            view = add_quote(
                app,
                ref=ref,
                body=body,
                accreditation=accreditation,
                audit_days=days,
                cost=cost,
                quoted_on=today - timedelta(days=age),
                note=note,
                actor=_BUYER,
            )
            yield DemoStep(
                "evidence",
                f"quote #{view.id} from {view.body} ({view.accreditation}): "
                f"{format_days(view.audit_days)} audit days, {view.price}",
            )
    comparison = compare_quotes(app, ref=ref, headcount=_HEADCOUNT, lang=lang)
    suggested = format_days(comparison.suggested_days or Decimal(0))
    yield DemoStep(
        "evidence",
        f"quotes compared: the ISO/IEC 27006 chart suggests {suggested} audit days for "
        f"{comparison.headcount} people in scope",
        tuple(
            f"#{row.quote.id} {row.quote.body}: {row.quote.cost_per_day_text} per day"
            + (f" — OUTLIER: {'; '.join(row.flags)}" if row.outlier else "")
            for row in comparison.rows
        ),
    )
    if comparison.selected_id is None:
        chosen = next(row.quote for row in comparison.rows if row.quote.body.startswith("JQA"))
        selection = select_quote(app, ref=ref, quote_id=chosen.id, reason=_REASON, actor=_BUYER)
        yield DemoStep(
            "approval",
            f"{selection.selected.body} selected: {selection.selected.selection_reason}",
        )


def fill_certificate(
    app: App, ref: str, requirement: Requirement, folder: Path, lang: Language
) -> Iterator[DemoStep]:
    """Record the certificate the selected body issued today, unless one is recorded."""
    status = show_certificate(app, ref=ref)
    if status.current is not None and not status.current.expired:
        return
    view = record_certificate(
        app,
        ref=ref,
        number="JQA-IM2417" if status.current is None else f"JQA-IM2417-{len(status.earlier) + 2}",
        issued_on=status.as_of,
        scope=_SCOPE,
        standard="ISO/IEC 27001:2022 (JIS Q 27001:2023)",
        actor=_BUYER,
    )
    yield DemoStep(
        "evidence",
        f"certificate {view.number} recorded: issued by {view.body} on {view.issued_on}, "
        f"expires {view.expires_on} ({view.standard})",
    )
