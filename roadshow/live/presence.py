"""Who is in a room now: presence rows per socket, refreshed by their process."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.live.membership import DISTRICT, HOST, JUDGE, PRESENTER, VIEWER, Member
from roadshow.live.models import LivePresence, LiveRoom

#: how long a presence row counts without its process refreshing it
PRESENCE_TTL = timedelta(seconds=75)


def enter(session: Session, room: LiveRoom, member: Member, sid: str) -> None:
    session.execute(delete(LivePresence).where(LivePresence.sid == sid))
    session.add(LivePresence(sid=sid, room_id=room.id, user_id=member.user_id, role=member.role))


def leave(session: Session, sid: str) -> None:
    session.execute(delete(LivePresence).where(LivePresence.sid == sid))


def refresh_presence(session: Session, sids: list[str], now: datetime) -> None:
    for start in range(0, len(sids), 500):
        session.execute(update(LivePresence).where(LivePresence.sid.in_(sids[start:start + 500]))
                        .values(seen_at=now).execution_options(synchronize_session=False))
    session.execute(delete(LivePresence).where(LivePresence.seen_at < now - 4 * PRESENCE_TTL))


def presence(session: Session, room_id: int, now: datetime) -> dict[str, Any]:
    """Counts by role for everyone; names for the judges and the districts.

    The same payload goes to the whole room, whatever each reader's language, so every name
    comes in both: ``{"name_en", "name_zh"}`` and, for a district's recruiter, also
    ``{"district_en", "district_zh"}``; the page shows the ones in its own language.
    """
    rows = session.execute(
        select(LivePresence.user_id, LivePresence.role).where(
            LivePresence.room_id == room_id, LivePresence.seen_at >= now - PRESENCE_TTL)
        .distinct()).all()
    counts = Counter(role for _uid, role in rows)
    named_ids = [uid for uid, role in rows if role in (JUDGE, DISTRICT, HOST)]
    names: dict[str, list[dict[str, str]]] = {JUDGE: [], DISTRICT: [], HOST: []}
    if named_ids:
        for user in session.scalars(select(User).where(User.id.in_(named_ids)).order_by(User.name)):
            role = next(r for uid, r in rows if uid == user.id and r in names)
            entry = {"name_en": user.name, "name_zh": user.name_native or user.name}
            if role == DISTRICT and user.district is not None:
                district = user.district
                entry["district_en"] = district.name_en or district.name_zh
                entry["district_zh"] = district.name_zh or district.name_en
            names[role].append(entry)
    return {"counts": {r: counts.get(r, 0) for r in (HOST, JUDGE, DISTRICT, PRESENTER, VIEWER)},
            "total": len({uid for uid, _ in rows}), "names": names}


def sids_of_user(session: Session, user_id: int) -> list[str]:
    return list(session.scalars(select(LivePresence.sid).where(LivePresence.user_id == user_id)))
