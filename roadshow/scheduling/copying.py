"""A new event copied from an old one takes its session layout: every session comes along as a
draft at the same wall-clock times in the new event's zone, moved by the copy's shift, with its
district presentations and breaks; its pitch slots come empty (no finalist, no answer, no
calendar entry of anyone is copied). Connected to ``events.signals.event_copied`` when this
module loads (the scheduling blueprint imports it)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from roadshow.events import signals as event_signals
from roadshow.events.dateshift import Shift
from roadshow.events.models import Event
from roadshow.scheduling.models import PitchSession, SessionStatus, Slot, SlotKind
from roadshow.scoping import scoped

log = logging.getLogger("roadshow.scheduling")


def copy_sessions(session: Session, source: Event, target: Event, shift: Shift) -> list[PitchSession]:
    """Draft sessions of ``target`` shaped as ``source``'s, moved by ``shift`` (the same
    wall-clock times, ``shift.days`` later, in the target's zone); districts the target does not
    hold are left out, tracks are matched by code."""
    tracks = {track.code: track.id for track in target.tracks}
    held = {district.id for district in target.districts}
    moved = shift

    copies = []
    sources = session.scalars(scoped(
        select(PitchSession).where(PitchSession.event_id == source.id)
        .options(selectinload(PitchSession.slots), selectinload(PitchSession.track))
        .order_by(PitchSession.starts_at, PitchSession.id), source))
    for original in sources:
        copy = PitchSession(
            event_id=target.id, title_zh=original.title_zh, title_en=original.title_en,
            track_id=tracks.get(original.track.code) if original.track else None,
            starts_at=moved(original.starts_at), ends_at=moved(original.ends_at),
            join_url="", slot_minutes=original.slot_minutes,
            pitch_minutes=original.pitch_minutes, qa_minutes=original.qa_minutes,
            status=SessionStatus.DRAFT)
        position = 0
        for slot in sorted(original.slots, key=lambda s: (s.starts_at, s.id)):
            if slot.kind == SlotKind.DISTRICT and slot.district_id not in held:
                continue
            copy.slots.append(Slot(
                kind=slot.kind, district_id=slot.district_id if slot.kind == SlotKind.DISTRICT else None,
                starts_at=moved(slot.starts_at), ends_at=moved(slot.ends_at), position=position))
            position += 1
        session.add(copy)
        copies.append(copy)
    session.flush()
    log.info("copied %s sessions of event %s into event %s", len(copies), source.id, target.id)
    return copies


def _on_event_copied(_sender: Any, *, session: Session, source: Event, target: Event,
                     shift: Shift, **_kwargs: Any) -> None:
    copy_sessions(session, source, target, shift)


event_signals.event_copied.connect(_on_event_copied)
