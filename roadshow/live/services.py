"""The live room's writes and queries. Every function takes the session and an explicit actor;
none reads ``flask.session`` or the request.

Every accepted action appends one numbered :class:`LiveEvent` (the room's sequence number is
raised with a single ``UPDATE ... RETURNING`` that also serialises concurrent writers, across
processes). A retried action (same actor, same client action id) finds its event and is not
applied again.
"""

from __future__ import annotations

import logging
import secrets
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.live import channels
from roadshow.live import state as stage
from roadshow.live.followup import notify_applicant
from roadshow.live.models import (
    ChatMessage,
    DockingKind,
    DockingRequest,
    LiveEvent,
    LiveMute,
    LivePresence,
    LiveQuestion,
    LiveRoom,
    LiveVote,
    QuestionStatus,
)
from roadshow.live.throttle import (
    CHAT_MAX_CHARS,
    NOTE_MAX_CHARS,
    QUESTION_MAX_CHARS,
    clean_text,
    merge_note,
)
from roadshow.review import figures
from roadshow.scheduling.models import (
    PitchSession,
    SessionAttendance,
    SessionStatus,
    Slot,
    SlotKind,
)

log = logging.getLogger("roadshow.live")

#: how long a presence row counts without its process refreshing it
PRESENCE_TTL = timedelta(seconds=75)
CHAT_HISTORY = 100


def localized(obj: Any, field: str) -> str:
    """The reader's language when there is a request, else English (demo, signals, CLI)."""
    from roadshow.i18n import localized as in_reader_language

    try:
        return in_reader_language(obj, field)
    except RuntimeError:
        return getattr(obj, f"{field}_en", "") or getattr(obj, f"{field}_zh", "") or ""


def both(obj: Any, field: str) -> dict[str, str]:
    """``{"<field>_en", "<field>_zh"}`` of a bilingual record, each falling back on the other:
    what the room pushes reaches readers of both languages at once, and each page shows its own."""
    en = getattr(obj, f"{field}_en", "") or ""
    zh = getattr(obj, f"{field}_zh", "") or ""
    return {f"{field}_en": en or zh, f"{field}_zh": zh or en}


def names(user: User | None, key: str) -> dict[str, str]:
    """A person's name as English and Chinese readers see it (``<key>_en``, ``<key>_zh``)."""
    if user is None:
        return {f"{key}_en": "", f"{key}_zh": ""}
    return {f"{key}_en": user.name, f"{key}_zh": user.name_native or user.name}


