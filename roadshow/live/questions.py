"""Questions to the presenter: asking, moderating, and upvoting them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roadshow.live import state as stage
from roadshow.live.bilingual import names
from roadshow.live.client_input import clean_input, whole_number
from roadshow.live.exceptions import LiveError
from roadshow.live.membership import Member
from roadshow.live.models import LiveEvent, LiveQuestion, LiveRoom, LiveVote, QuestionStatus
from roadshow.live.room_events import append_event, load_stage, next_seq
from roadshow.live.throttle import QUESTION_MAX_CHARS


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
    body = clean_input(text, QUESTION_MAX_CHARS)
    item = current.item
    question = LiveQuestion(room_id=room.id, author_id=member.user_id, text=body,
                            application_id=item.application_id if item else None)
    session.add(question)
    session.flush()
    return append_event(session, room, "question", {"question": question_view(question)},
                        actor_id=member.user_id, action_id=action_id,
                        audience=f"host,user:{member.user_id}")


def moderate_question(session: Session, room: LiveRoom, member: Member, question_id: object,
                      status: object, action_id: str | None = None) -> LiveEvent:
    if not member.is_host:
        raise LiveError("not_host")
    try:
        new_status = QuestionStatus(status)
    except ValueError as error:
        raise LiveError("bad_request") from error
    question = session.get(LiveQuestion, whole_number(question_id))
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
    question = session.get(LiveQuestion, whole_number(question_id))
    if question is None or question.room_id != room.id:
        raise LiveError("no_such_question")
    if question.status not in (QuestionStatus.APPROVED, QuestionStatus.ANSWERED):
        raise LiveError("question_not_open")
    want = bool(up)
    existing = session.scalar(select(LiveVote).where(
        LiveVote.question_id == question.id, LiveVote.user_id == member.user_id))
    if want == (existing is not None):
        return None, {"question_id": question.id, "votes": question.votes, "voted": want}
    seq = next_seq(session, room)
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
