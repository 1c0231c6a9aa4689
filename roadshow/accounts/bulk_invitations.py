"""Inviting many people to one event at once from a CSV or Excel file (issue 17): the file is
read into rows with what is wrong with each (roadshow.accounts.invitation_sheet), the organizer
confirms the good ones, and one background job (roadshow.accounts.jobs) sends them, a batch at a
time, each batch committed with the job's position so a resumed job sends nothing twice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

from flask_babel import force_locale
from sqlalchemy.orm import Session

from roadshow.accounts import directory, services
from roadshow.accounts.invitation_sheet import InvitationRow, fold, read_rows
from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.accounts.services import AccountError
from roadshow.sheet_reading import read_table

KIND = "accounts.bulk_invite"
BATCH = 20


@dataclass
class Outcome:
    sent: int = 0
    skipped: int = 0  # invited or refused since the preview (an open invitation, a district gone)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def districts(session: Session, organisation_id: int) -> dict[str, int]:
    """The office's districts by folded name in either language (and by id typed as text)."""
    found: dict[str, int] = {}
    for locale in ("zh_Hans_CN", "en"):
        with force_locale(locale):
            for district_id, name in services.district_options(session, organisation_id):
                found[fold(name)] = district_id
                found[str(district_id)] = district_id
    return found


def taken(session: Session, event_id: int) -> tuple[set[str], set[str]]:
    """The addresses holding a role in the event, and those with an open invitation to it."""
    members = {staff.user.email.lower() for staff in directory.event_staff(session, event_id)}
    invited = {invitation.email.lower()
               for invitation in services.invitations(session, event_ids=[event_id])
               if services.invitation_status(invitation) == services.InvitationStatus.PENDING}
    return members, invited


def preview(session: Session, organisation_id: int, event_id: int, filename: str,
            data: bytes) -> list[InvitationRow]:
    """The file's rows read, with their problems; raises ``SheetError`` for a file that cannot
    be read at all."""
    table = read_table(filename, data)
    members, invited = taken(session, event_id)
    return read_rows(table.headers, table.rows, districts=districts(session, organisation_id),
                     members=members, invited=invited)


def send(session: Session, actor: User, event_id: int, rows: Sequence[Sequence[object]], *,
         start: int, outcome: Outcome, step: Callable[[int, Outcome], None],
         district_ids: frozenset[int], max_age_days: int, secret_key: str, base_url: str) -> None:
    """Invite ``rows`` (``[email, name, role, district id, locale]``) from ``start`` on; an
    address invited meanwhile (or otherwise refused now) is skipped and counted."""
    for index in range(start, len(rows)):
        email, name, role, district_id, locale = rows[index]
        try:
            with session.begin_nested():
                services.invite(session, actor, email=str(email), name=str(name),
                                role=Role(str(role)),
                                district_id=int(district_id) if district_id is not None else None,
                                locale=str(locale), max_age_days=max_age_days,
                                event_id=event_id, district_ids=district_ids,
                                secret_key=secret_key, base_url=base_url)
        except (AccountError, ValueError):
            outcome.skipped += 1
        else:
            outcome.sent += 1
        if (index + 1) % BATCH == 0 or index + 1 == len(rows):
            step(index + 1, outcome)
