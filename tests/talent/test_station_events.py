"""A liaison station's events: organizers link the office's events to a station and unlink them;
everyone who sees the station sees its events with their dates in the reader's zone, and per
event how many of the station's people were invited and how many registered."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.talent.models import Invitation, station_events
from tests.many_events_fixtures import build_event, build_organisation, org_url
from tests.talent.records import add_person, appoint, build_station

pytestmark = pytest.mark.no_default_organisation


@pytest.fixture
def world(app, make_user):
    organizer = make_user(Role.ORGANIZER, email="a@example.org", timezone="Europe/Berlin")
    office = build_organisation(db.session, "office-a", organizers=(organizer,))
    other = build_organisation(db.session, "office-b")
    shanghai = build_station(office, "shanghai")
    tianjin = build_station(office, "tianjin")
    officer = make_user(Role.APPLICANT, email="officer@example.org")
    appoint(shanghai, officer)
    symposium = build_event(db.session, office, "symposium", slug="shanghai-symposium",
                            title_en="Symposium in Shanghai", title_zh="上海座谈会")
    return {"organizer": organizer, "office": office, "other": other, "shanghai": shanghai,
            "tianjin": tianjin, "officer": officer, "symposium": symposium,
            "their_event": build_event(db.session, other, slug="their-event")}


def _station_page(client, office, slug="shanghai"):
    return client.get(org_url(office, f"/talent/stations/{slug}"))


def _linked(station) -> set[int]:
    return set(db.session.scalars(select(station_events.c.event_id).where(
        station_events.c.station_id == station.id)))


def test_organizer_links_and_unlinks_an_event_and_the_officer_may_not(world, login_as):
    office, shanghai, symposium = world["office"], world["shanghai"], world["symposium"]
    client, _ = login_as(world["organizer"])
    page = _station_page(client, office)
    assert f'<option value="{symposium.id}">Symposium in Shanghai</option>' in page.text
    # another office's event is no choice, and posting it links nothing
    assert "their-event" not in page.text
    refused = client.post(org_url(office, "/talent/stations/shanghai/events"),
                          data={"event_id": world["their_event"].id})
    assert refused.status_code == 302
    assert _linked(shanghai) == set()
    linked = client.post(org_url(office, "/talent/stations/shanghai/events"),
                         data={"event_id": symposium.id})
    assert linked.headers["Location"].endswith("/talent/stations/shanghai#events-heading")
    assert _linked(shanghai) == {symposium.id}
    # the page lists it (the link leads to its page) in the organizer's zone
    page = _station_page(client, office)
    assert 'href="/e/shanghai-symposium"' in page.text
    assert "Europe/Berlin" in page.text
    assert _linked(world["tianjin"]) == set()

    # a station officer sees the events but links and unlinks nothing
    officer_client, _ = login_as(world["officer"])
    seen = _station_page(officer_client, office)
    assert 'href="/e/shanghai-symposium"' in seen.text
    assert "talent/stations/shanghai/events" not in seen.text
    # ... and is led to invite their station's people, not another station's
    assert f'/talent/invitations/new?station={shanghai.id}"' in seen.text
    assert "/talent/invitations/new" not in _station_page(officer_client, office, "tianjin").text
    assert officer_client.post(org_url(office, f"/talent/stations/shanghai/events/"
                                               f"{symposium.id}/unlink")).status_code == 403
    assert officer_client.post(org_url(office, "/talent/stations/shanghai/events"),
                               data={"event_id": symposium.id}).status_code == 403
    assert _linked(shanghai) == {symposium.id}

    client.post(org_url(office, f"/talent/stations/shanghai/events/{symposium.id}/unlink"))
    assert _linked(shanghai) == set()
    # another office's organizer cannot reach the station
    assert login_as(Role.ORGANIZER)[0].post(
        org_url(office, "/talent/stations/shanghai/events"),
        data={"event_id": symposium.id}).status_code in (403, 404)


def test_figures_count_the_stations_people_invited_and_registered(world, login_as, make_user):
    office, shanghai, symposium = world["office"], world["shanghai"], world["symposium"]
    db.session.execute(station_events.insert().values(station_id=shanghai.id,
                                                      event_id=symposium.id, created_at=utcnow()))
    registered = make_user(Role.APPLICANT)
    drafted = make_user(Role.APPLICANT)
    people = [add_person(office, shanghai, name_zh=f"沪{i}", email=f"p{i}@example.org")
              for i in range(4)]
    people[0].user_id = registered.id
    people[1].user_id = drafted.id
    withdrawn = add_person(office, shanghai, name_zh="撤回", email="w@example.org")
    withdrawn.withdrawn_at = utcnow()
    elsewhere = add_person(office, world["tianjin"], name_zh="津", email="t@example.org")
    for person in (people[0], people[2], withdrawn, elsewhere):   # invited: counts 2
        db.session.add(Invitation(person_id=person.id, event_id=symposium.id, sent_at=utcnow()))
    db.session.add_all([
        Application(event_id=symposium.id, applicant_id=registered.id,
                    status=ApplicationStatus.SUBMITTED, submitted_at=utcnow()),
        Application(event_id=symposium.id, applicant_id=drafted.id,
                    status=ApplicationStatus.DRAFT)])
    db.session.commit()
    client, _ = login_as(world["officer"])
    page = _station_page(client, office).text
    row = re.search(r'<tr data-event="shanghai-symposium">.*?</tr>', page, re.S).group(0)
    assert 'data-count="invited">2<' in row
    assert 'data-count="registered">1<' in row
    assert "Symposium" in row
