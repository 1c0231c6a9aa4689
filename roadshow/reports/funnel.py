"""The funnel of each event, side by side (issue 13, §4): how many applied, from how many
countries, how many became finalists, pitched, signed an intent and landed (issue 15: the
project of a sealed intent whose every milestone is confirmed).

:func:`funnel_by_event` answers for any number of events with the same six GROUP BY queries,
each over all the events at once (``across()``), never one query per event: the organizer's
home and the reports list dozens of events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.outcomes.models import Project
from roadshow.scheduling.models import PitchSession, SessionStatus, Slot, SlotKind
from roadshow.scoping import across
from roadshow.signing.flow import IntentState
from roadshow.signing.models import Intent

#: an application counts as submitted once sent, whatever the review made of it since
SUBMITTED = (ApplicationStatus.SUBMITTED, ApplicationStatus.FINALIST, ApplicationStatus.NOT_SELECTED)


@dataclass(frozen=True)
class Funnel:
    """One event's figures. ``landed``: projects that settled in a district (every milestone
    of the sealed intent's project confirmed); ``None`` only where it is not counted (the pages
    show it as "—")."""

    submitted: int = 0
    countries: int = 0
    finalists: int = 0
    pitched: int = 0
    intents_signed: int = 0
    landed: int | None = 0

    def __add__(self, other: Funnel) -> Funnel:
        """Figures of several events together (a year, a report's total). Countries add up as
        counted per event: a country with applicants in two events counts twice."""
        return Funnel(**{f.name: _plus(getattr(self, f.name), getattr(other, f.name))
                         for f in fields(self)})


def _plus(a: int | None, b: int | None) -> int | None:
    if a is None and b is None:
        return None
    return (a or 0) + (b or 0)


#: the stages of the funnel in order, for tables and charts (key, attribute)
STAGES = ("submitted", "countries", "finalists", "pitched", "intents_signed", "landed")


def funnel_by_event(session: Session, event_ids: Iterable[int],
                    now: datetime | None = None) -> dict[int, Funnel]:
    """``{event id: Funnel}`` for every id given (events without rows get zeros)."""
    ids = sorted(set(event_ids))
    if not ids:
        return {}
    now = now or utcnow()
    counts: dict[int, dict[str, int]] = {event_id: {} for event_id in ids}

    def put(name: str, rows: Iterable[tuple[int, int]]) -> None:
        for event_id, value in rows:
            counts[event_id][name] = int(value or 0)

    put("submitted", session.execute(across(
        select(Application.event_id, func.count(Application.id))
        .where(Application.status.in_(SUBMITTED)).group_by(Application.event_id), ids)).all())
    put("finalists", session.execute(across(
        select(Application.event_id, func.count(Application.id))
        .where(Application.status == ApplicationStatus.FINALIST)
        .group_by(Application.event_id), ids)).all())
    put("countries", session.execute(across(
        select(Application.event_id, func.count(distinct(Application.country)))
        .where(Application.status.in_(SUBMITTED), Application.country != "")
        .group_by(Application.event_id), ids)).all())
    # pitched: a finalist whose pitch slot in a published session is over
    put("pitched", session.execute(across(
        select(PitchSession.event_id, func.count(distinct(Slot.application_id)))
        .join(Slot, Slot.session_id == PitchSession.id)
        .where(Slot.kind == SlotKind.PITCH, Slot.application_id.is_not(None),
               PitchSession.status == SessionStatus.PUBLISHED, Slot.ends_at <= now)
        .group_by(PitchSession.event_id), ids)).all())
    put("intents_signed", session.execute(across(
        select(Application.event_id, func.count(Intent.id))
        .join(Application, Application.id == Intent.application_id)
        .where(Intent.state == IntentState.COMPLETED)
        .group_by(Application.event_id), ids)).all())
    put("landed", session.execute(across(
        select(Project.event_id, func.count(Project.id)).where(Project.landed_at.is_not(None))
        .group_by(Project.event_id), ids)).all())
    return {event_id: Funnel(**values) for event_id, values in counts.items()}
