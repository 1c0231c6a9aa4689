"""Demo step: next year's Xuzhou roadshow, copied from this year's with ``copy_event``, its
call open (a few projects in, the printed applicant's draft), and last year's archived."""

from __future__ import annotations

import random
from datetime import timedelta
from zoneinfo import ZoneInfo

from roadshow.applications import demo as applications_demo
from roadshow.demo import facts, timeline
from roadshow.demo.context import CALL, FINISHED, ROADSHOW, SEED, DemoContext, DemoEvent
from roadshow.demo.people import grant
from roadshow.events import copying, services
from roadshow.events.models import PhaseKind

TITLE = "Next year's call, last year archived"
#: next year's roadshow days fall 52 weeks after this year's (same weekdays)
NEXT_YEAR = timedelta(weeks=52)
SUBMITTED = 6
#: how long next year's call has been open when the demo is loaded
CALL_OPEN_FOR = timedelta(days=5)


def load(ctx: DemoContext) -> None:
    session = ctx.session
    this_year, organizer = ctx.data["event"], ctx.data["organizer"]
    zone = ZoneInfo(this_year.timezone)
    main_day = timeline.roadshow_days(ctx.now + NEXT_YEAR, this_year.timezone)[0]
    next_year = copying.copy_event(session, organizer, this_year, copying.CopyData(
        slug=facts.NEXT_YEAR["slug"],
        title_zh=facts.NEXT_YEAR["title_zh"].format(year=main_day.year),
        title_en=facts.NEXT_YEAR["title_en"].format(year=main_day.year),
        kind=this_year.kind.value, main_day=main_day, timezone=this_year.timezone)).event
    # published, its call opened a few days ago and runs until the review (the copy keeps the
    # dates' distance to the roadshow days, so its call would open only next autumn)
    next_year.published = True
    call = next_year.phase(PhaseKind.CALL)
    call.starts_at = (ctx.now - CALL_OPEN_FOR).astimezone(zone).replace(
        hour=0, minute=0, second=0, microsecond=0).astimezone(ZoneInfo("UTC"))
    session.flush()
    ctx.progress(TITLE, 1, 3)

    this = next(e for e in ctx.events(ROADSHOW) if e.event is this_year).data
    for recruiter in this["recruiters"]:
        grant(ctx, next_year, recruiter, "recruiter", this["recruiter_districts"][recruiter.id])
    applicants = this["applicants"]
    # six projects in so far, and the printed applicant's draft (last year not selected, this
    # year a finalist, next year trying again)
    demo_event = DemoEvent(next_year, CALL, data=dict(
        organizer=organizer, districts=list(next_year.districts), judges=[],
        recruiters=this["recruiters"], recruiter_districts=this["recruiter_districts"],
        applicants=[*applicants[20:20 + SUBMITTED], this["printed"]], submitted=SUBMITTED,
        drafts=1, withdrawn=0), rng=random.Random(SEED + 2027))
    applications_demo.load_event(ctx, demo_event)
    ctx.data["events"].append(demo_event)
    ctx.data["next_year"] = next_year
    ctx.progress(TITLE, 2, 3)

    for finished in ctx.events(FINISHED):
        services.archive(session, finished.data["organizer"], finished.event)
    session.flush()
    ctx.progress(TITLE, 3, 3)