class LiveError(Exception):
    """An action refused; ``code`` picks the user's message (see ``namespace.MESSAGES``)."""

    def __init__(self, code: str, message: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        #: an already translated message from another domain, shown as it is
        self.message = message


# --- who is in the room --------------------------------------------------------------------

HOST, JUDGE, DISTRICT, PRESENTER, VIEWER = "host", "judge", "district", "presenter", "viewer"


@dataclass(frozen=True, slots=True)
class Member:
    """What a user is in one live room (decided from the database, never from the client)."""

    user_id: int
    role: str
    #: applications this user presents in the session (applicants only)
    presents: frozenset[int] = frozenset()
    district_id: int | None = None

    @property
    def is_host(self) -> bool:
        return self.role == HOST


def membership(session: Session, user: User, pitch_session: PitchSession) -> Member | None:
    """The user's part in the session's room, or None when they are not of its audience.

    Organizers host; judges and district recruiters are the roadshow's audience and may join
    every published session; applicants join the sessions where they pitch or that they were
    invited to attend.
    """
    if not user.is_active:
        return None
    if user.role == Role.ORGANIZER:
        return Member(user.id, HOST)
    if pitch_session.status != SessionStatus.PUBLISHED:
        return None
    if user.role == Role.JUDGE:
        return Member(user.id, JUDGE)
    if user.role == Role.RECRUITER:
        if user.district_id is None:
            return Member(user.id, VIEWER)
        return Member(user.id, DISTRICT, district_id=user.district_id)
    presents = frozenset(session.scalars(
        select(Slot.application_id)
        .join(Application, Application.id == Slot.application_id)
        .where(Slot.session_id == pitch_session.id, Application.applicant_id == user.id)
    ))
    if presents:
        return Member(user.id, PRESENTER, presents=presents)
    attends = session.scalar(select(SessionAttendance.id).where(
        SessionAttendance.session_id == pitch_session.id, SessionAttendance.user_id == user.id))
    return Member(user.id, VIEWER) if attends else None


def sessions_for(session: Session, user: User) -> list[PitchSession]:
    """The sessions whose rooms the user may enter, in time order."""
    query = select(PitchSession).order_by(PitchSession.starts_at, PitchSession.id)
    if user.role != Role.ORGANIZER:
        query = query.where(PitchSession.status == SessionStatus.PUBLISHED)
    found = list(session.scalars(query))
    return [s for s in found if membership(session, user, s) is not None]


# --- the room and its stage ------------------------------------------------------------------

def programme_slots(pitch_session: PitchSession) -> list[Slot]:
    """The session's slots in schedule order, without pitch slots nobody fills."""
    return [slot for slot in sorted(pitch_session.slots, key=lambda s: (s.starts_at, s.position, s.id))
            if not (slot.kind == SlotKind.PITCH and slot.application_id is None)]


def session_projects(pitch_session: PitchSession) -> set[int]:
    """The applications pitching in the session's slots."""
    return {slot.application_id for slot in pitch_session.slots if slot.application_id is not None}


def stage_items(pitch_session: PitchSession) -> list[stage.StageItem]:
    items = []
    for slot in programme_slots(pitch_session):
        seconds = max(0, int((slot.ends_at - slot.starts_at).total_seconds()))
        pitch_seconds = qa_seconds = 0
        if slot.kind == SlotKind.PITCH:
            pitch_seconds = min(seconds, (pitch_session.pitch_minutes or 12) * 60)
            qa_seconds = max(0, min(seconds - pitch_seconds, (pitch_session.qa_minutes or 8) * 60))
        items.append(stage.StageItem(
            slot_id=slot.id, kind=stage.ItemKind(slot.kind.value),
            application_id=slot.application_id, district_id=slot.district_id,
            seconds=seconds, pitch_seconds=pitch_seconds, qa_seconds=qa_seconds,
        ))
    return items


def get_room(session: Session, pitch_session: PitchSession) -> LiveRoom:
    """The session's room, made on first use; its stage follows the schedule's slots."""
    room = session.scalar(select(LiveRoom).where(LiveRoom.session_id == pitch_session.id))
    if room is None:
        room = LiveRoom(session_id=pitch_session.id,
                        stage=stage.StageState(items=tuple(stage_items(pitch_session))).to_dict())
        session.add(room)
        try:
            session.flush()
        except IntegrityError:  # another process made it meanwhile
            session.rollback()
            room = session.scalars(
                select(LiveRoom).where(LiveRoom.session_id == pitch_session.id)).one()
    return room


def load_stage(room: LiveRoom) -> stage.StageState:
    return stage.StageState.from_dict(room.stage)


def _next_seq(session: Session, room: LiveRoom) -> int:
    """Raise the room's sequence number; the row lock it takes orders concurrent writers."""
    seq = session.execute(
        update(LiveRoom).where(LiveRoom.id == room.id).values(seq=LiveRoom.seq + 1)
        .returning(LiveRoom.seq).execution_options(synchronize_session=False)
    ).scalar_one()
    session.refresh(room)
    return int(seq)


def append_event(session: Session, room: LiveRoom, kind: str, data: dict[str, Any], *,
                 actor_id: int | None = None, action_id: str | None = None,
                 audience: str = "all", seq: int | None = None) -> LiveEvent:
    seq = seq if seq is not None else _next_seq(session, room)
    prev = channels.advance(room, audience, seq)  # room was refreshed under the lock
    event = LiveEvent(room_id=room.id, seq=seq, kind=kind, data=data, audience=audience,
                      prev=prev, actor_id=actor_id, action_id=action_id or None)
    session.add(event)
    session.flush()
    return event


def find_action(session: Session, room: LiveRoom, actor_id: int, action_id: str | None) -> LiveEvent | None:
    if not action_id:
        return None
    return session.scalar(select(LiveEvent).where(
        LiveEvent.room_id == room.id, LiveEvent.actor_id == actor_id,
        LiveEvent.action_id == action_id))


def check_action_id(action_id: object) -> str | None:
    if action_id is None or action_id == "":
        return None
    if not isinstance(action_id, str) or len(action_id) > 64:
        raise LiveError("bad_request")
    return action_id


def events_since(session: Session, room: LiveRoom, seq: int) -> list[LiveEvent]:
    return list(session.scalars(
        select(LiveEvent).where(LiveEvent.room_id == room.id, LiveEvent.seq > seq)
        .order_by(LiveEvent.seq)))


HOST_COMMANDS = {"open", "call", "next", "start", "pause", "extend", "qa", "scoring", "break",
                 "close", "reveal"}


def stage_command(session: Session, room: LiveRoom, member: Member, command: str,
                  args: dict[str, Any], now: datetime, action_id: str | None = None) -> LiveEvent:
    """The host moves the stage; returns the ``stage`` event with the new state."""
    if not member.is_host:
        raise LiveError("not_host")
    if command not in HOST_COMMANDS:
        raise LiveError("bad_request")
    seq = _next_seq(session, room)  # lock first, then read the stage others may have moved
    current = load_stage(room)
    programme = None
    if command in ("call", "next"):
        current, programme = _up_to_date(session, room, current)
    try:
        if command == "open":
            pitch_session = session.get(PitchSession, room.session_id)
            if pitch_session is not None:
                current = stage.with_items(current, stage_items(pitch_session))
            new = stage.open_room(current)
            room.opened_at = room.opened_at or now
        elif command == "call":
            new = stage.call_item(current, _call_index(current, args))
        elif command == "next":
            new = stage.call_next(current)
        elif command == "start":
            new = stage.start_timer(current, now)
        elif command == "pause":
            new = stage.pause_timer(current, now)
        elif command == "extend":
            new = stage.extend_timer(current, _int(args.get("seconds")), now)
        elif command == "qa":
            new = stage.start_qa(current)
        elif command == "scoring":
            new = stage.start_scoring(current)
        elif command == "break":
            new = stage.start_break(current, _int(args.get("seconds", 600)))
        elif command == "reveal":
            new = stage.reveal_scores(current, _int(args.get("slot_id")))
        else:  # close
            new = stage.close_room(current)
            room.closed_at = now
    except stage.StageError as error:
        raise LiveError(error.code) from error
    room.stage = new.to_dict()
    data: dict[str, Any] = {"stage": room.stage, "command": command}
    if programme is not None:
        data["program"] = programme
    if command == "reveal":
        item = next(i for i in new.items if i.slot_id == _int(args.get("slot_id")))
        data["results"] = {str(item.slot_id): live_results(session, item.application_id)}
    return append_event(session, room, "stage", data, actor_id=member.user_id,
                        action_id=action_id, seq=seq)


def _up_to_date(session: Session, room: LiveRoom, current: stage.StageState
                ) -> tuple[stage.StageState, list[dict[str, Any]] | None]:
    """The stage on the schedule as it is now, before the host calls an item: a change whose
    ``schedule_changed`` never reached this room (another process failed after its commit) is
    taken in here, and the new programme goes out with the stage (else None)."""
    pitch_session = session.get(PitchSession, room.session_id)
    if pitch_session is None:
        return current, None
    fresh = tuple(stage_items(pitch_session))
    if fresh == current.items:
        return current, None
    return stage.follow_schedule(current, fresh), program(session, pitch_session)


def _call_index(current: stage.StageState, args: dict[str, Any]) -> int:
    """The item the host calls: by its slot (what the host's list names, so a programme that
    changed meanwhile cannot put another item on stage), else by its index."""
    if args.get("slot_id") is None:
        return _int(args.get("index"))
    slot_id = _int(args.get("slot_id"))
    for index, item in enumerate(current.items):
        if item.slot_id == slot_id:
            return index
    raise LiveError("no_such_item")


def _int(value: object) -> int:
    if isinstance(value, bool):
        raise LiveError("bad_request")
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError) as error:
        raise LiveError("bad_request") from error


