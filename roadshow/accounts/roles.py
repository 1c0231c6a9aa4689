"""The roles of Roadshow: four held in an event (or across an office), the liaison station
officer, held in an office by an appointment to one of its talent stations (issue 14), and the
platform administrator, held by users with ``is_platform_admin`` and never stored in
``users.role``."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    ORGANIZER = "organizer"
    JUDGE = "judge"
    RECRUITER = "recruiter"
    APPLICANT = "applicant"
    ADMIN = "admin"
    STATION = "station"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ORGANIZER: _l("Organizer"),
    Role.JUDGE: _l("Judge"),
    Role.RECRUITER: _l("District recruiter"),
    Role.APPLICANT: _l("Applicant"),
    Role.ADMIN: _l("Platform administrator"),
    Role.STATION: _l("Liaison station officer"),
}

#: the roles a person holds in an event (what ``users.role`` may store)
EVENT_ROLES = frozenset({Role.ORGANIZER, Role.JUDGE, Role.RECRUITER, Role.APPLICANT})
#: the roles that make someone staff of an event (staff never apply to it)
STAFF_ROLES = frozenset({Role.ORGANIZER, Role.JUDGE, Role.RECRUITER})
