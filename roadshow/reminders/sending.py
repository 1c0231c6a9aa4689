"""The periodic run of the scheduled reminders: load from the database the moments that may be
reminded of now, decide with :mod:`roadshow.reminders.due`, and send each through ``notify()``
with the key ``due`` gives it, so each reminder goes out once whatever runs it again.

Only steps still open are loaded: a pitch not yet started (a published session, the finalist
still a finalist), a judge's reviews not yet submitted, a signer whose turn it still is, a draft
not yet sent; so nothing is reminded once it is done. The clock is passed in (``now``)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_request_context
from sqlalchemy import exists, func, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, scoped_session, selectinload

from roadshow.accounts.models import User
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.applications.submission import completeness
from roadshow.db import utcnow
from roadshow.events.models import Event, EventPhase, PhaseKind
from roadshow.i18n import format_when, recipient_context
from roadshow.notifications.models import Notification
from roadshow.notifications.services import notify, page
from roadshow.reminders import due as decide
from roadshow.reminders.due import Due, Moment
from roadshow.reminders.notices import KIND_OF, TEMPLATE_OF
from roadshow.review.models import Assignment, Review, ReviewSettings, ReviewStatus
from roadshow.scheduling.models import (
    AttendanceRole,
    PitchSession,
    SessionAttendance,
    SessionStatus,
    Slot,
    SlotKind,
)
from roadshow.scoping import unscoped
from roadshow.signing import flow
from roadshow.signing.flow import IntentState, SignerState
from roadshow.signing.models import Intent, Signer
from roadshow.signing.parties_and_turns import signer_slots

log = logging.getLogger("roadshow.reminders")

#: how long before its close a judge with open reviews is reminded
REVIEW_LEAD = timedelta(days=2)
#: how long before the call closes an applicant with an unsent draft is reminded
CALL_LEAD = timedelta(days=3)
#: how long a signer's turn may wait before they are reminded (once per turn or reminder)
SIGNATURE_WAIT = timedelta(days=3)
#: the pitch reminders' longest lead
PITCH_HORIZON = decide.PITCH_LEADS[0][1]

_KEY_CHUNK = 500
_LANGUAGES = (("zh_Hans_CN", "zh"), ("en", "en"))


@dataclass
class Reminder:
    """A due reminder with what its notification and mail say."""

    due: Due
    event: Event
    url: str
    params: dict[str, Any] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)
    #: loaded at once for the reminders not sent before (not for every minute's all)
    user: User | None = None

    @property
    def kind(self) -> str:
        return KIND_OF[self.due.kind]


def _when(value: datetime, zone: str) -> dict[str, str]:
    """``when_zh`` and ``when_en``: the moment in the recipient's zone, in each language (the
    centre shows the reader's)."""
    return dict(_when_in(value, zone))


@functools.lru_cache(maxsize=4096)
def _when_in(value: datetime, zone: str) -> tuple[tuple[str, str], ...]:
    """Many reminders of one minute name one moment in a few zones: each is formatted once."""
    shown = []
    for locale, suffix in _LANGUAGES:
        with recipient_context(locale, zone):
            shown.append((f"when_{suffix}", format_when(value)))
    return tuple(shown)


@functools.lru_cache(maxsize=1024)
def _page_cached(endpoint: str, values: tuple[tuple[str, Any], ...]) -> str:
    return page(endpoint, **dict(values))


def _page(endpoint: str, **values: Any) -> str:
    """A page's path: one ``url_for`` per page, not one per reminder (a thousand finalists
    of one event are sent to its one schedule)."""
    return _page_cached(endpoint, tuple(sorted(values.items())))


def _event_names(event: Event) -> dict[str, str]:
    return {"event_zh": event.title_zh, "event_en": event.title_en}


def _project_names(application: Application) -> dict[str, str]:
    return {"project_zh": application.title_zh or application.title_en,
            "project_en": application.title_en or application.title_zh}


def _live_event() -> Any:
    return Event.archived_at.is_(None)


# --- loading what may be due ------------------------------------------------------------------

