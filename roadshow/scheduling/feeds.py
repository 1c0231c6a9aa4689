"""Calendar feeds (personal, public), single-entry downloads and RSVPs."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.events.models import Event
from roadshow.organisations.grants import Grant
from roadshow.organisations.models import EventRole, OrganisationMember
from roadshow.scheduling import invites
from roadshow.scheduling.calendar_entries import Delivery, deliveries, session_uid, slot_uid
from roadshow.scheduling.exceptions import ScheduleError
from roadshow.scheduling.models import (
    FeedToken,
    PitchSession,
    Rsvp,
    RsvpStatus,
    SessionAttendance,
    SessionStatus,
    Slot,
)
from roadshow.scoping import across, scoped, unscoped


def feed_token(session: Session, user: User) -> FeedToken:
    token = session.scalar(select(FeedToken).where(FeedToken.user_id == user.id,
                                                   FeedToken.revoked_at.is_(None)))
    if token is None:
        token = FeedToken(user_id=user.id)
        session.add(token)
        session.flush()
    return token


def revoke_feed_token(session: Session, actor: User) -> FeedToken:
    """End the current subscription URL and issue a new one."""
    for token in session.scalars(select(FeedToken).where(FeedToken.user_id == actor.id,
                                                         FeedToken.revoked_at.is_(None))):
        token.revoked_at = utcnow()
    session.flush()
    return feed_token(session, actor)


def user_by_feed_token(session: Session, token: str) -> User | None:
    row = session.scalar(select(FeedToken).where(FeedToken.token == token, FeedToken.revoked_at.is_(None)))
    if row is None or not row.user.active:
        return None
    row.last_used_at = utcnow()
    return row.user


def event_ids_of(session: Session, user: User) -> set[int]:
    """The events ``user`` takes part in: of the offices they organise for, where they hold a
    role, applied, or attend a session."""
    mine = set(session.scalars(
        select(Event.id).join(OrganisationMember,
                              OrganisationMember.organisation_id == Event.organisation_id)
        .where(OrganisationMember.user_id == user.id)))
    mine |= set(session.scalars(select(EventRole.event_id).where(EventRole.user_id == user.id)))
    mine |= set(session.scalars(unscoped(
        select(Application.event_id).where(Application.applicant_id == user.id),
        "a person's own applications, in every event")))
    mine |= set(session.scalars(unscoped(
        select(PitchSession.event_id).join(SessionAttendance)
        .where(SessionAttendance.user_id == user.id),
        "the sessions a person attends, in every event")))
    return mine


def events_with_entries(session: Session, user: User) -> list[Event]:
    """The events whose published programme may hold an entry of ``user``, oldest first."""
    mine = event_ids_of(session, user)
    if not mine:
        return []
    with_programme = set(session.scalars(across(
        select(PitchSession.event_id).where(PitchSession.status == SessionStatus.PUBLISHED)
        .distinct(), mine)))
    return list(session.scalars(select(Event).where(Event.id.in_(sorted(with_programme)))
                                .order_by(Event.id)))


def personal_feed(session: Session, user: User) -> bytes:
    """Every published entry of the user, across events, in their zone."""
    events = events_with_entries(session, user)
    occurrences = []
    seen = set()
    for event in events:
        for d in deliveries(session, event):
            if d.user.id == user.id and d.uid not in seen:
                seen.add(d.uid)
                occurrences.append(d.occurrence)
    # a calendar app fetches the feed without a session: name it in the user's own language,
    # after the event when there is only one
    only = events[0] if len(events) == 1 else None
    if user.locale.startswith("zh"):
        title = (only.title_zh or only.title_en) if only else "云路演"
        person = user.name_native or user.name
    else:
        title = (only.title_en or only.title_zh) if only else "Roadshow"
        person = user.name
    occurrences.sort(key=lambda o: (o.starts_at, o.uid))
    return invites.feed(occurrences, zone=user.timezone, locale=user.locale, name=f"{title} · {person}")


def public_feed(session: Session, event: Event, locale: str = "en") -> bytes:
    """The published programme of the event, without anyone's address or name, in the event's zone."""
    from dataclasses import replace

    seen: dict[str, invites.Occurrence] = {}
    for d in deliveries(session, event):
        if d.uid not in seen:
            # no addresses and no presenters' names: only titles and times are public
            seen[d.uid] = replace(d.occurrence, attendees=(), organizer=None,
                                  description_en=event.title_en, description_zh=event.title_zh)
    return invites.feed(sorted(seen.values(), key=lambda o: (o.starts_at, o.uid)),
                        zone=event.timezone, locale=locale, name=event.title_en)


def occurrence_for(session: Session, user: User, grant: Grant, event: Event, *,
                   slot: Slot | None = None,
                   pitch_session: PitchSession | None = None) -> invites.Occurrence | None:
    """The calendar entry of one slot or session, as a download.

    Participants and organizers get the entry as invited; anyone else gets the public view of
    it (no addresses, no presenter's name).
    """
    from dataclasses import replace

    target_uid = slot_uid(slot, event) if slot is not None else session_uid(pitch_session)  # type: ignore[arg-type]
    organizer = Role.ORGANIZER in grant.roles
    for d in deliveries(session, event, published_only=not organizer):
        if d.uid == target_uid:
            occ = d.occurrence
            if organizer or any(p.email == user.email for p in occ.attendees):
                return occ
            return replace(occ, attendees=(), organizer=None,
                           description_en=event.title_en, description_zh=event.title_zh)
    return None


def set_rsvp(session: Session, actor: User, event: Event, uid: str, status: RsvpStatus,
             comment: str = "") -> Rsvp:
    """Accept or decline an entry of ``event`` the actor was invited to."""
    mine = {d.uid: d for d in deliveries(session, event)}
    mine = {u: d for u, d in mine.items()
            if any(p.email == actor.email for p in d.occurrence.attendees)}
    if uid not in mine:
        raise ScheduleError("not_invited")
    # by UID, which names one event's entry (the row may still point at a session the entry
    # has left)
    row = session.scalar(unscoped(select(Rsvp).where(Rsvp.user_id == actor.id, Rsvp.uid == uid),
                                  "an answer's UID names its event"))
    if row is None:
        row = Rsvp(user_id=actor.id, uid=uid)
        session.add(row)
    row.status = status
    row.comment = comment.strip()[:500]
    row.slot_id = mine[uid].slot_id
    row.session_id = mine[uid].session_id
    session.flush()
    return row


def rsvps_by_uid(session: Session, event: Event) -> dict[str, list[Rsvp]]:
    out: dict[str, list[Rsvp]] = defaultdict(list)
    for row in session.scalars(scoped(select(Rsvp).options(selectinload(Rsvp.user))
                                      .order_by(Rsvp.id), event)):
        out[row.uid].append(row)
    return out


def my_entries(session: Session, user: User, event: Event) -> list[Delivery]:
    seen: set[str] = set()
    out = []
    for d in deliveries(session, event):
        if d.user.id == user.id and d.uid not in seen:
            seen.add(d.uid)
            out.append(d)
    return sorted(out, key=lambda d: d.occurrence.starts_at)


def my_rsvps(session: Session, user: User, event: Event) -> dict[str, Rsvp]:
    return {r.uid: r for r in session.scalars(scoped(
        select(Rsvp).where(Rsvp.user_id == user.id), event))}
