"""Offices, stations, station officers and people of the talent pool for tests (T1's pages)."""

from __future__ import annotations

from datetime import date
from typing import Any

from roadshow.accounts.models import User
from roadshow.extensions import db
from roadshow.talent.models import Person, Source, Station, StationMember, StationRole
from roadshow.talent.services import consent, people


def build_station(organisation: Any, slug: str = "shanghai", **fields: Any) -> Station:
    station = Station(organisation_id=organisation.id, slug=slug,
                      name_zh=fields.pop("name_zh", f"{slug}联络站"),
                      name_en=fields.pop("name_en", f"{slug.title()} station"),
                      city_zh=fields.pop("city_zh", slug), city_en=fields.pop("city_en", slug),
                      country=fields.pop("country", "CN"),
                      opened_on=fields.pop("opened_on", date(2026, 1, 10)))
    db.session.add(station)
    db.session.commit()
    return station


def appoint(station: Station, user: User, role: StationRole = StationRole.OFFICER,
            appointed_on: date = date(2026, 1, 10), ended_on: date | None = None) -> StationMember:
    member = StationMember(station_id=station.id, user_id=user.id, role=role,
                           appointed_on=appointed_on, ended_on=ended_on)
    db.session.add(member)
    db.session.commit()
    return member


def add_person(organisation: Any, station: Station | None = None, *, consented: bool = True,
               source: Source = Source.VISIT, **fields: Any) -> Person:
    data = people.PersonData(**{"category": "business", **fields})
    person = people.create_person(db.session, None, organisation, data, source, station)
    if consented:
        consent.give(db.session, person, organisation, "officer_recorded")
    db.session.commit()
    return person
