"""The four roles of Roadshow."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    ORGANIZER = "organizer"
    JUDGE = "judge"
    RECRUITER = "recruiter"
    APPLICANT = "applicant"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ORGANIZER: _l("Organizer"),
    Role.JUDGE: _l("Judge"),
    Role.RECRUITER: _l("District recruiter"),
    Role.APPLICANT: _l("Applicant"),
}
