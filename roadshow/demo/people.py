"""Demo step 2: the events of both offices and the alliance, and the people who take part.

Xuzhou's office runs last year's roadshow (finished), this year's (at its roadshow days, the
model event) and a symposium in Shanghai whose registration is open; Xiao County's office its
own roadshow, in review; the alliance a joint roadshow whose call is open. Next year's Xuzhou
roadshow is copied from this year's at the end (``roadshow.demo.next_year``). People span
events: judge01 judges last year, this year and the joint event; the Gulou recruiter recruits
every Xuzhou roadshow; the printed applicant applied last year, is a finalist this year and
has a draft for next year.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import ApplicantProfile
from roadshow.demo import facts, timeline
from roadshow.demo.context import (
    ALL_STAGES,
    CALL,
    FINISHED,
    REVIEW,
    ROADSHOW,
    SEED,
    DemoContext,
    DemoEvent,
)
from roadshow.demo.organisations import user as _account
from roadshow.districts.models import District
from roadshow.events.models import Event, EventKind, EventPhase, PhaseKind, Track
from roadshow.organisations.models import (
    AllianceShare,
    EventRole,
    EventRoleKind,
    Organisation,
    ShareKind,
)

TITLE = "Events and people"
APPLICANT_COUNT = 184
JUDGE_COUNT = 12
XIAO_JUDGES = 4
SYMPOSIUM_GUESTS = 14
EVENT_ZONE = timeline.EVENT_ZONE
#: last year's roadshow ran 52 weeks before this year's (same weekdays)
LAST_YEAR = timedelta(weeks=52)
#: the applicant whose login the demo prints: an English-speaking finalist abroad, whose pitch
#: is in a session still to come (see the review and scheduling steps)
PRINTED_APPLICANT = {
    "email": "applicant@example.org", "name": "Daniel Chen", "name_native": "陈丹宁",
    "country": "US", "nationality": "US", "timezone": "America/Los_Angeles",
    "institution": "Stanford University", "position": "Associate Professor",
    "highest_degree": "phd",
}
SHANGHAI_ORGANIZER = {
    "email": "shanghai@example.org", "name": "Zhang Hui", "name_native": "张慧",
}


def _at(ctx: DemoContext, day_offset: int, hour: int = 0) -> datetime:
    """A moment in the event's zone, ``day_offset`` days from today; stored as UTC."""
    local = datetime.combine(ctx.today + timedelta(days=day_offset), time(hour), ZoneInfo(EVENT_ZONE))
    return local.astimezone(ZoneInfo("UTC"))


def _tracks() -> list[Track]:
    return [Track(code=code, name_zh=name_zh, name_en=name_en, position=i)
            for i, (code, name_zh, name_en) in enumerate(facts.TRACKS)]


def _roadshow(ctx: DemoContext, office: Organisation, districts: list[District],
              fields: dict[str, str], shift: timedelta = timedelta(0)) -> Event:
    """A roadshow whose sessions run as ``timeline`` plans them at the load moment less
    ``shift``: the call and the review are over, signing stays open for a month after."""
    event = Event(organisation=office, timezone=EVENT_ZONE, online=True, **fields)
    event.districts = list(districts)
    first_day, last_day = timeline.roadshow_days(ctx.now - shift, EVENT_ZONE)
    back = shift.days
    first, after = (first_day - ctx.today).days, (last_day - ctx.today).days + 1
    event.phases = [
        EventPhase(kind=PhaseKind.CALL, starts_at=_at(ctx, -75 - back), ends_at=_at(ctx, -30 - back)),
        EventPhase(kind=PhaseKind.REVIEW, starts_at=_at(ctx, -30 - back), ends_at=_at(ctx, -3 - back)),
        EventPhase(kind=PhaseKind.ROADSHOW, starts_at=_at(ctx, first), ends_at=_at(ctx, after)),
        EventPhase(kind=PhaseKind.SIGNING, starts_at=_at(ctx, after), ends_at=_at(ctx, after + 30)),
    ]
    event.tracks = _tracks()
    ctx.session.add(event)
    return event


def _planned(ctx: DemoContext, office: Organisation, districts: list[District],
             fields: dict[str, object], days: tuple[int, int, int, int, int]) -> Event:
    """An event whose phases start ``days`` (call, review, roadshow, signing, end) from today."""
    call, review, roadshow, signing, end = days
    event = Event(organisation=office, timezone=EVENT_ZONE, online=True, **fields)
    event.districts = list(districts)
    event.phases = [
        EventPhase(kind=PhaseKind.CALL, starts_at=_at(ctx, call), ends_at=_at(ctx, review)),
        EventPhase(kind=PhaseKind.REVIEW, starts_at=_at(ctx, review), ends_at=_at(ctx, roadshow)),
        EventPhase(kind=PhaseKind.ROADSHOW, starts_at=_at(ctx, roadshow), ends_at=_at(ctx, signing)),
        EventPhase(kind=PhaseKind.SIGNING, starts_at=_at(ctx, signing), ends_at=_at(ctx, end)),
    ]
    event.tracks = _tracks()
    ctx.session.add(event)
    return event