def flip_page(session: Session, room: LiveRoom, member: Member, page: object,
              action_id: str | None = None) -> LiveEvent:
    """The presenter on stage (or the host for them) shows deck page ``page`` to everyone."""
    seq = _next_seq(session, room)
    current = load_stage(room)
    on_stage = stage.presenter_on_stage(current)
    if not (member.is_host or (on_stage is not None and on_stage in member.presents)):
        raise LiveError("not_presenter")
    application = session.get(Application, on_stage) if on_stage else None
    deck = application.deck if application else None
    page_count = (deck.page_count or 1) if deck else 1
    try:
        new = stage.flip_page(current, _int(page), page_count)
    except stage.StageError as error:
        raise LiveError(error.code) from error
    room.stage = new.to_dict()
    return append_event(session, room, "page", {"page": new.deck_page, "stage": room.stage},
                        actor_id=member.user_id, action_id=action_id, seq=seq)


# --- questions and votes ---------------------------------------------------------------------

def question_view(question: LiveQuestion) -> dict[str, Any]:
    author = question.author
    return {"id": question.id, "text": question.text, "status": question.status.value,
            "votes": question.votes, "application_id": question.application_id,
            "author": author.display_name if author else "", **names(author, "author"),
            "author_id": question.author_id, "at": question.created_at.isoformat()}


def ask_question(session: Session, room: LiveRoom, member: Member, text: object,
                 action_id: str | None = None) -> LiveEvent:
    if member.is_host:
        raise LiveError("host_cannot_ask")
    current = load_stage(room)
    if not current.opened or current.phase == stage.Phase.CLOSED:
        raise LiveError("not_open")
    body = _clean(text, QUESTION_MAX_CHARS)
    item = current.item
    question = LiveQuestion(room_id=room.id, author_id=member.user_id, text=body,
                            application_id=item.application_id if item else None)
    session.add(question)
    session.flush()
    return append_event(session, room, "question", {"question": question_view(question)},
                        actor_id=member.user_id, action_id=action_id,
                        audience=f"host,user:{member.user_id}")


