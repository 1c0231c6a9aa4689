"""Translated names of phases and question kinds, for pages, forms and emails."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

PHASE_LABELS = {
    "call": _l("Call for projects"),
    "review": _l("Review and district docking"),
    "roadshow": _l("Roadshow days"),
    "signing": _l("Signing of intents"),
}

QUESTION_KIND_LABELS = {
    "text": _l("Free text"),
    "choice": _l("Choice"),
    "number": _l("Number"),
    "file": _l("File"),
}


def phase_label(kind: str | None) -> str:
    return str(PHASE_LABELS[kind]) if kind in PHASE_LABELS else ""
