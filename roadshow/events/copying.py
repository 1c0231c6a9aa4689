"""New event from an old one (issue 13, §4): texts, kind, stages, tracks, questions, districts
and phases moved to the new dates in the new event's zone; then ``events.signals.event_copied``
lets review (rubric, settings), scheduling (session layout) and signing copy their set-up.
Nothing personal comes along: no application, role, judge, assignment, slot holder or intent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.events import signals
from roadshow.events.dateshift import Shift, days_between, local_day
from roadshow.events.kinds import STAGES, EventKind, stage_column
from roadshow.events.models import Event, EventPhase, EventQuestion, Track
from roadshow.events.services import EventError, main_phase, slugify, unique_slug

log = logging.getLogger("roadshow.events")


@dataclass
class CopyData:
    """What the copy form asks: the new titles and slug, the kind, the new main day (the date
    of the main phase's start in ``timezone``) and the zone."""

    title_zh: str
    title_en: str
    slug: str
    kind: str
    main_day: date
    timezone: str
    #: stage -> on; missing stages keep the source's switches
    stages: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class CopyResult:
    event: Event
    shift: Shift
    #: the phases whose local start or end did not exist on the new day and moved forward
    moved_forward: list[str]


def shift_for(source: Event, main_day: date, timezone: str) -> Shift:
    """How the source's dates move so that its main phase starts on ``main_day``."""
    phase = main_phase(source)
    source_day = local_day(phase.starts_at, source.timezone) if phase is not None else main_day
    return Shift(days=days_between(source_day, main_day), from_zone=source.timezone, to_zone=timezone)


def copy_event(session: Session, actor: User, source: Event, data: CopyData) -> CopyResult:
    """A new, unpublished event of the source's office made from ``source``.

    Raises :class:`EventError` ``slug_taken`` when the slug is another event's."""
    slug = slugify(data.slug) if data.slug.strip() else unique_slug(session, slugify(data.title_en or data.title_zh))
    if unique_slug(session, slug) != slug:
        raise EventError("slug_taken")
    shift = shift_for(source, data.main_day, data.timezone)
    target = Event(
        slug=slug, title_zh=data.title_zh, title_en=data.title_en,
        description_zh=source.description_zh, description_en=source.description_en,
        organizer_name_zh=source.organizer_name_zh, organizer_name_en=source.organizer_name_en,
        timezone=data.timezone, online=source.online, venue_zh=source.venue_zh,
        venue_en=source.venue_en, published=False, kind=EventKind(data.kind),
        organisation_id=source.organisation_id, alliance_id=None, copied_from_id=source.id,
    )
    for stage in STAGES:
        setattr(target, stage_column(stage), bool(data.stages.get(stage, source.has_stage(stage))))
    target.tracks = [Track(code=t.code, name_zh=t.name_zh, name_en=t.name_en, position=t.position)
                     for t in source.tracks]
    target.questions = [EventQuestion(kind=q.kind, prompt_zh=q.prompt_zh, prompt_en=q.prompt_en,
                                      choices_zh=q.choices_zh, choices_en=q.choices_en,
                                      required=q.required, position=q.position)
                        for q in source.questions]
    # a joint event's districts of other offices stay behind: the copy is the office's own
    target.districts = [d for d in source.districts if d.organisation_id == source.organisation_id]
    moved: list[str] = []
    copies = []
    for phase in source.phases:
        starts, ends = shift.apply(phase.starts_at), shift.apply(phase.ends_at)
        if starts.moved_forward or ends.moved_forward:
            moved.append(phase.kind.value)
        copies.append(EventPhase(kind=phase.kind, starts_at=starts.moment, ends_at=ends.moment))
    target.phases = copies
    session.add(target)
    session.flush()
    signals.event_copied.send("events", session=session, source=source, target=target, shift=shift)
    session.flush()
    log.info("event %s copied from %s by user %s, %+d days", target.slug, source.slug, actor.id, shift.days)
    return CopyResult(target, shift, moved)
