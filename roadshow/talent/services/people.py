"""People in an office's pool: the one filter every list uses, creating and editing records
(every change kept in ``talent_changes``), confirming a record current, who sees contact
details, and a person's own records.

Services take the session, the objects and the acting user; they flush, the view commits.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from roadshow.accounts.roles import Role
from roadshow.countries import country_names
from roadshow.db import utcnow
from roadshow.organisations.models import Organisation, OrganisationMember, OrganisationRole
from roadshow.talent import divisions, names
from roadshow.talent.models import (
    Category,
    Change,
    ChangeReason,
    Degree,
    Person,
    Source,
    Station,
    StationMember,
)

#: a record not confirmed for this long is flagged for an update
STALE_AFTER = timedelta(days=365)


class PersonError(ValueError):
    """A record that cannot be saved as given; ``field`` names the form field to show it by."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.field = field


def active() -> ColumnElement[bool]:
    """THE filter of the pool: people who have neither withdrawn nor been erased. Every list,
    search, export, chart and count of the pool uses it."""
    return and_(Person.withdrawn_at.is_(None), Person.erased_at.is_(None))


def in_pool(organisation_id: int) -> ColumnElement[bool]:
    """The active people of one office."""
    return and_(Person.organisation_id == organisation_id, active())


@dataclass
class PersonData:
    """What a form gives for a record; every field a person's record page edits."""

    name_zh: str = ""
    name_en: str = ""
    gender: str = ""
    birth_year: int | None = None
    native_code: str = ""
    residence_country: str = ""
    residence_city: str = ""
    employer: str = ""
    position: str = ""
    title: str = ""
    degree: str = ""
    school: str = ""
    field: str = ""
    category: str = ""
    recommended_by: str = ""
    email: str = ""
    phone: str = ""
    languages: str = ""
    notes: str = ""


#: fields a person corrects on their own record (not the office's notes or category)
OWN_FIELDS = ("name_zh", "name_en", "gender", "birth_year", "native_code", "residence_country",
              "residence_city", "employer", "position", "title", "degree", "school", "field",
              "email", "phone", "languages")
#: fields only the office's organizers and the person's station see
CONTACT_FIELDS = ("email", "phone")


def data_of(person: Person) -> PersonData:
    values = {}
    for item in fields(PersonData):
        value = getattr(person, item.name)
        if hasattr(value, "value"):
            value = value.value
        values[item.name] = value if value is not None or item.name == "birth_year" else ""
    return PersonData(**values)


def _clean(data: PersonData, today: date) -> dict[str, Any]:
    """The columns of a record from ``data``, checked; raises :class:`PersonError`."""
    name_zh = data.name_zh.strip()
    name_en = " ".join(data.name_en.split())
    if not name_zh and not name_en:
        raise PersonError(_l("Give the name in Chinese characters, in Latin letters, or both."),
                          "name_zh")
    if data.birth_year is not None and not 1900 <= data.birth_year <= today.year:
        raise PersonError(_l("Give a year of birth between 1900 and this year."), "birth_year")
    native = data.native_code.strip() or None
    if native is not None and not divisions.is_native_place(native):
        raise PersonError(_l("Choose the native place down to the county (or a city without "
                             "counties)."), "native_code")
    country = data.residence_country.strip().upper()
    if country and country not in country_names("en"):
        raise PersonError(_l("Choose a country from the list."), "residence_country")
    try:
        category = Category(data.category)
    except ValueError:
        raise PersonError(_l("Choose a category."), "category") from None
    degree = None
    if data.degree:
        try:
            degree = Degree(data.degree)
        except ValueError:
            raise PersonError(_l("Choose a degree from the list."), "degree") from None
    email = data.email.strip().lower() or None
    if email is not None and ("@" not in email or len(email) > 254):
        raise PersonError(_l("Please enter an email address such as name@example.com."), "email")
    return {
        "name_zh": name_zh or None, "name_en": name_en or None,
        "name_pinyin": names.pinyin(name_zh), "gender": data.gender.strip() or None,
        "birth_year": data.birth_year, "native_code": native, "residence_country": country,
        "residence_city": data.residence_city.strip(), "employer": data.employer.strip(),
        "position": data.position.strip(), "title": data.title.strip(), "degree": degree,
        "school": data.school.strip(), "field": data.field.strip(), "category": category,
        "recommended_by": data.recommended_by.strip() or None, "email": email,
        "phone": data.phone.strip() or None, "languages": data.languages.strip(),
        "notes": data.notes.strip(),
    }


def create_person(session: Session, actor: Any, organisation: Any, data: PersonData,
                  source: Source, station: Station | None = None, *,
                  flush: bool = True) -> Person:
    """A new record in ``organisation``'s pool, confirmed current now. ``flush=False`` leaves
    the INSERT to the next flush (an import adds hundreds of records in one)."""
    now = utcnow()
    values = _clean(data, now.date())
    person = Person(organisation_id=organisation.id, source=source,
                    station_id=station.id if station is not None else None,
                    confirmed_at=now, created_at=now, updated_at=now, **values)
    session.add(person)
    if flush:
        session.flush()
    return person


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)


