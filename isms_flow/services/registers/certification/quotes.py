"""Use cases of certification body quotes: add, list, select one with a reason, compare them
side by side with the ISO/IEC 27006 audit days for the in-scope headcount."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.i18n import Language, LocalizedText
from isms_flow.isms.audit_time import (
    AUDIT_TIME_CHART,
    DAYS_TOLERANCE,
    MIN_PEERS,
    RATE_TOLERANCE,
    assess_quotes,
    initial_audit_days,
    percent,
)
from isms_flow.isms.certification import (
    DEFAULT_CURRENCY,
    body_key,
    money,
    normalize_accreditation,
    normalize_currency,
    parse_audit_days,
    parse_cost,
)
from isms_flow.services.changes import record_change
from isms_flow.services.lookup import find_project, project_ref
from isms_flow.services.registers.certification.register import (
    find_quote,
    in_scope_headcount,
    quote_of,
    quote_rows,
    quote_view,
)
from isms_flow.services.registers.certification.views import (
    ComparisonRowView,
    ComparisonView,
    QuoteView,
    SelectionView,
)
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.services.snapshots import evaluation_context
from isms_flow.store.tables.certification import QuoteRow

__all__ = ["add_quote", "compare_quotes", "list_quotes", "select_quote"]


def _text(what: str, value: str, most: int, *, required: bool = True) -> str:
    text = " ".join(value.split())
    if required and not text:
        raise BadInput(f"{what} must not be empty")
    if len(text) > most:
        raise BadInput(f"{what} is {len(text)} characters long; at most {most}")
    return text


def add_quote(
    app: App,
    *,
    ref: str,
    body: str,
    accreditation: str,
    audit_days: str | Decimal,
    cost: str | Decimal,
    actor: str,
    currency: str = DEFAULT_CURRENCY,
    quoted_on: date | None = None,
    note: str = "",
) -> QuoteView:
    """Record a certification body's quote (dated today unless `quoted_on` says otherwise)."""
    now = app.clock.now()
    name = _text("certification body", body, 200)
    accredited_by = normalize_accreditation(accreditation)
    code = normalize_currency(currency)
    days = parse_audit_days(audit_days)
    amount = parse_cost(cost, code)
    remark = _text("note", note, 2000, required=False)

    def attempt(pin: VersionPin) -> QuoteView:
        with app.uow() as uow:
            project = find_project(uow.session, ref)
            today = evaluation_context(now, project.client.timezone).today
            dated = quoted_on or today
            if dated > today:
                raise BadInput(f"quoted on {dated.isoformat()} is after today ({today})")
            new = (body_key(name), days, amount, code, dated)
            for other in map(quote_of, quote_rows(uow.session, project.id)):
                old = (body_key(other.body), other.audit_days, other.cost, other.currency)
                if (*old, other.quoted_on) == new:
                    raise BadInput(f"this quote of {other.body} is already recorded as #{other.id}")
            row = QuoteRow(
                project_id=project.id,
                body=name,
                accreditation=accredited_by,
                audit_days=days,
                cost=amount,
                currency=code,
                quoted_on=dated,
                note=remark,
                selected=False,
                selection_reason="",
                created_by=actor,
                created_at=now,
            )
            uow.session.add(row)
            uow.flush()
            payload = {
                "quote_id": row.id,
                "body": name,
                "accreditation": accredited_by,
                "audit_days": str(days),
                "cost": str(amount),
                "currency": code,
                "quoted_on": dated.isoformat(),
                "note": remark,
            }
            record_change(
                uow, project, now=now, actor=actor, type="cb_quote_added", payload=payload
            )
            uow.commit()
            return quote_view(row, project_ref(project))

    return retry_on_conflict(attempt)


def list_quotes(app: App, *, ref: str) -> list[QuoteView]:
    """The project's quotes in the order they were recorded."""
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        name = project_ref(project)
        return [quote_view(row, name) for row in quote_rows(uow.session, project.id)]


