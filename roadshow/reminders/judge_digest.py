"""The judges' weekly digest of their open reviews (issue 17): on Monday at 08:00 in their own
zone, each judge with assignments not yet submitted in an event whose review is open is told how
many are still open there, when that review closes (in their zone) and where their review list
is.

Like the organizers' funnel digest (roadshow.reminders.funnel) it goes through ``notify()`` (the
judge's choice of channel, the centre, the unsubscribe link), once a week (the key names the
judge's ISO week) and only when something is open: not when the organizers closed the review or
its phase is over, not for an application a conflict keeps from the judge, not for an archived
event. The every-minute reminder run calls :func:`send_judge_digests` with its clock."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.events.models import Event, PhaseKind
from roadshow.i18n import zone_or_utc
from roadshow.notifications.digest import DIGEST_HOUR
from roadshow.notifications.services import notify, page
from roadshow.reminders.periodic import already_sent, send_each
from roadshow.review.models import Assignment, Conflict, Review, ReviewSettings, ReviewStatus
from roadshow.review.review_scope import IN_REVIEW
from roadshow.scoping import unscoped

#: the digest goes out on this weekday (Monday) at DIGEST_HOUR, in the judge's zone
WEEKDAY = 0

TEMPLATE = "reminders/mail/judge_digest"
KIND = "judge_weekly_digest"


@dataclass(frozen=True)
class OpenReviews:
    """A judge's open reviews in one event, the moment its review closes (``None``: no date
    set) and the path of their review list there."""

    event: Event
    count: int
    closes_at: datetime | None
    url: str


def week_due(zone: str, now: datetime) -> date | None:
    """The Monday of the digest due at ``now`` for someone in ``zone``, or ``None`` when their
    clock does not show Monday's digest hour (an unknown zone counts as UTC)."""
    local = now.astimezone(zone_or_utc(zone))
    if local.weekday() != WEEKDAY or local.hour != DIGEST_HOUR:
        return None
    return local.date()


#: every offset from UTC a zone may have, in quarter hours (UTC-12:00 to UTC+14:00)
_OFFSETS = tuple(timedelta(minutes=15 * quarter) for quarter in range(-48, 57))


def due_somewhere(now: datetime) -> bool:
    """Whether some zone's clock shows Monday's digest hour at ``now``: the other six days the
    every-minute run looks no further."""
    return any((now.astimezone(UTC) + offset).weekday() == WEEKDAY
               and (now.astimezone(UTC) + offset).hour == DIGEST_HOUR for offset in _OFFSETS)


def key_of(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{KIND}:{year}-W{week:02d}"


def open_events(session: Session, now: datetime) -> dict[int, Event]:
    """The events whose review is open at ``now``: reviewed, not archived, not closed by the
    organizers, and within the review phase (an event without dates counts as open)."""
    closed = exists().where(ReviewSettings.event_id == Event.id,
                            ReviewSettings.closed_at.is_not(None))
    events = session.scalars(unscoped(
        select(Event).where(Event.stage_review.is_(True), Event.archived_at.is_(None), ~closed)
        .options(selectinload(Event.phases)).order_by(Event.id),
        "the judges' digest looks at every event's review")).all()
    found = {}
    for event in events:
        phase = event.phase(PhaseKind.REVIEW)
        if phase is not None and ((phase.starts_at is not None and phase.starts_at > now)
                                  or (phase.ends_at is not None and phase.ends_at <= now)):
            continue
        found[event.id] = event
    return found


def open_counts(session: Session, event_ids: list[int],
                judge_ids: list[int] | None = None) -> dict[int, dict[int, int]]:
    """Judge -> event -> how many of their assignments there are not submitted, leaving out
    applications withdrawn or out of review and those a conflict in force keeps from them."""
    if not event_ids:
        return {}
    submitted = exists().where(
        Review.application_id == Assignment.application_id, Review.judge_id == Assignment.judge_id,
        Review.round == Assignment.round, Review.status == ReviewStatus.SUBMITTED)
    conflicted = exists().where(
        Conflict.judge_id == Assignment.judge_id, Conflict.application_id == Assignment.application_id,
        Conflict.dismissed_at.is_(None))
    query = (select(Assignment.judge_id, Assignment.event_id, func.count(Assignment.id))
             .join(Application, Assignment.application_id == Application.id)
             .where(Assignment.event_id.in_(event_ids), ~submitted, ~conflicted,
                    Application.status.in_(IN_REVIEW))
             .group_by(Assignment.judge_id, Assignment.event_id))
    if judge_ids is not None:
        query = query.where(Assignment.judge_id.in_(judge_ids))
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for judge_id, event_id, count in session.execute(unscoped(
            query, "the judges' digest counts every open review")):
        counts[judge_id][event_id] = count
    return counts


def send_to(session: Session, judge: User, found: list[OpenReviews], monday: date,
            now: datetime) -> bool:
    """Tell ``judge`` their open reviews (``found``, one per event, none empty); whether it
    was sent now."""
    if not found:
        return False
    total = sum(item.count for item in found)
    single = found[0].event if len(found) == 1 else None
    url = found[0].url if single is not None else page("core.dashboard")
    made = notify(
        session, judge, KIND, url=url,
        params={"num": total, "events": len(found)},
        organisation_id=single.organisation_id if single is not None else None,
        event_id=single.id if single is not None else None,
        dedupe_key=key_of(monday), email_template=TEMPLATE,
        email_context={"person": judge, "reviews_open": found, "count": total, "event": single,
                       "organisation": found[0].event.organisation, "url_path": url},
        now=now)
    return made is not None


def send_judge_digests(session: Session, now: datetime | None = None) -> int:
    """Send the weekly digest of every judge whose clock shows Monday 08:00, who has reviews
    open and has not had this week's; each is committed on its own. Returns how many went
    out."""
    now = now or utcnow()
    if not due_somewhere(now):
        return 0
    events = open_events(session, now)
    counts = open_counts(session, sorted(events))
    if not counts:
        return 0
    judges = [judge for judge in session.scalars(
        select(User).where(User.id.in_(sorted(counts)), User.active.is_(True)).order_by(User.id))
        if week_due(judge.timezone, now) is not None]
    if not judges:
        return 0
    weeks = {judge.id: week_due(judge.timezone, now) for judge in judges}
    seen = already_sent(session, {jid: key_of(monday) for jid, monday in weeks.items() if monday})

    def send(judge: User) -> bool:
        found = []
        for event_id, count in sorted(counts[judge.id].items()):
            event = events[event_id]
            phase = event.phase(PhaseKind.REVIEW)
            found.append(OpenReviews(event, count, phase.ends_at if phase is not None else None,
                                     page("review.queue", event_slug=event.slug)))
        return send_to(session, judge, found, weeks[judge.id], now)

    due = [judge for judge in judges
           if weeks[judge.id] and (judge.id, key_of(weeks[judge.id])) not in seen]
    return send_each(session, due, send, "weekly review digest")
