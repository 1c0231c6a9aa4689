"""Gap detection for live rooms: which event came before, on each of a client's channels.

Every room event is numbered from the room's one sequence (``LiveRoom.seq``, in the database
that every server process shares) and goes to an audience: the whole room (``all``), the hosts
(``host``), one user (``user:<id>``) or one district (``district:<id>``), or several of them.
A client listens on the channels its member belongs to, so the numbers it sees skip what went
to others. To let it tell "not for me" from "lost", the room keeps the last number on each
channel (``LiveRoom.heads``, updated under the row lock that numbers the event) and every event
stores ``prev``: for each channel of its audience, the number of the event before it there. The
snapshot carries ``channels``: the last number on each of the member's channels.

A client that holds channel ``c`` up to ``n`` and receives an event whose ``prev[c]`` is above
``n`` has missed something (a broadcast lost while Redis was down, a dropped frame): it asks for
a fresh snapshot. After a Redis outage the next event, or the periodic ``heads`` announcement,
shows the gap.
"""

from __future__ import annotations

from typing import Any

from roadshow.live.models import LiveEvent, LiveRoom

ALL = "all"


def channels_of(member: Any) -> list[str]:
    """The channels a member's connection listens on (as the namespace joins them)."""
    names = [ALL, f"user:{member.user_id}"]
    if member.is_host:
        names.append("host")
    if member.district_id is not None:
        names.append(f"district:{member.district_id}")
    return names


def parts(audience: str) -> list[str]:
    return [ALL] if audience == ALL else [part for part in audience.split(",") if part]


def advance(room: LiveRoom, audience: str, seq: int) -> dict[str, int]:
    """Record event ``seq`` as the last on each channel of ``audience``; returns its ``prev``.
    Call it holding the room's row lock (taken when ``seq`` was drawn), with ``room`` fresh."""
    heads = dict(room.heads or {})
    prev = {channel: int(heads.get(channel, 0)) for channel in parts(audience)}
    for channel in prev:
        heads[channel] = seq
    room.heads = heads
    return prev


def previous(event: LiveEvent) -> dict[str, int]:
    return dict(event.prev or {})


def heads(room: LiveRoom, member: Any) -> dict[str, int]:
    """The last number on each of the member's channels."""
    known = room.heads or {}
    return {channel: int(known.get(channel, 0)) for channel in channels_of(member)}


def last_room_wide(room: LiveRoom) -> int:
    return int((room.heads or {}).get(ALL, 0))
