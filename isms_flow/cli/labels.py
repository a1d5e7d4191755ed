"""Bilingual labels of the command line's own tables and messages."""

from __future__ import annotations

from isms_flow.i18n import Language, LocalizedText

__all__ = ["label"]

_L = LocalizedText

_LABELS: dict[str, LocalizedText] = {
    "actor": _L(en="Actor", ja="実施者"),
    "approvals": _L(en="Approvals", ja="承認"),
    "at": _L(en="At", ja="日時"),
    "blocked": _L(en="blocked", ja="ブロック中"),
    "blockers": _L(en="What is missing", ja="不足しているもの"),
    "client": _L(en="Client", ja="クライアント"),
    "dest": _L(en="Goes to", ja="遷移先"),
    "effective": _L(en="Effective", ja="対象日"),
    "event": _L(en="Event", ja="イベント"),
    "evidence": _L(en="Evidence", ja="証跡"),
    "file": _L(en="File", ja="ファイル"),
    "id": _L(en="ID", ja="ID"),
    "kind": _L(en="Kind", ja="種類"),
    "key": _L(en="Key", ja="キー"),
    "language": _L(en="Language", ja="言語"),
    "met": _L(en="met", ja="充足"),
    "missing": _L(en="missing", ja="不足"),
    "name": _L(en="Name", ja="名前"),
    "no_requirements": _L(en="This stage has no requirements.", ja="この段階に要件はありません。"),
    "open": _L(en="open", ja="実行可"),
    "override": _L(en="Override", ja="オーバーライド"),
    "pending_overrides": _L(en="Overrides waiting for approval", ja="承認待ちのオーバーライド"),
    "project": _L(en="Project", ja="プロジェクト"),
    "projects": _L(en="Projects", ja="プロジェクト数"),
    "reason": _L(en="Reason", ja="理由"),
    "requested_by": _L(en="Requested by", ja="申請者"),
    "requirement": _L(en="Requirement", ja="要件"),
    "requirements": _L(en="Requirements of this stage", ja="この段階の要件"),
    "scope": _L(en="Scope", ja="適用範囲"),
    "seq": _L(en="#", ja="#"),
    "stage": _L(en="Stage", ja="段階"),
    "state": _L(en="State", ja="状態"),
    "status": _L(en="Status", ja="状況"),
    "summary": _L(en="Summary", ja="内容"),
    "timezone": _L(en="Time zone", ja="タイムゾーン"),
    # audits and findings (isms-flow audits …)
    "audits_added": _L(
        en="audit {key} ({kind_title}) recorded: {started_on} – {ended_on}, auditor {auditor}",
        ja="監査 {key}（{kind_title}）を記録しました: {started_on}〜{ended_on}、監査員 {auditor}",
    ),
    "audits_all_controls": _L(
        en="The SoA marks no control applicable (yet): every Annex A control is expected.",
        ja="適用宣言書で適用とされた管理策がない（未作成）ため、すべての附属書A管理策を対象とします。",
    ),
    "audits_applicable": _L(en="Applicable", ja="適用"),
    "audits_areas": _L(en="Areas audited", ja="監査対象"),
    "audits_audit": _L(en="Audit", ja="監査"),
    "audits_audited": _L(en="Audited", ja="監査済み"),
    "audits_auditor": _L(en="Auditor (department)", ja="監査員（所属）"),
    "audits_clause": _L(en="Clause", ja="箇条"),
    "audits_clauses": _L(en="Clauses", ja="箇条"),
    "audits_closed": _L(en="{key} closed", ja="{key} を完了しました"),
    "audits_complete": _L(
        en="Every clause 4–10 and every applicable Annex A control was audited.",
        ja="箇条4〜10と適用されるすべての附属書A管理策を監査済みです。",
    ),
    "audits_controls": _L(en="Annex A controls", ja="附属書A管理策"),
    "audits_corrected": _L(en="{key} marked corrected", ja="{key} を是正済みにしました"),
    "audits_coverage": _L(
        en="Internal audits {since} – {as_of} ({within_months} months): {audits}",
        ja="{since}〜{as_of}（{within_months}か月）の内部監査: {audits}",
    ),
    "audits_covered_by": _L(en="Audited in", ja="監査した内部監査"),
    "audits_dates": _L(en="Dates", ja="実施日"),
    "audits_description": _L(en="Finding", ja="指摘内容"),
    "audits_due": _L(en="Due", ja="期限"),
    "audits_finding_added": _L(
        en="finding {key} ({grade_title}) raised in {audit}",
        ja="指摘 {key}（{grade_title}）を {audit} に記録しました",
    ),
    "audits_findings": _L(en="Findings (not closed)", ja="指摘（未完了）"),
    "audits_grade": _L(en="Grade", ja="区分"),
    "audits_no_audits": _L(en="No audits recorded yet.", ja="監査はまだ記録されていません。"),
    "audits_no_findings": _L(en="No findings match.", ja="該当する指摘はありません。"),
    "audits_not_audited": _L(en="Not audited", ja="未監査"),
    "audits_overdue": _L(en="overdue", ja="期限超過"),
    "audits_owner": _L(en="Owner", ja="責任者"),
    "audits_plan": _L(en="Corrective action", ja="是正処置"),
    "audits_plan_accepted": _L(
        en="{key}: corrective action plan accepted by {plan_accepted_by}",
        ja="{key}: 是正処置計画を {plan_accepted_by} が承認しました",
    ),
    "audits_planned": _L(en="planned", ja="予定"),
    "audits_theme": _L(en="Annex A theme", ja="附属書Aのテーマ"),
    "audits_updated": _L(en="{key} updated", ja="{key} を更新しました"),
    "audits_verified": _L(
        en="{key}: effectiveness verified by {verified_by}",
        ja="{key}: {verified_by} が有効性を確認しました",
    ),
    # risk register (isms-flow risks …)
    "risks_above": _L(
        en="{count} risk(s) above the acceptance level: {keys}",
        ja="受容基準を超えるリスク{count}件: {keys}",
    ),
    "risks_acceptable": _L(en="Acceptable", ja="受容可否"),
    "risks_accepted_by": _L(
        en="accepted by {accepted_by} at {accepted_rating}",
        ja="{accepted_by}が評価値{accepted_rating}で受容",
    ),
    "risks_asset_added": _L(
        en="asset {key} added: {name} (owner {owner}, {cia})",
        ja="資産 {key} を登録しました: {name}（管理者 {owner}、{cia}）",
    ),
    "risks_asset_updated": _L(
        en="asset {key} updated: {name} (owner {owner}, {cia})",
        ja="資産 {key} を更新しました: {name}（管理者 {owner}、{cia}）",
    ),
    "risks_cia": _L(en="C/I/A", ja="機密性/完全性/可用性"),
    "risks_description": _L(en="Description", ja="説明"),
    "risks_done_accept": _L(
        en="{accepted_by} accepted the residual risk of {key} at rating {accepted_rating}",
        ja="{accepted_by}が{key}の残留リスクを評価値{accepted_rating}で受容しました",
    ),
    "risks_done_add": _L(
        en="risk {key} added: {threat} (owner {owner}, score {score})",
        ja="リスク {key} を登録しました: {threat}（所有者 {owner}、評価 {score}）",
    ),
    "risks_done_residual": _L(
        en="{key} residual risk: {residual} (before treatment {score})",
        ja="{key} の残留リスク: {residual}（対応前 {score}）",
    ),
    "risks_done_score": _L(en="{key} scored {score}", ja="{key} を評価しました: {score}"),
    "risks_done_treat": _L(
        en="{key} treatment: {treatment_title}, controls {controls}",
        ja="{key} のリスク対応: {treatment_title}、管理策 {controls}",
    ),
    "risks_done_update": _L(
        en="risk {key} updated: {threat} (owner {owner})",
        ja="リスク {key} を更新しました: {threat}（所有者 {owner}）",
    ),
    "risks_exported": _L(
        en="{rows} {kind} of {project} written to {file}",
        ja="{project}の{kind} {rows}件を{file}に書き出しました",
    ),
    "risks_filtered": _L(en="showing only: {filters}", ja="絞り込み: {filters}"),
    "risks_flags": _L(en="Still to do", ja="未対応"),
    "risks_heading": _L(
        en="Risk register of {project} — method {method}",
        ja="{project}のリスク台帳 — 評価手法 {method}",
    ),
    "risks_heatmap": _L(
        en="Risk heat map of {project}: {placed} risk(s) by likelihood × impact before treatment",
        ja="{project}のリスクマップ: 対応前の発生可能性×影響度によるリスク{placed}件",
    ),
    "risks_heatmap_residual": _L(
        en="Residual risk heat map of {project}: {placed} risk(s) after treatment",
        ja="{project}の残留リスクマップ: 対応後のリスク{placed}件",
    ),
    "risks_heatmap_threshold": _L(
        en="acceptable up to rating {acceptance_threshold}",
        ja="評価値{acceptance_threshold}まで受容可",
    ),
    "risks_heatmap_unplaced": _L(
        en="not in the matrix (no score of this kind yet): {keys}",
        ja="マップにないリスク（該当する評価が未実施）: {keys}",
    ),
    "risks_imported": _L(
        en="{file}: {added} added, {changed} changed, {unchanged} unchanged ({kind})",
        ja="{file}: 追加{added}件、変更{changed}件、変更なし{unchanged}件（{kind}）",
    ),
    "risks_imported_stale": _L(
        en="re-scored or re-assigned, so their owners must accept them again: {keys}",
        ja="再評価または所有者の変更により、所有者による再受容が必要: {keys}",
    ),
    "risks_level": _L(en="Level", ja="レベル"),
    "risks_likelihood_impact": _L(en="Likelihood ↓ / Impact →", ja="発生可能性↓ / 影響度→"),
    "risks_method_default": _L(
        en="(the default; set it with `isms-flow risks method PROJECT --threshold N`)",
        ja="（既定値。`isms-flow risks method PROJECT --threshold N` で設定）",
    ),
    "risks_method_heading": _L(
        en="Risk method of {project}: likelihood 1–{likelihood_levels} × impact "
        "1–{impact_levels}, ratings up to {acceptance_threshold} acceptable",
        ja="{project}のリスク評価手法: 発生可能性1〜{likelihood_levels} × 影響度"
        "1〜{impact_levels}、評価値{acceptance_threshold}まで受容可",
    ),
    "risks_method_set": _L(
        en="risk method of {project} set to {description}; no risk was re-scored",
        ja="{project}のリスク評価手法を{description}に設定しました（既存の評価は変更していません）",
    ),
    "risks_no_assets": _L(
        en="No assets yet: add them with `isms-flow risks asset-add` or "
        "`isms-flow risks import --assets`.",
        ja="資産が未登録です。`isms-flow risks asset-add` または "
        "`isms-flow risks import --assets` で登録してください。",
    ),
    "risks_none": _L(en="No risks to show.", ja="表示するリスクはありません。"),
    "risks_nothing_saved": _L(
        en="nothing changed, so nothing was saved",
        ja="変更がないため、何も保存していません",
    ),
    "risks_off_scale": _L(
        en="scored outside these scales, to be re-scored: {keys}",
        ja="この尺度の範囲外の評価値のため再評価が必要: {keys}",
    ),
    "risks_owner": _L(en="Owner", ja="所有者"),
    "risks_ratings": _L(en="Ratings", ja="評価値"),
    "risks_residual": _L(en="Residual risk", ja="残留リスク"),
    "risks_risk": _L(en="Risk", ja="リスク"),
    "risks_risks": _L(en="Risks", ja="リスク"),
    "risks_score": _L(en="L × I", ja="発生可能性×影響度"),
    "risks_stale": _L(en="stale: renew", ja="古い: 再受容が必要"),
    "risks_still": _L(en="still to do:", ja="未対応:"),
    "risks_threat": _L(en="Threat / vulnerability", ja="脅威 / 脆弱性"),
    "risks_treat": _L(en="no: treat", ja="不可: 要対応"),
    "risks_treatment": _L(en="Treatment", ja="リスク対応"),
    "risks_yes": _L(en="yes", ja="可"),
    # training (isms-flow training …)
    "training_checking": _L(en="Checking rows of", ja="行を検査中:"),
    "training_completed": _L(en="Completed", ja="受講日"),
    "training_course": _L(en="Course", ja="コース"),
    "training_course_added": _L(
        en="course '{key}' added: {title}, valid {months} months",
        ja="コース「{key}」を追加しました: {title}（有効期間{months}か月）",
    ),
    "training_covered": _L(en="Covered", ja="受講済み"),
    "training_department": _L(en="Department", ja="部署"),
    "training_employee": _L(en="Employee ID", ja="社員番号"),
    "training_imported_completions": _L(
        en="{file}: {rows} rows, {added} recorded, {unchanged} already recorded",
        ja="{file}: {rows}行（新規登録{added}件、登録済み{unchanged}件）",
    ),
    "training_imported_staff": _L(
        en="{file}: {rows} rows, {added} added, {updated} updated, {unchanged} unchanged",
        ja="{file}: {rows}行（追加{added}名、更新{updated}名、変更なし{unchanged}名）",
    ),
    "training_in_scope": _L(en="In scope", ja="適用範囲内"),
    "training_joined": _L(en="Joined", ja="入社日"),
    "training_last": _L(en="Last completion → valid until", ja="最終受講 → 有効期限"),
    "training_left": _L(en="Left", ja="退職日"),
    "training_missing": _L(
        en="In scope without a current completion", ja="有効な受講記録がない適用範囲内の要員"
    ),
    "training_none_missing": _L(
        en="Everyone in scope has a current completion.",
        ja="適用範囲内の全員に有効な受講記録があります。",
    ),
    "training_nothing_saved": _L(
        en="nothing differed from the register: nothing saved, no event recorded",
        ja="登録内容との差分がないため、保存も履歴への記録もしていません",
    ),
    "training_recorded": _L(
        en="{employee_id} {name} completed '{course}' on {completed_on}; "
        "it counts until {valid_until}",
        ja="{employee_id} {name} が{completed_on}に「{course}」を受講（{valid_until}まで有効）",
    ),
    "training_role": _L(en="Role", ja="役割"),
    "training_staff_added": _L(
        en="{employee_id} {name} ({department}) added to the roster",
        ja="{employee_id} {name}（{department}）を名簿に追加しました",
    ),
    "training_staff_updated": _L(
        en="{employee_id} {name} ({department}) updated",
        ja="{employee_id} {name}（{department}）を更新しました",
    ),
    "training_summary": _L(
        en="training coverage on {as_of}: {covered}/{in_scope} in-scope staff ({percent}%)",
        ja="{as_of}時点の教育訓練: 適用範囲内の要員{in_scope}名中{covered}名が受講済み"
        "（{percent}%）",
    ),
    "training_validity": _L(en="Valid (months)", ja="有効期間（月）"),
    "title": _L(en="Title", ja="タイトル"),
    "trigger": _L(en="Trigger", ja="トリガー"),
    "triggers": _L(en="What can happen next", ja="次に実行できること"),
    "valid_until": _L(en="Valid until", ja="有効期限"),
    "version": _L(en="Version", ja="版"),
    "workflow": _L(en="Workflow", ja="ワークフロー"),
    "final": _L(en="final", ja="最終"),
    "expired": _L(en="expired", ja="期限切れ"),
    "workflow_changed": _L(
        en="warning: the workflow file of this version changed since the project started; "
        "publish changed rules as a new version",
        ja="注意: プロジェクト開始後にこの版のワークフローファイルが変更されました。"
        "規則を変える場合は新しい版として公開してください",
    ),
    # statement of applicability (isms-flow soa …)
    "soa_applicable": _L(en="applicable", ja="適用"),
    "soa_excluded": _L(en="excluded", ja="除外"),
    "soa_undecided": _L(en="undecided", ja="未決定"),
    "soa_control": _L(en="Control", ja="管理策"),
    "soa_title": _L(en="Title", ja="名称"),
    "soa_verdict": _L(en="Applicable", ja="適用可否"),
    "soa_status": _L(en="Implementation", ja="実施状況"),
    "soa_justification": _L(en="Justification", ja="理由"),
    "soa_risks": _L(en="Risks", ja="リスク"),
    "soa_evidence": _L(en="Evidence", ja="証跡"),
    "soa_chosen": _L(en="(chosen in a risk treatment)", ja="（リスク対応で選択）"),
    "soa_heading": _L(
        en="Statement of Applicability of {project} ({client}) — {edition} Annex A, as of {as_of}",
        ja="{project}（{client}）の適用宣言書 — {edition} 附属書A、{as_of}時点",
    ),
    "soa_summary": _L(
        en="{applicable} applicable ({implemented} implemented, {partial} partial, "
        "{planned} planned), {excluded} excluded, {undecided} undecided",
        ja="適用 {applicable}（実施済み {implemented}、一部実施 {partial}、計画中 {planned}）、"
        "除外 {excluded}、未決定 {undecided}",
    ),
    "soa_complete": _L(
        en="complete: every control decided and justified",
        ja="完了: すべての管理策が理由とともに決定されています",
    ),
    "soa_risks_unchecked": _L(
        en="no risk register is installed: controls chosen in risk treatments were not checked",
        ja="リスク登録簿がないため、リスク対応で選んだ管理策は確認していません",
    ),
    "soa_no_rows": _L(en="No control matches the filter.", ja="条件に合う管理策はありません。"),
    "soa_initialised": _L(
        en="SoA of {project}: {added} Annex A controls added as undecided; {decided}/{total} "
        "decided",
        ja="{project}の適用宣言書: 附属書A管理策{added}項目を未決定として追加しました。"
        "決定済み {decided}/{total}",
    ),
    "soa_already_initialised": _L(
        en="SoA of {project} already lists all {total} controls ({decided}/{total} decided); "
        "nothing changed",
        ja="{project}の適用宣言書には既に全{total}項目があります（決定済み {decided}/{total}）。"
        "変更はありません",
    ),
    "soa_decided": _L(
        en="{count} control(s) marked {verdict} in the SoA of {project}: {controls} "
        "({decided}/{total} decided)",
        ja="{project}の適用宣言書で{count}項目を「{verdict}」にしました: {controls}"
        "（決定済み {decided}/{total}）",
    ),
    "soa_unchanged": _L(
        en="already decided so, unchanged: {controls}",
        ja="既に同じ決定のため変更なし: {controls}",
    ),
    "soa_imported": _L(
        en="{file}: {changed} control(s) changed, {unchanged} unchanged, {skipped} row(s) "
        "without a decision skipped; SoA {decided}/{total} decided",
        ja="{file}: {changed}項目を変更、{unchanged}項目は変更なし、決定のない{skipped}行は"
        "スキップ。適用宣言書 決定済み {decided}/{total}",
    ),
    "soa_nothing_saved": _L(
        en="nothing changed, so nothing was saved",
        ja="変更がないため、何も保存していません",
    ),
    "soa_exported": _L(
        en="SoA of {project} written to {file} ({rows} controls, {decided}/{total} decided)",
        ja="{project}の適用宣言書を{file}に書き出しました"
        "（{rows}項目、決定済み {decided}/{total}）",
    ),
    # management reviews, certification body quotes, certificate (review / quotes / certificate)
    "review_recorded": _L(
        en="management review #{id} of {held_on} recorded: {attendees} attendees ({top} from "
        "top management), {inputs}/7 inputs of 9.3.2 considered, {decisions} decision(s)",
        ja="マネジメントレビュー #{id}（{held_on}）を記録しました: 出席者{attendees}名（うち"
        "トップマネジメント{top}名）、9.3.2の入力 {inputs}/7 項目を検討、決定{decisions}件",
    ),
    "review_not_considered": _L(
        en="9.3.2 inputs not considered: {inputs}", ja="検討していない9.3.2の入力: {inputs}"
    ),
    "review_no_top": _L(
        en="no one from top management attended", ja="トップマネジメントが出席していません"
    ),
    "review_no_decisions": _L(
        en="no decisions on improvement or changes recorded (9.3.3)",
        ja="改善や変更に関する決定が記録されていません（9.3.3）",
    ),
    "review_none": _L(
        en="No management review recorded yet.", ja="マネジメントレビューはまだ記録されていません。"
    ),
    "review_held_on": _L(en="Held on", ja="実施日"),
    "review_attendees": _L(en="Attendees", ja="出席者"),
    "review_top": _L(en="top management", ja="トップマネジメント"),
    "review_inputs": _L(en="9.3.2 inputs", ja="9.3.2の入力"),
    "review_item": _L(en="Item", ja="項目"),
    "review_input": _L(en="Input", ja="入力"),
    "review_notes": _L(en="Notes", ja="記録"),
    "review_missing": _L(en="not considered", ja="未検討"),
    "review_decisions": _L(en="Decisions (9.3.3)", ja="決定事項（9.3.3）"),
    "review_decision": _L(en="Decision", ja="決定事項"),
    "review_kind": _L(en="Kind", ja="種類"),
    "review_owner": _L(en="Owner", ja="担当者"),
    "review_due": _L(en="Due", ja="期限"),
    "quotes_added": _L(
        en="quote #{id} from {body} ({accreditation}) recorded: {days} audit days, {price}",
        ja="{body}（{accreditation}）の見積り #{id} を記録しました: 審査工数{days}人日、{price}",
    ),
    "quotes_selected": _L(
        en="{body} (quote #{id}) selected: {reason}",
        ja="{body}（見積り #{id}）を選定しました: {reason}",
    ),
    "quotes_unselected": _L(
        en="{body} (quote #{id}) is no longer selected",
        ja="{body}（見積り #{id}）の選定を取り消しました",
    ),
    "quotes_none": _L(en="No quotes recorded yet.", ja="見積りはまだ記録されていません。"),
    "quotes_body": _L(en="Certification body", ja="認証機関"),
    "quotes_accreditation": _L(en="Accreditation", ja="認定機関"),
    "quotes_days": _L(en="Audit days", ja="審査工数（人日）"),
    "quotes_chart": _L(en="27006 chart", ja="27006の目安"),
    "quotes_cost": _L(en="Cost", ja="費用"),
    "quotes_per_day": _L(en="Per audit day", ja="1人日あたり"),
    "quotes_vs_others": _L(en="vs others", ja="他社比"),
    "quotes_quoted_on": _L(en="Quoted on", ja="見積日"),
    "quotes_selected_col": _L(en="Selected", ja="選定"),
    "quotes_why": _L(en="Why it stands out", ja="目立つ点"),
    "quotes_headcount": _L(
        en="{headcount} persons in scope ({source}) → ISO/IEC 27006 chart: {days} audit days "
        "(Stage 1 + Stage 2, before complexity adjustments)",
        ja="適用範囲内の人数{headcount}名（{source}）→ ISO/IEC 27006の目安: {days}人日"
        "（第1段階＋第2段階、複雑さによる調整前）",
    ),
    "quotes_from_staff": _L(en="in-scope staff on the roster", ja="名簿上の適用範囲内の要員"),
    "quotes_given": _L(en="as given", ja="指定値"),
    "quotes_outliers": _L(en="{count} outlier(s)", ja="外れ値 {count}件"),
    "certificate_recorded": _L(
        en="certificate {number} recorded: issued by {body} on {issued_on}, expires {expires_on}",
        ja="認証書 {number} を記録しました: {body}が{issued_on}に発行、有効期限{expires_on}",
    ),
    "certificate_none": _L(
        en="No certificate recorded yet.", ja="認証書はまだ記録されていません。"
    ),
    "certificate_number": _L(en="Certificate number", ja="認証登録番号"),
    "certificate_body": _L(en="Certification body", ja="認証機関"),
    "certificate_scope": _L(en="Scope", ja="認証範囲"),
    "certificate_standard": _L(en="Standard", ja="規格"),
    "certificate_issued": _L(en="Issued", ja="発行日"),
    "certificate_expires": _L(en="Expires", ja="有効期限"),
    "certificate_expiry_reason": _L(en="Expiry reason", ja="有効期限の理由"),
    "certificate_valid_days": _L(en="valid, {days} days left", ja="有効（残り{days}日）"),
    "certificate_expired": _L(en="expired", ja="期限切れ"),
    "certificate_earlier": _L(en="Earlier certificates", ja="以前の認証書"),
    # notification recipients (isms-flow recipients …)
    "recipients_added": _L(
        en="{channel} recipient #{id} {address} added for client {client} as {role} "
        "(language: {language})",
        ja="クライアント {client} の{channel}通知先 #{id} {address} を{role}として追加しました"
        "（言語: {language}）",
    ),
    "recipients_secret_once": _L(
        en="Webhook secret, shown only now: give it to the receiver to verify the signatures.",
        ja="Webhookのシークレットです。表示は今回限りです。署名の検証用に受信側へ渡してください。",
    ),
    "recipients_secret_given": _L(
        en="Deliveries are signed with the secret given (fingerprint {fingerprint}).",
        ja="指定されたシークレット（フィンガープリント {fingerprint}）で署名して送信します。",
    ),
    "recipients_removed": _L(
        en="recipient #{id} ({channel} {address}, {role}) removed",
        ja="通知先 #{id}（{channel} {address}、{role}）を削除しました",
    ),
    "recipients_none": _L(
        en="Client {client} has no notification recipients yet: reminders go to the log only "
        "(add one with `isms-flow recipients add {client} --email ADDRESS --role ROLE`).",
        ja="クライアント {client} には通知先がまだありません。リマインダーはログにのみ出力されます"
        "（`isms-flow recipients add {client} --email ADDRESS --role ROLE` で追加）。",
    ),
    "recipients_client_language": _L(
        en="client's ({language})", ja="クライアントに従う（{language}）"
    ),
    "recipients_channel": _L(en="Channel", ja="チャネル"),
    "recipients_address": _L(en="Address", ja="宛先"),
    "recipients_role": _L(en="Role", ja="役割"),
    "recipients_secret": _L(en="Secret (fingerprint)", ja="シークレット（フィンガープリント）"),
    "recipients_added_by": _L(en="Added by", ja="追加者"),
    "recipients_added_at": _L(en="Added", ja="追加日時"),
    # the scheduler and its notifications (isms-flow scheduler run, isms-flow notifications)
    "scheduler_started": _L(
        en="scheduler {worker} started: delivering every {interval} s (Ctrl-C or SIGTERM stops it)",
        ja="スケジューラ {worker} を開始しました: {interval}秒ごとに配信します"
        "（Ctrl-C または SIGTERM で停止）",
    ),
    "scheduler_stopped": _L(en="scheduler stopped", ja="スケジューラを停止しました"),
    "scheduler_tick": _L(
        en="tick at {at}: {sent} sent, {retried} to retry, {failed} failed, {cancelled} cancelled",
        ja="{at} の配信: 送信 {sent}件、再試行待ち {retried}件、失敗 {failed}件、"
        "取消し {cancelled}件",
    ),
    "notifications_status_sent": _L(en="sent", ja="送信済み"),
    "notifications_status_pending": _L(en="pending", ja="送信待ち"),
    "notifications_status_sending": _L(en="sending", ja="送信中"),
    "notifications_status_failed": _L(en="failed", ja="失敗"),
    "notifications_status_cancelled": _L(en="cancelled", ja="取消し"),
    "notifications_status_lost": _L(en="taken over", ja="他の配信処理が引継ぎ"),
    "notifications_overdue": _L(en="overdue", ja="期限超過"),
    "notifications_days_before": _L(en="{days} days before", ja="{days}日前"),
    "notifications_due_on": _L(en="due {due}", ja="期限 {due}"),
    "notifications_recipients": _L(en="to {count}", ja="宛先 {count}件"),
    "notifications_late": _L(en="late", ja="遅延"),
    "notifications_escalation_fired": _L(
        en="workflow trigger fired", ja="ワークフローのトリガーを実行"
    ),
    "notifications_escalation_not_applicable": _L(
        en="trigger not applicable in the current stage", ja="現在の段階ではトリガー対象外"
    ),
    "notifications_escalation_escalated": _L(en="escalated", ja="エスカレーション"),
    "notifications_escalation_none": _L(en="marked overdue", ja="期限超過として記録"),
    "notifications_deadline": _L(en="Deadline", ja="期限"),
    "notifications_when": _L(en="When", ja="時期"),
    "notifications_channel": _L(en="Channel", ja="チャネル"),
    "notifications_fires": _L(en="Sent / next try", ja="送信日時／次回"),
    "notifications_attempts": _L(en="Attempts", ja="試行回数"),
    "notifications_last_error": _L(en="Last error", ja="直近のエラー"),
    "notifications_none": _L(en="No notifications match.", ja="該当する通知はありません。"),
    "notifications_more": _L(
        en="… {more} more; narrow with --project, --failed or --pending, or raise --limit",
        ja="…ほか {more}件。--project、--failed、--pending で絞り込むか --limit を増やしてください",
    ),
    "notifications_requeued": _L(
        en="notification #{id} requeued: the next tick delivers it",
        ja="通知 #{id} を再送待ちに戻しました。次回の配信で送信します",
    ),
    # deadlines, the calendar and reminder days (isms-flow deadlines, calendar, client reminders)
    "deadlines_title": _L(en="Deadlines — {scope}", ja="期限一覧 — {scope}"),
    "deadlines_none": _L(
        en="No open deadlines for {scope}.", ja="{scope} に未達成の期限はありません。"
    ),
    "deadlines_deadline": _L(en="Deadline", ja="期限の種類"),
    "deadlines_due": _L(en="Due", ja="期限日"),
    "deadlines_days_left": _L(en="Days left", ja="残り日数"),
    "deadlines_if_missed": _L(en="If missed", ja="期限超過時"),
    "deadlines_next_reminder": _L(en="Next reminder", ja="次のリマインダー"),
    "deadlines_escalate": _L(en="escalate", ja="エスカレーション"),
    "deadlines_status_open": _L(en="open", ja="未到来"),
    "deadlines_status_due_soon": _L(en="due soon", ja="期限間近"),
    "deadlines_status_overdue": _L(en="overdue", ja="期限超過"),
    "deadlines_status_met": _L(en="met", ja="達成"),
    "deadlines_status_cancelled": _L(en="cancelled", ja="取消"),
    "deadlines_reminders_title": _L(
        en="Reminder days of client {client} (days before the due date)",
        ja="クライアント {client} のリマインダー（期限日の何日前）",
    ),
    "deadlines_days": _L(en="Days before", ja="何日前"),
    "deadlines_source": _L(en="Set by", ja="設定元"),
    "deadlines_source_client": _L(en="client (this kind)", ja="クライアント（この種類）"),
    "deadlines_source_client_default": _L(en="client (every kind)", ja="クライアント（全種類）"),
    "deadlines_source_workflow": _L(en="workflow", ja="ワークフロー"),
    "calendar_written": _L(
        en="{events} deadline(s) of {scope} written to {file} with {alarms} reminder alarm(s)",
        ja="{scope} の期限 {events}件をリマインダー {alarms}件付きで {file} に書き出しました",
    ),
    # accounts: organizations, users, roles, API tokens (isms-flow org|user|token …)
    "accounts_org_added": _L(
        en="organization {key} ({name}) added", ja="組織 {key}（{name}）を追加しました"
    ),
    "accounts_organization": _L(en="Organization", ja="組織"),
    "accounts_clients": _L(en="Clients", ja="クライアント"),
    "accounts_users": _L(en="Users", ja="ユーザー数"),
    "accounts_user_added": _L(
        en="user {email} ({name}) added to organization {organization}; grant a role with "
        "`isms-flow user grant {email} CLIENT ROLE`",
        ja="ユーザー {email}（{name}）を組織 {organization} に追加しました。ロールは "
        "`isms-flow user grant {email} CLIENT ROLE` で付与します",
    ),
    "accounts_email": _L(en="E-mail", ja="メールアドレス"),
    "accounts_roles": _L(en="Roles", ja="ロール"),
    "accounts_no_role": _L(en="none", ja="なし"),
    "accounts_active_tokens": _L(en="Active tokens", ja="有効なトークン"),
    "accounts_users_none": _L(
        en="No users yet: add one with `isms-flow user add EMAIL --org KEY --name NAME`.",
        ja="ユーザーはまだいません。`isms-flow user add EMAIL --org KEY --name NAME` で"
        "追加します。",
    ),
    "accounts_granted": _L(
        en="{email} now has the role {role} on client {client}",
        ja="{email} にクライアント {client} のロール {role} を付与しました",
    ),
    "accounts_granted_was": _L(en=" (was {previous})", ja="（変更前: {previous}）"),
    "accounts_revoked": _L(
        en="{email} no longer has the role {previous} on client {client}",
        ja="{email} のクライアント {client} に対するロール {previous} を取り消しました",
    ),
    "accounts_token_created": _L(
        en="API token #{id} ({fingerprint}) created for {email}, valid until {expires}",
        ja="{email} の APIトークン #{id}（{fingerprint}）を作成しました。有効期限: {expires}",
    ),
    "accounts_token_once": _L(
        en="Copy the token now: it is shown only this once and stored nowhere.",
        ja="トークンは今回しか表示されず、どこにも保存されません。今すぐコピーしてください。",
    ),
    "accounts_token_revoked": _L(
        en="API token #{id} ({fingerprint}) of {email} revoked: it is refused from now on",
        ja="{email} の APIトークン #{id}（{fingerprint}）を失効させました。以後は使用できません",
    ),
    "accounts_tokens_none": _L(
        en="{email} has no API tokens: create one with `isms-flow token create {email}`.",
        ja="{email} の APIトークンはありません。`isms-flow token create {email}` で作成します。",
    ),
    "accounts_fingerprint": _L(en="Fingerprint", ja="フィンガープリント"),
    "accounts_expires": _L(en="Expires", ja="有効期限"),
    "accounts_last_used": _L(en="Last used", ja="最終使用"),
    "accounts_never": _L(en="never", ja="未使用"),
    "accounts_created": _L(en="Created", ja="作成日時"),
    "accounts_created_by": _L(en="Created by", ja="作成者"),
    "accounts_token_active": _L(en="active", ja="有効"),
    "accounts_token_expired": _L(en="expired", ja="期限切れ"),
    "accounts_token_revoked_status": _L(en="revoked", ja="失効"),
    # the forecast (isms-flow simulate)
    "simulate_title": _L(
        en="What would fire — {period}", ja="発生する通知とエスカレーション — {period}"
    ),
    "simulate_period": _L(
        en="{scope}, from {start} to the end of {until}",
        ja="{scope}、{start} から {until} の終わりまで",
    ),
    "simulate_none": _L(
        en="Nothing would fire — {period}.", ja="通知もエスカレーションもありません — {period}。"
    ),
    "simulate_at": _L(en="At (client time)", ja="日時（顧客の現地時刻）"),
    "simulate_did": _L(en="Escalation did", ja="エスカレーションの結果"),
    "simulate_not_applicable": _L(
        en="'{trigger}' not possible from '{state}'",
        ja="'{state}' からは '{trigger}' を実行できない",
    ),
    "simulate_moved": _L(
        en="{project}: {before} → {after} if nobody acts",
        ja="{project}: 対応がなければ {before} → {after}",
    ),
    "simulate_summary": _L(
        en="{reminders} reminder(s), {escalations} escalation(s) — simulated on a copy of the "
        "database: nothing was sent and nothing changed",
        ja="リマインダー {reminders}件、エスカレーション {escalations}件 — データベースの"
        "コピーで試算しました。送信も変更もしていません",
    ),
    "serve_listening": _L(
        en="isms-flow API at {url} (documentation: {docs})",
        ja="isms-flow API: {url}（ドキュメント: {docs}）",
    ),
    "serve_scheduler_here": _L(
        en="scheduler: runs in this process (pid {pid}), every {interval} s",
        ja="スケジューラ: このプロセス（pid {pid}）で {interval}秒ごとに実行",
    ),
    "serve_scheduler_parent": _L(
        en="scheduler: runs once, in the parent process (pid {pid}), every {interval} s; "
        "{workers} API worker processes",
        ja="スケジューラ: 親プロセス（pid {pid}）で1つだけ、{interval}秒ごとに実行。"
        "APIワーカープロセス {workers}個",
    ),
    "serve_scheduler_off": _L(
        en="scheduler: off (--no-scheduler); run `isms-flow scheduler run` to deliver reminders",
        ja="スケジューラ: 停止中（--no-scheduler）。リマインダーの配信には "
        "`isms-flow scheduler run` を実行してください",
    ),
    "serve_sqlite_workers": _L(
        en="note: {workers} processes share one SQLite file; writes take turns "
        "(fine for a small team, PostgreSQL for more)",
        ja="注意: {workers}個のプロセスが1つのSQLiteファイルを共有し、書き込みは順番に行われます"
        "（小規模なら十分、それ以上はPostgreSQLを）",
    ),
    "serve_demo_seeded": _L(
        en="demo data created: client {client}, project {project} walked to certified",
        ja="デモデータを作成しました: クライアント {client}、プロジェクト {project}"
        "（認証取得まで進めました）",
    ),
    "serve_demo_kept": _L(
        en="demo data: already there, kept as it is",
        ja="デモデータ: 既にあるため、そのまま使います",
    ),
    "serve_demo_none": _L(
        en="no demo: the database has clients but not '{client}' "
        "(create a token with `isms-flow token create EMAIL`)",
        ja="デモなし: データベースに '{client}' 以外のクライアントがあります"
        "（トークンは `isms-flow token create EMAIL` で作成）",
    ),
    "serve_token": _L(
        en="demo token for {email} ({role} on {client}, valid until {expires}; shown only now):",
        ja="{email} のデモトークン（{client} の {role}、{expires} まで有効。表示は今回のみ）:",
    ),
    "serve_try": _L(en="try:", ja="試してみる:"),
    "serve_stop_hint": _L(en="Ctrl-C stops the server.", ja="Ctrl-C でサーバーを停止します。"),
    "serve_stopped": _L(en="server stopped", ja="サーバーを停止しました"),
    "serve_failed": _L(
        en="the server could not start; the log above says why",
        ja="サーバーを起動できませんでした。理由は上のログにあります",
    ),
    # the portfolio (isms-flow portfolio)
    "portfolio_title": _L(en="Portfolio — {scope}", ja="ポートフォリオ — {scope}"),
    "portfolio_scope_all": _L(en="every client", ja="全クライアント"),
    "portfolio_scope_user": _L(en="what {user} may see", ja="{user} が閲覧できる範囲"),
    "portfolio_none": _L(
        en="No project matches — {scope}.", ja="該当するプロジェクトはありません — {scope}。"
    ),
    "portfolio_days_in_stage": _L(en="Days in stage", ja="段階の滞在日数"),
    "portfolio_blockers": _L(en="Blockers", ja="未充足の要件"),
    "portfolio_next_deadline": _L(en="Next deadline", ja="次の期限"),
    "portfolio_due": _L(en="Due", ja="期日"),
    "portfolio_days_left": _L(en="Days left", ja="残り日数"),
    "portfolio_shown": _L(
        en="{shown} of {total} project(s) shown", ja="{total}件中 {shown}件を表示"
    ),
    "portfolio_more": _L(en="more: {command}", ja="続き: {command}"),
}


def label(key: str, lang: Language) -> str:
    """The label `key` in `lang`."""
    return _LABELS[key].in_(lang)
