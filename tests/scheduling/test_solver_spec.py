"""The solver's small rules pinned to hand-worked values (issue 18): what counts as inside a
window, an applicant's local minute, the inconvenience of a slot at each edge of the day, and
the warnings a schedule edited by hand gets (double booking above all)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from roadshow.scheduling.solver import (
    ApplicantIn,
    SlotIn,
    Warning,
    check,
    inconvenience,
    local_minute,
    solve,
    within,
)

BEIJING = "Asia/Shanghai"  # UTC+8, no daylight saving
DAY = datetime(2026, 11, 20, tzinfo=UTC)


def beijing(hour: int, minute: int = 0, second: int = 0, microsecond: int = 0) -> datetime:
    """That Beijing wall-clock time on 20 November 2026, as UTC."""
    return DAY + timedelta(hours=hour - 8, minutes=minute, seconds=second,
                           microseconds=microsecond)


def test_within_accepts_a_slot_ending_exactly_when_the_window_ends():
    window = [(DAY, DAY + timedelta(hours=1))]
    assert within(window, DAY + timedelta(minutes=40), DAY + timedelta(hours=1))
    assert within(window, DAY, DAY + timedelta(minutes=20))
    assert not within(window, DAY + timedelta(minutes=50), DAY + timedelta(minutes=70))
    assert not within(window, DAY - timedelta(minutes=1), DAY + timedelta(minutes=19))


def test_local_minute_is_minutes_since_local_midnight():
    assert local_minute(beijing(13, 7), BEIJING) == 13 * 60 + 7
    assert local_minute(DAY, "Europe/London") == 0


@pytest.mark.parametrize(("start", "expected"), [
    (beijing(10), 0),                      # inside 09:00-19:00
    (beijing(7, 30), 90),                  # early: until 09:00
    (beijing(5, 0), 240),                  # 05:00 is early morning, not late night
    (beijing(5, 2), 238),
    (beijing(5, 10), 230),
    (beijing(5, 30), 210),
    (beijing(4, 56), 10 * 60 + 16),        # before 05:00: late, counted from 19:00 the day before
    (beijing(18, 50), 10),                 # late: the 10 minutes after 19:00
])
def test_inconvenience_counts_minutes_outside_nine_to_seven_in_the_applicants_zone(start, expected):
    assert inconvenience(start, start + timedelta(minutes=20), BEIJING) == expected


def test_inconvenience_of_a_long_slot_adds_the_early_and_the_late_minutes():
    assert inconvenience(beijing(8, 30), beijing(19, 30), BEIJING) == 60


def test_inconvenience_counts_from_nine_sharp_whatever_the_starts_seconds():
    assert inconvenience(beijing(7, 30, second=30), beijing(7, 50), BEIJING) == 89
    assert inconvenience(beijing(7, 30, microsecond=500_000), beijing(7, 50), BEIJING) == 89


def test_solving_nothing_reports_empty():
    assert solve([], []).status == "empty"


MORNING = ((beijing(9), beijing(12)),)


def _applicant(app_id: int, windows=MORNING) -> ApplicantIn:
    return ApplicantIn(app_id, f"Finalist {app_id}", BEIJING, tuple(windows))


SLOTS = [SlotIn(10, beijing(9), beijing(9, 20)), SlotIn(11, beijing(10), beijing(10, 20)),
         SlotIn(12, beijing(20), beijing(20, 20))]


def test_check_warns_of_a_finalist_placed_in_two_slots():
    warnings = check([(1, 11), (1, 10)], [_applicant(1)], SLOTS)
    assert warnings == [Warning("double_booked", 1, (10, 11))]


def test_check_is_silent_about_a_finalist_in_one_slot_inside_their_availability():
    assert check([(1, 10), (2, 11)], [_applicant(1), _applicant(2)], SLOTS) == []


def test_check_warns_of_a_slot_outside_the_finalists_availability():
    assert check([(1, 12)], [_applicant(1)], SLOTS) == [
        Warning("outside_availability", 1, (12,))]


def test_check_warns_of_a_finalist_who_gave_no_availability():
    assert check([(1, 10)], [_applicant(1, windows=())], SLOTS) == [
        Warning("no_availability", 1, (10,))]


def test_check_goes_on_past_a_placed_finalist_it_knows_nothing_of():
    warnings = check([(0, 10), (0, 11), (1, 12)], [_applicant(1)], SLOTS)
    assert warnings == [Warning("double_booked", 0, (10, 11)),
                        Warning("outside_availability", 1, (12,))]


def test_a_solved_schedule_reports_the_time_it_took_to_find():
    result = solve([_applicant(1)], SLOTS)
    assert result.assignment == {1: 10}
    assert isinstance(result.wall_seconds, float)
    assert result.wall_seconds > 0