def pitch_reminders(session: Session, now: datetime) -> list[Reminder]:
    """Finalists a day and an hour before their pitch slot in a published session."""
    rows = session.execute(unscoped(
        select(Slot, PitchSession, Application, Event)
        .join(PitchSession, Slot.session_id == PitchSession.id)
        .join(Application, Slot.application_id == Application.id)
        .join(Event, PitchSession.event_id == Event.id)
        .where(Slot.kind == SlotKind.PITCH, PitchSession.status == SessionStatus.PUBLISHED,
               Application.status == ApplicationStatus.FINALIST, _live_event(),
               Slot.starts_at > now, Slot.starts_at <= now + PITCH_HORIZON),
        "the reminder run looks at every event's pitches of the next day")).all()
    by_slot = {slot.id: (slot, pitch_session, application, event)
               for slot, pitch_session, application, event in rows}
    moments = [Moment(slot.id, application.applicant_id, slot.starts_at)
               for slot, _s, application, _e in by_slot.values()]
    made = []
    for found in decide.pitch_reminders(moments, now):
        slot, pitch_session, application, event = by_slot[found.subject_id]
        url = _page("scheduling.index", event_slug=event.slug)
        made.append(Reminder(
            found, event, url,
            params={**_project_names(application), **_event_names(event)},
            context={"event": event, "application": application, "slot": slot,
                     "pitch_session": pitch_session, "starts_at": slot.starts_at,
                     "hours": 1 if found.kind == "pitch1" else 24, "url_path": url}))
    return made


def device_check_reminders(session: Session, now: datetime) -> list[Reminder]:
    """Finalists placed in a published session of an event with live rooms, up to
    ``DEVICE_CHECK_LEAD`` before the session starts: the link opens the room's device check."""
    rows = session.execute(unscoped(
        select(Slot, PitchSession, Application, Event)
        .join(PitchSession, Slot.session_id == PitchSession.id)
        .join(Application, Slot.application_id == Application.id)
        .join(Event, PitchSession.event_id == Event.id)
        .where(Slot.kind == SlotKind.PITCH, PitchSession.status == SessionStatus.PUBLISHED,
               Application.status == ApplicationStatus.FINALIST, _live_event(),
               Event.stage_live.is_(True), PitchSession.starts_at > now,
               PitchSession.starts_at <= now + decide.DEVICE_CHECK_LEAD),
        "the reminder run looks at every event's live sessions of the next two days")).all()
    by_slot = {slot.id: (slot, pitch_session, application, event)
               for slot, pitch_session, application, event in rows}
    moments = [Moment(slot.id, application.applicant_id, pitch_session.starts_at)
               for slot, pitch_session, application, _e in by_slot.values()]
    made = []
    for found in decide.device_checks(moments, now):
        slot, pitch_session, application, event = by_slot[found.subject_id]
        url = _page("live.room", event_slug=event.slug, session_id=pitch_session.id,
                    _anchor="device-check")
        made.append(Reminder(
            found, event, url,
            params={"session_zh": pitch_session.title_zh, "session_en": pitch_session.title_en,
                    **_event_names(event)},
            context={"event": event, "application": application, "slot": slot,
                     "pitch_session": pitch_session, "starts_at": pitch_session.starts_at,
                     "url_path": url}))
    return made


def session_reminders(session: Session, now: datetime) -> list[Reminder]:
    """The judges and recruiters attending a published session, a day and an hour before."""
    rows = session.execute(unscoped(
        select(SessionAttendance, PitchSession, Event)
        .join(PitchSession, SessionAttendance.session_id == PitchSession.id)
        .join(Event, PitchSession.event_id == Event.id)
        .where(SessionAttendance.role.in_([AttendanceRole.JUDGE, AttendanceRole.RECRUITER]),
               PitchSession.status == SessionStatus.PUBLISHED, _live_event(),
               PitchSession.starts_at > now, PitchSession.starts_at <= now + PITCH_HORIZON),
        "the reminder run looks at every event's sessions of the next day")).all()
    sessions = {pitch_session.id: (pitch_session, event) for _a, pitch_session, event in rows}
    moments = {Moment(pitch_session.id, attendance.user_id, pitch_session.starts_at)
               for attendance, pitch_session, _e in rows}
    made = []
    for found in decide.session_reminders(sorted(moments, key=lambda m: (m.at, m.subject_id,
                                                                          m.user_id)), now):
        pitch_session, event = sessions[found.subject_id]
        url = (_page("live.room", event_slug=event.slug, session_id=pitch_session.id)
               if event.stage_live else _page("scheduling.index", event_slug=event.slug))
        made.append(Reminder(
            found, event, url,
            params={"session_zh": pitch_session.title_zh, "session_en": pitch_session.title_en,
                    **_event_names(event)},
            context={"event": event, "pitch_session": pitch_session,
                     "starts_at": pitch_session.starts_at,
                     "hours": 1 if found.kind == "session1" else 24, "url_path": url}))
    return made


def _closing(session: Session, kind: PhaseKind, now: datetime, lead: timedelta) -> list[Event]:
    """Events whose ``kind`` phase closes within ``lead`` of ``now``, with that phase loaded."""
    return list(session.scalars(unscoped(
        select(Event).join(EventPhase, EventPhase.event_id == Event.id)
        .where(EventPhase.kind == kind, EventPhase.ends_at > now,
               EventPhase.ends_at <= now + lead, _live_event())
        .options(selectinload(Event.phases)).order_by(Event.id),
        "the reminder run looks at every event's closing phases")).unique())


