"""The room's chat: messages, deleting them, and muting people."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.live import state as stage
from roadshow.live.bilingual import names
from roadshow.live.client_input import clean_input, whole_number
from roadshow.live.exceptions import LiveError
from roadshow.live.membership import Member
from roadshow.live.models import ChatMessage, LiveEvent, LiveMute, LiveRoom
from roadshow.live.room_events import append_event, load_stage
from roadshow.live.throttle import CHAT_MAX_CHARS
from roadshow.organisations import grants


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
    body = clean_input(text, CHAT_MAX_CHARS)
    message = ChatMessage(room_id=room.id, author_id=member.user_id, text=body)
    session.add(message)
    session.flush()
    return append_event(session, room, "chat", {"message": chat_view(message, member.role)},
                        actor_id=member.user_id, action_id=action_id)


def delete_chat(session: Session, room: LiveRoom, member: Member, message_id: object,
                now: datetime, action_id: str | None = None) -> LiveEvent:
    if not member.is_host:
        raise LiveError("not_host")
    message = session.get(ChatMessage, whole_number(message_id))
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
    target = session.get(User, whole_number(user_id))
    # the event's organizers host the room: they are never muted in it
    if target is None or Role.ORGANIZER in grants.in_event(session, target, room.session.event).roles:
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
