"""Which reminders are due at ``now``: pure (no Flask, no database), given the moments they
remind of, so the periodic run and its benchmark decide the same way and tests pass the clock.

A reminder is due from ``deadline - lead`` until the deadline; after the deadline it is pointless
and is never sent late. Its ``dedupe_key`` names the moment it reminds of, so it goes out once
(the sender refuses a key it has seen), and moving the moment (a rescheduled pitch, an extended
review window) makes a new reminder due.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

#: a finalist is reminded a day and an hour before their pitch
PITCH_LEADS = (("pitch24", timedelta(hours=24)), ("pitch1", timedelta(hours=1)))
#: a finalist placed in a live session is sent the room's device check two days before it
DEVICE_CHECK_LEAD = timedelta(hours=48)


@dataclass(frozen=True)
class Moment:
    """Something ``user_id`` must be at or finish by ``at`` (UTC): ``subject_id`` names it (a
    pitch slot, an event's review window, an application)."""

    subject_id: int
    user_id: int
    at: datetime


@dataclass(frozen=True)
class Due:
    kind: str
    user_id: int
    subject_id: int
    at: datetime  # the moment reminded of (UTC); the mail shows it in the reader's zone
    dedupe_key: str


def is_due(at: datetime, lead: timedelta, now: datetime) -> bool:
    """Within ``lead`` before ``at``, and not after it."""
    return at - lead <= now < at


def _key(kind: str, moment: Moment) -> str:
    return f"{kind}:{moment.subject_id}:{moment.user_id}:{int(moment.at.timestamp())}"


def pitch_reminders(slots: Iterable[Moment], now: datetime) -> list[Due]:
    """The day-before and hour-before reminders of finalists' pitches due at ``now``; within the
    last hour only the hour-before one (a late-scheduled pitch gets no stale day-before mail)."""
    due = []
    for slot in slots:
        for kind, lead in reversed(PITCH_LEADS):  # the nearest lead first
            if is_due(slot.at, lead, now):
                due.append(Due(kind, slot.user_id, slot.subject_id, slot.at, _key(kind, slot)))
                break
    return due


def before_deadline(kind: str, moments: Iterable[Moment], lead: timedelta,
                    now: datetime) -> list[Due]:
    """One reminder of ``kind`` per moment within ``lead`` of its deadline (a review window
    closing for a judge with open reviews, a call closing on an applicant's unsent draft)."""
    return [Due(kind, moment.user_id, moment.subject_id, moment.at, _key(kind, moment))
            for moment in moments if is_due(moment.at, lead, now)]


def device_checks(placements: Iterable[Moment], now: datetime) -> list[Due]:
    """The device check of each finalist placed in a session (``subject_id``: their slot, ``at``:
    the session's start), from :data:`DEVICE_CHECK_LEAD` before the session until it starts;
    placed later than that, they get it at once."""
    return before_deadline("device_check", placements, DEVICE_CHECK_LEAD, now)


def session_reminders(sessions: Iterable[Moment], now: datetime) -> list[Due]:
    """The same day-before and hour-before reminders for those who attend a pitch session (its
    judges and recruiters), keyed apart from the finalists' own (``session24``, ``session1``)."""
    due = []
    for moment in sessions:
        for kind, lead in reversed(PITCH_LEADS):
            if is_due(moment.at, lead, now):
                named = kind.replace("pitch", "session")
                due.append(Due(named, moment.user_id, moment.subject_id, moment.at,
                               _key(named, moment)))
                break
    return due


def overdue(kind: str, waits: Iterable[tuple[Moment, datetime | None]], wait: timedelta,
            now: datetime) -> list[Due]:
    """One reminder of ``kind`` per moment (the start of a wait: a signer's turn) that has
    waited ``wait`` by ``now``, unless the step has lapsed (its ``until``: the intent's expiry).
    The key names the moment, so a new turn (a reminder resent, the intent sent again) is a new
    reminder."""
    return [Due(kind, moment.user_id, moment.subject_id, moment.at, _key(kind, moment))
            for moment, until in waits
            if moment.at + wait <= now and (until is None or now < until)]
