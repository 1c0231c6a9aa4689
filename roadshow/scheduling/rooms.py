"""Which sessions' live rooms a user may enter, for the programme's links.

The live room builds on scheduling, so scheduling never imports it: roadshow.live adds whom it
admits to :data:`ADMISSIONS` when it loads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.scheduling.models import PitchSession

#: functions of (session, user, pitch sessions) answering the ids of the sessions whose live
#: rooms the user may enter
ADMISSIONS: list[Callable[[Session, User, list[PitchSession]], set[int]]] = []


def enterable(session: Session, user: User, pitch_sessions: Iterable[PitchSession]) -> set[int]:
    """The ids of the sessions whose live rooms the user may enter."""
    listed = list(pitch_sessions)
    found: set[int] = set()
    for admits in ADMISSIONS:
        found |= admits(session, user, listed)
    return found
