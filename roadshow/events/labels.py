"""Translated names of phases and question kinds, for pages, forms and emails."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

PHASE_LABELS = {
    "call": _l("Call for projects"),
    "review": _l("Review and district docking"),
    "roadshow": _l("Roadshow days"),
    "signing": _l("Signing of intents"),
}

KIND_LABELS = {
    "roadshow": _l("Talent roadshow"),
    "symposium": _l("Symposium"),
    "promotion": _l("Investment promotion event"),
}

STAGE_LABELS = {
    "call": _l("Call for projects or registration"),
    "review": _l("Review and district docking"),
    "schedule": _l("Schedule and programme"),
    "live": _l("Live rooms"),
    "signing": _l("Signing of intents"),
}

STATE_LABELS = {
    "draft": _l("Draft"),
    "call_open": _l("Call open"),
    "in_review": _l("In review"),
    "roadshow_days": _l("Roadshow days"),
    "signing": _l("Signing"),
    "finished": _l("Finished"),
    "archived": _l("Archived"),
}

ERRORS = {
    "district_not_in_organisation": _l("Choose districts of this office (or, for a joint event, of "
                                       "the alliance's members)."),
    "not_in_alliance": _l("Your office is not a member of this alliance, so it cannot create a "
                          "joint event for it."),
    "not_finished": _l("Only a finished event can be archived: its signing (or its last phase) "
                       "is not over yet."),
    "already_archived": _l("This event is already archived."),
    "not_archived": _l("This event is not archived."),
    "slug_taken": _l("Another event already uses this web address; please choose another."),
}

QUESTION_KIND_LABELS = {
    "text": _l("Free text"),
    "choice": _l("Choice"),
    "number": _l("Number"),
    "file": _l("File"),
}


def phase_label(kind: str | None) -> str:
    return str(PHASE_LABELS[kind]) if kind in PHASE_LABELS else ""


def state_label(state: str | None) -> str:
    return str(STATE_LABELS[state]) if state in STATE_LABELS else ""


def kind_label(kind: str | None) -> str:
    return str(KIND_LABELS[kind]) if kind in KIND_LABELS else ""


def error_text(key: str) -> str:
    return str(ERRORS.get(key, key))
