"""Typed availability windows: an earlier end runs past midnight, an equal end is a slip."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from roadshow.scheduling.timeutil import SameTimesError, interval, window

DAY = date(2026, 11, 20)


def test_a_window_that_ends_when_it_starts_is_refused_not_read_as_a_whole_day():
    with pytest.raises(SameTimesError):
        window(DAY, time(9, 0), time(9, 0), "Asia/Shanghai")
    with pytest.raises(SameTimesError):
        window(DAY, time(0, 0), time(0, 0), "Europe/Amsterdam")


def test_a_window_ending_earlier_than_it_starts_still_runs_past_midnight():
    start, end = window(DAY, time(22, 0), time(2, 0), "Asia/Shanghai")
    assert (start, end) == (datetime(2026, 11, 20, 14, 0, tzinfo=UTC), datetime(2026, 11, 20, 18, 0, tzinfo=UTC))


def test_an_ordinary_window_is_the_same_interval_as_before():
    assert window(DAY, time(9, 0), time(12, 30), "America/New_York") == \
        interval(DAY, time(9, 0), time(12, 30), "America/New_York")
