"""Why a job failed, in the reader's language: the keys a JobFailure or the queue may store."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

FAILURES = {
    "unexpected": _l("Something went wrong on our side. It was logged; try again later or tell "
                     "the technical team."),
    "database": _l("The database could not be reached. Try again in a few minutes."),
    "mail_server": _l("The mail server could not be reached. The messages stay in the outbox; "
                      "send them again from there once it is back."),
    "gone": _l("What this job worked on no longer exists (it was deleted meanwhile)."),
    "archived": _l("This event is archived and can no longer be changed."),
}


def failure_message(key: str) -> str:
    return str(FAILURES.get(key) or FAILURES["unexpected"])
