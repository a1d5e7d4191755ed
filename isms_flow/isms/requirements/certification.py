"""Requirement types `cb_quotes` (enough certification bodies compared, one selected with a
reason) and `certificate_valid` (a complete certificate, valid today)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from isms_flow.i18n import LocalizedText
from isms_flow.isms.certification import Certificate, CertificateRegister, Quote, QuoteRegister
from isms_flow.workflow.requirements.base import (
    Blocker,
    Requirement,
    RequirementResult,
    Vocabulary,
    register,
)
from isms_flow.workflow.snapshot import EvaluationContext, ProjectSnapshot

__all__ = ["CertificateRequirement", "QuotesComparedRequirement"]

_QUOTES = "cb_quotes"
_QUOTES_JA = "認証機関の見積り"
_CERTIFICATE = "certificate_valid"
_CERTIFICATE_JA = "認証書"


def _quote_name(quote: Quote) -> str:
    return f"#{quote.id} {quote.body}"


@register
class QuotesComparedRequirement(Requirement):
    """`- cb_quotes: compared` with optional `min_quotes` (default 2).

    Quotes count per certification body: two quotes of one body are one comparison partner.
    Progress: bodies quoted (up to `min_quotes`) plus one for a selection with a reason.
    """

    type_key: ClassVar[str] = _QUOTES
    reads: ClassVar[frozenset[str]] = frozenset({"quotes"})

    cb_quotes: Literal["compared"]
    min_quotes: int = Field(default=2, ge=1, le=20)

    def label(self, vocab: Vocabulary) -> LocalizedText:
        """The checklist label."""
        if self.title is not None:
            return self.title
        return LocalizedText(
            en=f"Certification body quotes: at least {self.min_quotes} bodies compared, one "
            "selected with a reason",
            ja=f"{_QUOTES_JA}: {self.min_quotes}社以上を比較し、理由を付けて1社を選定",
        )

    def evaluate(
        self,
        snapshot: ProjectSnapshot,
        ctx: EvaluationContext,
        vocab: Vocabulary,
    ) -> RequirementResult:
        """Met with quotes from `min_quotes` bodies and exactly one selected with a reason."""
        quotes = snapshot.register("quotes", QuoteRegister)
        bodies = quotes.bodies
        blockers: list[Blocker] = []
        if len(bodies) < self.min_quotes:
            blockers.append(self._too_few(bodies))
        selected = quotes.selected
        chosen = len(selected) == 1 and bool(selected[0].selection_reason.strip())
        if not selected:
            blockers.append(_NOT_SELECTED)
        elif len(selected) > 1:
            blockers.append(_several_selected(selected))
        elif not chosen:
            blockers.append(_no_reason(selected[0]))
        have = min(len(bodies), self.min_quotes) + chosen
        return RequirementResult(
            self.label(vocab), not blockers, have, self.min_quotes + 1, tuple(blockers)
        )

    def _too_few(self, bodies: tuple[str, ...]) -> Blocker:
        need = self.min_quotes
        if not bodies:
            return Blocker(
                code=_QUOTES,
                message=LocalizedText(
                    en=f"cb_quotes: no certification body quotes recorded ({need} bodies "
                    "required; add them with `isms-flow quotes add PROJECT BODY ...`)",
                    ja=f"{_QUOTES_JA}: 見積りが記録されていません（{need}社以上が必要。"
                    "`isms-flow quotes add PROJECT BODY ...` で追加）",
                ),
            )
        return Blocker(
            code=_QUOTES,
            message=LocalizedText(
                en=f"cb_quotes: quotes from {len(bodies)} of the {need} certification bodies "
                f"required (so far: {', '.join(bodies)})",
                ja=f"{_QUOTES_JA}: 必要な{need}社のうち{len(bodies)}社の見積りしかありません"
                f"（これまで: {'、'.join(bodies)}）",
            ),
            items=bodies,
        )


_NOT_SELECTED = Blocker(
    code=_QUOTES,
    message=LocalizedText(
        en="cb_quotes: no certification body selected (choose one with "
        "`isms-flow quotes select PROJECT QUOTE_ID --reason TEXT`)",
        ja=f"{_QUOTES_JA}: 認証機関が選定されていません"
        "（`isms-flow quotes select PROJECT QUOTE_ID --reason TEXT` で選定）",
    ),
)


def _several_selected(selected: tuple[Quote, ...]) -> Blocker:
    names = tuple(_quote_name(quote) for quote in selected)
    return Blocker(
        code=_QUOTES,
        message=LocalizedText(
            en=f"cb_quotes: {len(names)} quotes are marked selected ({', '.join(names)}); "
            "exactly one certification body is chosen",
            ja=f"{_QUOTES_JA}: {len(names)}件の見積りが選定済みになっています"
            f"（{'、'.join(names)}）。選定する認証機関は1社です",
        ),
        items=names,
    )


def _no_reason(quote: Quote) -> Blocker:
    name = _quote_name(quote)
    return Blocker(
        code=_QUOTES,
        message=LocalizedText(
            en=f"cb_quotes: the selection of {name} has no reason recorded",
            ja=f"{_QUOTES_JA}: {name}を選定した理由が記録されていません",
        ),
        items=(name,),
    )


@register
class CertificateRequirement(Requirement):
    """`- certificate_valid: true` — the latest certificate has its number, body, scope,
    standard and dates, was issued on or before today and has not expired."""

    type_key: ClassVar[str] = _CERTIFICATE
    reads: ClassVar[frozenset[str]] = frozenset({"certificate"})

    certificate_valid: Literal[True]

    def label(self, vocab: Vocabulary) -> LocalizedText:
        """The checklist label."""
        return self.title or LocalizedText(
            en="Certificate recorded (number, body, scope, dates) and not expired",
            ja=f"{_CERTIFICATE_JA}が記録され（番号・認証機関・適用範囲・日付）、有効期限内である",
        )

    def evaluate(
        self,
        snapshot: ProjectSnapshot,
        ctx: EvaluationContext,
        vocab: Vocabulary,
    ) -> RequirementResult:
        """Met by a complete certificate valid today; otherwise say what is wrong with it."""
        label = self.label(vocab)
        certificate = snapshot.register("certificate", CertificateRegister).latest
        if certificate is None:
            return RequirementResult(label, False, 0, 1, (_NO_CERTIFICATE,))
        blockers = []
        if certificate.missing_fields:
            blockers.append(_incomplete(certificate))
        if certificate.issued_on > ctx.today:
            blockers.append(_not_yet_issued(certificate))
        if certificate.expired(ctx.today):
            blockers.append(_expired(certificate))
        return RequirementResult(label, not blockers, int(not blockers), 1, tuple(blockers))


_NO_CERTIFICATE = Blocker(
    code=_CERTIFICATE,
    message=LocalizedText(
        en="certificate_valid: no certificate recorded (record it with "
        "`isms-flow certificate record PROJECT NUMBER --issued YYYY-MM-DD`)",
        ja=f"{_CERTIFICATE_JA}: 認証書が記録されていません"
        "（`isms-flow certificate record PROJECT NUMBER --issued YYYY-MM-DD` で記録）",
    ),
)


def _name(certificate: Certificate) -> str:
    return f"{certificate.number or '(no number)'} ({certificate.body or '?'})"


def _incomplete(certificate: Certificate) -> Blocker:
    missing = certificate.missing_fields
    return Blocker(
        code=_CERTIFICATE,
        message=LocalizedText(
            en=f"certificate_valid: certificate {_name(certificate)} lacks: {', '.join(missing)}",
            ja=f"{_CERTIFICATE_JA}: 認証書 {_name(certificate)} に記載がない項目: "
            f"{'、'.join(missing)}",
        ),
        items=missing,
    )


def _not_yet_issued(certificate: Certificate) -> Blocker:
    issued = certificate.issued_on.isoformat()
    return Blocker(
        code=_CERTIFICATE,
        message=LocalizedText(
            en=f"certificate_valid: certificate {_name(certificate)} is dated {issued}, "
            "after today",
            ja=f"{_CERTIFICATE_JA}: 認証書 {_name(certificate)} の発行日{issued}は今日より後です",
        ),
        items=(certificate.number,),
    )


def _expired(certificate: Certificate) -> Blocker:
    expired = certificate.expires_on.isoformat()
    return Blocker(
        code=_CERTIFICATE,
        message=LocalizedText(
            en=f"certificate_valid: certificate {_name(certificate)} is past its expiry date "
            f"{expired}; record the renewed certificate",
            ja=f"{_CERTIFICATE_JA}: 認証書 {_name(certificate)} は有効期限（{expired}）を"
            "過ぎています。更新後の認証書を記録してください",
        ),
        items=(certificate.number,),
    )