def _symposium(ctx: DemoContext, office: Organisation) -> Event:
    """The symposium in Shanghai: registration open for three more weeks, then an afternoon."""
    event = Event(organisation=office, timezone=EVENT_ZONE, online=False,
                  kind=EventKind.SYMPOSIUM, stage_call=True, stage_review=False,
                  stage_schedule=True, stage_live=True, stage_signing=False, **facts.SYMPOSIUM)
    event.phases = [
        EventPhase(kind=PhaseKind.CALL, starts_at=_at(ctx, -14), ends_at=_at(ctx, 21)),
        EventPhase(kind=PhaseKind.ROADSHOW, starts_at=_at(ctx, 28, 14), ends_at=_at(ctx, 28, 17)),
    ]
    ctx.session.add(event)
    return event


def grant(ctx: DemoContext, event: Event, user: User, role: str,
          district: District | None = None) -> None:
    """``user`` holds ``role`` (organizer, judge, recruiter) in ``event``."""
    ctx.session.add(EventRole(event=event, user=user, role=EventRoleKind(role), district=district,
                              granted_by=ctx.data.get("admin")))


def _titled(name: str, year: int) -> str:
    return name.format(year=year)


def _people(ctx: DemoContext, districts: list[District], xiao_districts: list[District]) -> dict:
    rng = ctx.rng
    judges = []
    for i in range(JUDGE_COUNT):
        family, family_zh = facts.FAMILY_NAMES[(i * 7) % len(facts.FAMILY_NAMES)]
        given, given_zh = facts.GIVEN_NAMES[(i * 3 + 1) % len(facts.GIVEN_NAMES)]
        judges.append(_account(
            ctx, email=f"judge{i + 1:02d}@example.org", role=Role.JUDGE,
            name=f"Prof. {family} {given}", name_native=f"{family_zh}{given_zh}教授",
            locale="zh_Hans_CN" if i % 4 else "en", timezone=EVENT_ZONE,
        ))
    ctx.login("judge", judges[0].email)
    ctx.progress(TITLE, 2, 5)

    recruiters = []
    for i, district in enumerate(districts + xiao_districts):
        family, family_zh = facts.FAMILY_NAMES[(i * 5 + 2) % len(facts.FAMILY_NAMES)]
        given, given_zh = facts.GIVEN_NAMES[(i * 11 + 4) % len(facts.GIVEN_NAMES)]
        recruiters.append(_account(
            ctx, email=f"recruiter-{district.code}@example.org",
            role=Role.RECRUITER, name=f"{family} {given}", name_native=f"{family_zh}{given_zh}",
            locale="zh_Hans_CN", timezone=EVENT_ZONE, district=district,
        ))
    ctx.login("recruiter", recruiters[0].email)
    ctx.progress(TITLE, 3, 5)

    countries = list(facts.COUNTRIES)
    weights = [facts.COUNTRIES[c][0] for c in countries]
    applicants = []
    for i in range(APPLICANT_COUNT):
        country = countries[i] if i < len(countries) else rng.choices(countries, weights)[0]
        zone = rng.choice(facts.COUNTRIES[country][1])
        chinese_origin = rng.random() < 0.8
        if chinese_origin:
            family, family_zh = rng.choice(facts.FAMILY_NAMES)
            given, given_zh = rng.choice(facts.GIVEN_NAMES)
            name, native = f"{given} {family}", f"{family_zh}{given_zh}"
            nationality = rng.choice([country, country, "CN"])
        else:
            name = f"{rng.choice(facts.WESTERN_GIVEN)} {rng.choice(facts.WESTERN_FAMILY)}"
            native, nationality = None, country
        email = f"applicant{i:03d}@example.org"
        locale = "en" if i % 5 else "zh_Hans_CN"
        institution = rng.choice(facts.INSTITUTIONS[country])
        position = rng.choice(["Professor", "Associate Professor", "Senior Engineer",
                               "Research Scientist", "Founder & CEO", "Postdoctoral Fellow"])
        degree = rng.choice(facts.DEGREES)
        if i == 0:  # the printed login (drawn above all the same, so the others stay as they were)
            p = PRINTED_APPLICANT
            email, name, native, locale, zone = (p["email"], p["name"], p["name_native"], "en",
                                                 p["timezone"])
            country, nationality = p["country"], p["nationality"]
            institution, position, degree = p["institution"], p["position"], p["highest_degree"]
        user = _account(ctx, email=email, role=Role.APPLICANT, name=name,
                        name_native=native, locale=locale, timezone=zone)
        ctx.session.add(ApplicantProfile(
            user=user, name_latin=name, name_chinese=native or "", nationality=nationality,
            country_of_residence=country, institution=institution, position=position,
            highest_degree=degree, bio="",
        ))
        applicants.append(user)
    ctx.login("applicant", applicants[0].email)
    ctx.progress(TITLE, 4, 5)

    # the Shanghai liaison station's head, Xiao County's judges and the symposium's guests
    # (their own random source, so this year's applicants stay as they were)
    own = random.Random(SEED + 1)
    shanghai = _account(ctx, email=SHANGHAI_ORGANIZER["email"], role=Role.ORGANIZER,
                        name=SHANGHAI_ORGANIZER["name"], name_native=SHANGHAI_ORGANIZER["name_native"],
                        locale="zh_Hans_CN", timezone=EVENT_ZONE)
    ctx.login("shanghai", shanghai.email)
    xiao_judges = []
    for i in range(XIAO_JUDGES):
        family, family_zh = facts.FAMILY_NAMES[(i * 3 + 5) % len(facts.FAMILY_NAMES)]
        given, given_zh = facts.GIVEN_NAMES[(i * 7 + 2) % len(facts.GIVEN_NAMES)]
        xiao_judges.append(_account(
            ctx, email=f"judge-xiao{i + 1:02d}@example.org", role=Role.JUDGE,
            name=f"Prof. {family} {given}", name_native=f"{family_zh}{given_zh}教授",
            locale="zh_Hans_CN", timezone=EVENT_ZONE))
    guests = []
    for i in range(SYMPOSIUM_GUESTS):
        family, family_zh = own.choice(facts.FAMILY_NAMES)
        given, given_zh = own.choice(facts.GIVEN_NAMES)
        guest = _account(ctx, email=f"guest{i + 1:02d}@example.org", role=Role.APPLICANT,
                         name=f"{given} {family}", name_native=f"{family_zh}{given_zh}",
                         locale="zh_Hans_CN", timezone=EVENT_ZONE)
        ctx.session.add(ApplicantProfile(
            user=guest, name_latin=guest.name, name_chinese=guest.name_native or "",
            nationality="CN", country_of_residence="CN",
            institution=own.choice(["Fudan University", "Shanghai Jiao Tong University",
                                    "Tongji University", "SAIC Motor", "Shanghai Electric",
                                    "East China Normal University"]),
            position=own.choice(["Professor", "Chief Engineer", "Founder & CEO", "Director"]),
            highest_degree=own.choice(facts.DEGREES), bio=""))
        guests.append(guest)
    return dict(judges=judges, recruiters=recruiters, applicants=applicants, shanghai=shanghai,
                xiao_judges=xiao_judges, guests=guests)


