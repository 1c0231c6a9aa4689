"""The snapshot a (re)connecting client starts from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application
from roadshow.live.bilingual import localized
from roadshow.live.chat import chat_view, is_muted
from roadshow.live.district_docking import docking_view, room_board
from roadshow.live.live_scoring import (
    judge_conflicted,
    live_results,
    live_review_count,
    my_live_score,
    rubric,
)
from roadshow.live.membership import DISTRICT, HOST, JUDGE, PRESENTER, VIEWER, Member
from roadshow.live.models import (
    ChatMessage,
    LiveMute,
    LiveQuestion,
    LiveRoom,
    LiveVote,
    QuestionStatus,
)
from roadshow.live.presence import presence
from roadshow.live.programme import program
from roadshow.live.questions import question_view
from roadshow.live.room_events import load_stage, session_projects
from roadshow.organisations import grants
from roadshow.scheduling.models import PitchSession

CHAT_HISTORY = 100


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
    roles = _parts_in_event(session, pitch_session, {m.author_id for m in messages if m.author_id})
    chat = [chat_view(m, roles.get(m.author_id, VIEWER)) for m in reversed(messages)]
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
        data["scored"] = {str(i.application_id): live_review_count(session, i.application_id)
                          for i in current.items if i.application_id}
        data["muted_users"] = list(session.scalars(select(LiveMute.user_id).where(
            LiveMute.room_id == room.id)))
    if member.role in (HOST, DISTRICT, PRESENTER):
        # the room's panel: requests about the projects pitching in this session (the
        # docking board keeps the whole event), within what the member may see anyway
        data["docking"] = [docking_view(r) for r in room_board(
            session, member, pitch_session.event_id, session_projects(pitch_session))]
    return data


def _parts_in_event(session: Session, pitch_session: PitchSession,
                    user_ids: set[int]) -> dict[int, str]:
    """The chat authors' parts by their roles in the session's event (the host's organizers,
    its judges and recruiters; everyone else is audience)."""
    parts: dict[int, str] = {}
    for user in session.scalars(select(User).where(User.id.in_(sorted(user_ids)))):
        roles = grants.in_event(session, user, pitch_session.event).roles
        parts[user.id] = (HOST if Role.ORGANIZER in roles else JUDGE if Role.JUDGE in roles
                          else DISTRICT if Role.RECRUITER in roles else VIEWER)
    return parts