def update_person(session: Session, actor: Any, person: Person, data: PersonData,
                  only: tuple[str, ...] | None = None,
                  reason: ChangeReason = ChangeReason.EDIT) -> list[Change]:
    """Change ``person`` to ``data`` (only the fields in ``only``, if given); one
    ``talent_changes`` row per changed field keeps what it was. Returns the changes."""
    if only is not None:
        current = data_of(person)
        for name in only:
            setattr(current, name, getattr(data, name))
        data = current
    values = _clean(data, utcnow().date())
    now = utcnow()
    changes = []
    for column, new in values.items():
        old = getattr(person, column)
        if _text(old) == _text(new) or column == "name_pinyin":
            continue
        changes.append(Change(person_id=person.id, changed_by_id=getattr(actor, "id", None),
                              changed_at=now, field=column, old_value=_text(old),
                              new_value=_text(new), reason=reason.value))
        setattr(person, column, new)
    if changes:
        person.name_pinyin = values["name_pinyin"]
        person.updated_at = now
        session.add_all(changes)
        session.flush()
    return changes


def confirm_current(session: Session, actor: Any, person: Person) -> None:
    """The record was checked with the person and is current."""
    person.confirmed_at = utcnow()
    session.flush()


def find(session: Session, organisation: Any, person_id: int) -> Person | None:
    """An active person of ``organisation`` (None for another office's, a withdrawn or an
    erased one)."""
    return session.scalars(select(Person).where(Person.id == person_id,
                                                in_pool(organisation.id))).first()


def current_station_ids(session: Session, user: Any, organisation: Any,
                        today: date | None = None) -> set[int]:
    """The stations of ``organisation`` that ``user`` holds a current appointment to."""
    if user is None or getattr(user, "id", None) is None:
        return set()
    today = today or datetime.now(UTC).date()
    return set(session.scalars(
        select(StationMember.station_id).join(Station, Station.id == StationMember.station_id)
        .where(StationMember.user_id == user.id, Station.organisation_id == organisation.id,
               or_(StationMember.ended_on.is_(None), StationMember.ended_on > today))))


def sees_contact_details(roles: frozenset[Role], station_ids: set[int], person: Person) -> bool:
    """Phone and e-mail: the office's organizers, and the officers of the person's station."""
    return Role.ORGANIZER in roles or (person.station_id is not None
                                       and person.station_id in station_ids)


def may_edit(roles: frozenset[Role], station_ids: set[int], person: Person) -> bool:
    """Organizers edit every record; a station officer those of their station."""
    return sees_contact_details(roles, station_ids, person)


@dataclass(frozen=True)
class Overview:
    total: int
    by_category: dict[str, int]
    added_this_year: int
    stale: list[Person]
    stale_count: int


def overview(session: Session, organisation: Any, now: datetime | None = None,
             stale_shown: int = 20) -> Overview:
    """Counts of the office's pool and its records not confirmed for a year."""
    now = now or utcnow()
    pool = in_pool(organisation.id)
    by_category = {category.value if hasattr(category, "value") else str(category): count
                   for category, count in session.execute(
                       select(Person.category, func.count()).where(pool)
                       .group_by(Person.category))}
    start_of_year = datetime(now.year, 1, 1, tzinfo=UTC)
    added = session.scalar(select(func.count()).select_from(Person).where(
        pool, Person.created_at >= start_of_year)) or 0
    stale_condition = and_(pool, Person.confirmed_at < now - STALE_AFTER)
    stale_count = session.scalar(select(func.count()).select_from(Person)
                                 .where(stale_condition)) or 0
    stale = list(session.scalars(select(Person).where(stale_condition)
                                 .order_by(Person.confirmed_at, Person.id).limit(stale_shown)))
    return Overview(total=sum(by_category.values()), by_category=by_category,
                    added_this_year=added, stale=stale, stale_count=stale_count)


def is_stale(person: Person, now: datetime | None = None) -> bool:
    return person.confirmed_at < (now or utcnow()) - STALE_AFTER


def station_people(session: Session, station: Station) -> list[Person]:
    return list(session.scalars(select(Person).where(
        Person.station_id == station.id, in_pool(station.organisation_id))
        .order_by(Person.name_pinyin, Person.name_en, Person.id)))


def records_of(session: Session, user: Any) -> list[Person]:
    """The records that are ``user``'s own in every office's pool, withdrawn ones too (not the
    erased): linked to their account, or kept under their verified e-mail address."""
    mine = [Person.user_id == user.id]
    if user.email_verified_at is not None:
        mine.append(func.lower(Person.email) == user.email.lower())
    return list(session.scalars(select(Person).where(or_(*mine), Person.erased_at.is_(None))
                                .order_by(Person.created_at, Person.id)))


def talent_offices_of(session: Session, user: Any, today: date | None = None) -> list[Organisation]:
    """The offices ``user`` organises or holds a current station appointment in."""
    today = today or datetime.now(UTC).date()
    organised = select(OrganisationMember.organisation_id).where(
        OrganisationMember.user_id == user.id,
        OrganisationMember.role == OrganisationRole.ORGANIZER)
    stationed = (select(Station.organisation_id)
                 .join(StationMember, StationMember.station_id == Station.id)
                 .where(StationMember.user_id == user.id,
                        or_(StationMember.ended_on.is_(None), StationMember.ended_on > today)))
    return list(session.scalars(select(Organisation).where(
        or_(Organisation.id.in_(organised), Organisation.id.in_(stationed)))
        .order_by(Organisation.name_en)))
