"""iCalendar invitations and feeds for pitch slots and sessions (RFC 5545 / iTIP RFC 5546). Pure.

Every invite carries a stable UID, the SEQUENCE of its latest change, a DTSTAMP, a real
ORGANIZER, ATTENDEEs with ROLE/PARTSTAT/RSVP, times in the recipient's zone with a VTIMEZONE for
every zone used, the join link in LOCATION, URL and DESCRIPTION, and text in both languages.
A change is a new REQUEST with the same UID and a higher SEQUENCE; a removal is a CANCEL with
STATUS:CANCELLED.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from roadshow.scheduling import vtimezone

PRODID = "-//Roadshow//Cloud roadshow scheduling//ZH-EN"
REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"

#: iCalendar participation roles (RFC 5545 3.2.16)
CHAIR = "CHAIR"
REQUIRED = "REQ-PARTICIPANT"
OPTIONAL = "OPT-PARTICIPANT"
NON_PARTICIPANT = "NON-PARTICIPANT"

PARTSTATS = ("NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE")


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    role: str = REQUIRED
    partstat: str = "NEEDS-ACTION"
    rsvp: bool = True


@dataclass(frozen=True)
class Occurrence:
    """One calendar event: a pitch slot, a district presentation or a whole session."""

    uid: str
    sequence: int
    starts_at: datetime  # aware
    ends_at: datetime
    summary_en: str
    summary_zh: str
    description_en: str = ""
    description_zh: str = ""
    join_url: str = ""
    event_zone: str = "Asia/Shanghai"
    organizer: Person | None = None
    attendees: tuple[Person, ...] = ()
    url: str = ""
    categories: tuple[str, ...] = field(default_factory=tuple)


def _check_aware(value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("invite times must be timezone-aware")


def vtimezone_bytes(zone: str, first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE for ``zone`` covering the years given: one observance per change, read
    alike by libical, vobject and ical.js (see :mod:`roadshow.scheduling.vtimezone`)."""
    return vtimezone.vtimezone_bytes(zone, first_year, last_year)


def _address(person: Person, *, attendee: bool) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = vText(person.name or person.email)
    if attendee:
        address.params["CUTYPE"] = "INDIVIDUAL"
        address.params["ROLE"] = person.role
        address.params["PARTSTAT"] = person.partstat
        address.params["RSVP"] = "TRUE" if person.rsvp else "FALSE"
    return address


def _when_text(occ: Occurrence, zone: str) -> tuple[str, str]:
    """The time in the recipient's zone and in the event's, for the description."""
    def fmt(z: str) -> str:
        tz = ZoneInfo(z)
        a, b = occ.starts_at.astimezone(tz), occ.ends_at.astimezone(tz)
        return f"{a:%Y-%m-%d %H:%M}-{b:%H:%M} {z} (UTC{a:%z})"
    mine = fmt(zone)
    return mine, fmt(occ.event_zone) if occ.event_zone != zone else mine


def description(occ: Occurrence, zone: str) -> str:
    mine, event = _when_text(occ, zone)
    parts_en = [occ.description_en.strip(), f"Time: {mine}"]
    parts_zh = [occ.description_zh.strip(), f"时间：{event}"]
    if event != mine:
        parts_en.append(f"Event time: {event}")
        parts_zh.append(f"您所在时区：{mine}")
    if occ.join_url:
        parts_en.append(f"Join: {occ.join_url}")
        parts_zh.append(f"参会链接：{occ.join_url}")
    return "\n".join(p for p in parts_en if p) + "\n\n" + "\n".join(p for p in parts_zh if p)


def summary(occ: Occurrence, locale: str) -> str:
    first, second = (occ.summary_zh, occ.summary_en) if locale.startswith("zh") else (
        occ.summary_en, occ.summary_zh)
    return f"{first} / {second}" if second and second != first else first


