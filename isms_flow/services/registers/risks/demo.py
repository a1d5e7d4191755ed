"""The demo's risk register: a small Japanese SaaS developer (about 50 people, production on
AWS Tokyo, a leased office floor), assessed asset by asset as Japanese practice does it
(情報資産台帳 → 脅威・脆弱性 → リスク値), imported from the consultant's CSV files, and the
residual risks above the acceptance level accepted by their owners."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from isms_flow.bootstrap import App
from isms_flow.i18n import Language
from isms_flow.isms.risk import DEFAULT_LEVELS, DEFAULT_THRESHOLD
from isms_flow.services.demo import DemoStep
from isms_flow.services.registers.risks.acceptance import accept_risk
from isms_flow.services.registers.risks.assets import set_method
from isms_flow.services.registers.risks.files import import_register
from isms_flow.services.registers.risks.listing import list_risks, risk_heatmap

if TYPE_CHECKING:
    from isms_flow.workflow.requirements import Requirement

__all__ = ["fill_risks"]

_ASSESSOR = "sato.isms"  # the ISMS manager runs the assessment with the asset owners

_ASSETS: Sequence[tuple[str, str, str, int, int, int, str]] = (
    ("A-001", "顧客データベース (Customer database)", "suzuki.it", 3, 3, 3,
     "Amazon RDS for PostgreSQL: accounts and usage data of about 1,200 client companies"),
    ("A-002", "SaaSのソースコード (SaaS source code)", "takahashi.dev", 3, 3, 2,
     "GitHub organization, 38 repositories, CI/CD pipelines"),
    ("A-003", "業務用ノートPC (Staff laptops)", "suzuki.it", 3, 2, 2,
     "52 managed MacBooks, used in the office and at home"),
    ("A-004", "AWS本番アカウント (AWS production account)", "suzuki.it", 3, 3, 3,
     "Tokyo region, multi-AZ; IAM Identity Center"),
    ("A-005", "人事ファイル (HR files)", "watanabe.hr", 3, 2, 1,
     "Employment contracts, payroll and My Number records"),
    ("A-006", "Google Workspace", "sato.isms", 3, 2, 2,
     "Mail, Drive and calendars of every employee"),
    ("A-007", "バックアップ (Backups)", "suzuki.it", 3, 3, 2,
     "AWS Backup snapshots of production, 35-day retention"),
    ("A-008", "契約書・請求書 (Contracts and invoices)", "tanaka.ceo", 2, 3, 1,
     "Signed customer contracts (paper archive) and invoices in freee"),
)  # fmt: skip

# key, asset, threat, vulnerability, owner, (likelihood, impact), treatment, controls,
# treatment owner, due in days, residual (likelihood, impact) — on the default 5 × 5 method.
_RiskLine = tuple[
    str, str, str, str, str, tuple[int, int], str, str, str, int, tuple[int, int] | None
]
_RISKS: Sequence[_RiskLine] = (
    ("R-001", "A-001", "不正アクセスによる顧客個人情報の漏えい (Customer personal data leaked "
     "through unauthorised access)", "Database admin accounts usable without MFA",
     "suzuki.it", (4, 5), "modify", "5.15;5.17;8.5", "suzuki.it", 45, (2, 5)),
    ("R-002", "A-001", "ランサムウェアによる本番データの暗号化 (Ransomware encrypts production "
     "data)", "Backups kept in the same AWS account as production", "suzuki.it", (3, 5),
     "modify", "8.7;8.13", "suzuki.it", 60, (2, 3)),
    ("R-003", "A-002", "ソースコードの外部流出 (Source code leaked through a personal account)",
     "Personal GitHub accounts used for work; no secret scanning", "takahashi.dev", (3, 4),
     "modify", "5.15;8.4;8.12", "takahashi.dev", 60, (2, 3)),
    ("R-004", "A-002", "脆弱なコードの本番リリース (Vulnerable code released to production)",
     "No static analysis in CI; code review optional", "takahashi.dev", (4, 4), "modify",
     "8.25;8.28;8.29", "takahashi.dev", 90, (2, 4)),
    ("R-005", "A-003", "ノートPCの紛失・盗難 (Laptop lost or stolen on the way home)",
     "Local copies of customer exports on laptops", "suzuki.it", (4, 3), "modify",
     "7.9;8.1;8.24", "suzuki.it", 30, (2, 2)),
    ("R-006", "A-003", "フィッシングメールによるマルウェア感染 (Malware from a phishing email)",
     "Staff not trained to spot phishing; Office macros allowed", "sato.isms", (4, 3),
     "modify", "6.3;8.7", "sato.isms", 60, (3, 2)),
    ("R-007", "A-004", "AWSルートアカウントの乗っ取り (Takeover of the AWS root account)",
     "Root credentials shared by two engineers", "suzuki.it", (2, 5), "modify",
     "5.17;8.2;8.15", "suzuki.it", 14, (1, 5)),
    ("R-008", "A-004", "クラウド障害による長時間のサービス停止 (Long outage of the AWS Tokyo "
     "region)", "Single-region deployment", "tanaka.ceo", (2, 4), "share", "5.23;5.30",
     "tanaka.ceo", 120, (2, 3)),
    ("R-009", "A-005", "人事情報の不正閲覧 (HR files incl. My Number viewed without need)",
     "Shared folder readable by the whole General Affairs team", "watanabe.hr", (3, 4),
     "modify", "5.15;5.34;8.3", "watanabe.hr", 30, (1, 4)),
    ("R-010", "A-006", "メールの誤送信 (Email with customer data sent to the wrong "
     "recipient)", "Address autocomplete; no delay before sending", "sato.isms", (3, 2),
     "modify", "6.3;8.12", "sato.isms", 45, (2, 2)),
    ("R-011", "A-007", "バックアップからの復元失敗 (Restore from backup fails when needed)",
     "Restores have never been tested", "suzuki.it", (3, 4), "modify", "5.30;8.13",
     "suzuki.it", 75, (2, 4)),
    ("R-012", "A-008", "紙の契約書の紛失 (Paper contracts lost or damaged)",
     "Archive in an unlocked cabinet", "tanaka.ceo", (2, 2), "retain", "", "", 0, None),
    ("R-013", "A-006", "退職者アカウントの放置 (Accounts of leavers left active)",
     "No leaver checklist shared between HR and IT", "watanabe.hr", (2, 3), "modify",
     "5.18;6.5", "watanabe.hr", 30, (1, 3)),
    ("R-014", "A-003", "USBメモリによる顧客データの持ち出し (Customer data carried out on USB "
     "sticks)", "USB storage allowed on laptops", "suzuki.it", (3, 4), "avoid", "7.10;8.12",
     "suzuki.it", 21, (1, 4)),
    ("R-015", "", "大地震による東京オフィスの被災 (Major earthquake disables the Tokyo office)",
     "One office; most staff within its commuting area", "tanaka.ceo", (2, 4), "retain", "",
     "", 0, None),
)  # fmt: skip


def fill_risks(
    app: App, ref: str, requirement: Requirement, folder: Path, lang: Language
) -> Iterator[DemoStep]:
    """Set the method, import the asset inventory and the risks, and let the owners accept."""
    if list_risks(app, ref=ref, lang=lang).total:
        return  # filled for an earlier risk requirement of the same stage
    method = set_method(
        app,
        ref=ref,
        likelihood_levels=DEFAULT_LEVELS,
        impact_levels=DEFAULT_LEVELS,
        acceptance_threshold=DEFAULT_THRESHOLD,
        actor=_ASSESSOR,
        lang=lang,
    )
    yield DemoStep("evidence", f"risk method set: {method.description}")
    assets = import_register(
        app, ref=ref, kind="assets", file=_assets_file(folder), actor=_ASSESSOR
    )
    yield DemoStep(
        "evidence",
        f"asset inventory imported from {assets.file}: {len(assets.added)} assets",
        tuple(f"{a[0]} {a[1]} — owner {a[2]}, C{a[3]} I{a[4]} A{a[5]}" for a in _ASSETS),
    )
    today = app.clock.now().date()
    risks = import_register(
        app, ref=ref, kind="risks", file=_risks_file(folder, today), actor=_ASSESSOR
    )
    inherent = risk_heatmap(app, ref=ref, lang=lang)
    above = sum(c.count for row in inherent.rows for c in row if not c.acceptable)
    yield DemoStep(
        "evidence",
        f"risk register imported from {risks.file}: {len(risks.added)} risks scored, "
        f"{above} above the acceptance level {method.acceptance_threshold}, each with a treatment",
        tuple(_describe(r) for r in _RISKS),
    )
    for view in list_risks(app, ref=ref, flag="acceptance-missing", lang=lang).risks:
        accepted = accept_risk(app, ref=ref, key=view.key, actor=view.owner, lang=lang)
        yield DemoStep(
            "approval",
            f"{accepted.risk.accepted_by} accepted the residual risk of {view.key} "
            f"at rating {accepted.risk.accepted_rating}",
        )


def _describe(risk: _RiskLine) -> str:
    key, _, threat, _, owner, (likelihood, impact), option, controls, _, _, residual = risk
    after = f" → {residual[0]}×{residual[1]}={residual[0] * residual[1]}" if residual else ""
    chosen = f" [{controls.replace(';', ', ')}]" if controls else ""
    return (
        f"{key} {threat.split(' (')[0]}: {likelihood}×{impact}={likelihood * impact}, "
        f"{option}{chosen}{after} (owner {owner})"
    )


def _assets_file(folder: Path) -> Path:
    path = folder / "information-asset-inventory.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["key", "name", "owner", "confidentiality", "integrity", "availability", "description"]
        )
        writer.writerows(_ASSETS)
    return path


def _risks_file(folder: Path, today: date) -> Path:
    path = folder / "risk-register.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "key", "asset", "threat", "vulnerability", "owner", "likelihood", "impact",
                "treatment", "controls", "treatment_owner", "treatment_due",
                "residual_likelihood", "residual_impact",
            ]
        )  # fmt: skip
        for (
            key,
            asset,
            threat,
            vulnerability,
            owner,
            score,
            option,
            controls,
            by,
            days,
            left,
        ) in _RISKS:
            due = (today + timedelta(days=days)).isoformat() if days else ""
            writer.writerow(
                [
                    key, asset, threat, vulnerability, owner, *score, option, controls, by, due,
                    *(left or ("", "")),
                ]
            )  # fmt: skip
    return path