def review_reminders(session: Session, now: datetime) -> list[Reminder]:
    """Judges with reviews still open, ``REVIEW_LEAD`` before the review phase closes (unless
    the organizers closed the review already)."""
    made = []
    for event in _closing(session, PhaseKind.REVIEW, now, REVIEW_LEAD):
        if not event.stage_review or session.scalar(unscoped(
                select(ReviewSettings.closed_at).where(ReviewSettings.event_id == event.id),
                "one event's review settings")) is not None:
            continue
        closes = event.phase(PhaseKind.REVIEW).ends_at  # type: ignore[union-attr]
        submitted = exists().where(
            Review.application_id == Assignment.application_id,
            Review.judge_id == Assignment.judge_id, Review.round == Assignment.round,
            Review.status == ReviewStatus.SUBMITTED)
        counts = dict(session.execute(unscoped(
            select(Assignment.judge_id, func.count(Assignment.id))
            .join(Application, Assignment.application_id == Application.id)
            .where(Assignment.event_id == event.id, ~submitted,
                   Application.status != ApplicationStatus.WITHDRAWN)
            .group_by(Assignment.judge_id), "one event's open reviews")).all())
        moments = [Moment(event.id, judge_id, closes) for judge_id in sorted(counts)]
        url = _page("review.queue", event_slug=event.slug)
        for found in decide.before_deadline("review_closing", moments, REVIEW_LEAD, now):
            count = counts[found.user_id]
            made.append(Reminder(
                found, event, url,
                params={"num": count, **_event_names(event)},
                context={"event": event, "closes_at": closes, "count": count, "url_path": url}))
    return made


def signature_reminders(session: Session, now: datetime) -> list[Reminder]:
    """Signers whose turn has waited ``SIGNATURE_WAIT`` (since they were told or last
    reminded), while the intent is still out for signature."""
    intents = session.scalars(unscoped(
        select(Intent).where(Intent.state == IntentState.OUT_FOR_SIGNATURE,
                             (Intent.expires_at.is_(None)) | (Intent.expires_at > now))
        .options(selectinload(Intent.signers),
                 selectinload(Intent.application).selectinload(Application.event))
        .order_by(Intent.id),
        "the reminder run looks at every event's intents out for signature")).all()
    waits: list[tuple[Moment, datetime | None]] = []
    found_in: dict[int, tuple[Intent, Signer]] = {}
    for intent in intents:
        turn = set(flow.current_positions(intent.ordering, signer_slots(intent)))
        for signer in intent.signers:
            since = signer.reminded_at or signer.notified_at
            if signer.position not in turn or signer.state != SignerState.WAITING or since is None:
                continue
            waits.append((Moment(signer.id, signer.user_id, since), intent.expires_at))
            found_in[signer.id] = (intent, signer)
    made = []
    for found in decide.overdue("signature_overdue", waits, SIGNATURE_WAIT, now):
        intent, signer = found_in[found.subject_id]
        application = intent.application
        event = application.event
        if event.archived:
            continue
        url = _page("signing.sign_intent", event_slug=event.slug, intent_id=intent.id)
        made.append(Reminder(
            found, event, url,
            params={"ref": intent.reference, **_project_names(application)},
            context={"event": event, "intent": intent, "application": application,
                     "since": found.at, "expires_at": intent.expires_at, "url_path": url}))
    return made


def call_reminders(session: Session, now: datetime) -> list[Reminder]:
    """Applicants whose draft is not sent, ``CALL_LEAD`` before the call closes; the mail names
    what the draft still lacks."""
    made = []
    for event in _closing(session, PhaseKind.CALL, now, CALL_LEAD):
        if not event.stage_call or event.call_closed_by_hand or not event.published:
            continue
        closes = event.phase(PhaseKind.CALL).ends_at  # type: ignore[union-attr]
        drafts = {application.id: application for application in session.scalars(unscoped(
            select(Application).where(Application.event_id == event.id,
                                      Application.status == ApplicationStatus.DRAFT)
            .order_by(Application.id),
            "one event's drafts"))}
        moments = [Moment(application.id, application.applicant_id, closes)
                   for application in drafts.values()]
        url = _page("applications.form", event_slug=event.slug)
        questions = {f"question:{question.id}": question for question in event.questions}
        for found in decide.before_deadline("call_closing", moments, CALL_LEAD, now):
            application = drafts[found.subject_id]
            made.append(Reminder(
                found, event, url,
                params={**_project_names(application), **_event_names(event)},
                context={"event": event, "application": application, "closes_at": closes,
                         "questions": questions,
                         "url_path": url}))
    return made


