"""The room's programme as clients show it, and following the schedule when it changes."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from roadshow.live import state as stage
from roadshow.live.bilingual import both, localized, names
from roadshow.live.models import LiveEvent
from roadshow.live.room_events import (
    append_event,
    load_stage,
    next_seq,
    programme_slots,
    room_of,
    stage_items,
)
from roadshow.scheduling.models import PitchSession


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


def follow_schedule(session: Session, pitch_session: PitchSession) -> LiveEvent | None:
    """The session's room takes the schedule as it is now (items added, moved, refilled or
    removed) and tells everyone in it with a ``programme`` event carrying the new stage and
    programme; None when the session has no room yet or its room is closed."""
    room = room_of(session, pitch_session)
    if room is None or room.closed_at is not None:
        return None
    seq = next_seq(session, room)
    current = load_stage(room)
    if current.phase == stage.Phase.CLOSED:
        return None
    session.refresh(pitch_session, ["slots"])
    new = stage.follow_schedule(current, stage_items(pitch_session))
    room.stage = new.to_dict()
    return append_event(session, room, "programme",
                        {"stage": room.stage, "program": program(session, pitch_session)},
                        seq=seq)
