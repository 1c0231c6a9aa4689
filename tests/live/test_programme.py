"""An open room follows the schedule (issue 12, item 3): items placed, moved or removed after
the room opened can be staged, and everyone in the room hears of the change at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from roadshow.db import utcnow
from roadshow.live import state as s
from roadshow.scheduling import placement
from roadshow.scheduling.models import Slot, SlotKind
from tests.live.conftest import act, events_of, hello


def _coming(roadshow, title="Late pitches", applications=None, days=30):
    """A published session still to come (the schedule refuses changes to slots that started)."""
    starts_at = (utcnow() + timedelta(days=days)).replace(microsecond=0)
    return roadshow.make_session(title, starts_at, applications=applications)


def _empty_pitch_then_break(db, pitch_session):
    """An empty pitch slot (not in the programme yet) followed by a break, at the session's end."""
    last = max(slot.ends_at for slot in pitch_session.slots)
    empty = Slot(session_id=pitch_session.id, kind=SlotKind.PITCH, starts_at=last,
                 ends_at=last + timedelta(minutes=20), position=9)
    db.session.add(empty)
    db.session.add(Slot(session_id=pitch_session.id, kind=SlotKind.BREAK,
                        starts_at=last + timedelta(minutes=20),
                        ends_at=last + timedelta(minutes=30), position=10))
    db.session.commit()
    return empty


def test_a_pitch_placed_in_an_open_room_can_be_called_and_is_announced(roadshow, connect, db):
    pitch_session = _coming(roadshow, applications=[])
    empty = _empty_pitch_then_break(db, pitch_session)
    host = connect(roadshow.organizer, pitch_session)
    judge = connect(roadshow.judge, pitch_session)
    assert act(host, "stage", command="open")["ok"]
    assert [i["kind"] for i in hello(host)["stage"]["items"]] == ["district", "break"]
    events_of(judge)

    moved = roadshow.applications[1]
    placement.place(db.session, roadshow.organizer, db.session.get(Slot, empty.id), moved)
    db.session.commit()

    [event] = events_of(judge, "programme")
    assert [i["kind"] for i in event["data"]["stage"]["items"]] == ["district", "pitch", "break"]
    entry = event["data"]["program"][1]
    assert entry["application_id"] == moved.id
    assert (entry["title_en"], entry["title_zh"]) == ("Low-power IoT 2", "低功耗物联网 2")
    assert entry["presenter_en"] == "Presenter 2"

    assert act(host, "stage", command="call", index=1)["ok"]
    on_stage = hello(judge)["stage"]
    assert on_stage["items"][on_stage["current"]]["application_id"] == moved.id
    assert on_stage["phase"] == "pitch"


def test_next_after_the_district_calls_the_pitch_placed_after_opening(roadshow, connect, db):
    pitch_session = _coming(roadshow, applications=[])
    empty = _empty_pitch_then_break(db, pitch_session)
    host = connect(roadshow.organizer, pitch_session)
    assert act(host, "stage", command="open")["ok"]
    assert act(host, "stage", command="next")["ok"]  # the district's presentation
    placement.place(db.session, roadshow.organizer, db.session.get(Slot, empty.id),
                     roadshow.applications[0])
    db.session.commit()
    assert act(host, "stage", command="next")["ok"]
    stage = hello(host)["stage"]
    assert stage["items"][stage["current"]]["application_id"] == roadshow.applications[0].id


def test_the_room_a_pitch_leaves_drops_it_and_keeps_its_stage(roadshow, connect, db):
    """Placing a finalist elsewhere empties their old slot: the old room drops the item, and
    the item on its stage stays on stage, at its new index."""
    pitching = _coming(roadshow, "Coming pitches")
    db.session.commit()
    host = connect(roadshow.organizer, pitching)
    viewer = connect(roadshow.presenters[1], pitching)
    assert act(host, "stage", command="open")["ok"]
    assert act(host, "stage", command="call", index=2)["ok"]  # the second pitch
    events_of(viewer)
    later = _coming(roadshow, applications=[], days=31)
    empty = _empty_pitch_then_break(db, later)
    placement.place(db.session, roadshow.organizer, db.session.get(Slot, empty.id),
                     roadshow.applications[0])
    db.session.commit()
    [event] = events_of(viewer, "programme")
    stage = event["data"]["stage"]
    assert [i["application_id"] for i in stage["items"]] == [None, roadshow.applications[1].id]
    assert stage["current"] == 1
    assert stage["phase"] == "pitch"


def test_swapped_pitches_are_announced_in_their_new_order(roadshow, connect, db):
    pitching = _coming(roadshow, "Coming pitches")
    db.session.commit()
    host = connect(roadshow.organizer, pitching)
    assert act(host, "stage", command="open")["ok"]
    events_of(host)
    first, second = sorted((slot for slot in pitching.slots if slot.kind == SlotKind.PITCH),
                           key=lambda slot: slot.starts_at)
    placement.swap(db.session, roadshow.organizer, first, second)
    db.session.commit()
    [event] = events_of(host, "programme")
    assert [e["application_id"] for e in event["data"]["program"]][1:] == [
        roadshow.applications[1].id, roadshow.applications[0].id]


