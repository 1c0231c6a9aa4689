"""The contact work on a record: contacts logged in the officer's zone and kept in UTC, call-backs
due per officer, the history of every edit, confirming a record current, stale records, and a
station's figures per year."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.talent.models import Change, Contact, ContactKind, Person
from roadshow.talent.services import people, stations
from tests.many_events_fixtures import build_organisation, org_url
from tests.talent.records import add_person, appoint, build_station

pytestmark = pytest.mark.no_default_organisation


@pytest.fixture
def office(app, make_user):
    berlin = make_user(Role.ORGANIZER, email="berlin@example.org", timezone="Europe/Berlin")
    organisation = build_organisation(db.session, "ningbo", organizers=(berlin,))
    return organisation, berlin


def test_a_contact_is_typed_in_the_officers_zone_and_stored_in_utc(office, login_as):
    organisation, berlin = office
    person = add_person(organisation, name_zh="王小明")
    client, _ = login_as(berlin)
    # 29 March 2026: Berlin moves to summer time (UTC+2) at 02:00
    response = client.post(org_url(organisation, f"/talent/people/{person.id}/contacts"), data={
        "kind": "call", "day": "2026-03-29", "at": "09:30", "summary": "Talked about the park",
        "next_step": "Send the brochure", "next_due_on": "2026-04-05"})
    assert response.status_code == 302
    contact = db.session.scalars(select(Contact)).one()
    assert contact.happened_at == datetime(2026, 3, 29, 7, 30, tzinfo=UTC)
    assert (contact.kind, contact.officer_id, contact.next_due_on) == (
        ContactKind.CALL, berlin.id, date(2026, 4, 5))
    page = client.get(org_url(organisation, f"/talent/people/{person.id}")).text
    assert "Europe/Berlin" in page
    assert "9:30" in page
    # the hour the clocks skip does not exist
    skipped = client.post(org_url(organisation, f"/talent/people/{person.id}/contacts"), data={
        "kind": "call", "day": "2026-03-29", "at": "02:30", "summary": "Never happened"})
    assert skipped.status_code == 200
    assert "does not exist in your time zone" in skipped.text
    assert "Never happened" in skipped.text  # what was typed is kept
    assert len(db.session.scalars(select(Contact)).all()) == 1


def test_call_backs_are_listed_per_officer_and_close_with_the_next_contact(office, login_as,
                                                                         make_user):
    organisation, berlin = office
    other = make_user(Role.APPLICANT, email="other@example.org")
    appoint(build_station(organisation), other)
    person = add_person(organisation, name_zh="王小明")
    due = (utcnow() - timedelta(days=1)).date()
    db.session.add(Contact(person_id=person.id, officer_id=berlin.id, kind=ContactKind.VISIT,
                           happened_at=utcnow() - timedelta(days=10), summary="Visited",
                           next_step="Call about the visa", next_due_on=due))
    db.session.commit()
    client, _ = login_as(berlin)
    assert "Call about the visa" in client.get(org_url(organisation, "/talent/callbacks")).text
    assert "Call about the visa" in client.get(org_url(organisation, "/talent/")).text
    other_client, _ = login_as(other)
    assert "Call about the visa" not in other_client.get(
        org_url(organisation, "/talent/callbacks")).text
    today = utcnow().astimezone().date()
    client.post(org_url(organisation, f"/talent/people/{person.id}/contacts"), data={
        "kind": "call", "day": (today - timedelta(days=1)).isoformat(), "at": "10:00",
        "summary": "Called about the visa"})
    assert "Call about the visa" not in client.get(
        org_url(organisation, "/talent/callbacks")).text


def test_every_edit_is_kept_in_the_history(office, login_as):
    organisation, berlin = office
    person = add_person(organisation, name_zh="王小明", employer="Siemens",
                        native_code="330212")
    client, _ = login_as(berlin)
    form = {"name_zh": "王小明", "category": "business", "employer": "BMW",
            "native_province": "330000", "native_city": "330200", "native_county": "330203"}
    assert client.get(org_url(organisation, f"/talent/people/{person.id}/edit")).status_code == 200
    response = client.post(org_url(organisation, f"/talent/people/{person.id}/edit"),
                           data=form)
    assert response.status_code == 302
    changes = {c.field: (c.old_value, c.new_value, c.changed_by_id, c.reason)
               for c in db.session.scalars(select(Change))}
    assert changes == {"employer": ("Siemens", "BMW", berlin.id, "edit"),
                       "native_code": ("330212", "330203", berlin.id, "edit")}
    page = client.get(org_url(organisation, f"/talent/people/{person.id}")).text
    assert "Siemens" in page
    assert "BMW" in page


def test_confirming_a_record_takes_it_off_the_stale_list(office, login_as):
    organisation, berlin = office
    person = add_person(organisation, name_zh="王小明")
    person.confirmed_at = utcnow() - timedelta(days=400)
    db.session.commit()
    client, _ = login_as(berlin)
    assert people.overview(db.session, organisation).stale == [person]
    assert "last confirmed" in client.get(org_url(organisation, "/talent/")).text
    client.post(org_url(organisation, f"/talent/people/{person.id}/confirm"))
    assert people.overview(db.session, organisation).stale == []


def test_a_stations_figures_count_its_people_contacts_and_returnees_per_year(office):
    organisation, berlin = office
    station = build_station(organisation)
    first = add_person(organisation, station, name_zh="甲")
    second = add_person(organisation, station, name_zh="乙", category="returnee")
    withdrawn = add_person(organisation, station, name_zh="丙")
    add_person(organisation, name_zh="丁")  # of no station
    first.created_at = datetime(2025, 6, 1, tzinfo=UTC)
    withdrawn.withdrawn_at = utcnow()
    db.session.add(Contact(person_id=first.id, officer_id=berlin.id, kind=ContactKind.CALL,
                           happened_at=datetime(2025, 7, 1, tzinfo=UTC), summary="x"))
    db.session.add(Contact(person_id=withdrawn.id, officer_id=berlin.id, kind=ContactKind.CALL,
                           happened_at=datetime(2025, 7, 1, tzinfo=UTC), summary="x"))
    db.session.commit()
    people.update_person(db.session, berlin, first,
                         people.PersonData(**{**vars(people.data_of(first)),
                                              "category": "returnee"}))
    db.session.commit()
    year = utcnow().year
    by_year = {row.year: row for row in stations.figures(db.session, station)}
    assert (by_year[2025].people_added, by_year[2025].contacts, by_year[2025].came_home) == (
        1, 1, 0)
    assert (by_year[year].people_added, by_year[year].came_home) == (1, 2)
    assert db.session.get(Person, second.id).category.value == "returnee"
