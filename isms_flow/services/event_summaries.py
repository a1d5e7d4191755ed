"""One readable line per history event, for `project history` and the audit trail.

The payload stays the record; the summary is only how a person scans the list. Each event type
has its own formatter, and a type without one (a newer release's event in an older reader)
falls back to its scalar fields so nothing prints as a bare type name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["summarize"]

_Payload = dict[str, Any]
_Formatter = Callable[[_Payload], str]


def summarize(kind: str, payload: _Payload) -> str:
    """The one-line summary of an event of type `kind`."""
    formatter = _FORMATTERS.get(kind)
    if formatter is None:
        return _fallback(kind, payload)
    try:
        return formatter(payload)
    except (KeyError, TypeError, IndexError):
        # An older event may lack a field a newer formatter expects: show what is there.
        return _fallback(kind, payload)


def _fallback(kind: str, p: _Payload) -> str:
    scalars = [f"{k}={v}" for k, v in p.items() if isinstance(v, str | int | float | bool)]
    return f"{kind}: {', '.join(scalars)}" if scalars else kind


def _score(score: _Payload | None) -> str:
    if not score:
        return "unscored"
    return f"{score['likelihood']}×{score['impact']}={score['rating']}"


def _count(value: list[Any] | int) -> int:
    # Some imports record the keys they touched, others only how many.
    return len(value) if isinstance(value, list) else value


def _changed_names(changed: _Payload | list[str]) -> str:
    return ", ".join(changed) if changed else "nothing"


def _state_changed(p: _Payload) -> str:
    text = f"{p['trigger']}: {p['from']} → {p['to']}"
    override = p.get("override")
    if override:
        text += (
            f" (OVERRIDE #{override['id']} asked by {override['requested_by']}, approved by "
            f"{override['approved_by']}: {override['reason']})"
        )
    if p.get("by_deadline"):
        text += f" (deadline {p['by_deadline']} overdue)"
    return text


def _scope_set(p: _Payload) -> str:
    scope = p["scope"]
    if scope["whole_organization"]:
        return "scope: whole organization"
    return "scope: " + ", ".join(scope["units"])


def _soa_decided(p: _Payload) -> str:
    controls = p["controls"]
    shown = ", ".join(controls[:6]) + (f" (+{len(controls) - 6} more)" if len(controls) > 6 else "")
    text = f"SoA: {shown} {p['verdict']}"
    if p.get("status"):
        text += f", {p['status']}"
    return text + f": {p['justification']}"


def _risk_changed(verb: str) -> _Formatter:
    def format_change(p: _Payload) -> str:
        fields = {k: v for k, v in p.items() if k != "key"}
        parts = []
        for name, change in fields.items():
            if name in ("inherent", "residual"):
                parts.append(f"{name} {_score(change['from'])} → {_score(change['to'])}")
            elif name == "controls":
                parts.append(f"controls {', '.join(change['to']) or 'none'}")
            else:
                parts.append(f"{name} → {change['to']}")
        return f"risk {p['key']} {verb}: " + "; ".join(parts)

    return format_change


def _risk_accepted(p: _Payload) -> str:
    text = f"risk {p['key']}: residual {_score(p['residual'])} accepted at rating {p['rating']}"
    renews = p.get("renews")
    if renews:
        text += f" (renews {renews.get('by', '?')}'s acceptance at {renews.get('rating', '?')})"
    return text


def _risk_method_set(p: _Payload) -> str:
    to = p["to"]
    return (
        f"risk method {to['likelihood_levels']}×{to['impact_levels']}, accept ≤ "
        f"{to['acceptance_threshold']}; {p['above_threshold']} risk(s) above the threshold"
    )


def _file_import(label: str) -> _Formatter:
    def format_import(p: _Payload) -> str:
        added, changed = p.get("added", 0), p.get("changed", p.get("updated")) or 0
        return (
            f"{label} imported from {p['file']} ({p['sha256'][:12]}): "
            f"{_count(added)} added, {_count(changed)} changed"
        )

    return format_import


def _audit(p: _Payload) -> str:
    return (
        f"{p['kind']} audit {p['audit']} {p['started_on']} by {p['auditor']}: "
        f"clauses {', '.join(p['clauses']) or 'none'}, {len(p['controls'])} control(s)"
    )


def _finding_added(p: _Payload) -> str:
    where = p.get("control") or p.get("clause") or "general"
    return f"finding {p['finding']} ({p['grade']}, {where}) in {p['audit']}: {p['description']}"


def _quote_added(p: _Payload) -> str:
    return (
        f"quote #{p['quote_id']} {p['body']} ({p['accreditation']}): {p['audit_days']} audit "
        f"days, {p['cost']} {p['currency']}"
    )


def _review(p: _Payload) -> str:
    missing = p.get("missing_inputs") or []
    text = (
        f"management review #{p['review_id']} on {p['held_on']}: {len(p['attendees'])} "
        f"attendee(s), {len(p['outputs'])} decision(s)"
    )
    return text + (f", {len(missing)} input(s) missing" if missing else ", every input covered")


def _certificate(p: _Payload) -> str:
    return (
        f"certificate {p['number']} by {p['body']} ({p['standard']}): "
        f"{p['issued_on']} – {p['expires_on']}"
    )


_FORMATTERS: dict[str, _Formatter] = {
    "state_changed": _state_changed,
    "evidence_uploaded": lambda p: (
        f"{p['kind']} '{p['name']}' v{p['version']} ({p['filename']}, {p['sha256'][:12]})"
    ),
    "evidence_approved": lambda p: (
        f"{p['kind']} '{p['name']}' v{p['version']} approved as {p['role']}"
    ),
    "evidence_restored": lambda p: (
        f"{p['kind']} '{p['name']}' v{p['from_version']} → v{p['to_version']} restored"
    ),
    "override_requested": lambda p: (
        f"override #{p['override_id']} of {p['trigger']} from {p['from']}: {p['reason']}"
    ),
    "project_created": lambda p: (
        f"{p['title']} on {p['workflow']} v{p['workflow_version']}, at {p['state']}"
    ),
    "scope_set": _scope_set,
    # Statement of Applicability
    "soa_initialised": lambda p: f"SoA started: {p['added']} of {p['total']} Annex A controls",
    "soa_decided": _soa_decided,
    "soa_imported": lambda p: (
        f"SoA imported from {p['file']} ({p['sha256'][:12]}): "
        f"{len(p['changed'])} control(s) changed"
    ),
    # Risk register
    "risk_method_set": _risk_method_set,
    "asset_added": lambda p: f"asset {p['key']} '{p['name']}' (owner {p['owner']})",
    "asset_updated": lambda p: f"asset {p['key']} changed: {_changed_names(p['changed'])}",
    "assets_imported": _file_import("assets"),
    "risks_imported": _file_import("risks"),
    "risk_added": lambda p: (
        f"risk {p['key']} on {p['asset']}: {p['threat']} (owner {p['owner']}, {_score(p['score'])})"
    ),
    "risk_updated": _risk_changed("updated"),
    "risk_scored": _risk_changed("scored"),
    "risk_treated": _risk_changed("treated"),
    "risk_residual_scored": _risk_changed("re-scored"),
    "risk_accepted": _risk_accepted,
    # Training
    "training_staff_added": lambda p: (
        f"staff {p['employee_id']} {p['name']} ({p['department']}, {p['role']})"
    ),
    "training_staff_updated": lambda p: (
        f"staff {p['employee_id']} changed: {_changed_names(p['changed'])}"
    ),
    "training_course_added": lambda p: (
        f"course '{p['key']}' {p['title']} (valid {p['validity_months']} months)"
    ),
    "training_completion_recorded": lambda p: (
        f"{p['employee_id']} completed '{p['course']}' on {p['completed_on']}"
    ),
    "training_staff_imported": _file_import("staff"),
    "training_completions_imported": _file_import("completions"),
    # Audits and findings
    "audit_added": _audit,
    "audit_updated": lambda p: f"audit {p['audit']} changed: {_changed_names(p['changed'])}",
    "finding_added": _finding_added,
    "finding_updated": lambda p: (
        f"finding {p['finding']} changed: {_changed_names(p['changed'])}"
        + (" (corrective action plan withdrawn)" if p.get("plan_withdrawn") else "")
    ),
    "finding_plan_accepted": lambda p: (
        f"finding {p['finding']}: corrective action plan accepted by {p['accepted_by']} "
        f"(owner {p['owner']}, due {p['due']})"
    ),
    "finding_corrected": lambda p: f"finding {p['finding']}: corrected (owner {p['owner']})",
    "finding_verified": lambda p: (
        f"finding {p['finding']}: effectiveness verified by {p['verified_by']}: "
        f"{p['effectiveness']}"
    ),
    "finding_closed": lambda p: f"finding {p['finding']} ({p['grade']}) closed",
    # Management review, certification body, certificate
    "management_review_recorded": _review,
    "cb_quote_added": _quote_added,
    "cb_quote_selected": lambda p: f"quote #{p['quote_id']} {p['body']} selected: {p['reason']}",
    "cb_quote_unselected": lambda p: (
        f"quote #{p['quote_id']} {p['body']} unselected for #{p['replaced_by']['quote_id']}"
    ),
    "certificate_recorded": _certificate,
    # Notification recipients of a client (never their secrets)
    "recipient_added": lambda p: (
        f"{p['channel']} recipient #{p['recipient_id']} {p['address']} added as {p['role']}"
        + (f" (secret {p['secret_fingerprint']})" if p.get("secret_fingerprint") else "")
    ),
    "recipient_removed": lambda p: (
        f"{p['channel']} recipient #{p['recipient_id']} {p['address']} ({p['role']}) removed"
    ),
    # Accounts: organizations, users, roles, API tokens (never a token or its hash)
    "organization_added": lambda p: f"organization {p['organization']} ({p['name']}) added",
    "user_added": lambda p: (
        f"user {p['email']} ({p['name']}) added to organization {p['organization']}"
    ),
    "role_granted": lambda p: (
        f"{p['user']} granted {p['role']} on client {p['client']}"
        + (f" (was {p['replaces']})" if p.get("replaces") else "")
    ),
    "role_revoked": lambda p: f"{p['user']}'s role {p['role']} on client {p['client']} revoked",
    "token_created": lambda p: (
        f"API token #{p['token_id']} ({p['fingerprint']}) created for {p['user']}"
        + (f" '{p['name']}'" if p.get("name") else "")
        + f", expires {p['expires_at'][:10]}"
    ),
    "token_revoked": lambda p: (
        f"API token #{p['token_id']} ({p['fingerprint']}) of {p['user']} revoked"
    ),
    # Deadlines and notifications (the scheduler)
    "deadline_overdue": lambda p: (
        f"deadline {p['deadline']} (due {p['due_on']}) overdue: "
        + {
            "fired": f"{p['on_overdue']} fired from {p['state']}",
            "not_applicable": f"{p['on_overdue']} not possible from {p['state']}, nothing changed",
            "escalated": "escalated to the client's escalation contacts",
        }.get(p["action"], "recorded")
    ),
    "notification_requeued": lambda p: (
        f"notification #{p['notification_id']} ({p['channel']}, {p['deadline']}) requeued "
        f"after {p['attempts']} attempt(s): {p['last_error']}"
    ),
}
