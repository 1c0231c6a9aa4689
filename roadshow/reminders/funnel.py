"""The organizers' daily digest of their events' funnel (issue 17): at 08:00 in their own zone,
each organizer (an organizer member of an office, for its events; an event's own organizer, for
that event) is told what came since 08:00 the day before, event by event: new applications,
reviews submitted and still open, new finalists, sessions coming up, intents sealed and waiting
for signatures, milestones overdue and jobs that failed, each figure with the page it counts.

It goes through ``notify()`` like every reminder (the person's choice of channel, the centre,
the unsubscribe link), once a day (the key names the recipient's local day) and only when there
is something to report. The every-minute reminder run calls :func:`send_funnel_digests` with
its clock; people whose clock does not show eight are skipped in a query's time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.events.models import Event, PhaseKind
from roadshow.i18n import zone_or_utc
from roadshow.jobs.models import Job, JobStatus
from roadshow.notifications.digest import DIGEST_HOUR
from roadshow.notifications.services import notify, page
from roadshow.organisations.models import (
    EventRole,
    EventRoleKind,
    OrganisationMember,
    OrganisationRole,
)
from roadshow.outcomes.models import Milestone, MilestoneState
from roadshow.reminders.periodic import already_sent, send_each
from roadshow.review.models import (
    Assignment,
    Review,
    ReviewSettings,
    ReviewStatus,
    SelectionDecision,
)
from roadshow.scheduling.models import PitchSession, SessionStatus
from roadshow.scoping import unscoped
from roadshow.signing.flow import IntentState
from roadshow.signing.models import Intent

#: the sessions the digest lists as coming up: those starting within this of the morning
UPCOMING = timedelta(hours=48)

TEMPLATE = "reminders/mail/funnel_digest"
KIND = "funnel_digest"


@dataclass(frozen=True)
class Figure:
    """One line of the digest: what it counts (a lazy label ending in its colon), how many,
    and the path of the page that lists them."""

    key: str
    label: Any
    count: int
    url: str


@dataclass
class EventFigures:
    """An event's figures; ``event`` is ``None`` for the recipient's own work outside any event
    (an office's talent pool invitations that failed)."""

    event: Event | None
    figures: list[Figure]


@dataclass(frozen=True)
class Window:
    """The recipient's digest day: from ``since`` (08:00 the day before, their zone) to now."""

    day: date
    since: datetime
    now: datetime


def window(zone: str, now: datetime) -> Window | None:
    """The window of the digest due at ``now`` for someone in ``zone``, or ``None`` when their
    clock does not show the digest's hour (an unknown zone counts as UTC)."""
    tz = zone_or_utc(zone)
    local = now.astimezone(tz)
    if local.hour != DIGEST_HOUR:
        return None
    yesterday = local.date() - timedelta(days=1)
    since = datetime.combine(yesterday, time(DIGEST_HOUR), tzinfo=tz).astimezone(now.tzinfo)
    return Window(local.date(), since, now)


def this_morning(zone: str, now: datetime) -> Window:
    """The window of the last digest due by ``now`` in ``zone`` (today's 08:00, or
    yesterday's before it)."""
    tz = zone_or_utc(zone)
    day = now.astimezone(tz).date()
    morning = datetime.combine(day, time(DIGEST_HOUR), tzinfo=tz)
    if morning > now:
        day -= timedelta(days=1)
        morning = datetime.combine(day, time(DIGEST_HOUR), tzinfo=tz)
    at = morning.astimezone(now.tzinfo)
    return Window(day, datetime.combine(day - timedelta(days=1), time(DIGEST_HOUR),
                                        tzinfo=tz).astimezone(now.tzinfo), at)


def key_of(day: date) -> str:
    return f"{KIND}:{day.isoformat()}"


# --- who organises what ------------------------------------------------------------------------

def organised_events(session: Session) -> dict[int, set[int]]:
    """Each organizer's events: every event of the offices they organise, and the events they
    organise alone. An archived event stays in (its projects' milestones and intents go on;
    nothing new comes to its call or review)."""
    events: dict[int, set[int]] = defaultdict(set)
    for user_id, event_id in session.execute(unscoped(
            select(OrganisationMember.user_id, Event.id)
            .join(Event, Event.organisation_id == OrganisationMember.organisation_id)
            .where(OrganisationMember.role == OrganisationRole.ORGANIZER),
            "the digest run looks at every office's organizers")):
        events[user_id].add(event_id)
    for user_id, event_id in session.execute(unscoped(
            select(EventRole.user_id, EventRole.event_id)
            .join(Event, Event.id == EventRole.event_id)
            .where(EventRole.role == EventRoleKind.ORGANIZER),
            "the digest run looks at every event's own organizers")):
        events[user_id].add(event_id)
    return events


# --- the figures -------------------------------------------------------------------------------

def _counts(session: Session, query: Any, reason: str) -> dict[int, int]:
    return {event_id: count for event_id, count in session.execute(unscoped(query, reason))}


def _in_window(column: Any, when: Window) -> Any:
    return and_(column >= when.since, column < when.now)


def _new_applications(session: Session, ids: list[int], when: Window) -> dict[int, int]:
    return _counts(session, select(Application.event_id, func.count(Application.id))
                   .where(Application.event_id.in_(ids),
                          _in_window(Application.submitted_at, when))
                   .group_by(Application.event_id), "the digest's new applications")


def _reviews_submitted(session: Session, ids: list[int], when: Window) -> dict[int, int]:
    return _counts(session, select(Application.event_id, func.count(Review.id))
                   .join(Application, Review.application_id == Application.id)
                   .where(Application.event_id.in_(ids), Review.status == ReviewStatus.SUBMITTED,
                          _in_window(Review.submitted_at, when))
                   .group_by(Application.event_id), "the digest's reviews submitted")


def _reviews_open(session: Session, events: dict[int, Event], when: Window) -> dict[int, int]:
    """Assignments without a submitted review, while the review is open: not closed by the
    organizers and its phase not over before the digest's day began."""
    ids = [event_id for event_id, event in events.items() if event.stage_review and (
        (phase := event.phase(PhaseKind.REVIEW)) is None or phase.ends_at is None
        or phase.ends_at > when.since)]
    if not ids:
        return {}
    submitted = exists().where(
        Review.application_id == Assignment.application_id, Review.judge_id == Assignment.judge_id,
        Review.round == Assignment.round, Review.status == ReviewStatus.SUBMITTED)
    closed = exists().where(ReviewSettings.event_id == Assignment.event_id,
                            ReviewSettings.closed_at.is_not(None))
    return _counts(session, select(Assignment.event_id, func.count(Assignment.id))
                   .join(Application, Assignment.application_id == Application.id)
                   .where(Assignment.event_id.in_(ids), ~submitted, ~closed,
                          Application.status != ApplicationStatus.WITHDRAWN)
                   .group_by(Assignment.event_id), "the digest's open reviews")


def _new_finalists(session: Session, ids: list[int], when: Window) -> dict[int, int]:
    return _counts(session, select(SelectionDecision.event_id, func.count(SelectionDecision.id))
                   .join(Application, SelectionDecision.application_id == Application.id)
                   .where(SelectionDecision.event_id.in_(ids), SelectionDecision.selected.is_(True),
                          Application.status == ApplicationStatus.FINALIST,
                          _in_window(SelectionDecision.decided_at, when))
                   .group_by(SelectionDecision.event_id), "the digest's new finalists")


def _sessions_coming(session: Session, ids: list[int], when: Window) -> dict[int, int]:
    return _counts(session, select(PitchSession.event_id, func.count(PitchSession.id))
                   .where(PitchSession.event_id.in_(ids),
                          PitchSession.status == SessionStatus.PUBLISHED,
                          PitchSession.starts_at >= when.now,
                          PitchSession.starts_at < when.now + UPCOMING)
                   .group_by(PitchSession.event_id), "the digest's sessions coming up")


def _intents_sealed(session: Session, ids: list[int], when: Window) -> dict[int, int]:
    return _counts(session, select(Application.event_id, func.count(Intent.id))
                   .join(Application, Intent.application_id == Application.id)
                   .where(Application.event_id.in_(ids), _in_window(Intent.sealed_at, when))
                   .group_by(Application.event_id), "the digest's intents sealed")


def _intents_waiting(session: Session, ids: list[int], when: Window) -> dict[int, int]:
    return _counts(session, select(Application.event_id, func.count(Intent.id))
                   .join(Application, Intent.application_id == Application.id)
                   .where(Application.event_id.in_(ids),
                          Intent.state == IntentState.OUT_FOR_SIGNATURE,
                          or_(Intent.expires_at.is_(None), Intent.expires_at > when.now))
                   .group_by(Application.event_id), "the digest's intents out for signature")


def _milestones_overdue(session: Session, events: dict[int, Event],
                        when: Window) -> dict[int, int]:
    """Milestones not confirmed whose day is past in their office's zone (as the outcomes'
    own overdue reminders count them)."""
    by_day: dict[date, list[int]] = defaultdict(list)
    for event_id, event in events.items():
        if event.organisation is not None:
            zone = event.organisation.timezone or "Asia/Shanghai"
            by_day[when.now.astimezone(zone_or_utc(zone)).date()].append(event_id)
    counts: dict[int, int] = {}
    for today, ids in by_day.items():
        counts.update(_counts(session, select(Milestone.event_id, func.count(Milestone.id))
                              .where(Milestone.event_id.in_(ids),
                                     Milestone.state != MilestoneState.CONFIRMED,
                                     Milestone.due_on < today)
                              .group_by(Milestone.event_id), "the digest's overdue milestones"))
    return counts


def _jobs_failed(session: Session, ids: list[int], when: Window) -> dict[int, int]:
    return _counts(session, select(Job.event_id, func.count(Job.id))
                   .where(Job.event_id.in_(ids), Job.status == JobStatus.FAILED,
                          _in_window(Job.finished_at, when))
                   .group_by(Job.event_id), "the digest's failed jobs")


def _by_ids(count: Callable[[Session, list[int], Window], dict[int, int]]) -> Callable[
        [Session, dict[int, Event], Window], dict[int, int]]:
    return lambda session, events, when: count(session, sorted(events), when)


def _event_page(endpoint: str, **args: Any) -> Callable[[Event], str]:
    return lambda event: page(endpoint, event_slug=event.slug, **args)


def _office_page(endpoint: str) -> Callable[[Event], str]:
    return lambda event: (page(endpoint, org_slug=event.organisation.slug)
                          if event.organisation is not None else page("core.dashboard"))


#: the digest's lines in order: key, label, how they are counted, the page that lists them
FIGURES: tuple[tuple[str, Any, Callable[..., dict[int, int]], Callable[[Event], str]], ...] = (
    ("applications", _l("New applications:"), _by_ids(_new_applications),
     _event_page("applications.manage")),
    ("reviews", _l("Reviews submitted:"), _by_ids(_reviews_submitted),
     _event_page("review.overview")),
    ("open", _l("Reviews still open:"), _reviews_open, _event_page("review.assignment")),
    ("finalists", _l("New finalists:"), _by_ids(_new_finalists), _event_page("review.selection")),
    ("sessions", _l("Pitch sessions in the next two days:"), _by_ids(_sessions_coming),
     _event_page("scheduling.manage")),
    ("sealed", _l("Intents sealed:"), _by_ids(_intents_sealed),
     _event_page("signing.board", state=IntentState.COMPLETED.value)),
    ("waiting", _l("Intents waiting for signatures:"), _by_ids(_intents_waiting),
     _event_page("signing.board", state=IntentState.OUT_FOR_SIGNATURE.value)),
    ("overdue", _l("Milestones overdue:"), _milestones_overdue, _office_page("outcomes.projects_list")),
    ("failed", _l("Background jobs that failed:"), _by_ids(_jobs_failed),
     lambda _event: page("jobs.index")),
)


def figures_for(session: Session, event_ids: set[int], when: Window) -> list[EventFigures]:
    """The events among ``event_ids`` with something to report, each with its figures above
    zero, in the order the events were made."""
    events = {event.id: event for event in session.scalars(unscoped(
        select(Event).where(Event.id.in_(sorted(event_ids)))
        .options(selectinload(Event.phases), selectinload(Event.organisation)),
        "the digest's events"))}
    if not events:
        return []
    counted = {key: count(session, events, when) for key, _label, count, _url in FIGURES}
    found = []
    for event_id in sorted(events):
        event = events[event_id]
        figures = [Figure(key, label, counted[key][event_id], url(event))
                   for key, label, _count, url in FIGURES if counted[key].get(event_id)]
        if figures:
            found.append(EventFigures(event, figures))
    return found


def own_jobs_failed(session: Session, person: User, when: Window) -> EventFigures | None:
    """The jobs ``person`` started outside any event that failed in the window."""
    count = session.scalar(unscoped(select(func.count(Job.id)).where(
        Job.actor_id == person.id, Job.event_id.is_(None), Job.status == JobStatus.FAILED,
        _in_window(Job.finished_at, when)), "the digest's failed jobs outside any event")) or 0
    if not count:
        return None
    label = next(label for key, label, *_rest in FIGURES if key == "failed")
    return EventFigures(None, [Figure("failed", label, count, page("jobs.index"))])


def totals(found: list[EventFigures]) -> dict[str, int]:
    summed = {key: 0 for key, *_rest in FIGURES}
    for event_figures in found:
        for figure in event_figures.figures:
            summed[figure.key] += figure.count
    return summed


# --- sending -----------------------------------------------------------------------------------

def send_to(session: Session, person: User, event_ids: set[int], when: Window, *,
            email: bool = True) -> bool:
    """Tell ``person`` their funnel of the day (unless there is nothing to tell); whether it
    was sent now. Without ``email`` (the demo) it is told in the app only."""
    found = figures_for(session, event_ids, when)
    own = own_jobs_failed(session, person, when)
    if own is not None:
        found.append(own)
    if not found:
        return False
    url = page("core.dashboard")
    # the wording the office wrote for its digest (the first office among the events told of)
    office = next((item.event.organisation for item in found
                   if item.event is not None and item.event.organisation is not None), None)
    made = notify(
        session, person, KIND, url=url,
        params={"date": when.day.isoformat(), **totals(found)},
        dedupe_key=key_of(when.day), email_template=TEMPLATE if email else None,
        email_context={"person": person, "events": found, "day": when.day, "organisation": office,
                       "since": when.since, "url_path": url},
        now=when.now)
    return made is not None


def send_funnel_digests(session: Session, now: datetime | None = None) -> int:
    """Send the digest of every organizer whose clock shows eight and who has not had today's;
    each is committed on its own (its mail goes to SMTP then). Returns how many went out."""
    now = now or utcnow()
    organisers = organised_events(session)
    if not organisers:
        return 0
    people = [person for person in session.scalars(
        select(User).where(User.id.in_(sorted(organisers)), User.active.is_(True))
        .order_by(User.id)) if window(person.timezone, now) is not None]
    if not people:
        return 0
    days = {person.id: window(person.timezone, now) for person in people}
    seen = already_sent(session, {pid: key_of(when.day) for pid, when in days.items() if when})
    due = [person for person in people
           if days[person.id] and (person.id, key_of(days[person.id].day)) not in seen]
    return send_each(session, due, lambda person: send_to(
        session, person, organisers[person.id], days[person.id]), "funnel digest")
