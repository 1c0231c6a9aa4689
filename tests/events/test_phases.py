"""The phase module: which phase is current, when the call is open, wall times in a zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadshow.events.phases import (
    NonexistentLocalTimeError,
    PhaseWindow,
    call_is_open,
    countdown_due,
    current_phase,
    day_bounds_utc,
    local_to_utc,
    phase_state,
    utc_to_local,
    window_problems,
)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def wall(*args: int) -> datetime:
    """A wall-clock time without a zone, as an organizer types it."""
    return datetime(*args)  # noqa: DTZ001


WINDOWS = [
    PhaseWindow("call", at(2026, 3, 1), at(2026, 4, 1)),
    PhaseWindow("review", at(2026, 4, 1), at(2026, 5, 1)),
    PhaseWindow("roadshow", at(2026, 6, 11), at(2026, 6, 13)),
    PhaseWindow("signing", at(2026, 6, 13), at(2026, 7, 13)),
]


def test_current_phase_follows_the_dates():
    assert current_phase(WINDOWS, at(2026, 3, 15)) == "call"
    assert current_phase(WINDOWS, at(2026, 4, 1)) == "review"  # the close belongs to the next phase
    assert current_phase(WINDOWS, at(2026, 6, 12)) == "roadshow"


def test_between_phases_there_is_no_current_but_an_upcoming_one():
    state = phase_state(WINDOWS, at(2026, 5, 20))
    assert state.current is None
    assert state.upcoming == "roadshow"
    assert state.upcoming_starts_at == at(2026, 6, 11)
    assert not state.ended


def test_after_the_last_phase_the_event_has_ended():
    assert phase_state(WINDOWS, at(2026, 8, 1)).ended


def test_the_organizers_hand_overrides_the_dates():
    state = phase_state(WINDOWS, at(2026, 3, 15), override="review")
    assert state.current == "review"
    assert state.by_hand


def test_call_open_only_inside_its_window():
    assert not call_is_open(WINDOWS, at(2026, 2, 28, 23, 59))
    assert call_is_open(WINDOWS, at(2026, 3, 1))
    assert call_is_open(WINDOWS, at(2026, 3, 31, 23, 59, 59))
    assert not call_is_open(WINDOWS, at(2026, 4, 1))


def test_call_closed_by_hand_wins_over_its_dates():
    assert not call_is_open(WINDOWS, at(2026, 3, 15), closed_by_hand=True)


def test_override_to_another_phase_closes_the_call_and_to_the_call_reopens_it():
    assert not call_is_open(WINDOWS, at(2026, 3, 15), override="review")
    assert call_is_open(WINDOWS, at(2026, 2, 15), override="call")
    assert call_is_open(WINDOWS, at(2026, 4, 2), override="call")
    assert not call_is_open(WINDOWS, at(2026, 4, 2), override="call", closed_by_hand=True)


def test_naive_moments_are_refused():
    with pytest.raises(ValueError, match="naive"):
        current_phase(WINDOWS, wall(2026, 3, 15))


def test_wall_time_in_new_york_across_the_spring_change():
    # 8 March 2026: New York moves from UTC-5 to UTC-4 at 02:00
    assert local_to_utc(wall(2026, 3, 7, 23, 59), "America/New_York") == at(2026, 3, 8, 4, 59)
    assert local_to_utc(wall(2026, 3, 8, 23, 59), "America/New_York") == at(2026, 3, 9, 3, 59)


def test_wall_time_skipped_by_daylight_saving_is_refused():
    with pytest.raises(NonexistentLocalTimeError):
        local_to_utc(wall(2026, 3, 8, 2, 30), "America/New_York")


def test_wall_time_repeated_by_daylight_saving_means_its_first_occurrence():
    # 1 November 2026 01:30 happens twice in New York; the first is still UTC-4
    assert local_to_utc(wall(2026, 11, 1, 1, 30), "America/New_York") == at(2026, 11, 1, 5, 30)


def test_a_day_across_the_spring_change_has_23_hours():
    start, end = day_bounds_utc(date(2026, 3, 29), "Europe/Amsterdam")
    assert end - start == timedelta(hours=23)


def test_countdown_only_in_the_last_week_before_the_close():
    close = at(2026, 4, 1)
    assert countdown_due(close, at(2026, 3, 26))
    assert not countdown_due(close, at(2026, 3, 20))
    assert not countdown_due(close, at(2026, 4, 2))


def test_window_problems_name_the_phase():
    bad = [PhaseWindow("call", at(2026, 3, 1), at(2026, 2, 1)),
           PhaseWindow("review", at(2026, 1, 15), at(2026, 5, 1))]
    assert ("call", "ends_before_start") in window_problems(bad)
    assert ("review", "overlaps_previous") in window_problems(bad)
    assert window_problems(WINDOWS) == []


ZONES = st.sampled_from(["Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Sydney",
                         "America/Los_Angeles", "Pacific/Auckland"])


@given(moment=st.datetimes(min_value=wall(2020, 1, 1), max_value=wall(2035, 1, 1)), zone=ZONES)
def test_utc_to_local_and_back_is_the_same_instant(moment, zone):
    instant = moment.replace(tzinfo=UTC)
    local = utc_to_local(instant, zone)
    try:
        back = local_to_utc(local, zone)
    except NonexistentLocalTimeError:  # pragma: no cover - a UTC instant always has a wall time
        raise
    # a repeated wall time maps to its first occurrence: never later than the instant
    assert back <= instant
    assert instant - back <= timedelta(hours=1)
