"""Translated names of intent states, signer roles and audit events, for pages and emails."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from roadshow.signing.flow import IntentState, SignerRole, SignerState

STATE_LABELS = {
    IntentState.DRAFT: _l("Draft"),
    IntentState.OUT_FOR_SIGNATURE: _l("Out for signature"),
    IntentState.COMPLETED: _l("Signed and sealed"),
    IntentState.DECLINED: _l("Declined"),
    IntentState.EXPIRED: _l("Expired"),
    IntentState.CANCELLED: _l("Withdrawn"),
}
STATE_BADGES = {
    IntentState.DRAFT: "secondary",
    IntentState.OUT_FOR_SIGNATURE: "primary",
    IntentState.COMPLETED: "success",
    IntentState.DECLINED: "danger",
    IntentState.EXPIRED: "warning",
    IntentState.CANCELLED: "dark",
}
SIGNER_STATE_LABELS = {
    SignerState.WAITING: _l("Not signed yet"),
    SignerState.SIGNED: _l("Signed"),
    SignerState.DECLINED: _l("Declined"),
}
ROLE_LABELS = {
    SignerRole.APPLICANT: _l("Talent (project owner)"),
    SignerRole.DISTRICT: _l("District"),
    SignerRole.CITY: _l("City talent office"),
}
ACTION_LABELS = {
    "created": _l("Created"),
    "edited": _l("Draft edited"),
    "sent": _l("Sent for signing"),
    "viewed": _l("Viewed"),
    "code_sent": _l("Confirmation code sent"),
    "code_refused": _l("Wrong confirmation code"),
    "signed": _l("Signed"),
    "declined": _l("Declined"),
    "completed": _l("Completed"),
    "sealed": _l("Sealed by the platform"),
    "downloaded": _l("Downloaded"),
    "reminded": _l("Reminder sent"),
    "expired": _l("Expired"),
    "cancelled": _l("Withdrawn"),
}


def state_label(state: IntentState) -> str:
    return str(STATE_LABELS[state])


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
