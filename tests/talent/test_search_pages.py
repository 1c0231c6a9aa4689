"""The people list of an office's pool: search and filters in both languages, saved searches,
the access log; withdrawn people and other offices' people never appear."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.organisations.models import OrganisationMember, OrganisationRole
from roadshow.talent.models import AccessLogEntry, SavedSearch
from tests.many_events_fixtures import build_organisation, org_url
from tests.talent.records import add_person, appoint, build_station

pytestmark = pytest.mark.no_default_organisation


@pytest.fixture
def world(app, make_user):
    organizer = make_user(Role.ORGANIZER, email="a@example.org")
    other = make_user(Role.ORGANIZER, email="b@example.org")
    office = build_organisation(db.session, "office-a", organizers=(organizer,))
    office_b = build_organisation(db.session, "office-b", organizers=(other,))
    station = build_station(office, "shanghai")
    return {
        "organizer": organizer, "other": other, "office": office, "office_b": office_b,
        "station": station,
        "zhang": add_person(office, station, name_zh="张伟", name_en="Wei Zhang",
                            employer="复旦大学", residence_country="US", category="high_level"),
        "li": add_person(office, name_zh="李娜", employer="Siemens", residence_country="DE",
                         category="business"),
        "gone": add_person(office, name_zh="张伟民", employer="Withdrawn Ltd"),
        "theirs": add_person(office_b, name_zh="张伟", employer="乙方单位"),
    }


def _withdraw(person):
    person.withdrawn_at = utcnow()
    db.session.commit()


@pytest.mark.parametrize("words", ["张伟", "zhang wei", "zhangwei", "Wei Zhang"])
def test_search_finds_the_person_in_characters_pinyin_and_english(world, login_as, words):
    _withdraw(world["gone"])
    client, _ = login_as(world["organizer"])
    page = client.get(org_url(world["office"], "/talent/people"), query_string={"q": words})
    assert page.status_code == 200
    assert f'/talent/people/{world["zhang"].id}"' in page.text
    assert "李娜" not in page.text
    assert "Withdrawn Ltd" not in page.text   # withdrawn: in no list
    assert "乙方单位" not in page.text        # another office's record


def test_the_page_speaks_the_readers_language(world, login_as, make_user):
    reader = make_user(Role.ORGANIZER, email="zh@example.org", locale="zh_Hans_CN")
    db.session.add(OrganisationMember(organisation=world["office"], user=reader,
                                      role=OrganisationRole.ORGANIZER))
    db.session.commit()
    client, _ = login_as(reader)
    page = client.get(org_url(world["office"], "/talent/people"), query_string={"q": "复旦"})
    assert page.status_code == 200
    assert "搜索" in page.text
    assert f'/talent/people/{world["zhang"].id}"' in page.text


def test_filters_and_paging_links_keep_the_search(world, login_as):
    client, _ = login_as(world["organizer"])
    page = client.get(org_url(world["office"], "/talent/people"),
                      query_string={"country": "DE"})
    assert "李娜" in page.text
    assert "张伟" not in page.text
    station = client.get(org_url(world["office"], "/talent/people"),
                         query_string={"station": world["station"].id})
    assert "张伟" in station.text
    assert "李娜" not in station.text


def test_another_offices_organizer_is_refused(world, login_as):
    client, _ = login_as(world["other"])
    assert client.get(org_url(world["office"], "/talent/people")).status_code == 403
    assert client.get(org_url(world["office"], "/talent/searches")).status_code == 403


def test_a_station_officer_may_search_but_not_export(world, login_as, make_user):
    officer = make_user(Role.APPLICANT, email="officer@example.org")
    appoint(world["station"], officer)
    client, _ = login_as(officer)
    page = client.get(org_url(world["office"], "/talent/people"), query_string={"q": "zhang"})
    assert page.status_code == 200
    assert "张伟" in page.text
    assert "/talent/people.xlsx" not in page.text
    assert client.get(org_url(world["office"], "/talent/people.xlsx")).status_code == 403


def test_each_search_is_logged_with_who_made_it(world, login_as):
    client, organizer = login_as(world["organizer"])
    client.get(org_url(world["office"], "/talent/people"), query_string={"q": "张伟"})
    entry = db.session.scalars(select(AccessLogEntry).where(
        AccessLogEntry.action == "search")).one()
    assert (entry.user_id, entry.organisation_id, entry.detail) == (
        organizer.id, world["office"].id, "q=张伟")


def test_saved_searches_are_saved_listed_run_and_deleted(world, login_as, make_user):
    client, organizer = login_as(world["organizer"])
    office = world["office"]
    saved = client.post(org_url(office, "/talent/searches"),
                        data={"name": "In Germany", "country": "DE"})
    assert saved.status_code == 302
    listing = client.get(org_url(office, "/talent/searches"))
    assert "In Germany" in listing.text
    record = db.session.scalars(select(SavedSearch)).one()
    assert record.query == {"country": "DE"}
    nameless = client.post(org_url(office, "/talent/searches"), data={"name": " ", "q": "x"})
    assert nameless.status_code == 302
    assert db.session.query(SavedSearch).count() == 1
    # someone else cannot delete it
    colleague = make_user(Role.ORGANIZER, email="c@example.org")
    db.session.add(OrganisationMember(organisation_id=office.id, user_id=colleague.id,
                                      role=OrganisationRole.ORGANIZER))
    db.session.commit()
    other_client, _ = login_as(colleague)
    assert other_client.post(org_url(office, f"/talent/searches/{record.id}/delete")
                             ).status_code == 404
    assert client.post(org_url(office, f"/talent/searches/{record.id}/delete")).status_code == 302
    assert db.session.query(SavedSearch).count() == 0