def _clean(text: object, limit: int) -> str:
    from roadshow.live.throttle import TextError

    try:
        return clean_text(text, limit)
    except TextError as error:
        raise LiveError(f"text_{error.code}") from error


def moderate_question(session: Session, room: LiveRoom, member: Member, question_id: object,
                      status: object, action_id: str | None = None) -> LiveEvent:
    if not member.is_host:
        raise LiveError("not_host")
    try:
        new_status = QuestionStatus(status)
    except ValueError as error:
        raise LiveError("bad_request") from error
    question = session.get(LiveQuestion, _int(question_id))
    if question is None or question.room_id != room.id:
        raise LiveError("no_such_question")
    question.status = new_status
    session.flush()
    audience = "all" if new_status != QuestionStatus.PENDING else "host"
    return append_event(session, room, "question", {"question": question_view(question)},
                        actor_id=member.user_id, action_id=action_id, audience=audience)


def vote(session: Session, room: LiveRoom, member: Member, question_id: object, up: object,
         action_id: str | None = None) -> tuple[LiveEvent | None, dict[str, Any]]:
    """One upvote per person, changeable (``up`` false takes it back). Voting the way one
    already voted changes nothing and makes no event."""
    question = session.get(LiveQuestion, _int(question_id))
    if question is None or question.room_id != room.id:
        raise LiveError("no_such_question")
    if question.status not in (QuestionStatus.APPROVED, QuestionStatus.ANSWERED):
        raise LiveError("question_not_open")
    want = bool(up)
    existing = session.scalar(select(LiveVote).where(
        LiveVote.question_id == question.id, LiveVote.user_id == member.user_id))
    if want == (existing is not None):
        return None, {"question_id": question.id, "votes": question.votes, "voted": want}
    seq = _next_seq(session, room)
    if want:
        session.add(LiveVote(question_id=question.id, user_id=member.user_id))
    else:
        session.delete(existing)
    session.flush()
    count = session.scalar(select(func.count()).select_from(LiveVote)
                           .where(LiveVote.question_id == question.id)) or 0
    question.votes = count
    data = {"question_id": question.id, "votes": count}
    event = append_event(session, room, "votes", data, actor_id=member.user_id,
                         action_id=action_id, seq=seq)
    return event, {**data, "voted": want}


# --- chat ---------------------------------------------------------------------------------

def is_muted(session: Session, room: LiveRoom, user_id: int) -> bool:
    return session.scalar(select(LiveMute.id).where(
        LiveMute.room_id == room.id, LiveMute.user_id == user_id)) is not None


def chat_view(message: ChatMessage, role: str = "") -> dict[str, Any]:
    author = message.author
    return {"id": message.id, "text": message.text, "author": author.display_name if author else "",
            **names(author, "author"), "author_id": message.author_id, "role": role,
            "at": message.created_at.isoformat()}


def send_chat(session: Session, room: LiveRoom, member: Member, text: object,
              action_id: str | None = None) -> LiveEvent:
    current = load_stage(room)
    if not current.opened or current.phase == stage.Phase.CLOSED:
        raise LiveError("not_open")
    if is_muted(session, room, member.user_id):
        raise LiveError("muted")
    body = _clean(text, CHAT_MAX_CHARS)
    message = ChatMessage(room_id=room.id, author_id=member.user_id, text=body)
    session.add(message)
    session.flush()
    return append_event(session, room, "chat", {"message": chat_view(message, member.role)},
                        actor_id=member.user_id, action_id=action_id)


def delete_chat(session: Session, room: LiveRoom, member: Member, message_id: object,
                now: datetime, action_id: str | None = None) -> LiveEvent:
    if not member.is_host:
        raise LiveError("not_host")
    message = session.get(ChatMessage, _int(message_id))
    if message is None or message.room_id != room.id:
        raise LiveError("no_such_message")
    message.deleted_at = message.deleted_at or now
    message.deleted_by_id = member.user_id
    return append_event(session, room, "chat_deleted", {"id": message.id},
                        actor_id=member.user_id, action_id=action_id)


def set_mute(session: Session, room: LiveRoom, member: Member, user_id: object, muted: object,
             action_id: str | None = None) -> LiveEvent:
    if not member.is_host:
        raise LiveError("not_host")
    target = session.get(User, _int(user_id))
    if target is None or target.role == Role.ORGANIZER:
        raise LiveError("bad_request")
    exists = session.scalar(select(LiveMute).where(
        LiveMute.room_id == room.id, LiveMute.user_id == target.id))
    if muted and exists is None:
        session.add(LiveMute(room_id=room.id, user_id=target.id, muted_by_id=member.user_id))
    elif not muted and exists is not None:
        session.delete(exists)
    session.flush()
    return append_event(session, room, "mute", {"user_id": target.id, "muted": bool(muted),
                                                "name": target.display_name,
                                                **names(target, "name")},
                        actor_id=member.user_id, action_id=action_id,
                        audience=f"host,user:{target.id}")


