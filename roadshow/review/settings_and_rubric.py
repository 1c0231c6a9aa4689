"""An event's review settings and its rubric: the standard criteria, editing and ordering them,
and totals recomputed when weights change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.applications.models import (
    Application,
)
from roadshow.events.models import Event
from roadshow.review import scoring
from roadshow.review.exceptions import FieldsError, ReviewError, _
from roadshow.review.models import (
    Criterion,
    Review,
    ReviewSettings,
    SeeOtherReviews,
)
from roadshow.scoping import across, scoped

#: the standard rubric offered to a new event: code, zh, en, guidance zh, guidance en, weight
STANDARD_RUBRIC = [
    ("innovation", "创新性", "Innovation",
     "技术或模式的新颖程度、核心知识产权和技术壁垒。",
     "How new the technology or model is; core intellectual property and barriers to entry.", 30),
    ("market", "市场前景", "Market",
     "市场规模与需求、商业模式、产业化路径和预期收益。",
     "Market size and demand, business model, path to industry and expected returns.", 25),
    ("team", "团队实力", "Team",
     "负责人与团队的经历、分工和执行能力。",
     "The lead's and the team's record, roles and ability to deliver.", 25),
    ("fit", "产业契合度", "Fit with the districts' industries",
     "项目与各板块主导产业的契合程度及落地可能性。",
     "How well the project fits the districts' leading industries and how likely it is to settle.", 20),
]


def get_settings(session: Session, event: Event) -> ReviewSettings:
    settings = session.scalar(scoped(select(ReviewSettings).where(ReviewSettings.event_id == event.id), event))
    if settings is None:
        settings = ReviewSettings(event_id=event.id, judges_per_application=3, blind=False,
                                  see_other_reviews=SeeOtherReviews.NEVER, finalist_count=32,
                                  track_quota={}, recruiters_see_scores=False,
                                  recruiters_read_decks=False)
        session.add(settings)
        session.flush()
    return settings


@dataclass(frozen=True)
class SettingsData:
    """The review settings an organizer sets for an event."""

    judges_per_application: int
    blind: bool
    see_other_reviews: SeeOtherReviews
    finalist_count: int
    recruiters_see_scores: bool
    recruiters_read_decks: bool
    #: track id (as text) -> how many finalists the track gets; a track without one has no quota
    track_quota: dict[str, int]


def read_track_quota(typed: Mapping[int, str]) -> tuple[dict[str, int], dict[int, str]]:
    """The quotas typed per track id: (quotas, errors by track id). Empty or 0 is no quota;
    anything but a whole number is refused with a message saying what to type."""
    quota: dict[str, int] = {}
    errors: dict[int, str] = {}
    for track_id, raw in typed.items():
        raw = raw.strip()
        if not raw:
            continue
        if not raw.isdigit():
            errors[track_id] = _("Enter a whole number, or leave empty for no quota.")
        elif int(raw) > 0:
            quota[str(track_id)] = int(raw)
    return quota, errors


def save_settings(session: Session, actor: User, event: Event, data: SettingsData) -> ReviewSettings:
    """Store the event's review settings; refused (nothing changed) when the track quotas add
    up to more than the number of finalists."""
    if sum(data.track_quota.values()) > (data.finalist_count or 0):
        raise ReviewError(_("The track quotas add up to more than the number of finalists."))
    settings = get_settings(session, event)
    settings.judges_per_application = data.judges_per_application
    settings.blind = data.blind
    settings.see_other_reviews = data.see_other_reviews
    settings.finalist_count = data.finalist_count
    settings.recruiters_see_scores = data.recruiters_see_scores
    settings.recruiters_read_decks = data.recruiters_read_decks
    settings.track_quota = data.track_quota
    session.flush()
    return settings


def quota_as_typed(settings: ReviewSettings, track_ids: Sequence[int]) -> dict[int, str]:
    """The saved quota of each track as the settings form shows it (empty: no quota)."""
    saved = settings.track_quota or {}
    return {track_id: str(saved.get(str(track_id), "") or "") for track_id in track_ids}


def save_typed_settings(session: Session, actor: User, event: Event, data: SettingsData,
                        typed_quota: Mapping[int, str]) -> ReviewSettings:
    """Store the settings with the track quotas as typed per track id (``data.track_quota`` is
    replaced by them). Refused with a :class:`FieldsError` by track id when a quota is not a
    whole number, and as :func:`save_settings` refuses; nothing is changed then."""
    quota, errors = read_track_quota(typed_quota)
    if errors:
        raise FieldsError(_("Please correct the marked fields."), errors)
    return save_settings(session, actor, event, replace(data, track_quota=quota))


def rubric(session: Session, event_id: int) -> list[Criterion]:
    return list(session.scalars(across(
        select(Criterion).where(Criterion.event_id == event_id).order_by(Criterion.position, Criterion.id),
        [event_id])))


def specs_of(criteria: Sequence[Criterion]) -> list[scoring.CriterionSpec]:
    return [scoring.CriterionSpec(c.code, c.weight, c.scale_min, c.scale_max, c.required)
            for c in criteria]


def add_standard_rubric(session: Session, actor: User, event: Event) -> list[Criterion]:
    existing = {c.code for c in rubric(session, event.id)}
    added = []
    for position, (code, zh, en, gzh, gen, weight) in enumerate(STANDARD_RUBRIC):
        if code in existing:
            continue
        criterion = Criterion(event_id=event.id, code=code, name_zh=zh, name_en=en, guidance_zh=gzh,
                              guidance_en=gen, weight=float(weight), scale_min=1, scale_max=10,
                              required=True, position=position)
        session.add(criterion)
        added.append(criterion)
    session.flush()
    recompute_totals(session, event.id)
    return added


def save_criterion(session: Session, actor: User, event: Event, data: Mapping[str, Any],
                   criterion: Criterion | None = None) -> Criterion:
    code = str(data["code"]).strip().lower()
    clash = session.scalar(scoped(select(Criterion).where(Criterion.event_id == event.id, Criterion.code == code),
                                  event))
    if clash is not None and clash is not criterion:
        raise ReviewError(_("Another criterion already uses the code %(code)s.", code=code))
    if data["scale_max"] <= data["scale_min"]:
        raise ReviewError(_("The top of the scale must be above its bottom."))
    if data["weight"] <= 0:
        raise ReviewError(_("The weight must be more than zero."))
    if criterion is None:
        position = session.scalar(scoped(select(func.count()).select_from(Criterion)
                                         .where(Criterion.event_id == event.id), event)) or 0
        criterion = Criterion(event_id=event.id, position=position)
        session.add(criterion)
    for name in ("name_zh", "name_en", "guidance_zh", "guidance_en", "weight", "scale_min",
                 "scale_max", "required"):
        setattr(criterion, name, data[name])
    criterion.code = code
    session.flush()
    recompute_totals(session, event.id)
    return criterion


def delete_criterion(session: Session, actor: User, criterion: Criterion) -> None:
    event_id = criterion.event_id
    session.delete(criterion)
    session.flush()
    recompute_totals(session, event_id)


def move_criterion(session: Session, actor: User, criterion: Criterion, offset: int) -> None:
    items = rubric(session, criterion.event_id)
    i = items.index(criterion)
    j = max(0, min(len(items) - 1, i + offset))
    items.insert(j, items.pop(i))
    for position, item in enumerate(items):
        item.position = position


def recompute_totals(session: Session, event_id: int) -> None:
    """After a rubric change every review's total is computed again from its scores."""
    criteria = rubric(session, event_id)
    specs = specs_of(criteria)
    code_of = {c.id: c.code for c in criteria}
    reviews = session.scalars(across(
        select(Review).join(Application, Application.id == Review.application_id)
        .where(Application.event_id == event_id).options(selectinload(Review.scores)), [event_id]))
    for review in reviews:
        values = {code_of[s.criterion_id]: s.value for s in review.scores if s.criterion_id in code_of}
        total = scoring.weighted_total(values, specs) if specs else None
        if review.total != total:
            review.total = total
