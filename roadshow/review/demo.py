"""Demo step: the preliminary review of the model event, run to its end.

A rubric (innovation, market, team, fit with the districts' industries), three judges per
application, seeded scores for every review (one harsh and one lenient judge, so normalisation
matters), the districts' interest, and 32 finalists selected; the rest not selected. Decisions
are recorded as sent without emailing 180 applicants.
"""

from __future__ import annotations

from sqlalchemy import insert, select

from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.demo.context import (
    CALL,
    FINISHED,
    REVIEW,
    ROADSHOW,
    DemoContext,
    DemoEvent,
    recruiters_with_districts,
)
from roadshow.review import finalist_selection, judge_assignments, settings_and_rubric
from roadshow.review.models import (
    PRELIMINARY,
    Conflict,
    ConflictSource,
    DistrictInterest,
    InterestLevel,
    JudgeProfile,
    Review,
    ReviewStatus,
    Score,
    SeeOtherReviews,
    SelectionDecision,
)
from roadshow.review.scoring import weighted_total

TITLE = "Preliminary review and district docking"
FINALISTS = 32
JUDGE_INSTITUTIONS = [
    "China University of Mining and Technology", "Jiangsu Normal University", "Xuzhou Medical University",
    "Southeast University", "Nanjing University", "Tsinghua University", "Zhejiang University",
    "Shanghai Jiao Tong University", "Harbin Institute of Technology", "Stanford University",
    "Chinese Academy of Sciences", "XCMG Research Institute",
]
#: judge index -> bias in scale points: a harsh judge and a lenient judge
BIAS = {1: -2.2, 2: 1.8}
INTEREST_NOTES = [
    ("与本区主导产业高度契合，可提供标准厂房和首年租金减免。", "Fits our leading industries; we can offer a standard factory with the first year rent-free."),
    ("建议对接区内龙头企业开展中试。", "We suggest a pilot with a leading company in our district."),
    ("可入驻孵化器，配套人才公寓。", "Incubator space and talent apartments available."),
]


def load(ctx: DemoContext) -> None:
    """The review of every event that runs one: run to its end with finalists chosen for the
    roadshows past their review, half scored for one in review, a rubric for one whose call is
    open."""
    for demo_event in ctx.events(stage="review"):
        if demo_event.state in (FINISHED, ROADSHOW):
            load_event(ctx, demo_event)
        elif demo_event.state == REVIEW:
            load_event(ctx, demo_event, finish=False)
        elif demo_event.state == CALL:
            settings_and_rubric.add_standard_rubric(ctx.session, demo_event.data["organizer"],
                                                    demo_event.event)


def _judge_profiles(ctx: DemoContext, judges: list, tracks: list) -> None:
    """Each judge's profile (one per person, across events), with two of this event's tracks."""
    session = ctx.session
    existing = {p.user_id: p for p in session.scalars(
        select(JudgeProfile).where(JudgeProfile.user_id.in_([j.id for j in judges])))}
    for i, judge in enumerate(judges):
        profile = existing.get(judge.id)
        if profile is None:
            profile = JudgeProfile(user_id=judge.id, associates="",
                                   institution=JUDGE_INSTITUTIONS[i % len(JUDGE_INSTITUTIONS)])
            profile.tracks = []
            session.add(profile)
        if tracks:
            profile.tracks = [*profile.tracks, tracks[i % len(tracks)], tracks[(i + 1) % len(tracks)]]
    session.flush()


