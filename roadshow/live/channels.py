"""Gap detection for live rooms: which event came before, on each of a client's channels.

Every room event is numbered from the room's one sequence (``LiveRoom.seq``, in the database
that every server process shares) and goes to an audience: the whole room (``all``), the hosts
(``host``), one user (``user:<id>``) or one district (``district:<id>``), or several of them.
A client listens on the channels its member belongs to, so the numbers it sees skip what went
to others. To let it tell "not for me" from "lost", every delivered event carries ``prev``:
for each channel of its audience, the number of the event before it on that channel; the
snapshot carries ``channels``: the last number on each of the member's channels.

A client that holds channel ``c`` up to ``n`` and receives an event whose ``prev[c]`` is above
``n`` has missed something (a broadcast lost while Redis was down, a dropped frame): it asks for
a fresh snapshot. After a Redis outage the next event, or the periodic ``heads`` announcement,
shows the gap.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from roadshow.live.models import LiveEvent, LiveRoom
from roadshow.live.services import Member

ALL = "all"


def channels_of(member: Member) -> list[str]:
    """The channels a member's connection listens on (as the namespace joins them)."""
    names = [ALL, f"user:{member.user_id}"]
    if member.is_host:
        names.append("host")
    if member.district_id is not None:
        names.append(f"district:{member.district_id}")
    return names


def parts(audience: str) -> list[str]:
    return [ALL] if audience == ALL else [part for part in audience.split(",") if part]


def _on_channel(channel: str):  # type: ignore[no-untyped-def]
    audience = LiveEvent.audience
    if channel == ALL:
        return audience == ALL
    return or_(audience == channel, audience.like(f"{channel},%"),
               audience.like(f"%,{channel}"), audience.like(f"%,{channel},%"))


def last_on(session: Session, room_id: int, channel: str, before: int | None = None) -> int:
    """The number of the last event on ``channel`` (below ``before`` when given), 0 if none."""
    # newest first along the (room_id, seq) index: stops at the first match, which for the
    # room-wide channel is a few rows back at most
    query = (select(LiveEvent.seq).where(LiveEvent.room_id == room_id, _on_channel(channel))
             .order_by(LiveEvent.seq.desc()).limit(1))
    if before is not None:
        query = query.where(LiveEvent.seq < before)
    return int(session.scalar(query) or 0)


def previous(session: Session, event: LiveEvent) -> dict[str, int]:
    """For each channel of the event's audience, the number of the event before it there."""
    return {channel: last_on(session, event.room_id, channel, before=event.seq)
            for channel in parts(event.audience)}


def heads(session: Session, room: LiveRoom, member: Member) -> dict[str, int]:
    """The last number on each of the member's channels, as of the room's current number."""
    return {channel: last_on(session, room.id, channel, before=room.seq + 1)
            for channel in channels_of(member)}
