"""The VTIMEZONEs in our calendars, read by independent parsers, agree with zoneinfo.

Each calendar is a real feed from :func:`roadshow.scheduling.invites.feed`, with events placed
around every change of offset from 2025 to 2027 and in each season. Three parsers read it,
each using only the VTIMEZONE in the file: vobject (dateutil's tzical), ``ical``'s
IcsTimezoneInfo, and ical.js (Thunderbird's parser) in node. A wall time that occurs twice
(the hour repeated in autumn) is left out: it means either instant.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream
from ical.timezone import IcsTimezoneInfo

from roadshow.scheduling import invites, vtimezone
from tests.conftest import skip_or_fail

HERE = Path(__file__).parent
ICALJS = HERE.parent / "e2e" / "node_modules" / "ical.js" / "dist" / "ical.es5.cjs"
ZONES = ["America/New_York", "America/Los_Angeles", "Europe/London", "Europe/Berlin",
         "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Auckland", "America/Santiago",
         "Africa/Casablanca", "Asia/Shanghai", "Asia/Kolkata", "America/Sao_Paulo"]
FIRST, LAST = 2025, 2027


def _ambiguous(wall: datetime, tz: ZoneInfo) -> bool:
    return wall.replace(tzinfo=tz, fold=0).utcoffset() != wall.replace(tzinfo=tz, fold=1).utcoffset()


def instants(zone: str) -> list[datetime]:
    """UTC instants in each season and around each change (found on a half-hour grid here,
    independently of the module under test), whose wall time in ``zone`` is unambiguous."""
    tz = ZoneInfo(zone)
    out = {datetime(y, m, 15, 12, tzinfo=UTC) for y in range(FIRST, LAST + 1) for m in (1, 4, 7, 10)}
    t = datetime(FIRST, 1, 2, tzinfo=UTC)
    end = datetime(LAST, 12, 30, tzinfo=UTC)
    step = timedelta(minutes=30)
    while t < end:
        if t.astimezone(tz).utcoffset() != (t - step).astimezone(tz).utcoffset():
            out.update(t + k * timedelta(minutes=15) for k in range(-8, 9))
            out.add(t - timedelta(seconds=1))
        t += step
    return sorted(u for u in out if not _ambiguous(u.astimezone(tz).replace(tzinfo=None), tz))


def feed_for(zone: str) -> tuple[bytes, dict[str, datetime]]:
    expected = {f"t{i}@test": u for i, u in enumerate(instants(zone))}
    occurrences = [invites.Occurrence(uid=uid, sequence=0, starts_at=u, ends_at=u + timedelta(minutes=20),
                                      summary_en="Pitch", summary_zh="路演", event_zone=zone)
                   for uid, u in expected.items()]
    return invites.feed(occurrences, zone=zone), expected


def _mismatches(expected: dict[str, datetime], got: dict[str, datetime]) -> list[str]:
    assert set(got) == set(expected)
    return [f"{uid}: {got[uid]:%Y-%m-%d %H:%M:%S} UTC read, {u:%Y-%m-%d %H:%M:%S} UTC meant"
            for uid, u in expected.items() if got[uid] != u]


@pytest.mark.parametrize("zone", ZONES)
def test_vobject_reads_every_time_as_zoneinfo_does(zone: str) -> None:
    ics, expected = feed_for(zone)
    calendar = vobject.readOne(ics.decode())
    tzinfo = calendar.vtimezone.gettzinfo()  # from the VTIMEZONE text alone
    got = {}
    for event in calendar.vevent_list:
        wall = event.dtstart.value.replace(tzinfo=None)
        got[event.uid.value] = wall.replace(tzinfo=tzinfo).astimezone(UTC)
    assert _mismatches(expected, got) == []


@pytest.mark.parametrize("zone", ZONES)
def test_ical_reads_every_time_as_zoneinfo_does(zone: str) -> None:
    ics, expected = feed_for(zone)
    calendar = IcsCalendarStream.calendar_from_ics(ics.decode())
    (timezone,) = calendar.timezones
    tzinfo = IcsTimezoneInfo.from_timezone(timezone)  # not zoneinfo: the VTIMEZONE's observances
    got = {e.uid: e.dtstart.replace(tzinfo=None).replace(tzinfo=tzinfo).astimezone(UTC)  # type: ignore[union-attr]
           for e in calendar.events}
    assert _mismatches(expected, got) == []


@pytest.mark.parametrize("zone", ZONES)
def test_icaljs_reads_every_time_as_zoneinfo_does(zone: str) -> None:
    node = shutil.which("node")
    if node is None or not ICALJS.exists():
        skip_or_fail("node and ical.js are needed (apt-get install nodejs npm; npm ci --prefix tests/e2e)")
    ics, expected = feed_for(zone)
    done = subprocess.run([node, str(HERE / "icaljs_times.cjs")], input=ics, capture_output=True,
                          timeout=60, check=True)
    got = {uid: datetime.fromtimestamp(seconds, UTC) for uid, seconds in json.loads(done.stdout).items()}
    assert _mismatches(expected, got) == []


def test_a_spring_change_starts_at_the_local_time_it_changes_from() -> None:
    text = invites.vtimezone_bytes("America/New_York", 2025, 2025).decode()
    # 2025-03-09 07:00 UTC is 02:00 EST: the DAYLIGHT observance starts then, from -0500
    assert ("BEGIN:DAYLIGHT\r\nDTSTART:20250309T020000\r\nRDATE:20250309T020000\r\n"
            "TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\n") in text
    assert ("BEGIN:STANDARD\r\nDTSTART:20251102T020000\r\nRDATE:20251102T020000\r\n"
            "TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\n") in text
    # one onset per observance: no RDATE list, no RRULE
    assert "RRULE" not in text
    assert "," not in text


def test_transitions_are_found_to_the_second() -> None:
    changes = vtimezone.transitions("Europe/London", datetime(2026, 1, 1, tzinfo=UTC),
                                    datetime(2027, 1, 1, tzinfo=UTC))
    assert [c.at for c in changes] == [datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC)]
    assert [(c.name, c.daylight) for c in changes] == [("BST", True), ("GMT", False)]


def test_a_zone_without_changes_has_one_observance() -> None:
    text = invites.vtimezone_bytes("Asia/Shanghai", 2025, 2027).decode()
    assert text.count("BEGIN:STANDARD") == 1
    assert "BEGIN:DAYLIGHT" not in text
    assert "TZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800" in text