# --- live scoring (stored as reviews of round "live") ----------------------------------------

def rubric(session: Session, event_id: int) -> list[Any]:
    from roadshow.review.models import Criterion

    return list(session.scalars(select(Criterion).where(Criterion.event_id == event_id)
                                .order_by(Criterion.position, Criterion.id)))


def judge_conflicted(session: Session, judge: User, application: Application) -> bool:
    from roadshow.review.services import is_conflicted

    return bool(is_conflicted(session, judge, application))


def submit_score(session: Session, room: LiveRoom, member: Member, judge: User,
                 scores: object, comment: object, action_id: str | None = None) -> LiveEvent:
    """A judge scores the project on stage during the scoring phase; nobody else sees the
    scores until the host reveals them."""
    if member.role != JUDGE:
        raise LiveError("not_judge")
    current = load_stage(room)
    item = current.item
    if item is None or item.application_id is None or not stage.scoring_open_for(
            current, item.application_id):
        raise LiveError("scoring_closed")
    application = session.get(Application, item.application_id)
    if application is None:
        raise LiveError("scoring_closed")
    if judge_conflicted(session, judge, application):
        raise LiveError("conflicted")
    criteria = rubric(session, application.event_id)
    if not criteria:
        raise LiveError("no_rubric")
    if not isinstance(scores, dict):
        raise LiveError("bad_scores")
    values: dict[int, float] = {}
    for criterion in criteria:
        raw = scores.get(str(criterion.id), scores.get(criterion.id))
        if raw in (None, ""):
            if criterion.required:
                raise LiveError("bad_scores")
            continue
        if isinstance(raw, bool):  # JSON true is not a score of 1
            raise LiveError("bad_scores")
        try:
            value = float(raw)
        except (TypeError, ValueError) as error:
            raise LiveError("bad_scores") from error
        if not criterion.scale_min <= value <= criterion.scale_max:
            raise LiveError("bad_scores")
        values[criterion.id] = value
    text = comment.strip()[:NOTE_MAX_CHARS] if isinstance(comment, str) else ""
    seq = _next_seq(session, room)
    total = _store_live_review(session, judge, application, criteria, values, text)
    count = _live_review_count(session, application.id)
    return append_event(session, room, "scored",
                        {"application_id": application.id, "judge_id": judge.id,
                         "judge": judge.display_name, **names(judge, "judge"), "count": count,
                         "total": total},
                        actor_id=member.user_id, action_id=action_id,
                        audience=f"host,user:{judge.id}", seq=seq)


def _store_live_review(session: Session, judge: User, application: Application,
                       criteria: list[Any], values: dict[int, float], comment: str) -> float | None:
    from roadshow.review.models import LIVE
    from roadshow.review.services import ReviewError, submit_review

    by_code = {c.code: values[c.id] for c in criteria if c.id in values}
    try:
        review = submit_review(session, judge, application, by_code, None, round=LIVE,
                               overall_comment=comment)
    except ReviewError as error:
        raise LiveError("review_refused", error.message) from error
    return review.total


def _live_review_count(session: Session, application_id: int) -> int:
    from roadshow.review.models import LIVE, Review, ReviewStatus

    return session.scalar(select(func.count()).select_from(Review).where(
        Review.application_id == application_id, Review.round == LIVE,
        Review.status == ReviewStatus.SUBMITTED)) or 0


def live_results(session: Session, application_id: int | None) -> dict[str, Any]:
    """The live round's result of one project: judges counted, mean total, mean per criterion."""
    from roadshow.review.models import LIVE, Review, ReviewStatus, Score

    if application_id is None:
        return {"count": 0, "mean": None, "criteria": {}}
    reviews = list(session.scalars(select(Review).where(
        Review.application_id == application_id, Review.round == LIVE,
        Review.status == ReviewStatus.SUBMITTED)))
    totals = [r.total for r in reviews if r.total is not None]
    per_criterion: dict[str, list[float]] = {}
    if reviews:
        for score in session.scalars(select(Score).where(
                Score.review_id.in_([r.id for r in reviews]))):
            per_criterion.setdefault(str(score.criterion_id), []).append(score.value)
    return {
        "application_id": application_id,
        "count": len(reviews),
        "mean": figures.round_total(sum(totals) / len(totals)) if totals else None,
        "criteria": {k: round(sum(v) / len(v), 2) for k, v in per_criterion.items()},
    }


def my_live_score(session: Session, judge_id: int, application_id: int) -> dict[str, Any] | None:
    from roadshow.review.models import LIVE, Review

    review = session.scalar(select(Review).where(
        Review.application_id == application_id, Review.judge_id == judge_id, Review.round == LIVE))
    if review is None:
        return None
    return {"total": review.total, "scores": {str(s.criterion_id): s.value for s in review.scores},
            "comment": review.overall_comment}


