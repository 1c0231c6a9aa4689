"""A district's request seen from the applicant's side: the email that tells them, and their
answer (accept, propose times, or decline), which the district and the organizer then see on
the docking board."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.events.phases import NonexistentLocalTimeError, local_to_utc
from roadshow.live import notices
from roadshow.live.models import DockingAnswer, DockingRequest
from roadshow.live.throttle import NOTE_MAX_CHARS
from roadshow.mail.outbox import queue_email
from roadshow.organisations.models import EventRole, EventRoleKind

#: how many times an applicant may propose at once
MAX_PROPOSED_TIMES = 3
#: how far ahead a follow-up talk may be proposed or arranged: a later time is a slip of the year
FURTHEST_AHEAD = timedelta(days=366)


class AnswerError(ValueError):
    """The answer cannot be saved; ``code`` says why (the form shows it by the field)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def typed_time(local: datetime, zone: str, now: datetime) -> datetime:
    """A time typed in ``zone`` (naive, from a form) as aware UTC, for a follow-up talk.

    Raises :class:`AnswerError`: ``time_missing`` for a time the clocks skip (it used to be
    moved an hour silently), ``past_time``, and ``too_far`` beyond :data:`FURTHEST_AHEAD` (a
    year such as 9999 overflowed into a 400 page that lost the form)."""
    try:
        moment = local_to_utc(local, zone)
    except NonexistentLocalTimeError:
        raise AnswerError("time_missing") from None
    except OverflowError:
        local_now = now.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        raise AnswerError("past_time" if local < local_now else "too_far") from None
    if moment <= now:
        raise AnswerError("past_time")
    if moment > now + FURTHEST_AHEAD:
        raise AnswerError("too_far")
    return moment


def board_path(request: DockingRequest) -> str:
    """The docking board of the request's event, as a path (emails put the server before it)."""
    return f"/e/{request.application.event.slug}/live/docking"


def answer_path(request: DockingRequest) -> str:
    return f"{board_path(request)}/{request.id}/answer"


def notify_applicant(session: Session, request: DockingRequest, now: datetime) -> None:
    """Email the applicant (in their language and zone) what the district asked, with the link
    to answer it."""
    application = request.application
    applicant = application.applicant
    notices.tell_follow_up(session, request, answer_path(request), {
        "docking": request, "person": applicant, "application": application,
        "district": request.district, "answer_path": answer_path(request),
    })
    request.applicant_notified_at = now


def may_answer(viewer: User, request: DockingRequest) -> bool:
    return request.application.applicant_id == viewer.id


def answer_request(request: DockingRequest, applicant: User, answer: DockingAnswer,
                   proposed: list[datetime], note: str, now: datetime) -> None:
    """Record the applicant's answer; proposed times must be aware, in the future, and given
    only (and at least one) when proposing. Answering again replaces the answer."""
    if not may_answer(applicant, request):
        raise AnswerError("not_yours")
    times = sorted({t for t in proposed if t is not None})
    if any(t.tzinfo is None for t in times):
        raise AnswerError("naive_time")
    if answer == DockingAnswer.PROPOSED:
        if not times:
            raise AnswerError("no_times")
        if any(t <= now for t in times):
            raise AnswerError("past_time")
        if any(t > now + FURTHEST_AHEAD for t in times):
            raise AnswerError("too_far")
        if len(times) > MAX_PROPOSED_TIMES:
            raise AnswerError("too_many_times")
    else:
        times = []
    request.answer = answer
    request.proposed_times = [t.isoformat() for t in times]
    request.answer_note = note.strip()[:NOTE_MAX_CHARS]
    request.answered_at = now


def district_recruiters(session: Session, request: DockingRequest) -> list[User]:
    """The active recruiters of the request's district in the request's event."""
    return list(session.scalars(
        select(User).join(EventRole, EventRole.user_id == User.id)
        .where(EventRole.event_id == request.event_id, EventRole.role == EventRoleKind.RECRUITER,
               EventRole.district_id == request.district_id, User.active)
        .order_by(User.id)))


def district_people(session: Session, request: DockingRequest) -> list[User]:
    """Who hears the applicant's answer: the recruiter who asked, else the district's."""
    if request.recruiter is not None and request.recruiter.is_active:
        return [request.recruiter]
    return district_recruiters(session, request)


def tell_district(session: Session, request: DockingRequest) -> int:
    """Email the district the applicant's answer (each in their language and zone)."""
    people = district_people(session, request)
    for person in people:
        queue_email(person, "live/mail/follow_up_answer", {
            "docking": request, "person": person, "application": request.application,
            "district": request.district, "times": proposed_datetimes(request),
            "arrange_path": f"{board_path(request)}/{request.id}/meeting",
            "board_path": board_path(request),
        }, session=session)
    return len(people)


def proposed_datetimes(request: DockingRequest) -> list[datetime]:
    return [datetime.fromisoformat(value) for value in request.proposed_times or []]
