"""What the schedule asks of a person in each of their events, for the dashboard's cards
(issue 13, §4): an applicant's coming pitch (and whether they will be there), the availability a
finalist without a pitch time has not stated, the invitations to sessions a judge or recruiter
has not answered, and the finalists an organizer has not placed yet.

A handful of queries over all the person's events at once (never one per event)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.events.todos import Todo
from roadshow.i18n import format_when
from roadshow.organisations.grants import Grant
from roadshow.scheduling.calendar_entries import pitch_uid, session_uid
from roadshow.scheduling.models import (
    Availability,
    PitchSession,
    Rsvp,
    RsvpStatus,
    SessionAttendance,
    SessionStatus,
    Slot,
    SlotKind,
)
from roadshow.scoping import across


def todos(session: Session, user: User, grants: dict[int, Grant],
          now: datetime | None = None) -> dict[int, list[Todo]]:
    now = now or utcnow()
    applying = [event_id for event_id, grant in grants.items() if Role.APPLICANT in grant.roles]
    attending = [event_id for event_id, grant in grants.items()
                 if grant.roles & {Role.JUDGE, Role.RECRUITER}]
    organising = [event_id for event_id, grant in grants.items() if Role.ORGANIZER in grant.roles]
    out: dict[int, list[Todo]] = defaultdict(list)
    answered = _answered(session, user, list(grants))
    if applying:
        _applicant(session, user, applying, answered, now, out)
    if attending:
        _attendee(session, user, attending, answered, now, out)
    if organising:
        _organizer(session, organising, out)
    return dict(out)


def _answered(session: Session, user: User, event_ids: list[int]) -> set[str]:
    """The UIDs of the entries the user has accepted, declined or marked tentative."""
    return set(session.scalars(across(
        select(Rsvp.uid).where(Rsvp.user_id == user.id, Rsvp.status != RsvpStatus.NEEDS_ACTION),
        event_ids)))


def _applicant(session: Session, user: User, event_ids: list[int], answered: set[str],
               now: datetime, out: dict[int, list[Todo]]) -> None:
    pitches = session.execute(across(
        select(PitchSession.event_id, Slot.application_id, func.min(Slot.starts_at))
        .join(Slot, Slot.session_id == PitchSession.id)
        .join(Application, Application.id == Slot.application_id)
        .where(Application.applicant_id == user.id, Slot.kind == SlotKind.PITCH,
               PitchSession.status == SessionStatus.PUBLISHED, Slot.ends_at > now,
               Application.status == ApplicationStatus.FINALIST)
        .group_by(PitchSession.event_id, Slot.application_id), event_ids)).all()
    pitching: set[int] = set()
    for event_id, application_id, starts_at in pitches:
        pitching.add(event_id)
        out[event_id].append(Todo(
            "pitch", 0, _("Your pitch: %(when)s", when=format_when(starts_at)),
            "scheduling.index", due_at=starts_at))
        uid = pitch_uid(application_id, event_id)
        if uid not in answered:
            out[event_id].append(Todo(
                "pitch_rsvp", 1, _("Say whether you will pitch at this time."),
                "scheduling.index", due_at=starts_at, rsvp_uid=uid))
    finalists = set(session.scalars(across(
        select(Application.event_id).where(Application.applicant_id == user.id,
                                           Application.status == ApplicationStatus.FINALIST),
        event_ids)))
    stated = set(session.scalars(across(
        select(Availability.event_id).where(Availability.user_id == user.id), event_ids)))
    for event_id in sorted(finalists - pitching - stated):
        out[event_id].append(Todo(
            "availability", 1, _("Tell the organizers when you can pitch, in your time zone."),
            "scheduling.availability"))


def _attendee(session: Session, user: User, event_ids: list[int], answered: set[str],
              now: datetime, out: dict[int, list[Todo]]) -> None:
    rows = session.execute(across(
        select(PitchSession.event_id, PitchSession.uid, PitchSession.starts_at)
        .join(SessionAttendance, SessionAttendance.session_id == PitchSession.id)
        .where(SessionAttendance.user_id == user.id,
               PitchSession.status == SessionStatus.PUBLISHED, PitchSession.starts_at > now),
        event_ids)).all()
    open_: Counter[int] = Counter()
    first: dict[int, datetime] = {}
    for event_id, uid, starts_at in rows:
        if session_uid(uid) in answered:
            continue
        open_[event_id] += 1
        first[event_id] = min(starts_at, first.get(event_id, starts_at))
    for event_id, count in open_.items():
        out[event_id].append(Todo(
            "session_rsvps", count,
            ngettext("%(num)d session invitation to answer", "%(num)d session invitations to answer",
                     count),
            "scheduling.index", due_at=first[event_id]))


def _organizer(session: Session, event_ids: list[int], out: dict[int, list[Todo]]) -> None:
    with_sessions = set(session.scalars(across(
        select(PitchSession.event_id).distinct(), event_ids)))
    if not with_sessions:
        return
    placed = (select(Slot.id).join(PitchSession, PitchSession.id == Slot.session_id)
              .where(and_(Slot.application_id == Application.id,
                          PitchSession.event_id == Application.event_id)))
    rows = session.execute(across(
        select(Application.event_id, func.count())
        .where(Application.status == ApplicationStatus.FINALIST, ~placed.exists())
        .group_by(Application.event_id), sorted(with_sessions))).all()
    for event_id, count in rows:
        out[event_id].append(Todo(
            "finalists_to_place", count,
            ngettext("%(num)d finalist without a pitch slot", "%(num)d finalists without a pitch slot",
                     count),
            "scheduling.manage"))

