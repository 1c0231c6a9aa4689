"""A new event copied from an old one takes its review set-up: the rubric (criteria, guidance,
weights, scales) and the settings, with the track quotas moved to the copy's tracks (matched by
code) and the review open (``closed_at`` is not copied). Nothing personal comes along: no judge
profile, conflict, assignment, review, interest or decision. Connected to
``events.signals.event_copied`` when this module loads (review's views import it)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.events import signals as event_signals
from roadshow.events.models import Event
from roadshow.review.models import Criterion, ReviewSettings
from roadshow.scoping import scoped

log = logging.getLogger("roadshow.review")


def remap_quota(quota: dict[str, Any], source_codes: dict[int, str], target_ids: dict[str, int]) -> dict[str, int]:
    """The track quotas ``{"<track id>": seats}`` of the source as the target's: each source
    track's seats go to the target track of the same code; a track the target lacks loses its
    quota (its seats go back to the open competition)."""
    moved: dict[str, int] = {}
    for key, seats in (quota or {}).items():
        code = source_codes.get(int(key)) if str(key).isdigit() else None
        if code is not None and code in target_ids and int(seats) > 0:
            moved[str(target_ids[code])] = int(seats)
    return moved


def copy_review_setup(session: Session, source: Event, target: Event) -> list[Criterion]:
    """Give ``target`` the rubric and review settings of ``source``; a rubric the target already
    has keeps its criteria (a code already there is not copied again)."""
    existing = set(session.scalars(scoped(select(Criterion.code).where(Criterion.event_id == target.id), target)))
    copies = []
    for criterion in session.scalars(scoped(
            select(Criterion).where(Criterion.event_id == source.id).order_by(Criterion.position, Criterion.id),
            source)):
        if criterion.code in existing:
            continue
        copy = Criterion(event_id=target.id, code=criterion.code, name_zh=criterion.name_zh,
                         name_en=criterion.name_en, guidance_zh=criterion.guidance_zh,
                         guidance_en=criterion.guidance_en, weight=criterion.weight,
                         scale_min=criterion.scale_min, scale_max=criterion.scale_max,
                         required=criterion.required, position=criterion.position)
        session.add(copy)
        copies.append(copy)
    settings = session.scalar(scoped(select(ReviewSettings).where(ReviewSettings.event_id == source.id), source))
    if settings is not None:
        copied = session.scalar(scoped(select(ReviewSettings).where(ReviewSettings.event_id == target.id), target))
        if copied is None:
            copied = ReviewSettings(event_id=target.id)
            session.add(copied)
        copied.judges_per_application = settings.judges_per_application
        copied.blind = settings.blind
        copied.see_other_reviews = settings.see_other_reviews
        copied.finalist_count = settings.finalist_count
        copied.recruiters_see_scores = settings.recruiters_see_scores
        copied.recruiters_read_decks = settings.recruiters_read_decks
        copied.track_quota = remap_quota(settings.track_quota, {t.id: t.code for t in source.tracks},
                                         {t.code: t.id for t in target.tracks})
        copied.closed_at = None
    session.flush()
    log.info("copied %s criteria and the review settings of event %s into event %s", len(copies), source.id,
             target.id)
    return copies


def _on_event_copied(_sender: Any, session: Session, source: Event, target: Event, **_kwargs: Any) -> None:
    copy_review_setup(session, source, target)


event_signals.event_copied.connect(_on_event_copied)
