"""Which sessions' live rooms a user may enter, for the programme's links.

The live room builds on scheduling, so scheduling never imports it: roadshow.live adds whom it
admits to :data:`ADMISSIONS` when it loads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.scheduling.models import PitchSession

#: functions of (session, user, pitch session) telling whether the user may enter its live room
ADMISSIONS: list[Callable[[Session, User, PitchSession], bool]] = []


def enterable(session: Session, user: User, pitch_sessions: Iterable[PitchSession]) -> set[int]:
    """The ids of the sessions whose live rooms the user may enter."""
    return {pitch_session.id for pitch_session in pitch_sessions
            if any(admits(session, user, pitch_session) for admits in ADMISSIONS)}
