"""Signals later stages listen to: the schedule of a session changed.

Whatever writes the schedule (the editor, the solver, a swap, a finalist's withdrawal, the
demo, the command line), the change reaches the listeners the same way: every flush notes the
sessions whose slots were added, moved, refilled or removed, and once the transaction commits
:data:`schedule_changed` is sent with their ids. A rolled-back change sends nothing. The live
rooms subscribe, so a room already open follows its programme (scheduling never imports live).
"""

from __future__ import annotations

import logging
from typing import Any

from blinker import Namespace
from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from roadshow.scheduling.models import PitchSession, Slot

log = logging.getLogger("roadshow.scheduling")

_signals = Namespace()

#: sent after a commit with ``session_ids``: the pitch sessions whose programme changed
schedule_changed = _signals.signal("schedule-changed")

_PENDING = "roadshow.scheduling.changed_sessions"

#: what a slot's place in a programme depends on
_SLOT_FIELDS = ("session_id", "kind", "application_id", "district_id", "starts_at", "ends_at",
                "position")
#: what a session's programme (its items' lengths) depends on
_SESSION_FIELDS = ("pitch_minutes", "qa_minutes", "status")


def _sessions_of(slot: Slot) -> set[Any]:
    """The session a slot is in and, when it moved, the one it left."""
    history = inspect(slot).attrs.session_id.history
    return {*history.added, *history.deleted, *history.unchanged, slot.session_id}


def _changed(obj: Any, fields: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context: Any) -> None:
    ids: set[Any] = set()
    for obj in (*session.new, *session.deleted):
        if isinstance(obj, Slot):
            ids |= _sessions_of(obj)
    for obj in session.dirty:
        if isinstance(obj, Slot) and _changed(obj, _SLOT_FIELDS):
            ids |= _sessions_of(obj)
        elif isinstance(obj, PitchSession) and _changed(obj, _SESSION_FIELDS):
            ids.add(obj.id)
    ids = {int(i) for i in ids if i is not None}
    if ids:
        session.info.setdefault(_PENDING, set()).update(ids)


@event.listens_for(Session, "after_commit")
def _announce(session: Session) -> None:
    ids = session.info.pop(_PENDING, None)
    if not ids:
        return
    sender = current_app._get_current_object() if has_app_context() else None  # type: ignore[attr-defined]
    try:
        schedule_changed.send(sender, session_ids=sorted(ids))
    except Exception:  # a listener's failure must not hide a committed schedule
        log.exception("a listener of schedule_changed failed for sessions %s", sorted(ids))


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)
