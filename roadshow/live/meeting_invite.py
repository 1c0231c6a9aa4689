"""The calendar invitation for a follow-up talk arranged from a docking request (pure).

One VEVENT with a stable UID per docking request and a SEQUENCE raised on every change, so a
calendar updates the meeting instead of adding another. Times are UTC; calendars show them in
the reader's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Roadshow//Live docking//EN"


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str


@dataclass(frozen=True)
class Meeting:
    uid: str
    sequence: int
    summary: str
    description: str
    starts_at: datetime
    ends_at: datetime
    url: str
    organizer: Attendee
    attendees: tuple[Attendee, ...]
    stamp: datetime


def build_invite(meeting: Meeting, method: str = "REQUEST") -> bytes:
    for value in (meeting.starts_at, meeting.ends_at, meeting.stamp):
        if value.tzinfo is None:
            raise ValueError("calendar times must be aware")
    if meeting.ends_at <= meeting.starts_at:
        raise ValueError("a meeting must end after it starts")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.stamp.astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", meeting.summary)
    event.add("description", meeting.description)
    if meeting.url:
        event.add("url", meeting.url)
        event.add("location", meeting.url)
    organizer = vCalAddress(f"mailto:{meeting.organizer.email}")
    organizer.params["cn"] = vText(meeting.organizer.name)
    event["organizer"] = organizer
    for person in meeting.attendees:
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(person.name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=0)
    event.add("status", "CONFIRMED" if method == "REQUEST" else "CANCELLED")
    calendar.add_component(event)
    return calendar.to_ical()
