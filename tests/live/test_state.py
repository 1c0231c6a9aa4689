"""The stage machine on its own: phases, timers as deadlines, refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from roadshow.live import state as s
from roadshow.live.batching import RoomBatch
from roadshow.live.throttle import TextError, clean_text, merge_note

NOW = datetime(2026, 6, 11, 2, 0, tzinfo=UTC)
ITEMS = (
    s.StageItem(1, s.ItemKind.DISTRICT, district_id=7, seconds=600),
    s.StageItem(2, s.ItemKind.PITCH, application_id=11, seconds=1200, pitch_seconds=720, qa_seconds=480),
    s.StageItem(3, s.ItemKind.BREAK, seconds=300),
)


def opened() -> s.StageState:
    return s.open_room(s.StageState(items=ITEMS))


def test_nothing_happens_before_the_room_opens():
    with pytest.raises(s.StageError, match="not_open"):
        s.call_next(s.StageState(items=ITEMS))


def test_items_are_called_in_schedule_order_with_their_opening_phase():
    state = s.call_next(opened())
    assert (state.phase, state.item.slot_id) == (s.Phase.DISTRICT, 1)
    state = s.call_next(state)
    assert (state.phase, state.item.application_id) == (s.Phase.PITCH, 11)
    assert state.timer.remaining == 720
    assert not state.timer.running
    state = s.call_next(state)
    assert state.phase == s.Phase.BREAK
    with pytest.raises(s.StageError, match="no_next_item"):
        s.call_next(state)


def test_host_may_call_any_item_out_of_order():
    state = s.call_item(opened(), 2)
    assert state.item.slot_id == 3
    with pytest.raises(s.StageError, match="no_such_item"):
        s.call_item(state, 9)


def test_running_timer_is_an_absolute_deadline_and_pause_keeps_what_is_left():
    state = s.start_timer(s.call_item(opened(), 1), NOW)
    assert state.timer.deadline == NOW + timedelta(seconds=720)
    later = NOW + timedelta(seconds=100)
    assert state.timer.seconds_left(later) == 620
    paused = s.pause_timer(state, later)
    assert not paused.timer.running
    assert paused.timer.remaining == 620
    resumed = s.start_timer(paused, later + timedelta(minutes=5))
    assert resumed.timer.deadline == later + timedelta(minutes=5, seconds=620)


def test_extending_moves_the_deadline_or_the_paused_remainder():
    running = s.start_timer(s.call_item(opened(), 1), NOW)
    assert s.extend_timer(running, 60, NOW).timer.deadline == NOW + timedelta(seconds=780)
    paused = s.extend_timer(s.call_item(opened(), 1), -120, NOW)
    assert paused.timer.remaining == 600
    with pytest.raises(s.StageError, match="bad_extension"):
        s.extend_timer(running, 3600, NOW)


def test_pitch_goes_to_questions_then_scoring_and_district_items_cannot():
    pitch = s.call_item(opened(), 1)
    qa = s.start_qa(pitch)
    assert qa.phase == s.Phase.QA
    assert qa.timer.remaining == 480
    scoring = s.start_scoring(qa)
    assert s.scoring_open_for(scoring, 11)
    assert not s.scoring_open_for(qa, 11)
    with pytest.raises(s.StageError, match="not_a_pitch"):
        s.start_qa(s.call_item(opened(), 0))


def test_deck_pages_turn_only_while_presenting_and_within_the_deck():
    pitch = s.call_item(opened(), 1)
    assert s.flip_page(pitch, 3, 5).deck_page == 3
    with pytest.raises(s.StageError, match="no_such_page"):
        s.flip_page(pitch, 6, 5)
    with pytest.raises(s.StageError, match="not_presenting"):
        s.flip_page(s.start_scoring(pitch), 2, 5)


def test_closed_room_refuses_everything():
    closed = s.close_room(s.call_item(opened(), 1))
    assert closed.item is None
    for move in (s.call_next, s.start_qa, lambda st_: s.start_timer(st_, NOW)):
        with pytest.raises(s.StageError, match="closed"):
            move(closed)


def test_an_interest_note_keeps_its_newest_lines_within_its_bound():
    note = ""
    for i in range(40):
        note = merge_note(note, f"note {i} " + "x" * 100, max_chars=500)
        assert len(note) <= 500
    assert note.endswith("note 39 " + "x" * 100)
    assert "note 0 " not in note
    assert merge_note("a\nb", "a") == "a\nb"
    assert merge_note("", "y" * 50, max_chars=10) == "y" * 10


def test_text_is_kept_plain_and_bounded():
    assert clean_text("  <b>hi</b>\x00\u202e ", 20) == "<b>hi</b>"
    with pytest.raises(TextError, match="too_long"):
        clean_text("x" * 21, 20)
    with pytest.raises(TextError, match="empty"):
        clean_text(" \x07 ", 20)


def test_batches_keep_order_and_only_the_newest_vote_count_per_question():
    batch = RoomBatch()
    batch.add({"seq": 1, "kind": "votes", "data": {"question_id": 5, "votes": 1}})
    batch.add({"seq": 2, "kind": "chat", "data": {}})
    batch.add({"seq": 3, "kind": "votes", "data": {"question_id": 5, "votes": 2}})
    batch.add({"seq": 4, "kind": "votes", "data": {"question_id": 6, "votes": 1}})
    assert [e["seq"] for e in batch.take()] == [2, 3, 4]
    assert len(batch) == 0
