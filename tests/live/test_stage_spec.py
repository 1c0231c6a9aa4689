"""The stage machine against its own table (roadshow.live.state.TRANSITIONS): every command in
every phase is allowed or refused as the table says, the timer's invariants hold after any
sequence of moves, and each refusal the issue lists has its test (issue 18)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadshow.live import state as s
from roadshow.live.state import TRANSITIONS, Phase

NOW = datetime(2026, 6, 11, 2, 0, tzinfo=UTC)
DISTRICT, PITCH, BREAK = 0, 1, 2
ITEMS = (
    s.StageItem(1, s.ItemKind.DISTRICT, district_id=7, seconds=600),
    s.StageItem(2, s.ItemKind.PITCH, application_id=11, seconds=1200, pitch_seconds=720,
                qa_seconds=480),
    s.StageItem(3, s.ItemKind.BREAK, seconds=300),
    s.StageItem(4, s.ItemKind.PITCH, application_id=12, seconds=900, pitch_seconds=600,
                qa_seconds=300),
)


def opened() -> s.StageState:
    return s.open_room(s.StageState(items=ITEMS))


def pitch_state() -> s.StageState:
    return s.call_item(opened(), PITCH)


def refused(code: str):
    return pytest.raises(s.StageError, match=f"^{code}$")


# --- the table ----------------------------------------------------------------------------------------

def test_transitions_cover_every_host_command_of_the_live_service():
    from roadshow.live.stage_commands import HOST_COMMANDS

    assert set(TRANSITIONS) == HOST_COMMANDS | {"flip"}


def test_transitions_table_reads_as_the_stage_promises():
    live = frozenset(Phase) - {Phase.CLOSED}
    timed = frozenset({Phase.DISTRICT, Phase.PITCH, Phase.QA, Phase.BREAK})
    written = {
        "open": ({Phase.WAITING}, Phase.WAITING), "call": (live, None), "next": (live, None),
        "start": (timed, None), "pause": (timed, None), "extend": (timed, None),
        "qa": ({Phase.PITCH, Phase.SCORING}, Phase.QA),
        "scoring": ({Phase.PITCH, Phase.QA}, Phase.SCORING),
        "break": (live, Phase.BREAK), "flip": ({Phase.PITCH, Phase.QA}, None),
        "reveal": (live, None), "close": (live, Phase.CLOSED),
    }
    assert {name: (set(rule.allowed), rule.leads_to) for name, rule in TRANSITIONS.items()} == {
        name: (set(allowed), leads_to) for name, (allowed, leads_to) in written.items()}


def _in_phase(phase: Phase) -> s.StageState:
    """A stage in ``phase`` with the pitch item on stage (closed: no item)."""
    base = pitch_state()
    return {Phase.WAITING: s.with_items(opened(), ITEMS), Phase.PITCH: base,
            Phase.DISTRICT: s.call_item(opened(), DISTRICT), Phase.QA: s.start_qa(base),
            Phase.SCORING: s.start_scoring(base), Phase.BREAK: s.start_break(base, 60),
            Phase.CLOSED: s.close_room(base)}[phase]


def _give(state: s.StageState, command: str) -> s.StageState:
    return {"open": lambda: s.open_room(state), "call": lambda: s.call_item(state, PITCH),
            "next": lambda: s.call_next(state), "start": lambda: s.start_timer(state, NOW),
            "pause": lambda: s.pause_timer(state, NOW),
            "extend": lambda: s.extend_timer(state, 30, NOW), "qa": lambda: s.start_qa(state),
            "scoring": lambda: s.start_scoring(state), "break": lambda: s.start_break(state, 60),
            "flip": lambda: s.flip_page(state, 2, 5), "reveal": lambda: s.reveal_scores(state, 2),
            "close": lambda: s.close_room(state)}[command]()


@pytest.mark.parametrize("command", sorted(set(TRANSITIONS) - {"open"}))
@pytest.mark.parametrize("phase", list(Phase))
def test_each_command_in_each_phase_is_allowed_or_refused_as_the_table_says(command, phase):
    state = _in_phase(phase)
    if command == "pause" and phase in TRANSITIONS["pause"].allowed:
        state = s.start_timer(state, NOW)
    expected = _expected_refusal(state, command)
    if phase == Phase.CLOSED or (phase not in TRANSITIONS[command].allowed
                                 and expected == TRANSITIONS[command].refusal):
        assert expected is not None  # the table refuses it, whatever the preconditions
    if expected is None:
        after = _give(state, command)
        if TRANSITIONS[command].leads_to is not None:
            assert after.phase == TRANSITIONS[command].leads_to
    else:
        with refused(expected):
            _give(state, command)


# --- the refusals the issue lists ---------------------------------------------------------------------

def test_starting_a_running_timer_is_refused():
    running = s.start_timer(pitch_state(), NOW)
    with refused("timer_running"):
        s.start_timer(running, NOW + timedelta(seconds=5))


def test_pausing_a_paused_timer_is_refused():
    paused = s.pause_timer(s.start_timer(pitch_state(), NOW), NOW + timedelta(seconds=5))
    with refused("timer_not_running"):
        s.pause_timer(paused, NOW + timedelta(seconds=6))


def test_questions_cannot_open_from_a_break():
    with refused("wrong_phase"):
        s.start_qa(s.start_break(pitch_state(), 300))


def test_scoring_cannot_open_from_a_break():
    with refused("wrong_phase"):
        s.start_scoring(s.start_break(pitch_state(), 300))


def test_scoring_cannot_open_for_a_district_item():
    with refused("not_a_pitch"):
        s.start_scoring(s.call_item(opened(), DISTRICT))


def test_questions_cannot_reopen_from_questions():
    with refused("wrong_phase"):
        s.start_qa(s.start_qa(pitch_state()))


def test_scoring_has_no_timer_to_start():
    with refused("wrong_phase"):
        s.start_timer(s.start_scoring(pitch_state()), NOW)


def test_a_break_called_while_waiting_runs_its_timer():
    waiting_break = s.start_break(opened(), 300)
    assert waiting_break.item is None
    running = s.start_timer(waiting_break, NOW)
    assert running.timer.deadline == NOW + timedelta(seconds=300)
    assert s.extend_timer(running, 60, NOW).timer.deadline == NOW + timedelta(seconds=360)


def test_a_timer_cannot_start_with_nothing_on_stage():
    with refused("nothing_on_stage"):
        s.start_timer(opened(), NOW)
    with refused("nothing_on_stage"):
        s.extend_timer(opened(), 30, NOW)


def test_shortening_a_running_timer_never_puts_its_deadline_in_the_past():
    running = s.start_timer(pitch_state(), NOW)
    later = NOW + timedelta(seconds=700)
    shortened = s.extend_timer(running, -600, later)
    assert shortened.timer.deadline == later
    assert shortened.timer.seconds_left(later) == 0


def test_shortening_a_paused_timer_never_leaves_a_negative_remainder():
    shortened = s.extend_timer(pitch_state(), -1800, NOW)
    assert shortened.timer.remaining == 0.0
    assert not shortened.timer.running


def test_a_timer_past_its_deadline_has_no_time_left_and_pauses_at_zero():
    running = s.start_timer(pitch_state(), NOW)
    after = NOW + timedelta(seconds=721)
    assert running.timer.seconds_left(after) == 0.0
    assert s.pause_timer(running, after).timer.remaining == 0.0


def test_a_paused_timer_with_a_negative_remainder_reads_zero():
    assert s.Timer(remaining=-5.0).seconds_left(NOW) == 0.0


@pytest.mark.parametrize("seconds", [0, s.MAX_EXTENSION_SECONDS + 1, -s.MAX_EXTENSION_SECONDS - 1])
def test_an_extension_of_zero_or_beyond_thirty_minutes_is_refused(seconds):
    with refused("bad_extension"):
        s.extend_timer(pitch_state(), seconds, NOW)


@pytest.mark.parametrize("seconds", [s.MAX_EXTENSION_SECONDS, -s.MAX_EXTENSION_SECONDS, 1, -1])
def test_an_extension_up_to_thirty_minutes_either_way_is_accepted(seconds):
    assert s.extend_timer(pitch_state(), seconds, NOW).timer.remaining == max(0, 720 + seconds)


@pytest.mark.parametrize("seconds", [0, -60, s.MAX_BREAK_SECONDS + 1])
def test_a_break_of_zero_or_negative_length_or_over_two_hours_is_refused(seconds):
    with refused("bad_extension"):
        s.start_break(pitch_state(), seconds)


def test_a_break_of_two_hours_keeps_the_item_on_stage():
    on_break = s.start_break(pitch_state(), s.MAX_BREAK_SECONDS)
    assert (on_break.phase, on_break.item.slot_id) == (Phase.BREAK, 2)
    assert on_break.timer == s.Timer(remaining=float(s.MAX_BREAK_SECONDS))


def test_closing_with_the_timer_running_stops_the_timer():
    closed = s.close_room(s.start_timer(pitch_state(), NOW))
    assert closed.phase == Phase.CLOSED
    assert closed.item is None
    assert closed.timer == s.Timer()
    assert not closed.timer.running


def test_closing_twice_is_refused():
    with refused("closed"):
        s.close_room(s.close_room(opened()))


def test_a_room_opens_once():
    with refused("already_open"):
        s.open_room(opened())
    with refused("closed"):
        s.open_room(s.close_room(opened()))


def test_a_deck_page_does_not_carry_over_to_the_next_pitch():
    flipped = s.flip_page(pitch_state(), 4, 5)
    assert flipped.deck_page == 4
    assert s.call_item(flipped, 3).deck_page == 1
    assert s.call_next(flipped).deck_page == 1


@pytest.mark.parametrize("page", [0, 6, -1])
def test_a_deck_page_outside_the_deck_is_refused(page):
    with refused("no_such_page"):
        s.flip_page(pitch_state(), page, 5)


def test_a_deck_without_a_page_count_still_shows_page_one():
    assert s.flip_page(pitch_state(), 1, 0).deck_page == 1


def test_a_deck_turns_only_for_a_pitch():
    with refused("not_presenting"):
        s.flip_page(s.call_item(opened(), DISTRICT), 1, 5)
    with refused("not_presenting"):
        s.flip_page(opened(), 1, 5)


# --- revealing scores and who presents ------------------------------------------------------------------

def test_revealing_the_scores_of_a_pitch_slot_adds_it_to_the_revealed():
    revealed = s.reveal_scores(s.reveal_scores(opened(), 2), 4)
    assert revealed.revealed == frozenset({2, 4})


@pytest.mark.parametrize("slot_id", [99, 1, 3])
def test_revealing_an_unknown_or_non_pitch_slot_is_refused(slot_id):
    with refused("no_such_item"):
        s.reveal_scores(opened(), slot_id)


def test_revealing_needs_an_open_room():
    with refused("not_open"):
        s.reveal_scores(s.StageState(items=ITEMS), 2)


def test_the_presenter_is_on_stage_through_pitch_questions_and_scoring_only():
    pitch = pitch_state()
    assert s.presenter_on_stage(pitch) == 11
    assert s.presenter_on_stage(s.start_qa(pitch)) == 11
    assert s.presenter_on_stage(s.start_scoring(pitch)) == 11
    assert s.presenter_on_stage(s.start_break(pitch, 60)) is None
    assert s.presenter_on_stage(s.call_item(opened(), DISTRICT)) is None
    assert s.presenter_on_stage(opened()) is None


def test_scoring_is_open_only_for_the_application_on_stage():
    scoring = s.start_scoring(pitch_state())
    assert s.scoring_open_for(scoring, 11)
    assert not s.scoring_open_for(scoring, 12)
    assert not s.scoring_open_for(opened(), 11)


# --- calling items and refreshing the schedule ------------------------------------------------------------

def test_calling_a_pitch_arms_its_pitch_time_and_other_items_their_length():
    assert pitch_state().timer == s.Timer(remaining=720.0)
    assert s.call_item(opened(), DISTRICT).timer == s.Timer(remaining=600.0)
    assert s.call_item(opened(), BREAK).timer == s.Timer(remaining=300.0)


@pytest.mark.parametrize("index", [-1, 4])
def test_calling_an_index_outside_the_programme_is_refused(index):
    with refused("no_such_item"):
        s.call_item(opened(), index)


def test_with_items_keeps_the_item_on_stage_where_it_moved():
    moved = s.with_items(pitch_state(), (ITEMS[1], ITEMS[0], ITEMS[2]))
    assert (moved.current, moved.item.slot_id) == (0, 2)


def test_with_items_drops_the_item_on_stage_when_it_left_the_schedule():
    left = s.with_items(pitch_state(), (ITEMS[0], ITEMS[2]))
    assert left.current is None
    assert left.items == (ITEMS[0], ITEMS[2])


def test_with_items_before_anything_was_called_keeps_nothing_on_stage():
    assert s.with_items(opened(), ITEMS[:2]).current is None


# --- serialisation ----------------------------------------------------------------------------------

def test_the_stage_serialises_to_plain_data_with_a_utc_deadline():
    state = s.reveal_scores(s.flip_page(s.start_timer(pitch_state(), NOW), 3, 5), 2)
    data = state.to_dict()
    assert data == {
        "items": [item.to_dict() for item in ITEMS], "phase": "pitch", "current": PITCH,
        "timer": {"remaining": 720.0, "deadline": "2026-06-11T02:12:00Z", "running": True},
        "opened": True, "deck_page": 3, "revealed": [2], "guests": []}
    assert s.StageState.from_dict(data) == state


def test_a_stage_read_from_nothing_is_a_closed_door_waiting():
    assert s.StageState.from_dict(None) == s.StageState()
    assert s.StageState.from_dict({}) == s.StageState()
    assert s.StageState.from_dict({"items": []}) == s.StageState()
    assert s.Timer.from_dict(None) == s.Timer()
    assert s.Timer.from_dict({"remaining": 12.5}) == s.Timer(remaining=12.5)


def test_an_item_read_with_only_its_slot_and_kind_has_no_lengths():
    item = s.StageItem.from_dict({"slot_id": "5", "kind": "break"})
    assert item == s.StageItem(5, s.ItemKind.BREAK)


def test_a_stage_error_carries_its_code():
    error = s.StageError("closed")
    assert error.code == "closed"
    assert str(error) == "closed"


def test_utc_refuses_a_naive_time_and_converts_an_aware_one():
    with pytest.raises(ValueError, match="^naive datetime$"):
        s.utc(datetime(2026, 6, 11, 2, 0))  # noqa: DTZ001 - the naive value is the point
    from zoneinfo import ZoneInfo

    shanghai = datetime(2026, 6, 11, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert s.utc(shanghai) == NOW
    assert s.utc(shanghai).tzinfo == UTC


# --- random moves: every outcome as the table says, the timer's invariants after each ----------------------

MOVES = ["next", "call", "start", "pause", "extend", "shorten", "qa", "scoring", "flip", "break",
         "reveal", "close"]


def _expected_refusal(state: s.StageState, move: str) -> str | None:
    """What the table (and the documented preconditions) say this move meets."""
    command = {"shorten": "extend"}.get(move, move)
    if state.phase == Phase.CLOSED:
        return "closed"
    item = state.item
    if command in ("start", "extend") and item is None and state.phase != Phase.BREAK:
        return "nothing_on_stage"
    if command in ("qa", "scoring") and (item is None or item.kind != s.ItemKind.PITCH):
        return "not_a_pitch"
    if command == "flip" and (item is None or item.kind != s.ItemKind.PITCH):
        return "not_presenting"
    if command == "next" and state.next_index is None:
        return "no_next_item"
    if state.phase not in TRANSITIONS[command].allowed:
        return TRANSITIONS[command].refusal
    if command == "start" and state.timer.running:
        return "timer_running"
    if command == "pause" and not state.timer.running:
        return "timer_not_running"
    return None


def _move(state: s.StageState, move: str, now: datetime) -> s.StageState:
    return {"next": lambda: s.call_next(state), "call": lambda: s.call_item(state, PITCH),
            "start": lambda: s.start_timer(state, now), "pause": lambda: s.pause_timer(state, now),
            "extend": lambda: s.extend_timer(state, 45, now),
            "shorten": lambda: s.extend_timer(state, -400, now),
            "qa": lambda: s.start_qa(state), "scoring": lambda: s.start_scoring(state),
            "flip": lambda: s.flip_page(state, 2, 4), "break": lambda: s.start_break(state, 90),
            "reveal": lambda: s.reveal_scores(state, 4), "close": lambda: s.close_room(state)}[move]()


@settings(deadline=None, max_examples=200)
@given(st.lists(st.tuples(st.sampled_from(MOVES), st.integers(0, 900)), max_size=30))
def test_any_sequence_of_moves_follows_the_table_and_keeps_the_timer_sound(moves):
    state = opened()
    now = NOW
    for move, wait in moves:
        now += timedelta(seconds=wait)
        expected = _expected_refusal(state, move)
        if expected is None:
            before, state = state, _move(state, move, now)
            if state.timer.running and state.timer != before.timer:
                assert state.timer.deadline >= now  # a deadline set now is never in the past
            leads_to = TRANSITIONS[{"shorten": "extend"}.get(move, move)].leads_to
            if leads_to is not None:
                assert state.phase == leads_to
        else:
            with refused(expected):
                _move(state, move, now)
        assert state.timer.remaining >= 0
        assert state.timer.seconds_left(now) >= 0
        assert s.StageState.from_dict(state.to_dict()) == state


# --- details the serialised stage and the timer promise ------------------------------------------------

def test_a_timer_serialises_its_remainder_to_the_millisecond():
    assert s.Timer(remaining=1.23456).to_dict() == {"remaining": 1.235, "deadline": None,
                                                    "running": False}


def test_a_timer_serialises_its_deadline_in_utc_whatever_zone_it_was_made_in():
    from zoneinfo import ZoneInfo

    shanghai = NOW.astimezone(ZoneInfo("Asia/Shanghai"))
    assert s.Timer(deadline=shanghai).to_dict()["deadline"] == "2026-06-11T02:00:00Z"


def test_a_timer_read_with_only_a_deadline_has_no_remainder():
    timer = s.Timer.from_dict({"deadline": "2026-06-11T02:00:00Z"})
    assert timer == s.Timer(remaining=0.0, deadline=NOW)


def test_a_stage_read_without_items_or_flags_has_none():
    state = s.StageState.from_dict({"phase": "pitch"})
    assert state.items == ()
    assert not state.opened
    assert state.phase == Phase.PITCH


def test_the_last_item_has_no_next():
    with refused("no_next_item"):
        s.call_next(s.call_item(opened(), len(ITEMS) - 1))


def test_extending_a_running_timer_keeps_what_was_left_when_it_started():
    running = s.start_timer(pitch_state(), NOW)
    extended = s.extend_timer(running, 60, NOW + timedelta(seconds=30))
    assert extended.timer.to_dict()["remaining"] == 720.0
    assert extended.timer.deadline == NOW + timedelta(seconds=780)


def test_scoring_clears_the_timer_of_the_questions():
    running_qa = s.start_timer(s.start_qa(pitch_state()), NOW)
    assert s.start_scoring(running_qa).timer == s.Timer()


def test_a_break_of_one_second_is_accepted():
    assert s.start_break(pitch_state(), 1).timer == s.Timer(remaining=1.0)


def test_a_one_page_deck_has_no_second_page():
    with refused("no_such_page"):
        s.flip_page(pitch_state(), 2, 1)
    with refused("no_such_page"):
        s.flip_page(pitch_state(), 2, 0)


# --- following the schedule under an open room ------------------------------------------------------------

def test_a_pitch_that_leaves_the_schedule_takes_its_deck_page_with_it():
    flipped = s.flip_page(pitch_state(), 3, 5)
    followed = s.follow_schedule(flipped, (ITEMS[0], ITEMS[2], ITEMS[3]))
    assert (followed.phase, followed.deck_page, followed.timer) == (Phase.WAITING, 1, s.Timer())
    assert followed.current == 0  # just after the district item that came before it


def test_a_stage_past_the_end_of_the_programme_resumes_after_the_last_item_kept():
    past_end = s.StageState(items=ITEMS, phase=Phase.WAITING, current=len(ITEMS), opened=True)
    followed = s.follow_schedule(past_end, ITEMS[:2])
    assert followed.items == ITEMS[:2]
    assert followed.current == 1


def test_a_closed_stage_holding_an_item_keeps_nothing_on_stage_when_the_schedule_changes():
    closed = s.StageState(items=ITEMS, phase=Phase.CLOSED, current=PITCH, opened=True)
    followed = s.follow_schedule(closed, ITEMS[:1])
    assert (followed.items, followed.current, followed.phase) == (ITEMS[:1], None, Phase.CLOSED)


@pytest.fixture
def server_in_shanghai(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("server_in_shanghai")
def test_times_stay_in_utc_on_a_server_set_to_another_zone():
    assert s.Timer(deadline=NOW).to_dict()["deadline"] == "2026-06-11T02:00:00Z"
    assert s.utc(NOW).utcoffset() == timedelta(0)
    assert s.utc(NOW).isoformat() == "2026-06-11T02:00:00+00:00"
