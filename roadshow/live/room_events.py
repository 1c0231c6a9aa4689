"""A session's live room, its stage items from the schedule, and its numbered events.

Every accepted action appends one numbered :class:`LiveEvent` (the room's sequence number is
raised with a single ``UPDATE ... RETURNING`` that also serialises concurrent writers, across
processes). A retried action (same actor, same client action id) finds its event and is not
applied again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from roadshow.live import channels
from roadshow.live import state as stage
from roadshow.live.models import LiveEvent, LiveRoom
from roadshow.scheduling.models import PitchSession, Slot, SlotKind
from roadshow.scoping import scoped


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
    room = room_of(session, pitch_session)
    if room is None:
        room = LiveRoom(session_id=pitch_session.id,
                        stage=stage.StageState(items=tuple(stage_items(pitch_session))).to_dict())
        session.add(room)
        try:
            session.flush()
        except IntegrityError:  # another process made it meanwhile
            session.rollback()
            room = session.scalars(scoped(
                select(LiveRoom).where(LiveRoom.session_id == pitch_session.id),
                pitch_session.event_id)).one()
    return room


def room_of(session: Session, pitch_session: PitchSession) -> LiveRoom | None:
    """The session's room, if it has one yet."""
    return session.scalar(scoped(select(LiveRoom).where(LiveRoom.session_id == pitch_session.id),
                                 pitch_session.event_id))


def load_stage(room: LiveRoom) -> stage.StageState:
    return stage.StageState.from_dict(room.stage)


def next_seq(session: Session, room: LiveRoom) -> int:
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
    seq = seq if seq is not None else next_seq(session, room)
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


def events_since(session: Session, room: LiveRoom, seq: int) -> list[LiveEvent]:
    return list(session.scalars(
        select(LiveEvent).where(LiveEvent.room_id == room.id, LiveEvent.seq > seq)
        .order_by(LiveEvent.seq)))
