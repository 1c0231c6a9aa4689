"""The world the browser tests start from: a schema made from the models, an event with its
call open, its districts and tracks, and the people the organizer would have invited.

The applicant is not here: the scenario registers them through the browser. Judges and the
recruiter are created directly (their invitation flow has its own tests in tests/accounts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine

PASSWORD = "Correct-horse-42"
EVENT_ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Person:
    key: str
    email: str
    name: str
    role: str
    locale: str
    timezone: str
    name_native: str | None = None
    district_code: str | None = None
    password: str = PASSWORD

    @property
    def browser_locale(self) -> str:
        return "zh-CN" if self.locale.startswith("zh") else "en-US"


#: everyone but the applicant, who registers in the browser
PEOPLE = {
    "organizer": Person("organizer", "organizer@talent.xz.example", "Zhou Min", "organizer",
                        "zh_Hans_CN", "Asia/Shanghai", name_native="周敏"),
    "judge1": Person("judge1", "judge.chen@cumt.example", "Chen Jing", "judge",
                     "zh_Hans_CN", "Asia/Shanghai", name_native="陈静"),
    "judge2": Person("judge2", "judge.jansen@tudelft.example", "Pieter Jansen", "judge",
                     "en", "Europe/Amsterdam"),
    "recruiter": Person("recruiter", "recruiter@pei.example", "Liu Lei", "recruiter",
                        "zh_Hans_CN", "Asia/Shanghai", name_native="刘磊", district_code="peixian"),
}

#: one person per role and language for the page tour (kept apart from the scenario's people)
TOUR = {
    (role, lang): Person(f"tour-{role}-{lang}", f"tour.{role}.{lang}@example.org",
                         f"Tour {role.title()} {lang.upper()}", role,
                         "zh_Hans_CN" if lang == "zh" else "en",
                         "Asia/Shanghai" if lang == "zh" else "America/Los_Angeles",
                         name_native="巡检" if lang == "zh" else None,
                         district_code="gulou" if role == "recruiter" else None)
    for role in ("organizer", "judge", "recruiter", "applicant") for lang in ("en", "zh")
}

#: the applicant of the scenario: from abroad, reading English, in Los Angeles
APPLICANT = Person("applicant", "maya.lindqvist@iot-lab.example", "Maya Lindqvist", "applicant",
                   "en", "America/Los_Angeles")


def _at(today: datetime, day_offset: int, hour: int = 0) -> datetime:
    zone = ZoneInfo(EVENT_ZONE)
    local = datetime.combine(today.date() + timedelta(days=day_offset), time(hour), zone)
    return local.astimezone(UTC)


def seed(database_url: str, instance_path: str) -> None:
    """Create the schema from the models and the starting data, in a throwaway app."""
    import roadshow
    from roadshow import create_app
    from roadshow.db import Base

    roadshow._import_models()
    engine = create_engine(database_url)
    Base.metadata.create_all(engine)
    engine.dispose()

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_PATH": instance_path,
        "SECRET_KEY": "seed",
        "SMTP_HOST": None,
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
    })
    with app.app_context():
        _load()
    from roadshow.extensions import db

    with app.app_context():
        db.engine.dispose()


def _load() -> None:
    from roadshow.accounts.roles import Role
    from roadshow.accounts.services import create_user
    from roadshow.demo import facts
    from roadshow.districts.models import District
    from roadshow.events.models import Event, EventPhase, PhaseKind, Track
    from roadshow.extensions import db
    from roadshow.organisations.models import (
        EventRole,
        EventRoleKind,
        Organisation,
        OrganisationKind,
        OrganisationMember,
        OrganisationRole,
    )

    session = db.session
    # the browser tests' office (the demo's Xuzhou office) runs their one event
    office = Organisation(**{**facts.XUZHOU, "kind": OrganisationKind(facts.XUZHOU["kind"])})
    session.add(office)
    districts = {}
    for code, name_zh, name_en, kind, ind_zh, ind_en, offer_zh, offer_en in facts.DISTRICTS:
        districts[code] = District(
            organisation=office, code=code, name_zh=name_zh, name_en=name_en, kind=kind,
            industries_zh=ind_zh, industries_en=ind_en,
            offer_zh=offer_zh or facts.CITY_OFFER_ZH, offer_en=offer_en or facts.CITY_OFFER_EN,
        )
    session.add_all(districts.values())

    now = datetime.now(ZoneInfo(EVENT_ZONE))
    event = Event(organisation=office, timezone=EVENT_ZONE, online=True, **facts.EVENT)
    event.districts = list(districts.values())
    # The call is open today; the review, the pitch days and the signing follow.
    event.phases = [
        EventPhase(kind=PhaseKind.CALL, starts_at=_at(now, -20), ends_at=_at(now, 10)),
        EventPhase(kind=PhaseKind.REVIEW, starts_at=_at(now, 10), ends_at=_at(now, 20)),
        EventPhase(kind=PhaseKind.ROADSHOW, starts_at=_at(now, 21), ends_at=_at(now, 23)),
        EventPhase(kind=PhaseKind.SIGNING, starts_at=_at(now, 23), ends_at=_at(now, 60)),
    ]
    event.tracks = [Track(code=code, name_zh=name_zh, name_en=name_en, position=i)
                    for i, (code, name_zh, name_en) in enumerate(facts.TRACKS)]
    session.add(event)
    session.flush()

    for person in [*PEOPLE.values(), *TOUR.values()]:
        district = districts[person.district_code] if person.district_code else None
        user = create_user(session, email=person.email, password=person.password,
                           role=Role(person.role), name=person.name,
                           name_native=person.name_native, locale=person.locale,
                           timezone=person.timezone, district_id=district.id if district else None,
                           verified=True)
        # organizers run the office; judges and recruiters hold their role in the event
        if person.role == "organizer":
            session.add(OrganisationMember(organisation=office, user=user,
                                           role=OrganisationRole.ORGANIZER))
        elif person.role in ("judge", "recruiter"):
            session.add(EventRole(event=event, user=user, role=EventRoleKind(person.role),
                                  district=district if person.role == "recruiter" else None))
    session.commit()