def load_event(ctx: DemoContext, demo_event: DemoEvent, finish: bool = True) -> None:
    session, data = ctx.session, demo_event.data
    rng = demo_event.rng or ctx.rng
    event = demo_event.event
    organizer = data["organizer"]
    judges = data["judges"]
    applications: list[Application] = data.get("applications") or list(session.scalars(
        select(Application).where(Application.event_id == event.id,
                                  Application.status == ApplicationStatus.SUBMITTED)))
    steps = 6
    settings = settings_and_rubric.get_settings(session, event)
    settings.judges_per_application = 3
    settings.finalist_count = data.get("finalist_count", FINALISTS)
    settings.see_other_reviews = SeeOtherReviews.AFTER_SUBMIT
    settings.recruiters_see_scores = False
    settings.recruiters_read_decks = True
    criteria = settings_and_rubric.add_standard_rubric(session, organizer, event)
    ctx.progress(TITLE, 1, steps)

    _judge_profiles(ctx, judges, list(event.tracks))
    # one judge declares a conflict of their own (a former student's project)
    if applications and len(judges) > 3:
        session.add(Conflict(event_id=event.id, judge_id=judges[3].id, application_id=applications[5].id,
                             source=ConflictSource.DECLARED,
                             reason="The applicant was my doctoral student until last year."))
    session.flush()
    result = judge_assignments.run_assignment(session, organizer, event)
    ctx.progress(TITLE, 2, steps)

    # seeded scores: a latent quality per application, the judge's bias, and some noise
    criteria = settings_and_rubric.rubric(session, event.id)
    specs = settings_and_rubric.specs_of(criteria)
    quality = {a.id: rng.gauss(6.2, 1.4) for a in applications}
    # the applicant whose login the demo prints has a strong project this year: they are a
    # finalist, so their login shows the whole funnel (pitch time, RSVP, intent to sign); last
    # year's was weaker
    strong = {u.id for u in [data.get("printed")] if u is not None}
    weak = {u.id for u in data.get("not_selected", [])}
    for application in applications:
        if application.applicant_id in strong:
            quality[application.id] = max(quality[application.id], 8.6)
        if application.applicant_id in weak:
            quality[application.id] = min(quality[application.id], 3.5)
    judge_index = {j.id: i for i, j in enumerate(judges)}
    submitted_at = utcnow() - demo_event.shift
    pairs = result.pairs if finish else [p for n, p in enumerate(result.pairs) if n % 2 == 0]
    review_rows = []
    score_values: list[dict[str, float]] = []
    for app_id, judge_id in pairs:
        bias = BIAS.get(judge_index.get(judge_id, -1), rng.gauss(0, 0.3))
        values = {}
        for spec in specs:
            raw = quality[app_id] + bias + rng.gauss(0, 0.9)
            values[spec.code] = float(min(spec.scale_max, max(spec.scale_min, round(raw))))
        score_values.append(values)
        review_rows.append(dict(application_id=app_id, judge_id=judge_id, round=PRELIMINARY,
                                status=ReviewStatus.SUBMITTED, total=weighted_total(values, specs),
                                overall_comment="", version=1, created_at=submitted_at,
                                updated_at=submitted_at, submitted_at=submitted_at))
    if review_rows:
        ids = list(session.scalars(insert(Review).returning(Review.id, sort_by_parameter_order=True),
                                   review_rows))
        by_code = {c.code: c.id for c in criteria}
        session.execute(insert(Score), [
            dict(review_id=review_id, criterion_id=by_code[code], value=value, comment="")
            for review_id, values in zip(ids, score_values, strict=True) for code, value in values.items()
        ])
    ctx.progress(TITLE, 3, steps)
    if not finish:  # the review goes on: no docking marked yet, no finalists
        session.flush()
        ctx.progress(TITLE, steps, steps)
        return

    # district docking: recruiters mark interest in applications that chose their district
    recruiter_of = {district.id: r for r, district in recruiters_with_districts(data)}
    interest_rows = []
    now = utcnow() - demo_event.shift
    for app in applications:
        for district in app.districts:
            roll = rng.random()
            if roll > 0.55:
                continue
            level = InterestLevel.STRONG if roll < 0.15 + quality[app.id] / 60 else InterestLevel.INTERESTED
            note_zh, note_en = rng.choice(INTEREST_NOTES)
            recruiter = recruiter_of.get(district.id)
            interest_rows.append(dict(
                application_id=app.id, district_id=district.id,
                recruiter_id=recruiter.id if recruiter else None, level=level,
                note=note_zh if rng.random() < 0.7 else note_en, updated_at=now))
    if interest_rows:
        session.execute(insert(DistrictInterest), interest_rows)
    ctx.progress(TITLE, 4, steps)

    # finalists by the rule; decisions recorded as sent (the demo emails nobody)
    chosen = finalist_selection.select_finalists(session, organizer, event)
    finalist_ids = set(chosen)
    for app in applications:
        app.status = ApplicationStatus.FINALIST if app.id in finalist_ids else ApplicationStatus.NOT_SELECTED
    ctx.progress(TITLE, 5, steps)
    for decision in session.scalars(select(SelectionDecision).where(SelectionDecision.event_id == event.id)):
        decision.notified_at = now
    settings.closed_at = now
    session.flush()
    by_id = {a.id: a for a in applications}
    data["finalists"] = [by_id[i] for i in chosen if i in by_id]
    ctx.progress(TITLE, 6, steps)
