"""The host moving the stage (open, call, timer, Q&A, scoring, break, reveal, close) and the
presenter flipping deck pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from roadshow.applications.models import Application
from roadshow.live import state as stage
from roadshow.live.client_input import whole_number
from roadshow.live.exceptions import LiveError
from roadshow.live.live_scoring import live_results
from roadshow.live.membership import Member
from roadshow.live.models import LiveEvent, LiveRoom
from roadshow.live.programme import program
from roadshow.live.room_events import append_event, load_stage, next_seq, stage_items
from roadshow.scheduling.models import PitchSession

HOST_COMMANDS = {"open", "call", "next", "start", "pause", "extend", "qa", "scoring", "break",
                 "close", "reveal"}


def stage_command(session: Session, room: LiveRoom, member: Member, command: str,
                  args: dict[str, Any], now: datetime, action_id: str | None = None) -> LiveEvent:
    """The host moves the stage; returns the ``stage`` event with the new state."""
    if not member.is_host:
        raise LiveError("not_host")
    if command not in HOST_COMMANDS:
        raise LiveError("bad_request")
    seq = next_seq(session, room)  # lock first, then read the stage others may have moved
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
            new = stage.extend_timer(current, whole_number(args.get("seconds")), now)
        elif command == "qa":
            new = stage.start_qa(current)
        elif command == "scoring":
            new = stage.start_scoring(current)
        elif command == "break":
            new = stage.start_break(current, whole_number(args.get("seconds", 600)))
        elif command == "reveal":
            new = stage.reveal_scores(current, whole_number(args.get("slot_id")))
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
        item = next(i for i in new.items if i.slot_id == whole_number(args.get("slot_id")))
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
        return whole_number(args.get("index"))
    slot_id = whole_number(args.get("slot_id"))
    for index, item in enumerate(current.items):
        if item.slot_id == slot_id:
            return index
    raise LiveError("no_such_item")


def flip_page(session: Session, room: LiveRoom, member: Member, page: object,
              action_id: str | None = None) -> LiveEvent:
    """The presenter on stage (or the host for them) shows deck page ``page`` to everyone."""
    seq = next_seq(session, room)
    current = load_stage(room)
    on_stage = stage.presenter_on_stage(current)
    if not (member.is_host or (on_stage is not None and on_stage in member.presents)):
        raise LiveError("not_presenter")
    application = session.get(Application, on_stage) if on_stage else None
    deck = application.deck if application else None
    page_count = (deck.page_count or 1) if deck else 1
    try:
        new = stage.flip_page(current, whole_number(page), page_count)
    except stage.StageError as error:
        raise LiveError(error.code) from error
    room.stage = new.to_dict()
    return append_event(session, room, "page", {"page": new.deck_page, "stage": room.stage},
                        actor_id=member.user_id, action_id=action_id, seq=seq)