def select_quote(app: App, *, ref: str, quote_id: int, reason: str, actor: str) -> SelectionView:
    """Choose the certification body of a quote; a body chosen before is unselected."""
    now = app.clock.now()
    why = _text("reason", reason, 2000)

    def attempt(pin: VersionPin) -> SelectionView:
        with app.uow() as uow:
            project = find_project(uow.session, ref)
            row = find_quote(uow.session, project.id, quote_id)
            others = [
                other
                for other in quote_rows(uow.session, project.id)
                if other.selected and other.id != row.id
            ]
            previous = row.selection_reason if row.selected else None
            if previous == why and not others:
                raise BadInput(f"quote #{row.id} ({row.body}) is already selected for this reason")
            for other in others:
                old_reason = other.selection_reason
                other.selected, other.selection_reason = False, ""
                record_change(
                    uow,
                    project,
                    now=now,
                    actor=actor,
                    type="cb_quote_unselected",
                    payload={
                        "quote_id": other.id,
                        "body": other.body,
                        "reason": old_reason,
                        "replaced_by": {"quote_id": row.id, "body": row.body},
                    },
                )
            row.selected, row.selection_reason = True, why
            record_change(
                uow,
                project,
                now=now,
                actor=actor,
                type="cb_quote_selected",
                payload={
                    "quote_id": row.id,
                    "body": row.body,
                    "reason": why,
                    "previous_reason": previous,
                    "unselected": [other.id for other in others],
                },
            )
            uow.commit()
            name = project_ref(project)
            return SelectionView(
                selected=quote_view(row, name),
                unselected=[quote_view(other, name) for other in others],
                previous_reason=previous,
            )

    return retry_on_conflict(attempt)


def compare_quotes(
    app: App, *, ref: str, headcount: int | None = None, lang: Language = "en"
) -> ComparisonView:
    """The quotes side by side with the chart's audit days for the in-scope headcount
    (default: in-scope staff on the training roster today) and the outliers flagged."""
    if headcount is not None:
        initial_audit_days(headcount)  # a headcount given outside the chart is bad input
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        today = evaluation_context(app.clock.now(), project.client.timezone).today
        name = project_ref(project)
        rows = quote_rows(uow.session, project.id)
        views = {row.id: quote_view(row, name) for row in rows}
        quotes = [quote_of(row) for row in rows]
        counted = in_scope_headcount(uow.session, project.id, today)
    persons = counted if headcount is None else headcount
    suggested, note = _suggestion(persons, today)
    assessments = assess_quotes(quotes, suggested)
    selected = [quote.id for quote in quotes if quote.selected]
    return ComparisonView(
        project=name,
        as_of=today,
        headcount=persons,
        headcount_source="staff" if headcount is None else "given",
        suggested_days=suggested,
        note=note.in_(lang) if note else None,
        rule=_RULE.in_(lang),
        rows=[
            ComparisonRowView(
                quote=views[item.quote.id],
                days_deviation_percent=_percent(item.days_deviation),
                peer_cost_per_day=(
                    None if item.peer_rate is None else money(item.peer_rate, item.quote.currency)
                ),
                cost_per_day_deviation_percent=_percent(item.rate_deviation),
                outlier=item.outlier,
                flags=[flag.in_(lang) for flag in item.flags],
            )
            for item in assessments
        ],
        bodies=len({body_key(quote.body) for quote in quotes}),
        selected_id=selected[0] if len(selected) == 1 else None,
    )


def _percent(fraction: Decimal | None) -> int | None:
    return None if fraction is None else percent(fraction)


def _suggestion(persons: int, today: date) -> tuple[Decimal | None, LocalizedText | None]:
    if persons == 0:
        return None, LocalizedText(
            en=f"no in-scope staff on the training roster on {today}: give --headcount to "
            "compare with the ISO/IEC 27006 chart",
            ja=f"{today}時点で教育訓練の名簿に適用範囲内の要員がいません。ISO/IEC 27006の目安と"
            "比較するには --headcount を指定してください",
        )
    top = AUDIT_TIME_CHART[-1].last
    if persons > top:
        return None, LocalizedText(
            en=f"{persons:,} persons in scope is beyond the ISO/IEC 27006 chart (up to "
            f"{top:,}); the certification body extrapolates",
            ja=f"適用範囲内の{persons:,}名はISO/IEC 27006の表（{top:,}名まで）を超えています。"
            "認証機関が外挿して算定します",
        )
    return initial_audit_days(persons), None


_RULE = LocalizedText(
    en=f"outlier: audit days more than {percent(DAYS_TOLERANCE)}% off the ISO/IEC 27006 chart, "
    f"or cost per audit day more than {percent(RATE_TOLERANCE)}% off the median of the other "
    f"quotes in the same currency (when there are at least {MIN_PEERS})",
    ja=f"外れ値: 審査工数がISO/IEC 27006の目安から{percent(DAYS_TOLERANCE)}%を超えて離れている、"
    f"または1人日あたりの費用が同じ通貨の他の見積り（{MIN_PEERS}件以上ある場合）の中央値から"
    f"{percent(RATE_TOLERANCE)}%を超えて離れている",
)