# --- district docking ------------------------------------------------------------------------

def docking_view(request: DockingRequest) -> dict[str, Any]:
    project, district = both(request.application, "title"), both(request.district, "name")
    return {"id": request.id, "application_id": request.application_id,
            "project": localized(request.application, "title"),
            "project_en": project["title_en"], "project_zh": project["title_zh"],
            "district_id": request.district_id, "district": localized(request.district, "name"),
            "district_en": district["name_en"], "district_zh": district["name_zh"],
            "recruiter": request.recruiter.display_name if request.recruiter else "",
            **names(request.recruiter, "recruiter"),
            "kind": request.kind.value, "note": request.note,
            "at": request.created_at.isoformat()}


def dock(session: Session, room: LiveRoom, member: Member, recruiter: User, kind: object,
         note: object, action_id: str | None = None) -> LiveEvent:
    """A district marks interest in the project on stage or asks for a follow-up talk."""
    if member.role != DISTRICT or member.district_id is None:
        raise LiveError("not_district")
    try:
        docking_kind = DockingKind(kind)
    except ValueError as error:
        raise LiveError("bad_request") from error
    current = load_stage(room)
    application_id = stage.presenter_on_stage(current)
    if application_id is None:
        raise LiveError("no_project_on_stage")
    application = session.get(Application, application_id)
    if application is None:
        raise LiveError("no_project_on_stage")
    text = ""
    if note not in (None, ""):
        text = _clean(note, NOTE_MAX_CHARS)
    request = session.scalar(select(DockingRequest).where(
        DockingRequest.application_id == application.id,
        DockingRequest.district_id == member.district_id, DockingRequest.kind == docking_kind))
    created = request is None
    if request is None:
        request = DockingRequest(room_id=room.id, event_id=application.event_id,
                                 application_id=application.id, district_id=member.district_id,
                                 recruiter_id=recruiter.id, kind=docking_kind, note=text)
        session.add(request)
    else:
        request.note = text or request.note
        request.recruiter_id = recruiter.id
    _merge_district_interest(session, application, member.district_id, recruiter, docking_kind, text)
    session.flush()
    session.refresh(request)
    if created:  # the applicant learns of it by email too, and answers from the link in it
        notify_applicant(session, request, utcnow())
    return append_event(session, room, "docking", {"request": docking_view(request)},
                        actor_id=member.user_id, action_id=action_id,
                        audience=f"host,user:{application.applicant_id},district:{member.district_id}")


def _merge_district_interest(session: Session, application: Application, district_id: int,
                             recruiter: User, kind: DockingKind, note: str) -> None:
    """The review's docking table learns what the district said live (never lowering it)."""
    from roadshow.review.models import DistrictInterest, InterestLevel

    level = InterestLevel.STRONG if kind == DockingKind.TALK else InterestLevel.INTERESTED
    interest = session.scalar(select(DistrictInterest).where(
        DistrictInterest.application_id == application.id,
        DistrictInterest.district_id == district_id))
    if interest is None:
        session.add(DistrictInterest(application_id=application.id, district_id=district_id,
                                     recruiter_id=recruiter.id, level=level, note=note))
        return
    order = [InterestLevel.NONE, InterestLevel.INTERESTED, InterestLevel.STRONG]
    if order.index(level) > order.index(interest.level):
        interest.level = level
    interest.note = merge_note(interest.note or "", note)


def docking_board(session: Session, viewer: User, event_id: int | None = None,
                  application_ids: Collection[int] | None = None) -> list[DockingRequest]:
    """Who wants to talk with whom: all for organizers, one's district for recruiters, one's
    own projects for applicants; only about ``application_ids`` when given (a room's
    projects)."""
    query = select(DockingRequest).order_by(DockingRequest.created_at.desc(), DockingRequest.id.desc())
    if event_id is not None:
        query = query.where(DockingRequest.event_id == event_id)
    if application_ids is not None:
        if not application_ids:
            return []
        query = query.where(DockingRequest.application_id.in_(sorted(application_ids)))
    if viewer.role == Role.RECRUITER:
        if viewer.district_id is None:
            return []
        query = query.where(DockingRequest.district_id == viewer.district_id)
    elif viewer.role == Role.APPLICANT:
        query = query.join(Application, Application.id == DockingRequest.application_id).where(
            Application.applicant_id == viewer.id)
    elif viewer.role != Role.ORGANIZER:
        return []
    return list(session.scalars(query))


def may_arrange_meeting(viewer: User, request: DockingRequest) -> bool:
    if viewer.role == Role.ORGANIZER:
        return True
    return viewer.role == Role.RECRUITER and viewer.district_id == request.district_id


