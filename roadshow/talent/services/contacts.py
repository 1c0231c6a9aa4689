"""The contact log: an officer records a call, visit, message or event with a person, the next
step and when it is due; the officer's due call-backs.

Times are typed in the officer's zone and stored in UTC (:func:`local_to_utc`). Logging a new
contact with a person closes that officer's open call-backs for them: the call-back happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from roadshow.db import utcnow
from roadshow.talent.models import Contact, ContactKind, Person
from roadshow.talent.services.people import in_pool


class ContactError(ValueError):
    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.field = field


def local_to_utc(day: date, at: time, zone: str) -> datetime:
    """A wall-clock time in ``zone`` as aware UTC; a time a daylight-saving change skips is
    refused (:class:`ContactError`)."""
    tz = ZoneInfo(zone)
    local = datetime.combine(day, at, tz)
    back = local.astimezone(UTC).astimezone(tz)
    if (back.hour, back.minute) != (at.hour, at.minute):
        raise ContactError(_l("This time does not exist in your time zone (the clocks "
                              "change then)."), "at")
    return local.astimezone(UTC)


@dataclass
class ContactData:
    kind: str
    day: date
    at: time
    summary: str
    next_step: str = ""
    next_due_on: date | None = None
    #: partner offices may read it where the pool is shared with its contacts
    shared: bool = False


def log_contact(session: Session, officer: Any, person: Person, data: ContactData,
                zone: str) -> Contact:
    """Record a contact with ``person`` by ``officer`` at ``data.day data.at`` in ``zone``."""
    try:
        kind = ContactKind(data.kind)
    except ValueError:
        raise ContactError(_l("Choose how you were in touch."), "kind") from None
    happened_at = local_to_utc(data.day, data.at, zone)
    now = utcnow()
    if happened_at > now:
        raise ContactError(_l("A contact is logged once it happened: the time is in the "
                              "future."), "day")
    summary = data.summary.strip()
    if not summary:
        raise ContactError(_l("Say what was discussed."), "summary")
    next_step = data.next_step.strip() or None
    if data.next_due_on is not None and next_step is None:
        raise ContactError(_l("Say what the next step is, or leave its date empty."),
                           "next_step")
    for earlier in open_callbacks(session, officer, person):
        earlier.done_at = now
    contact = Contact(person_id=person.id, officer_id=officer.id, kind=kind,
                      happened_at=happened_at, summary=summary, next_step=next_step,
                      next_due_on=data.next_due_on, shared=data.shared)
    session.add(contact)
    session.flush()
    return contact


def open_callbacks(session: Session, officer: Any, person: Person) -> list[Contact]:
    return list(session.scalars(select(Contact).where(
        Contact.person_id == person.id, Contact.officer_id == officer.id,
        Contact.next_due_on.is_not(None), Contact.done_at.is_(None))))


def due_callbacks(session: Session, organisation: Any, officer: Any,
                  until: date | None = None) -> list[Contact]:
    """``officer``'s open next steps with the office's active people, due by ``until``
    (every open one when None), earliest first."""
    query = (select(Contact).join(Person, Person.id == Contact.person_id)
             .where(Contact.officer_id == officer.id, Contact.next_due_on.is_not(None),
                    Contact.done_at.is_(None), in_pool(organisation.id))
             .options(joinedload(Contact.person))
             .order_by(Contact.next_due_on, Contact.id))
    if until is not None:
        query = query.where(Contact.next_due_on <= until)
    return list(session.scalars(query))
