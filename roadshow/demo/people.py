"""Demo step 1: districts, the event with its phases and tracks, and the people."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from werkzeug.security import generate_password_hash

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import ApplicantProfile
from roadshow.db import utcnow
from roadshow.demo import facts, timeline
from roadshow.demo.context import DEMO_PASSWORD, DemoContext
from roadshow.districts.models import District
from roadshow.events.models import Event, EventPhase, PhaseKind, Track

TITLE = "Districts, event and people"
APPLICANT_COUNT = 184
JUDGE_COUNT = 12
EVENT_ZONE = timeline.EVENT_ZONE
#: the applicant whose login the demo prints: an English-speaking finalist abroad, whose pitch
#: is in a session still to come (see the review and scheduling steps)
PRINTED_APPLICANT = {
    "email": "applicant@example.org", "name": "Daniel Chen", "name_native": "陈丹宁",
    "country": "US", "nationality": "US", "timezone": "America/Los_Angeles",
    "institution": "Stanford University", "position": "Associate Professor",
    "highest_degree": "phd",
}


def _at(ctx: DemoContext, day_offset: int, hour: int = 0) -> datetime:
    """A moment in the event's zone, ``day_offset`` days from today; stored as UTC."""
    local = datetime.combine(ctx.today + timedelta(days=day_offset), time(hour), ZoneInfo(EVENT_ZONE))
    return local.astimezone(ZoneInfo("UTC"))


def _districts(ctx: DemoContext) -> list[District]:
    districts = []
    for code, name_zh, name_en, kind, ind_zh, ind_en, offer_zh, offer_en in facts.DISTRICTS:
        district = District(
            code=code, name_zh=name_zh, name_en=name_en, kind=kind,
            industries_zh=ind_zh, industries_en=ind_en,
            offer_zh=offer_zh or facts.CITY_OFFER_ZH, offer_en=offer_en or facts.CITY_OFFER_EN,
        )
        districts.append(district)
    ctx.session.add_all(districts)
    return districts


def _event(ctx: DemoContext, districts: list[District]) -> Event:
    event = Event(timezone=EVENT_ZONE, online=True, **facts.EVENT)
    event.districts = list(districts)
    # The event is in its roadshow: the call and the review are over, the first session is
    # live now and the others follow (see timeline); signing stays open for a month after.
    first_day, last_day = timeline.roadshow_days(ctx.now, EVENT_ZONE)
    first, after = (first_day - ctx.today).days, (last_day - ctx.today).days + 1
    event.phases = [
        EventPhase(kind=PhaseKind.CALL, starts_at=_at(ctx, -75), ends_at=_at(ctx, -30)),
        EventPhase(kind=PhaseKind.REVIEW, starts_at=_at(ctx, -30), ends_at=_at(ctx, -3)),
        EventPhase(kind=PhaseKind.ROADSHOW, starts_at=_at(ctx, first), ends_at=_at(ctx, after)),
        EventPhase(kind=PhaseKind.SIGNING, starts_at=_at(ctx, after), ends_at=_at(ctx, after + 30)),
    ]
    event.tracks = [
        Track(code=code, name_zh=name_zh, name_en=name_en, position=i)
        for i, (code, name_zh, name_en) in enumerate(facts.TRACKS)
    ]
    ctx.session.add(event)
    return event


def _user(ctx: DemoContext, password_hash: str, **fields: object) -> User:
    user = User(password_hash=password_hash, email_verified_at=utcnow(), **fields)
    ctx.session.add(user)
    return user


def load(ctx: DemoContext) -> None:
    rng = ctx.rng
    password_hash = generate_password_hash(DEMO_PASSWORD)
    districts = _districts(ctx)
    event = _event(ctx, districts)
    ctx.progress(TITLE, 1, 4)

    organizer = _user(ctx, password_hash, email="organizer@example.org", role=Role.ORGANIZER,
                      name="Xu Talent Office", name_native="徐州市人才办", locale="zh_Hans_CN",
                      timezone=EVENT_ZONE)
    ctx.login("organizer", organizer.email)

    judges = []
    for i in range(JUDGE_COUNT):
        family, family_zh = facts.FAMILY_NAMES[(i * 7) % len(facts.FAMILY_NAMES)]
        given, given_zh = facts.GIVEN_NAMES[(i * 3 + 1) % len(facts.GIVEN_NAMES)]
        judges.append(_user(
            ctx, password_hash, email=f"judge{i + 1:02d}@example.org", role=Role.JUDGE,
            name=f"Prof. {family} {given}", name_native=f"{family_zh}{given_zh}教授",
            locale="zh_Hans_CN" if i % 4 else "en", timezone=EVENT_ZONE,
        ))
    ctx.login("judge", judges[0].email)
    ctx.progress(TITLE, 2, 4)

    recruiters = []
    for i, district in enumerate(districts):
        family, family_zh = facts.FAMILY_NAMES[(i * 5 + 2) % len(facts.FAMILY_NAMES)]
        given, given_zh = facts.GIVEN_NAMES[(i * 11 + 4) % len(facts.GIVEN_NAMES)]
        recruiters.append(_user(
            ctx, password_hash, email=f"recruiter-{district.code}@example.org",
            role=Role.RECRUITER, name=f"{family} {given}", name_native=f"{family_zh}{given_zh}",
            locale="zh_Hans_CN", timezone=EVENT_ZONE, district=district,
        ))
    ctx.login("recruiter", recruiters[0].email)
    ctx.progress(TITLE, 3, 4)

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
        user = _user(ctx, password_hash, email=email, role=Role.APPLICANT, name=name,
                     name_native=native, locale=locale, timezone=zone)
        profile = ApplicantProfile(
            user=user, name_latin=name, name_chinese=native or "", nationality=nationality,
            country_of_residence=country, institution=institution, position=position,
            highest_degree=degree, bio="",
        )
        ctx.session.add(profile)
        applicants.append(user)
    ctx.login("applicant", applicants[0].email)
    ctx.progress(TITLE, 4, 4)
    ctx.session.flush()
    ctx.data.update(event=event, districts=districts, organizer=organizer, judges=judges,
                    recruiters=recruiters, applicants=applicants)