def _send_batch(session: Session, batch: list[Reminder], now: datetime) -> int:
    sent = 0
    for reminder in batch:
        try:
            if send(session, reminder, now) is not None:
                sent += 1
        except Exception:  # noqa: BLE001 - one reminder's failure must not stop the others
            log.exception("reminder %s to user %s failed; it is left out",
                          reminder.due.dedupe_key, reminder.due.user_id)
            session.rollback()  # nothing of the batch went out: send the others again
            return _send_batch(session, [r for r in batch if r is not reminder], now)
    return _commit(session, sent)


def _commit(session: Session, batch: int) -> int:
    """Commit a batch of reminders; how many of them went out (none when another run sent
    one of them first)."""
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        log.warning("another reminder run sent some of these %d first; they wait", batch)
        return 0
    return batch


LOADERS = (pitch_reminders, device_check_reminders, session_reminders, review_reminders,
           signature_reminders, call_reminders)


# --- sending -----------------------------------------------------------------------------------

def already_sent(session: Session, dues: Iterable[Due]) -> set[tuple[int, str]]:
    """The ``(user_id, dedupe_key)`` pairs among ``dues`` that were sent before (one query per
    few hundred, not one per reminder)."""
    pairs = [(d.user_id, d.dedupe_key) for d in dues]
    seen: set[tuple[int, str]] = set()
    for start in range(0, len(pairs), _KEY_CHUNK):
        chunk = pairs[start:start + _KEY_CHUNK]
        seen.update((user_id, key) for user_id, key in session.execute(
            select(Notification.user_id, Notification.dedupe_key).where(
                Notification.dedupe_key.in_([key for _u, key in chunk]),
                tuple_(Notification.user_id, Notification.dedupe_key).in_(chunk))))
    return seen


@contextmanager
def _links() -> Iterator[None]:
    """One request context for the whole run, so each link is built without making one."""
    with nullcontext() if has_request_context() else current_app.test_request_context("/"):
        yield


def due_now(session: Session, now: datetime) -> list[Reminder]:
    """Every reminder due at ``now`` and not sent before, active people only."""
    with _links():
        found = [reminder for load in LOADERS for reminder in load(session, now)]
    sent = already_sent(session, (r.due for r in found))
    fresh = [r for r in found if (r.due.user_id, r.due.dedupe_key) not in sent]
    people = _people(session, {r.due.user_id for r in fresh})
    for reminder in fresh:
        reminder.user = people.get(reminder.due.user_id)
    return [r for r in fresh if r.user is not None and r.user.active]


def _people(session: Session, ids: set[int]) -> dict[int, User]:
    """The people of the reminders about to go out, a few queries for thousands."""
    ordered = sorted(ids)
    people: dict[int, User] = {}
    for start in range(0, len(ordered), _KEY_CHUNK):
        people.update((user.id, user) for user in session.scalars(
            select(User).where(User.id.in_(ordered[start:start + _KEY_CHUNK]))))
    return people


def send(session: Session, reminder: Reminder, now: datetime) -> Notification | None:
    """Tell the person through ``notify()``: in the centre and by mail, as they chose."""
    due = reminder.due
    user = reminder.user
    params = {**reminder.params, **_when(due.at, user.timezone)}  # the moment reminded of
    context = {"person": user, **reminder.context}
    if due.kind == "call_closing":  # only for the drafts reminded now, not every minute's all
        context["missing"] = completeness(session, reminder.context["application"])
    return notify(
        session, user, reminder.kind, url=reminder.url, params=params,
        organisation_id=reminder.event.organisation_id, event_id=reminder.event.id,
        dedupe_key=due.dedupe_key, email_template=TEMPLATE_OF[due.kind],
        email_context=context, now=now)


def send_due(session: Session, now: datetime | None = None, *, batch: int = 500) -> int:
    """Send every reminder due at ``now`` and commit them ``batch`` at a time (each commit hands
    its mails to SMTP, so a run cut short keeps what it sent); returns how many went out.

    A reminder that fails (a template error, a person's broken setting) is logged and left out,
    and the rest of its batch is sent again without it: one bad reminder stops no other. Two
    runs at once (a second worker) cannot send a reminder twice: the key is unique per person,
    so the later batch's commit fails and is rolled back (its mails were never handed over),
    and its reminders wait for the next run."""
    now = now or utcnow()
    sent = 0
    reminders = due_now(session, now)
    # what was loaded stays loaded across the batches' commits (nothing else changes it in this
    # run): no reloading of each person, event and slot after every commit
    plain = session() if isinstance(session, scoped_session) else session
    expire, plain.expire_on_commit = plain.expire_on_commit, False
    try:
        with _links():
            for start in range(0, len(reminders), batch):
                sent += _send_batch(session, reminders[start:start + batch], now)
    finally:
        plain.expire_on_commit = expire
    if sent:
        log.info("%d reminder(s) sent", sent)
    return sent

