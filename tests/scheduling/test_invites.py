"""Calendar invites: valid for two parsers, CRLF and folded, times that survive every zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from roadshow.scheduling import invites
from roadshow.scheduling.invites import CANCEL, REQUEST, Occurrence, Person

STAMP = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
ZONES = ["America/New_York", "America/Los_Angeles", "Europe/Amsterdam", "Australia/Sydney",
         "Asia/Shanghai"]


def occurrence(start: datetime, minutes: int = 20, sequence: int = 0, **fields) -> Occurrence:
    defaults = dict(
        uid="pitch-1-7@roadshow", sequence=sequence, starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        summary_en="Pitch: Quantum sensors for early cancer screening in rural clinics",
        summary_zh="路演：面向基层诊所早期癌症筛查的量子传感器",
        description_en="Session \"Life sciences\". Pitch 12 min, questions 8 min.",
        description_zh="「生命科学」场次。项目陈述 12 分钟，问答 8 分钟。",
        join_url="https://meeting.tencent.com/dm/xz2026day1",
        organizer=Person("organizer@example.org", "徐州市人才办 Talent Office"),
        attendees=(Person("alice@example.org", "Alice Smith"),
                   Person("li@example.org", "李明", role=invites.OPTIONAL, partstat="ACCEPTED")),
    )
    defaults.update(fields)
    return Occurrence(**defaults)


def parse_both(data: bytes) -> tuple[Calendar, object]:
    """Parse with icalendar (no component errors) and with the strict ``ical`` package."""
    cal = Calendar.from_ical(data)
    for component in cal.walk():
        assert not component.errors, f"{component.name}: {component.errors}"
    strict = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return cal, strict


def test_a_request_has_every_field_calendars_rely_on():
    start = datetime(2026, 11, 21, 1, 0, tzinfo=UTC)
    data = invites.invite(occurrence(start, sequence=3), method=REQUEST, zone="America/New_York",
                          stamp=STAMP)
    cal, strict = parse_both(data)
    assert cal["METHOD"] == "REQUEST"
    assert cal["PRODID"]
    assert cal["VERSION"] == "2.0"
    [event] = cal.events
    assert event["UID"] == "pitch-1-7@roadshow"
    assert event["SEQUENCE"] == 3
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTAMP") == STAMP
    assert str(event["ORGANIZER"]) == "mailto:organizer@example.org"
    assert event["ORGANIZER"].params["CN"] == "徐州市人才办 Talent Office"
    alice, li = event["ATTENDEE"]
    assert str(alice) == "mailto:alice@example.org"
    assert alice.params["ROLE"] == "REQ-PARTICIPANT"
    assert alice.params["PARTSTAT"] == "NEEDS-ACTION"
    assert alice.params["RSVP"] == "TRUE"
    assert li.params["ROLE"] == "OPT-PARTICIPANT"
    assert li.params["PARTSTAT"] == "ACCEPTED"
    # the join link where calendar apps look for it, and in the text
    assert event["LOCATION"] == "https://meeting.tencent.com/dm/xz2026day1"
    assert event["URL"] == "https://meeting.tencent.com/dm/xz2026day1"
    description = str(event["DESCRIPTION"])
    assert "https://meeting.tencent.com/dm/xz2026day1" in description
    # both languages
    assert "Quantum sensors" in str(event["SUMMARY"])
    assert "量子传感器" in str(event["SUMMARY"])
    assert "Pitch 12 min" in description
    assert "项目陈述" in description
    # a VTIMEZONE for the zone the times use
    assert [tz["TZID"] for tz in cal.timezones] == ["America/New_York"]
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert strict.events[0].sequence == 3
    assert strict.events[0].uid == "pitch-1-7@roadshow"


def test_a_cancel_keeps_the_uid_and_says_cancelled():
    start = datetime(2026, 11, 21, 1, 0, tzinfo=UTC)
    data = invites.invite(occurrence(start, sequence=4), method=CANCEL, zone="Europe/Amsterdam",
                          stamp=STAMP)
    cal, strict = parse_both(data)
    assert cal["METHOD"] == "CANCEL"
    [event] = cal.events
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 4
    assert event["UID"] == "pitch-1-7@roadshow"
    assert strict.events[0].status.value == "CANCELLED"
    assert invites.parse_method(data) == "CANCEL"


def test_lines_end_with_crlf_and_are_folded_at_75_octets():
    start = datetime(2026, 11, 21, 1, 0, tzinfo=UTC)
    data = invites.invite(occurrence(start), method=REQUEST, zone="Australia/Sydney", stamp=STAMP)
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    assert any(line.startswith(b" ") for line in lines), "long lines should be folded"
    # folding never splits a UTF-8 character: every line decodes on its own
    for line in lines:
        line.decode("utf-8")


@pytest.mark.parametrize("zone", ZONES)
def test_times_survive_a_round_trip_for_an_applicant_in(zone):
    start = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)  # 19:00 in Beijing
    data = invites.invite(occurrence(start, minutes=20), method=REQUEST, zone=zone, stamp=STAMP)
    cal, strict = parse_both(data)
    [event] = cal.events
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == start + timedelta(minutes=20)
    assert event.decoded("DTSTART").utcoffset() == start.astimezone(ZoneInfo(zone)).utcoffset()
    assert strict.events[0].dtstart == start
    assert strict.events[0].dtend == start + timedelta(minutes=20)
    # the local wall-clock time written in the file is the zone's own
    local = start.astimezone(ZoneInfo(zone))
    assert f"DTSTART;TZID={zone}:{local:%Y%m%dT%H%M%S}".encode() in data


@pytest.mark.parametrize(("zone", "start", "end", "offsets"), [
    # Sydney starts daylight time on 5 Oct 2025 at 02:00 -> 03:00 (+10 -> +11)
    ("Australia/Sydney", datetime(2025, 10, 4, 14, 30, tzinfo=UTC), datetime(2025, 10, 4, 17, 30, tzinfo=UTC),
     (timedelta(hours=10), timedelta(hours=11))),
    # New York falls back on 1 Nov 2026 at 02:00 -> 01:00 (-4 -> -5)
    ("America/New_York", datetime(2026, 11, 1, 4, 30, tzinfo=UTC), datetime(2026, 11, 1, 7, 30, tzinfo=UTC),
     (timedelta(hours=-4), timedelta(hours=-5))),
    # Amsterdam springs forward on 29 Mar 2026 at 02:00 -> 03:00 (+1 -> +2)
    ("Europe/Amsterdam", datetime(2026, 3, 29, 0, 30, tzinfo=UTC), datetime(2026, 3, 29, 2, 30, tzinfo=UTC),
     (timedelta(hours=1), timedelta(hours=2))),
])
def test_a_session_crossing_a_daylight_saving_change_keeps_its_length(zone, start, end, offsets):
    occ = occurrence(start, minutes=int((end - start).total_seconds() // 60), uid="session-dst@roadshow")
    data = invites.invite(occ, method=REQUEST, zone=zone, stamp=STAMP)
    cal, strict = parse_both(data)
    [event] = cal.events
    dtstart, dtend = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (dtstart.utcoffset(), dtend.utcoffset()) == offsets
    assert dtstart == start
    assert dtend == end
    # (same-zone datetimes subtract by wall clock in Python: compare in UTC)
    assert strict.events[0].dtstart.astimezone(UTC) == start
    assert strict.events[0].dtend.astimezone(UTC) == end
    # the VTIMEZONE describes the change, so clients without the zone database agree
    [tz] = cal.timezones
    transitions = {sub.name for sub in tz.subcomponents}
    assert transitions == {"STANDARD", "DAYLIGHT"}


def test_a_feed_lists_every_entry_with_one_vtimezone_per_zone_and_no_method():
    start = datetime(2026, 11, 21, 1, 0, tzinfo=UTC)
    entries = [occurrence(start, uid="a@roadshow"), occurrence(start + timedelta(hours=1), uid="b@roadshow")]
    data = invites.feed(entries, zone="America/Los_Angeles", name="Roadshow · Alice", stamp=STAMP,
                        cancelled=["b@roadshow"])
    cal, strict = parse_both(data)
    assert "METHOD" not in cal
    assert [e["UID"] for e in cal.events] == ["a@roadshow", "b@roadshow"]
    assert [e["STATUS"] for e in cal.events] == ["CONFIRMED", "CANCELLED"]
    assert [tz["TZID"] for tz in cal.timezones] == ["America/Los_Angeles"]
    assert cal["X-WR-CALNAME"] == "Roadshow · Alice"
    assert len(strict.events) == 2


def test_chinese_readers_get_the_chinese_summary_first():
    start = datetime(2026, 11, 21, 1, 0, tzinfo=UTC)
    data = invites.invite(occurrence(start), method=REQUEST, zone="Asia/Shanghai", locale="zh_Hans_CN",
                          stamp=STAMP)
    [event] = Calendar.from_ical(data).events
    assert str(event["SUMMARY"]).startswith("路演：")


def test_naive_or_empty_times_are_refused():
    start = datetime(2026, 11, 21, 1, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="timezone-aware"):
        invites.invite(occurrence(start.replace(tzinfo=None)), method=REQUEST, zone="UTC")
    with pytest.raises(ValueError, match="end after it starts"):
        invites.invite(occurrence(start, minutes=0), method=REQUEST, zone="UTC")
    with pytest.raises(ValueError, match="unsupported iTIP method"):
        invites.invite(occurrence(start), method="PUBLISH", zone="UTC")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab\\^;,:\"路演量子🙂é ") + ["x" * 7, "y" * 73]), max_size=120).map("".join))
def test_fast_folding_is_byte_identical_to_icalendars(text):
    from icalendar.parser.string import _foldline

    assert invites.fold(text) == _foldline(text).encode("utf-8")


def test_serialising_a_whole_invite_matches_icalendar():
    start = datetime(2026, 11, 21, 1, 0, tzinfo=UTC)
    occ = occurrence(start, description_en="a\\b;c,d " * 30, summary_zh="路演^" * 40)
    for zone in ZONES:
        cal = Calendar()
        cal.add("prodid", invites.PRODID)
        cal.add("version", "2.0")
        cal.add_component(invites._event(occ, zone=zone, locale="zh_Hans_CN", stamp=STAMP, cancelled=False))
        assert invites.serialise(cal) == cal.to_ical()