def arrange_meeting(session: Session, request: DockingRequest, actor: User, starts_at: datetime,
                    minutes: int, url: str) -> DockingRequest:
    """Turn a docking request into a meeting; the invitations go out by email with an .ics."""
    if not may_arrange_meeting(actor, request):
        raise LiveError("not_allowed")
    request.meeting_starts_at = starts_at
    request.meeting_ends_at = starts_at + timedelta(minutes=minutes)
    request.meeting_url = url
    if not request.meeting_uid:
        request.meeting_uid = f"docking-{secrets.token_hex(10)}"
    else:
        request.meeting_sequence += 1
    request.invited_at = utcnow()
    session.flush()
    return request


# --- presence ---------------------------------------------------------------------------------

def enter(session: Session, room: LiveRoom, member: Member, sid: str) -> None:
    session.execute(delete(LivePresence).where(LivePresence.sid == sid))
    session.add(LivePresence(sid=sid, room_id=room.id, user_id=member.user_id, role=member.role))


def leave(session: Session, sid: str) -> None:
    session.execute(delete(LivePresence).where(LivePresence.sid == sid))


def refresh_presence(session: Session, sids: list[str], now: datetime) -> None:
    for start in range(0, len(sids), 500):
        session.execute(update(LivePresence).where(LivePresence.sid.in_(sids[start:start + 500]))
                        .values(seen_at=now).execution_options(synchronize_session=False))
    session.execute(delete(LivePresence).where(LivePresence.seen_at < now - 4 * PRESENCE_TTL))


def presence(session: Session, room_id: int, now: datetime) -> dict[str, Any]:
    """Counts by role for everyone; names for the judges and the districts.

    The same payload goes to the whole room, whatever each reader's language, so every name
    comes in both: ``{"name_en", "name_zh"}`` and, for a district's recruiter, also
    ``{"district_en", "district_zh"}``; the page shows the ones in its own language.
    """
    rows = session.execute(
        select(LivePresence.user_id, LivePresence.role).where(
            LivePresence.room_id == room_id, LivePresence.seen_at >= now - PRESENCE_TTL)
        .distinct()).all()
    counts = Counter(role for _uid, role in rows)
    named_ids = [uid for uid, role in rows if role in (JUDGE, DISTRICT, HOST)]
    names: dict[str, list[dict[str, str]]] = {JUDGE: [], DISTRICT: [], HOST: []}
    if named_ids:
        for user in session.scalars(select(User).where(User.id.in_(named_ids)).order_by(User.name)):
            role = next(r for uid, r in rows if uid == user.id and r in names)
            entry = {"name_en": user.name, "name_zh": user.name_native or user.name}
            if role == DISTRICT and user.district is not None:
                district = user.district
                entry["district_en"] = district.name_en or district.name_zh
                entry["district_zh"] = district.name_zh or district.name_en
            names[role].append(entry)
    return {"counts": {r: counts.get(r, 0) for r in (HOST, JUDGE, DISTRICT, PRESENTER, VIEWER)},
            "total": len({uid for uid, _ in rows}), "names": names}


def sids_of_user(session: Session, user_id: int) -> list[str]:
    return list(session.scalars(select(LivePresence.sid).where(LivePresence.user_id == user_id)))


# --- the snapshot a (re)connecting client starts from -----------------------------------------

def program(session: Session, pitch_session: PitchSession) -> list[dict[str, Any]]:
    rows = []
    for slot in programme_slots(pitch_session):
        entry: dict[str, Any] = {"slot_id": slot.id, "kind": slot.kind.value,
                                 "starts_at": slot.starts_at.isoformat(),
                                 "ends_at": slot.ends_at.isoformat(), "title": "",
                                 "presenter": "", "district": "", "deck_pages": 0,
                                 "application_id": slot.application_id}
        if slot.application is not None:
            application = slot.application
            entry["title"] = localized(application, "title")
            entry["presenter"] = application.applicant.display_name
            entry.update(both(application, "title"))
            entry.update(names(application.applicant, "presenter"))
            deck = application.deck
            if deck is not None and deck.content_type == "application/pdf":
                entry["deck_pages"] = deck.page_count or 1
            entry["video_url"] = application.video_url
        if slot.district is not None:
            entry["district"] = localized(slot.district, "name")
            entry["title"] = entry["title"] or localized(slot.district, "name")
            district = both(slot.district, "name")
            entry["district_en"], entry["district_zh"] = district["name_en"], district["name_zh"]
            entry.setdefault("title_en", district["name_en"])
            entry.setdefault("title_zh", district["name_zh"])
        rows.append(entry)
    return rows


# --- the programme follows the schedule --------------------------------------------------------