def load(ctx: DemoContext) -> None:
    xuzhou, xiao, alliance = ctx.data["xuzhou"], ctx.data["xiao"], ctx.data["alliance"]
    districts, xiao_districts = ctx.data["districts"], ctx.data["xiao_districts"]
    organizer, organizer_xiao = ctx.data["organizer"], ctx.data["organizer_xiao"]
    this_year = _roadshow(ctx, xuzhou, districts, facts.EVENT)
    year = timeline.roadshow_days(ctx.now - LAST_YEAR, EVENT_ZONE)[0].year
    last_year = _roadshow(ctx, xuzhou, districts, {
        **facts.EVENT, "slug": facts.LAST_YEAR["slug"],
        "title_zh": _titled(facts.LAST_YEAR["title_zh"], year),
        "title_en": _titled(facts.LAST_YEAR["title_en"], year)}, shift=LAST_YEAR)
    symposium = _symposium(ctx, xuzhou)
    xiao_roadshow = _planned(ctx, xiao, xiao_districts, facts.XIAO_ROADSHOW, (-50, -10, 20, 23, 53))
    joint_districts = [d for d in districts if d.code in ("gulou", "yunlong", "xzedz")] + xiao_districts
    joint = _planned(ctx, xuzhou, joint_districts, {**facts.JOINT_EVENT, "alliance": alliance},
                     (-7, 40, 70, 73, 103))
    # when each was set up (this year's roadshow last: until every page names its event, the
    # newest published event is the one a page without an event is about)
    for event, days in ((last_year, 440), (xiao_roadshow, 60), (symposium, 20), (joint, 10),
                        (this_year, 0)):
        event.created_at = ctx.now - timedelta(days=days)
    ctx.progress(TITLE, 1, 5)

    people = _people(ctx, districts, xiao_districts)
    judges, recruiters, applicants = people["judges"], people["recruiters"], people["applicants"]
    xuzhou_recruiters, xiao_recruiters = recruiters[:len(districts)], recruiters[len(districts):]
    xiao_judges = people["xiao_judges"]
    ctx.session.flush()
    of_district = {r.id: d for r, d in zip(recruiters, districts + xiao_districts, strict=True)}

    for judge in judges:
        grant(ctx, this_year, judge, "judge")
    for judge in judges[:9]:
        grant(ctx, last_year, judge, "judge")
    for recruiter in xuzhou_recruiters:
        grant(ctx, this_year, recruiter, "recruiter", of_district[recruiter.id])
        grant(ctx, last_year, recruiter, "recruiter", of_district[recruiter.id])
    grant(ctx, symposium, people["shanghai"], "organizer")
    for judge in xiao_judges:
        grant(ctx, xiao_roadshow, judge, "judge")
    for recruiter in xiao_recruiters:
        grant(ctx, xiao_roadshow, recruiter, "recruiter", of_district[recruiter.id])
    joint_recruiters = [r for r in recruiters if of_district[r.id] in joint_districts]
    for judge in (judges[0], judges[1], xiao_judges[0], xiao_judges[1]):
        grant(ctx, joint, judge, "judge")
    for recruiter in joint_recruiters:
        grant(ctx, joint, recruiter, "recruiter", of_district[recruiter.id])
    ctx.session.add_all([
        AllianceShare(alliance=alliance, organisation=xuzhou, kind=ShareKind.JOINT_EVENT,
                      event=joint, created_by=organizer),
        AllianceShare(alliance=alliance, organisation=xuzhou, kind=ShareKind.EVENT_REPORT,
                      event=last_year, created_by=organizer),
    ])
    ctx.progress(TITLE, 5, 5)
    ctx.session.flush()

    # last year's applicants: the printed applicant (not selected then) and 149 others, many of
    # whom try again this year
    returning = [applicants[0], *applicants[35:]]
    ctx.data["events"] = [
        DemoEvent(this_year, ROADSHOW, ALL_STAGES, dict(
            organizer=organizer, districts=districts, judges=judges,
            recruiters=xuzhou_recruiters, applicants=applicants, submitted=180, drafts=2,
            withdrawn=2, finalist_count=32, signed=6, printed=applicants[0]), rng=ctx.rng),
        DemoEvent(last_year, FINISHED, ALL_STAGES, dict(
            organizer=organizer, districts=districts, judges=judges[:9],
            recruiters=xuzhou_recruiters, applicants=returning, submitted=150, drafts=0,
            withdrawn=0, finalist_count=30, signed=14, not_selected=[applicants[0]]),
            shift=LAST_YEAR, rng=random.Random(SEED + 2025)),
        DemoEvent(xiao_roadshow, REVIEW, ALL_STAGES, dict(
            organizer=organizer_xiao, districts=xiao_districts, judges=xiao_judges,
            recruiters=xiao_recruiters, applicants=applicants[100:136], submitted=36, drafts=0,
            withdrawn=0, finalist_count=10), rng=random.Random(SEED + 3)),
        DemoEvent(joint, CALL, ALL_STAGES, dict(
            organizer=organizer, districts=joint_districts,
            judges=[judges[0], judges[1], *xiao_judges[:2]], recruiters=joint_recruiters,
            applicants=applicants[150:162], submitted=10, drafts=2, withdrawn=0),
            rng=random.Random(SEED + 4)),
        DemoEvent(symposium, CALL, frozenset({"call", "schedule", "live"}), dict(
            organizer=people["shanghai"], districts=[], judges=[], recruiters=[],
            applicants=people["guests"], submitted=12, drafts=2, withdrawn=0),
            rng=random.Random(SEED + 5)),
    ]
    for demo_event in ctx.data["events"]:
        demo_event.data["recruiter_districts"] = {
            r.id: of_district[r.id] for r in demo_event.data["recruiters"]}
    # this year's objects, under the names the steps used when the demo had one event
    ctx.data.update(event=this_year, judges=judges, recruiters=xuzhou_recruiters,
                    applicants=applicants, xiao_judges=xiao_judges, shanghai=people["shanghai"],
                    last_year=last_year, symposium=symposium, xiao_roadshow=xiao_roadshow,
                    joint=joint)
