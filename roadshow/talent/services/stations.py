"""Liaison stations: an office's stations, their members (head, deputies, officers with
accounts and appointment dates), and their figures per year.

An appointment that has not ended (``ended_on`` empty or after today) makes the member hold
``Role.STATION`` on the office's pages (``roadshow.organisations.grants``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, extract, func, select
from sqlalchemy.orm import Session, joinedload

from roadshow.accounts.services import find_user_by_email
from roadshow.organisations.services import SLUG_MAX, SLUG_PATTERN
from roadshow.talent.models import (
    Category,
    Change,
    Contact,
    Person,
    Station,
    StationMember,
    StationRole,
)
from roadshow.talent.services.people import in_pool


class StationError(ValueError):
    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.field = field


def stations_of(session: Session, organisation: Any) -> list[Station]:
    return list(session.scalars(select(Station).where(Station.organisation_id == organisation.id)
                                .order_by(Station.opened_on, Station.id)))


def find(session: Session, organisation: Any, slug: str) -> Station | None:
    return session.scalars(select(Station).where(Station.organisation_id == organisation.id,
                                                 Station.slug == slug)).first()


@dataclass
class StationData:
    slug: str
    name_zh: str
    name_en: str
    city_zh: str
    city_en: str
    country: str
    opened_on: date


def create_station(session: Session, actor: Any, organisation: Any,
                   data: StationData) -> Station:
    slug = data.slug.strip().lower()
    if len(slug) > SLUG_MAX or not SLUG_PATTERN.match(slug):
        raise StationError(_l("Use lower-case Latin letters, digits and hyphens."), "slug")
    if find(session, organisation, slug) is not None:
        raise StationError(_l("The office has a station with this short address already."),
                           "slug")
    if not data.name_zh.strip() or not data.name_en.strip():
        raise StationError(_l("Give the station's name in both languages."), "name_zh")
    station = Station(organisation_id=organisation.id, slug=slug, name_zh=data.name_zh.strip(),
                      name_en=data.name_en.strip(), city_zh=data.city_zh.strip(),
                      city_en=data.city_en.strip(), country=data.country.strip().upper() or "CN",
                      opened_on=data.opened_on)
    session.add(station)
    session.flush()
    return station


def current_members(session: Session, station: Station, today: date) -> list[StationMember]:
    return [member for member in members_of(session, station)
            if member.ended_on is None or member.ended_on > today]


def members_of(session: Session, station: Station) -> list[StationMember]:
    """Every appointment of the station, ended ones too, heads first."""
    order = {StationRole.HEAD: 0, StationRole.DEPUTY: 1, StationRole.OFFICER: 2}
    rows = session.scalars(select(StationMember).where(StationMember.station_id == station.id)
                           .options(joinedload(StationMember.user))).all()
    return sorted(rows, key=lambda m: (m.ended_on is not None, order[m.role], m.appointed_on,
                                       m.id))


def appoint(session: Session, actor: Any, station: Station, email: str, role: str,
            appointed_on: date) -> StationMember:
    """Appoint the account of ``email`` to ``station`` as ``role`` from ``appointed_on``."""
    user = find_user_by_email(session, email.strip())
    if user is None:
        raise StationError(_l("No account uses this address. The person needs an account "
                              "first."), "email")
    try:
        kind = StationRole(role)
    except ValueError:
        raise StationError(_l("Choose a role."), "role") from None
    for member in current_members(session, station, appointed_on):
        if member.user_id == user.id:
            raise StationError(_l("This person is already appointed to the station."), "email")
    member = StationMember(station_id=station.id, user_id=user.id, role=kind,
                           appointed_on=appointed_on)
    session.add(member)
    session.flush()
    return member


def end_appointment(session: Session, actor: Any, member: StationMember, ended_on: date) -> None:
    if member.ended_on is not None:
        raise StationError(_l("This appointment has ended already."))
    if ended_on < member.appointed_on:
        raise StationError(_l("An appointment cannot end before it began."))
    member.ended_on = ended_on
    session.flush()


@dataclass(frozen=True)
class YearFigures:
    year: int
    people_added: int
    contacts: int
    came_home: int


def figures(session: Session, station: Station) -> list[YearFigures]:
    """Per year, latest first: people of the station added to the pool, contacts logged with
    them, and those of them who came home (recorded as returnees, on joining or by a change of
    category). Withdrawn and erased people count in no figure."""
    pool = and_(Person.station_id == station.id, in_pool(station.organisation_id))
    added: dict[int, int] = defaultdict(int)
    contacts: dict[int, int] = defaultdict(int)
    home: dict[int, int] = defaultdict(int)
    year = extract("year", Person.created_at)
    for value, count in session.execute(select(year, func.count()).where(pool).group_by(year)):
        added[int(value)] += count
    year = extract("year", Contact.happened_at)
    for value, count in session.execute(
            select(year, func.count()).join(Person, Person.id == Contact.person_id)
            .where(pool).group_by(year)):
        contacts[int(value)] += count
    returned = Category.RETURNEE.value
    year = extract("year", Change.changed_at)
    for value, count in session.execute(
            select(year, func.count(func.distinct(Change.person_id)))
            .join(Person, Person.id == Change.person_id)
            .where(pool, Change.field == "category", Change.new_value == returned)
            .group_by(year)):
        home[int(value)] += count
    year = extract("year", Person.created_at)
    for value, count in session.execute(
            select(year, func.count()).where(pool, Person.category == Category.RETURNEE)
            .where(~Person.changes.any(and_(Change.field == "category",
                                            Change.new_value == returned)))
            .group_by(year)):
        home[int(value)] += count
    years = sorted(set(added) | set(contacts) | set(home), reverse=True)
    return [YearFigures(year=y, people_added=added[y], contacts=contacts[y], came_home=home[y])
            for y in years]
