"""A copied event keeps its wall-clock times across daylight saving (issue 13, §4)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from roadshow.events.dateshift import Shift, days_between, local_day, shift_local

ZONES = ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "America/Los_Angeles",
         "Australia/Sydney", "Europe/London", "UTC"]

# instants near the DST changes of 2025-2027 in the zones above, and anywhere in those years
moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31),  # noqa: DTZ001 - hypothesis wants naive bounds
                       timezones=st.just(UTC))


def _transitions() -> list[tuple[str, datetime]]:
    """(zone, wall-clock time just before the change) of every DST change in 2025-2027."""
    found = []
    for zone in ZONES:
        tz = ZoneInfo(zone)
        hour = datetime(2025, 1, 1, tzinfo=UTC)
        while hour.year < 2028:
            later = hour + timedelta(hours=1)
            if hour.astimezone(tz).utcoffset() != later.astimezone(tz).utcoffset():
                found.append((zone, hour.astimezone(tz).replace(tzinfo=None)))
            hour = later
    return found


TRANSITIONS = _transitions()


def _wall(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def _exists(local: datetime, zone: str) -> bool:
    tz = ZoneInfo(zone)
    return local.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None) == local


@settings(max_examples=300, deadline=None)
@given(moments, st.sampled_from(ZONES), st.sampled_from(ZONES), st.integers(-800, 800))
def test_shift_keeps_the_wall_clock_unless_the_clocks_skip_it(moment, from_zone, to_zone, days):
    shifted = shift_local(moment, from_zone, to_zone, days)
    wanted = _wall(moment, from_zone) + timedelta(days=days)
    assert shifted.moment.tzinfo is UTC
    if _exists(wanted, to_zone):
        assert not shifted.moved_forward
        assert _wall(shifted.moment, to_zone) == wanted
    else:
        assert shifted.moved_forward
        landed = _wall(shifted.moment, to_zone)
        # forward by the gap (at most two hours anywhere), never backward, same night
        assert wanted < landed <= wanted + timedelta(hours=2)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(TRANSITIONS), st.integers(-120, 180), st.integers(1, 800))
def test_shift_onto_a_dst_change_keeps_or_moves_forward_the_wall_clock(transition, minutes, days):
    zone, before_change = transition
    wanted = before_change + timedelta(minutes=minutes)
    source_wall = wanted - timedelta(days=days)
    assume(_exists(source_wall, zone))
    moment = source_wall.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    shifted = shift_local(moment, zone, zone, days)
    landed = _wall(shifted.moment, zone)
    assert shifted.moved_forward is not _exists(wanted, zone)
    if shifted.moved_forward:
        assert wanted < landed <= wanted + timedelta(hours=1)
    else:
        assert landed == wanted
        # a repeated wall time is its first occurrence: one hour earlier reads another wall time
        assert _wall(shifted.moment - timedelta(hours=1), zone) != wanted


def test_the_transitions_cover_both_hemispheres():
    zones = {zone for zone, _ in TRANSITIONS}
    assert {"Europe/Berlin", "America/New_York", "Australia/Sydney"} <= zones
    assert "Asia/Shanghai" not in zones
    assert len(TRANSITIONS) == 3 * 2 * 5


@settings(max_examples=200, deadline=None)
@given(moments, st.sampled_from(ZONES), st.integers(-800, 800))
def test_shift_there_and_back_returns_to_the_same_instant_when_nothing_was_skipped(moment, zone, days):
    there = shift_local(moment, zone, zone, days)
    back = shift_local(there.moment, zone, zone, -days)
    if not there.moved_forward and _exists(_wall(moment, zone), zone):
        wall_before = _wall(moment, zone)
        assert _wall(back.moment, zone) == wall_before


def test_a_berlin_morning_in_winter_stays_a_morning_in_summer():
    # 09:00 CET on 10 January 2026 is 08:00 UTC; 180 days on it is 09:00 CEST, 07:00 UTC
    shifted = shift_local(datetime(2026, 1, 10, 8, 0, tzinfo=UTC), "Europe/Berlin", "Europe/Berlin", 180)
    assert shifted.moment == datetime(2026, 7, 9, 7, 0, tzinfo=UTC)
    assert not shifted.moved_forward


def test_a_skipped_local_time_moves_forward_and_says_so():
    # 02:30 on 29 March 2026 does not exist in Berlin (02:00 -> 03:00): it becomes 03:30 CEST
    source = datetime(2026, 3, 28, 1, 30, tzinfo=UTC)  # 02:30 CET on the 28th
    shifted = shift_local(source, "Europe/Berlin", "Europe/Berlin", 1)
    assert shifted.moved_forward
    assert _wall(shifted.moment, "Europe/Berlin") == datetime(2026, 3, 29, 3, 30)  # noqa: DTZ001 - a wall-clock time


def test_a_repeated_local_time_means_its_first_occurrence():
    # 02:30 on 25 October 2026 happens twice in Berlin; the first is still CEST (00:30 UTC)
    source = datetime(2026, 10, 24, 0, 30, tzinfo=UTC)  # 02:30 CEST on the 24th
    shifted = shift_local(source, "Europe/Berlin", "Europe/Berlin", 1)
    assert shifted.moment == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert not shifted.moved_forward


def test_a_shift_to_another_zone_keeps_the_local_time_of_the_source():
    shift = Shift(days=364, from_zone="Asia/Shanghai", to_zone="America/New_York")
    # 14:00 in Shanghai (06:00 UTC) on 1 June 2026 -> 14:00 in New York (18:00 UTC) on 31 May 2027
    assert shift(datetime(2026, 6, 1, 6, 0, tzinfo=UTC)) == datetime(2027, 5, 31, 18, 0, tzinfo=UTC)


def test_days_between_counts_calendar_days_in_the_events_zone():
    # 23:30 UTC on 31 Dec is already 1 January in Shanghai
    assert local_day(datetime(2025, 12, 31, 23, 30, tzinfo=UTC), "Asia/Shanghai") == date(2026, 1, 1)
    assert days_between(date(2026, 1, 1), date(2027, 1, 1)) == 365


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="naive"):
        shift_local(datetime(2026, 1, 1, 9, 0), "UTC", "UTC", 1)  # noqa: DTZ001 - the point