def follow_schedule(session: Session, pitch_session: PitchSession) -> LiveEvent | None:
    """The session's room takes the schedule as it is now (items added, moved, refilled or
    removed) and tells everyone in it with a ``programme`` event carrying the new stage and
    programme; None when the session has no room yet or its room is closed."""
    room = session.scalar(select(LiveRoom).where(LiveRoom.session_id == pitch_session.id))
    if room is None or room.closed_at is not None:
        return None
    seq = _next_seq(session, room)
    current = load_stage(room)
    if current.phase == stage.Phase.CLOSED:
        return None
    session.refresh(pitch_session, ["slots"])
    new = stage.follow_schedule(current, stage_items(pitch_session))
    room.stage = new.to_dict()
    return append_event(session, room, "programme",
                        {"stage": room.stage, "program": program(session, pitch_session)},
                        seq=seq)


def snapshot(session: Session, room: LiveRoom, member: Member, now: datetime) -> dict[str, Any]:
    pitch_session = room.session
    current = load_stage(room)
    questions_query = select(LiveQuestion).where(LiveQuestion.room_id == room.id)
    if not member.is_host:
        questions_query = questions_query.where(
            (LiveQuestion.status.in_([QuestionStatus.APPROVED, QuestionStatus.ANSWERED]))
            | (LiveQuestion.author_id == member.user_id))
    questions = [question_view(q) for q in session.scalars(
        questions_query.order_by(LiveQuestion.votes.desc(), LiveQuestion.id))]
    my_votes = list(session.scalars(select(LiveVote.question_id).join(
        LiveQuestion, LiveQuestion.id == LiveVote.question_id).where(
        LiveQuestion.room_id == room.id, LiveVote.user_id == member.user_id)))
    messages = list(session.scalars(
        select(ChatMessage).where(ChatMessage.room_id == room.id, ChatMessage.deleted_at.is_(None))
        .order_by(ChatMessage.id.desc()).limit(CHAT_HISTORY)))
    roles = dict(session.execute(select(User.id, User.role).where(
        User.id.in_({m.author_id for m in messages if m.author_id})) ).all())
    chat = [chat_view(m, _role_word(roles.get(m.author_id))) for m in reversed(messages)]
    data: dict[str, Any] = {
        "seq": room.seq, "room_id": room.id, "session_id": pitch_session.id,
        "server_now": now.isoformat(), "stage": current.to_dict(),
        "program": program(session, pitch_session), "join_url": pitch_session.join_url,
        "you": {"user_id": member.user_id, "role": member.role,
                "presents": sorted(member.presents), "district_id": member.district_id,
                "muted": is_muted(session, room, member.user_id)},
        "questions": questions, "my_votes": my_votes, "chat": chat,
        "presence": presence(session, room.id, now),
        "results": {str(item.slot_id): live_results(session, item.application_id)
                    for item in current.items if item.slot_id in current.revealed},
    }
    if member.role == JUDGE or member.is_host:
        data["rubric"] = [{"id": c.id, "name": localized(c, "name"), "min": c.scale_min,
                           "max": c.scale_max, "required": c.required}
                          for c in rubric(session, pitch_session.event_id)]
    if member.role == JUDGE and current.item and current.item.application_id:
        data["my_score"] = my_live_score(session, member.user_id, current.item.application_id)
        application = session.get(Application, current.item.application_id)
        judge = session.get(User, member.user_id)
        data["conflicted"] = bool(application and judge and judge_conflicted(session, judge, application))
    if member.is_host:
        data["scored"] = {str(i.application_id): _live_review_count(session, i.application_id)
                          for i in current.items if i.application_id}
        data["muted_users"] = list(session.scalars(select(LiveMute.user_id).where(
            LiveMute.room_id == room.id)))
    viewer = session.get(User, member.user_id)
    if viewer is not None and member.role in (HOST, DISTRICT, PRESENTER):
        # the room's panel: requests about the projects pitching in this session (the
        # docking board keeps the whole event), within what the viewer may see anyway
        data["docking"] = [docking_view(r) for r in docking_board(
            session, viewer, pitch_session.event_id, session_projects(pitch_session))]
    return data


def _role_word(role: Role | None) -> str:
    return {Role.ORGANIZER: HOST, Role.JUDGE: JUDGE, Role.RECRUITER: DISTRICT,
            Role.APPLICANT: VIEWER}.get(role, VIEWER) if role else VIEWER  # type: ignore[arg-type]


def live_sessions_now(session: Session, user: User, now: datetime) -> list[tuple[PitchSession, bool]]:
    """Sessions of today and later for the dashboard card; True when the room is open now."""
    rows = []
    for pitch_session in sessions_for(session, user):
        if pitch_session.ends_at < now - timedelta(hours=2):
            continue
        room = session.scalar(select(LiveRoom).where(LiveRoom.session_id == pitch_session.id))
        live = bool(room and room.opened_at and not room.closed_at)
        rows.append((pitch_session, live))
    return rows
