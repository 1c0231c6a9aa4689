"""Who sees what of an office's talent pool: nothing across offices, station officers only of
their own office while their appointment runs, phone and e-mail only for organizers and the
officers of the person's own station, station management only for organizers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.talent.models import Person, Source, StationMember, StationRole
from tests.many_events_fixtures import build_organisation, org_url
from tests.talent.records import add_person, appoint, build_station

pytestmark = pytest.mark.no_default_organisation

PHONE_A, PHONE_B = "+86 21 5555 0101", "+86 22 5555 0202"


@pytest.fixture
def world(app, make_user):
    organizer_a = make_user(Role.ORGANIZER, email="a@example.org")
    organizer_b = make_user(Role.ORGANIZER, email="b@example.org")
    office_a = build_organisation(db.session, "office-a", organizers=(organizer_a,))
    office_b = build_organisation(db.session, "office-b", organizers=(organizer_b,))
    shanghai = build_station(office_a, "shanghai")
    tianjin = build_station(office_a, "tianjin")
    officer = make_user(Role.APPLICANT, email="officer@example.org")
    appoint(shanghai, officer)
    return {
        "organizer_a": organizer_a, "organizer_b": organizer_b, "office_a": office_a,
        "office_b": office_b, "shanghai": shanghai, "tianjin": tianjin, "officer": officer,
        "in_shanghai": add_person(office_a, shanghai, name_zh="沪上人", phone=PHONE_A,
                                  email="hu@example.org"),
        "in_tianjin": add_person(office_a, tianjin, name_zh="津门人", phone=PHONE_B),
        "of_b": add_person(office_b, name_zh="乙方人", phone="+86 10 1234 5678"),
    }


def test_an_organizer_of_one_office_sees_nothing_of_another(world, login_as):
    client, _ = login_as(world["organizer_a"])
    office_b, person_b = world["office_b"], world["of_b"]
    assert client.get(org_url(office_b, "/talent/")).status_code == 403
    assert client.get(org_url(office_b, f"/talent/people/{person_b.id}")).status_code == 403
    assert client.get(org_url(office_b, "/talent/stations")).status_code == 403
    # B's person under A's address is no person of A's
    office_a = world["office_a"]
    assert client.get(org_url(office_a, f"/talent/people/{person_b.id}")).status_code == 404
    assert client.post(org_url(office_a, f"/talent/people/{person_b.id}/contacts"), data={
        "kind": "call", "day": "2026-11-02", "at": "10:00", "summary": "x"}).status_code == 404
    overview = client.get(org_url(office_a, "/talent/")).text
    assert "乙方人" not in overview


def test_a_station_officer_sees_contact_details_of_their_own_stations_people_only(world,
                                                                                   login_as):
    client, _ = login_as(world["officer"])
    office = world["office_a"]
    own = client.get(org_url(office, f"/talent/people/{world['in_shanghai'].id}"))
    assert own.status_code == 200
    assert PHONE_A in own.text
    assert "hu@example.org" in own.text
    other = client.get(org_url(office, f"/talent/people/{world['in_tianjin'].id}"))
    assert other.status_code == 200
    assert "津门人" in other.text
    assert PHONE_B not in other.text
    # and edits only their own station's records
    assert client.get(org_url(office, f"/talent/people/{world['in_tianjin'].id}/edit")
                      ).status_code == 403
    assert client.get(org_url(office, f"/talent/people/{world['in_shanghai'].id}/edit")
                      ).status_code == 200
    # nothing of the other office
    assert client.get(org_url(world["office_b"], "/talent/")).status_code == 403


def test_the_organizer_sees_every_phone(world, login_as):
    client, _ = login_as(world["organizer_a"])
    for key, phone in (("in_shanghai", PHONE_A), ("in_tianjin", PHONE_B)):
        page = client.get(org_url(world["office_a"], f"/talent/people/{world[key].id}"))
        assert phone in page.text


def test_a_station_officer_adds_people_to_their_station_but_manages_no_station(world,
                                                                              login_as):
    client, _ = login_as(world["officer"])
    office, shanghai = world["office_a"], world["shanghai"]
    response = client.post(org_url(office, "/talent/people/new"),
                           data={"name_en": "Li Lei", "category": "student"})
    assert response.status_code == 302
    added = db.session.scalars(select(Person).where(Person.name_en == "Li Lei")).one()
    assert (added.station_id, added.source) == (shanghai.id, Source.STATION)
    assert client.post(org_url(office, "/talent/stations"), data={
        "slug": "beijing", "name_zh": "北京站", "name_en": "Beijing", "country": "CN",
        "opened_on": "2026-05-01"}).status_code == 403
    assert client.post(org_url(office, f"/talent/stations/{shanghai.slug}/members"), data={
        "email": "a@example.org", "role": "head", "appointed_on": "2026-05-01"}
    ).status_code == 403
    page = client.get(org_url(office, f"/talent/stations/{shanghai.slug}"))
    assert page.status_code == 200
    assert "Appoint a member" not in page.text


def test_organizers_appoint_and_end_members_and_an_ended_appointment_opens_nothing(
        world, login_as, make_user):
    client, _ = login_as(world["organizer_a"])
    office, tianjin = world["office_a"], world["tianjin"]
    newcomer = make_user(Role.APPLICANT, email="new@example.org")
    newcomer_client, _ = login_as(newcomer)
    assert newcomer_client.get(org_url(office, "/talent/")).status_code == 403
    response = client.post(org_url(office, f"/talent/stations/{tianjin.slug}/members"), data={
        "email": "new@example.org", "role": "deputy", "appointed_on": "2026-06-01"})
    assert response.status_code == 302
    member = db.session.scalars(select(StationMember).where(
        StationMember.user_id == newcomer.id)).one()
    assert (member.role, member.appointed_on) == (StationRole.DEPUTY, date(2026, 6, 1))
    assert newcomer_client.get(org_url(office, "/talent/")).status_code == 200
    page = client.get(org_url(office, f"/talent/stations/{tianjin.slug}"))
    assert newcomer.display_name in page.text
    assert "Deputy head" in page.text
    today = utcnow().date()
    client.post(org_url(office, f"/talent/stations/{tianjin.slug}/members/{member.id}/end"),
                data={"ended_on": (today - timedelta(days=1)).isoformat()})
    db.session.refresh(member)
    assert member.ended_on == today - timedelta(days=1)
    assert newcomer_client.get(org_url(office, "/talent/")).status_code == 403


def test_organizers_open_a_station(world, login_as):
    client, _ = login_as(world["organizer_a"])
    office = world["office_a"]
    response = client.post(org_url(office, "/talent/stations"), data={
        "slug": "london", "name_zh": "伦敦联络站", "name_en": "London station",
        "city_zh": "伦敦", "city_en": "London", "country": "GB", "opened_on": "2026-05-01"})
    assert response.headers["Location"].endswith("/o/office-a/talent/stations/london")
    again = client.post(org_url(office, "/talent/stations"), data={
        "slug": "london", "name_zh": "伦敦", "name_en": "London", "country": "GB",
        "opened_on": "2026-05-01"})
    assert "already" in again.text


def test_the_pages_link_each_other(world, login_as):
    client, _ = login_as(world["officer"])
    office = world["office_a"]
    home = client.get(org_url(office, "/talent/")).text
    for path in ("/talent/callbacks", "/talent/stations", "/talent/people/new",
                 "/talent/join", f"/talent/stations/{world['shanghai'].slug}"):
        assert f'href="/o/office-a{path}"' in home, path
    dashboard = client.get("/dashboard").text
    assert 'href="/o/office-a/talent/"' in dashboard
    assert 'href="/talent/mine"' in dashboard

