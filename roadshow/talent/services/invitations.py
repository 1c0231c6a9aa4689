"""Inviting a filtered list of the pool to an event (issue 14, "invitations to a station's
symposium from a filtered list").

The people are a search's selection (roadshow.talent.services.search) that have an e-mail
address; a station officer who is not an organizer invites only their stations' people. Each
person gets one mail in their language, with the event's public page and its dates in their
zone, written to their contact log ("Invited to ...", a message, the sender as officer) and to
``talent_invitations``, which makes a second sending to the same event skip them. The sending
runs as a background job (roadshow.talent.jobs) a batch at a time, so hundreds of mails never
hold a request.

Language, from the record: Chinese when the person has a name in characters and none in Latin
letters, or lives in China (residence CN); English otherwise. Zone: their account's zone when the
record is linked to one, else their country of residence's when the country has one zone (China:
Asia/Shanghai), else the event's zone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from babel.core import get_global
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session, selectinload

from roadshow.db import utcnow
from roadshow.events.models import Event
from roadshow.events.services import events_of_organisation, main_phase
from roadshow.i18n import ZH
from roadshow.mail.outbox import Recipient, queue_email, render_email
from roadshow.talent.models import Contact, ContactKind, Invitation, Person
from roadshow.talent.services import search
from roadshow.talent.services.people import in_pool
from roadshow.talent.services.station_events import event_ids_of

KIND = "talent.invite"
TEMPLATE = "talent/mail/invitation"
BATCH = 25
NOTE_MAX = 1000


class InvitationError(ValueError):
    pass


def language_of(person: Person) -> str:
    """The language of a person's mail, from their record (see the module's docstring)."""
    chinese_only = bool(person.name_zh) and not person.name_en
    return ZH if chinese_only or (person.residence_country or "").upper() == "CN" else "en"


def zone_of(person: Person, event: Event) -> str:
    """The zone a person reads the event's dates in (see the module's docstring)."""
    if person.user is not None and person.user.timezone:
        return person.user.timezone
    country = (person.residence_country or "").upper()
    if country == "CN":
        return "Asia/Shanghai"
    zones = get_global("territory_zones").get(country, [])
    return zones[0] if len(zones) == 1 else event.timezone


def _has_email() -> ColumnElement[bool]:
    return and_(Person.email.is_not(None), Person.email != "")


def conditions(session: Session, organisation_id: int, query: search.Query,
               station_ids: set[int] | None) -> list[ColumnElement[bool]]:
    """The search's people; only those of ``station_ids`` unless it is ``None`` (an
    organizer)."""
    where = search.conditions(session, organisation_id, query)
    if station_ids is not None:
        where.append(Person.station_id.in_(sorted(station_ids)))
    return where


@dataclass(frozen=True)
class Selection:
    with_email: int
    without_email: int


def count(session: Session, organisation_id: int, query: search.Query,
          station_ids: set[int] | None) -> Selection:
    where = conditions(session, organisation_id, query, station_ids)
    with_email, total = session.execute(select(
        func.coalesce(func.sum(case((_has_email(), 1), else_=0)), 0), func.count())
        .select_from(Person).where(*where)).one()
    return Selection(with_email=int(with_email), without_email=int(total) - int(with_email))


def person_ids(session: Session, organisation_id: int, query: search.Query,
               station_ids: set[int] | None) -> list[int]:
    """The ids of the people to invite (with an e-mail address), in the list's order."""
    return list(session.scalars(
        select(Person.id).where(*conditions(session, organisation_id, query, station_ids),
                                _has_email())
        .order_by(Person.name_pinyin, Person.name_en, Person.id)))


def events_to_invite(session: Session, organisation: Any, station_ids: Sequence[int],
                     now: datetime | None = None) -> list[Event]:
    """The office's published, unarchived events not over yet: those of ``station_ids`` first,
    then the others, newest first."""
    now = now or utcnow()
    first = event_ids_of(session, station_ids)
    found = []
    for event in events_of_organisation(session, organisation):
        phase = main_phase(event)
        if not event.published or event.archived_at is not None or (
                phase is not None and phase.ends_at <= now):
            continue
        found.append(event)
    rank = {event_id: position for position, event_id in enumerate(first)}
    return sorted(found, key=lambda e: rank.get(e.id, len(rank)))


def mail_context(event: Event, organisation: Any, name: str, note: str) -> dict[str, Any]:
    phase = main_phase(event)
    return {"event": event, "organisation": organisation, "name": name, "note": note,
            "starts_at": phase.starts_at if phase else None,
            "ends_at": phase.ends_at if phase else None}


def previews(event: Event, organisation: Any, note: str, name: str) -> dict[str, tuple[str, str]]:
    """The mail as a person would read it, in both languages (the event's zone): {locale:
    (subject, text)}."""
    out = {}
    for locale in (ZH, "en"):
        subject, text, _html = render_email(
            TEMPLATE, {**mail_context(event, organisation, name, note),
                       "base_url": _base_url()}, Recipient("", locale, event.timezone))
        out[locale] = (subject, text)
    return out


def _base_url() -> str:
    return str(current_app.config["PUBLIC_BASE_URL"])


@dataclass
class Outcome:
    sent: int = 0
    skipped: int = 0      # invited to this event already
    gone: int = 0         # withdrawn, erased or without an address since the list was made
    locales: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def summary_of(event: Event) -> str:
    """The contact log's line, in both languages as the log keeps them."""
    return f"邀请参加{event.title_zh}\nInvited to {event.title_en}"


def send(session: Session, actor: Any, organisation: Any, event: Event, ids: Sequence[int],
         note: str, start: int, outcome: Outcome,
         step: Callable[[int, Outcome], None], batch: int = BATCH) -> Outcome:
    """Invite the people ``ids[start:]``, ``batch`` at a time; ``step(next_index, outcome)``
    commits each batch (with the job's position), so a resumed job goes on where it stopped."""
    for begin in range(start, len(ids), batch):
        chunk = list(ids[begin:begin + batch])
        people = {p.id: p for p in session.scalars(
            select(Person).where(Person.id.in_(chunk), in_pool(organisation.id),
                                 _has_email()).options(selectinload(Person.user)))}
        invited = set(session.scalars(select(Invitation.person_id).where(
            Invitation.event_id == event.id, Invitation.person_id.in_(chunk))))
        now = utcnow()
        for person_id in chunk:
            person = people.get(person_id)
            if person is None:
                outcome.gone += 1
                continue
            if person_id in invited:
                outcome.skipped += 1
                continue
            locale = language_of(person)
            queue_email(Recipient(person.email or "", locale, zone_of(person, event)), TEMPLATE,
                        mail_context(event, organisation, person.display_name, note),
                        session=session)
            contact = Contact(person_id=person.id, officer_id=actor.id,
                              kind=ContactKind.MESSAGE, happened_at=now,
                              summary=summary_of(event))
            session.add(contact)
            session.flush()
            session.add(Invitation(person_id=person.id, event_id=event.id,
                                   contact_id=contact.id, sent_by_id=actor.id, sent_at=now,
                                   locale=locale))
            outcome.sent += 1
            outcome.locales[locale] = outcome.locales.get(locale, 0) + 1
        session.flush()
        step(min(begin + batch, len(ids)), outcome)
    return outcome


def check_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvitationError(_l("Keep the personal note under %(n)s characters.", n=NOTE_MAX))
    return note