def test_a_schedule_change_rolled_back_reaches_no_room(roadshow, connect, db):
    pitching = _coming(roadshow, "Coming pitches")
    db.session.commit()
    host = connect(roadshow.organizer, pitching)
    assert act(host, "stage", command="open")["ok"]
    events_of(host)
    first = next(slot for slot in pitching.slots if slot.kind == SlotKind.PITCH)
    placement.place(db.session, roadshow.organizer, first, None)
    db.session.rollback()
    assert events_of(host, "programme") == []


def test_a_closed_room_keeps_its_programme(roadshow, connect, db):
    pitching = _coming(roadshow, "Coming pitches")
    db.session.commit()
    host = connect(roadshow.organizer, pitching)
    assert act(host, "stage", command="open")["ok"]
    assert act(host, "stage", command="close")["ok"]
    events_of(host)
    first = next(slot for slot in pitching.slots if slot.kind == SlotKind.PITCH)
    placement.place(db.session, roadshow.organizer, first, None)
    db.session.commit()
    assert events_of(host, "programme") == []
    assert len(hello(host)["stage"]["items"]) == 3


# --- the stage machine (pure) ------------------------------------------------------------

ITEMS = (
    s.StageItem(1, s.ItemKind.DISTRICT, district_id=1, seconds=600),
    s.StageItem(2, s.ItemKind.PITCH, application_id=10, seconds=1200, pitch_seconds=720,
                qa_seconds=480),
    s.StageItem(3, s.ItemKind.PITCH, application_id=11, seconds=1200, pitch_seconds=720,
                qa_seconds=480),
    s.StageItem(4, s.ItemKind.BREAK, seconds=600),
)


def _on_stage(index):
    return s.call_item(s.open_room(s.StageState(items=ITEMS)), index)


def test_the_item_on_stage_stays_on_stage_when_items_are_added_before_it():
    new = s.StageItem(9, s.ItemKind.PITCH, application_id=12, seconds=1200, pitch_seconds=720)
    state = s.follow_schedule(_on_stage(2), (ITEMS[0], new, *ITEMS[1:]))
    assert (state.item, state.current, state.phase) == (ITEMS[2], 3, s.Phase.PITCH)


def test_when_the_item_on_stage_leaves_the_schedule_next_calls_the_one_after_it():
    state = s.start_timer(_on_stage(1), datetime(2026, 6, 11, 2, 0, tzinfo=UTC))
    state = s.follow_schedule(state, (ITEMS[0], *ITEMS[2:]))
    assert state.phase == s.Phase.WAITING
    assert not state.timer.running
    assert s.presenter_on_stage(state) is None
    assert s.call_next(state).item == ITEMS[2]


def test_when_the_first_item_on_stage_leaves_next_calls_the_new_first():
    state = s.follow_schedule(_on_stage(0), ITEMS[1:])
    assert (state.phase, state.current) == (s.Phase.WAITING, None)
    assert s.call_next(state).item == ITEMS[1]


def test_a_room_waiting_to_open_takes_the_new_schedule_as_it_is():
    state = s.follow_schedule(s.StageState(items=ITEMS), ITEMS[::-1])
    assert (state.items, state.current, state.opened) == (ITEMS[::-1], None, False)


def test_a_change_the_room_never_heard_of_is_taken_in_when_the_host_calls(roadshow, connect, db):
    """A schedule written past the ORM (a bulk UPDATE sends no signal): calling the next item
    takes the schedule as it is, and the stage event carries the new programme."""
    from sqlalchemy import update

    pitch_session = _coming(roadshow, applications=[])
    empty = _empty_pitch_then_break(db, pitch_session)
    host = connect(roadshow.organizer, pitch_session)
    assert act(host, "stage", command="open")["ok"]
    assert act(host, "stage", command="next")["ok"]  # the district
    db.session.execute(update(Slot).where(Slot.id == empty.id)
                       .values(application_id=roadshow.applications[0].id))
    db.session.commit()
    events_of(host)
    assert act(host, "stage", command="next")["ok"]
    [event] = events_of(host, "stage")
    assert [e["application_id"] for e in event["data"]["program"]][1] == roadshow.applications[0].id
    stage = event["data"]["stage"]
    assert stage["items"][stage["current"]]["application_id"] == roadshow.applications[0].id


def test_the_host_calls_an_item_by_its_slot_whatever_its_index_became(roadshow, connect, db):
    pitching = _coming(roadshow, "Coming pitches")
    db.session.commit()
    host = connect(roadshow.organizer, pitching)
    assert act(host, "stage", command="open")["ok"]
    last = max((slot for slot in pitching.slots if slot.kind == SlotKind.PITCH),
               key=lambda slot: slot.starts_at)
    assert act(host, "stage", command="call", slot_id=last.id, index=0)["ok"]
    stage = hello(host)["stage"]
    assert stage["items"][stage["current"]]["slot_id"] == last.id
    assert act(host, "stage", command="call", slot_id=999_999)["error"] == "no_such_item"