def _event(occ: Occurrence, *, zone: str, locale: str, stamp: datetime, cancelled: bool) -> Event:
    _check_aware(occ.starts_at)
    _check_aware(occ.ends_at)
    if occ.ends_at <= occ.starts_at:
        raise ValueError("an invite must end after it starts")
    tz = ZoneInfo(zone)
    event = Event()
    event.add("uid", occ.uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("sequence", occ.sequence)
    event.add("dtstart", occ.starts_at.astimezone(tz))
    event.add("dtend", occ.ends_at.astimezone(tz))
    event.add("summary", summary(occ, locale))
    event.add("description", description(occ, zone))
    if occ.join_url:
        event.add("location", occ.join_url)
        event.add("url", occ.join_url)
    elif occ.url:
        event.add("url", occ.url)
    if occ.categories:
        event.add("categories", list(occ.categories))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("class", "PUBLIC")
    if occ.organizer is not None:
        event.add("organizer", _address(occ.organizer, attendee=False))
    for person in occ.attendees:
        event.add("attendee", _address(person, attendee=True), encode=0)
    return event


def _calendar(method: str | None, events: Iterable[Event], zones: Iterable[str],
              years: tuple[int, int], name: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("name", name)
    for event in events:
        cal.add_component(event)
    body = serialise(cal)
    # The VTIMEZONEs go before the events; each is serialised once and reused (building one
    # from the zone database is what makes a calendar slow).
    timezones = b"".join(vtimezone_bytes(z, *years) for z in sorted(set(zones)) if z != "UTC")
    marker = b"BEGIN:VEVENT\r\n"
    at = body.find(marker)
    if at < 0:
        at = body.rfind(b"END:VCALENDAR")
    return body[:at] + timezones + body[at:]


_ESCAPES = (ord("\\"), ord("^"))


def fold(line: str, limit: int = 75) -> bytes:
    """RFC 5545 folding exactly as icalendar folds, on bytes rather than character by character.

    Each physical line holds the longest prefix of at most ``limit - 1`` octets that does not
    split a UTF-8 character; a backslash or caret escape is never left at the end of a line.
    """
    data = line.encode("utf-8")
    if len(data) < limit:
        return data
    parts = []
    start = 0
    size = len(data)
    while size - start >= limit:
        cut = start + limit - 1
        while data[cut] & 0xC0 == 0x80:  # inside a multi-byte character: back off
            cut -= 1
        if data[cut - 1] in _ESCAPES and cut - 1 > start:
            cut -= 1
        parts.append(data[start:cut])
        start = cut
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def serialise(component: Calendar) -> bytes:
    """``component.to_ical()``, with the folding done by :func:`fold` (byte-identical, faster)."""
    return b"".join(fold(line) + b"\r\n" for line in component.content_lines() if line)


def _years(occurrences: Sequence[Occurrence]) -> tuple[int, int]:
    if not occurrences:
        year = datetime.now(UTC).year
        return year, year
    first = min(o.starts_at for o in occurrences).astimezone(UTC)
    last = max(o.ends_at for o in occurrences).astimezone(UTC)
    return first.year - 1, last.year + 1


def invite(occ: Occurrence, *, method: str, zone: str, locale: str = "en",
           stamp: datetime | None = None) -> bytes:
    """A REQUEST (new or changed) or CANCEL message for one occurrence, times in ``zone``."""
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"unsupported iTIP method {method!r}")
    stamp = stamp or datetime.now(UTC)
    event = _event(occ, zone=zone, locale=locale, stamp=stamp, cancelled=method == CANCEL)
    return _calendar(method, [event], [zone], _years([occ]))


def feed(occurrences: Sequence[Occurrence], *, zone: str, locale: str = "en", name: str = "",
         stamp: datetime | None = None, cancelled: Iterable[str] = ()) -> bytes:
    """A subscription feed (no METHOD): every occurrence, times in ``zone``."""
    stamp = stamp or datetime.now(UTC)
    gone = set(cancelled)
    events = [_event(o, zone=zone, locale=locale, stamp=stamp, cancelled=o.uid in gone)
              for o in occurrences]
    return _calendar(None, events, [zone], _years(occurrences), name=name)


def parse_method(ics: bytes) -> str:
    cal = Calendar.from_ical(ics)
    return str(cal.get("method", ""))


def icalendar_version() -> str:
    from importlib.metadata import version

    return version("icalendar")


class InviteBatch:
    """Builds many invites with one DTSTAMP, reusing the text of identical messages.

    Recipients of the same entry who share a zone and a language receive byte-identical
    calendars (the ATTENDEE list is the entry's, not the recipient's), so each distinct
    message is serialised once per batch.
    """

    def __init__(self, stamp: datetime | None = None) -> None:
        self.stamp = stamp or datetime.now(UTC)
        self._cache: dict[tuple[Occurrence, str, str, str], bytes] = {}
        self.reused = 0

    def invite(self, occ: Occurrence, *, method: str, zone: str, locale: str = "en") -> bytes:
        key = (occ, method, zone, locale)
        found = self._cache.get(key)
        if found is not None:
            self.reused += 1
            return found
        data = invite(occ, method=method, zone=zone, locale=locale, stamp=self.stamp)
        self._cache[key] = data
        return data
