"""Calendar invites by email: the REQUESTs and CANCELs that bring calendars in line with the
schedule (rising SEQUENCE), sent in committed batches and recorded.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.db import utcnow
from roadshow.events.models import Event
from roadshow.mail.outbox import CalendarPart, queue_email
from roadshow.scheduling import invites
from roadshow.scheduling.calendar_entries import (
    deliveries,
    entry_fingerprint,
    organizer_of,
    with_sequence,
)
from roadshow.scheduling.models import (
    CalendarInvite,
    InviteMethod,
    Rsvp,
    RsvpStatus,
    SendJob,
)
from roadshow.scoping import scoped, unscoped

log = logging.getLogger("roadshow.scheduling")


@dataclass
class Planned:
    user: User
    method: InviteMethod
    occurrence: invites.Occurrence
    fingerprint: str
    slot_id: int | None
    session_id: int | None
    previous: CalendarInvite | None


def plan_invites(session: Session, event: Event) -> list[Planned]:
    """The REQUESTs and CANCELs needed to bring every calendar in line with the schedule.

    A UID's SEQUENCE rises above everything sent for it whenever its time, place or title
    changes (or it comes back after a cancellation); a person who should no longer hold an
    entry gets a CANCEL with a SEQUENCE higher still. Unchanged entries send nothing.
    """
    now = utcnow()
    # nothing is sent for an entry that has already started: a pitch recorded as given, a
    # session under way (nor cancelled: a past entry is history, not a plan)
    wanted = [d for d in deliveries(session, event) if d.occurrence.starts_at > now]
    # the event's rows, those of its deleted sessions and slots included (their cancellations
    # are this event's to send, never another's)
    sent: dict[tuple[int, str], CalendarInvite] = {
        (row.user_id, row.uid): row for row in session.scalars(scoped(
            select(CalendarInvite).where(CalendarInvite.event_id == event.id)
            .order_by(CalendarInvite.id), event))}
    by_uid: dict[str, list[CalendarInvite]] = defaultdict(list)
    for row in sent.values():
        by_uid[row.uid].append(row)
    fingerprints = {d.uid: entry_fingerprint(d.occurrence) for d in wanted}
    sequence: dict[str, int] = {}
    for uid, fp in fingerprints.items():
        rows = by_uid.get(uid, [])
        if not rows:
            sequence[uid] = 0
            continue
        top = max(r.sequence for r in rows)
        changed = any(r.method == InviteMethod.REQUEST and r.fingerprint != fp for r in rows)
        revived = all(r.method == InviteMethod.CANCEL for r in rows)
        sequence[uid] = top + 1 if changed or revived else top
    planned: list[Planned] = []
    seen: set[tuple[int, str]] = set()
    for d in wanted:
        key = (d.user.id, d.uid)
        if key in seen:
            continue
        seen.add(key)
        previous = sent.get(key)
        seq = sequence[d.uid]
        if previous is not None and previous.method == InviteMethod.CANCEL and previous.sequence >= seq:
            seq = sequence[d.uid] = previous.sequence + 1
        fp = fingerprints[d.uid]
        if previous is not None and previous.method == InviteMethod.REQUEST and \
                previous.fingerprint == fp and previous.sequence == seq:
            continue
        planned.append(Planned(d.user, InviteMethod.REQUEST, with_sequence(d.occurrence, seq), fp,
                               d.slot_id, d.session_id, previous))
    chair = _chair(session, event)
    for (user_id, uid), row in sent.items():
        if (user_id, uid) in seen or row.method == InviteMethod.CANCEL or row.starts_at <= now:
            continue
        user = session.get(User, user_id)
        if user is None:
            continue
        seq = max(r.sequence for r in by_uid[uid]) + 1
        occ = invites.Occurrence(
            uid=uid, sequence=seq, starts_at=row.starts_at, ends_at=row.ends_at,
            summary_en="Cancelled: roadshow appointment", summary_zh="已取消：路演安排",
            description_en="This appointment was removed from the roadshow schedule.",
            description_zh="该安排已从路演日程中移除。", event_zone=event.timezone,
            organizer=chair, attendees=(invites.Person(user.email, user.name, rsvp=False),))
        planned.append(Planned(user, InviteMethod.CANCEL, occ, "", row.slot_id, row.session_id, row))
    return planned


def _reset_answers_on_change(session: Session, planned: list[Planned]) -> list[Planned]:
    """A new time or place asks everyone again: answers to a changed entry go back to
    NEEDS-ACTION, in the app and in the ATTENDEE lines of the update."""
    from dataclasses import replace

    changed = {p.occurrence.uid for p in planned
               if p.method == InviteMethod.REQUEST and p.previous is not None
               and p.previous.method == InviteMethod.REQUEST and p.previous.fingerprint != p.fingerprint}
    if not changed:
        return planned
    for row in session.scalars(unscoped(select(Rsvp).where(Rsvp.uid.in_(sorted(changed))),
                                        "answers to this event's changed entries, by UID")):
        row.status = RsvpStatus.NEEDS_ACTION
    out = []
    for p in planned:
        if p.occurrence.uid in changed:
            people = tuple(replace(a, partstat="NEEDS-ACTION") for a in p.occurrence.attendees)
            p = replace(p, occurrence=replace(p.occurrence, attendees=people))
        out.append(p)
    return out


def _chair(session: Session, event: Event) -> invites.Person | None:
    organizer = organizer_of(session, event)
    return invites.Person(organizer.email, organizer.name, role=invites.CHAIR) if organizer else None


def send_invites(session: Session, actor: User, event: Event, job: SendJob | None = None,
                 *, progress: Callable[[int, int], None] | None = None,
                 batch: int = 25, email: bool = True) -> SendJob:
    """Send every planned invite by email (queued in the outbox) and record what was sent.

    Commits every ``batch`` messages so progress shows and mail leaves in steps.
    """
    planned = _reset_answers_on_change(session, plan_invites(session, event))
    if job is None:
        job = SendJob(event_id=event.id, actor_id=actor.id)
        session.add(job)
    job.total = len(planned)
    job.done = 0
    session.commit()
    stamp = utcnow()
    builder = invites.InviteBatch(stamp)  # identical messages are serialised once
    for i, p in enumerate(planned, start=1):
        user = p.user
        ics = builder.invite(p.occurrence, method=p.method.value, zone=user.timezone, locale=user.locale)
        if email:
            template = "scheduling/mail/invite" if p.method == InviteMethod.REQUEST else "scheduling/mail/cancel"
            queue_email(user, template, {
                "occurrence": p.occurrence, "event": event, "user": user,
                "updated": p.previous is not None and p.previous.method == InviteMethod.REQUEST,
                "session_id": p.session_id,  # the session's live room, linked in the email
            }, calendar=CalendarPart(p.method.value, ics, filename="roadshow.ics"), session=session)
        row = p.previous
        if row is None:
            row = CalendarInvite(event_id=event.id, user_id=user.id, uid=p.occurrence.uid)
            session.add(row)
        row.sequence = p.occurrence.sequence
        row.method = p.method
        row.starts_at, row.ends_at = p.occurrence.starts_at, p.occurrence.ends_at
        row.fingerprint = p.fingerprint
        row.slot_id, row.session_id = p.slot_id, p.session_id
        row.sent_at = stamp
        if p.method == InviteMethod.REQUEST:
            job.requests += 1
        else:
            job.cancels += 1
        job.done = i
        if i % batch == 0:
            session.commit()
            if progress:
                progress(i, len(planned))
    job.finished_at = utcnow()
    session.commit()
    if progress:
        progress(len(planned), len(planned))
    log.info("user %s sent %s invites (%s requests, %s cancels) for event %s",
             actor.id, job.total, job.requests, job.cancels, event.id)
    return job
