"""Joining an office's talent pool with consent, and withdrawing it: the consent keeps its
wording and version; a withdrawn person appears on no page of the office's pool."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.talent.consent import POOL_VERSION
from roadshow.talent.models import Change, Consent, Contact, ContactKind, Person, Source
from tests.many_events_fixtures import build_organisation, org_url
from tests.talent.records import add_person, build_station

pytestmark = pytest.mark.no_default_organisation

JOIN = {"name_zh": "王小明", "name_en": "Xiaoming Wang", "native_province": "330000",
        "native_city": "330200", "native_county": "330212", "residence_country": "DE",
        "residence_city": "Munich", "employer": "Siemens", "category": "business",
        "email": "xiaoming@example.org", "phone": "+49 89 123456"}


def test_the_join_form_stores_the_person_with_the_consent_they_read(app, client):
    office = build_organisation(db.session, "ningbo", name_zh="宁波人才办",
                                name_en="Ningbo Talent Office")
    page = client.get(org_url(office, "/talent/join"))
    assert page.status_code == 200
    assert "宁波人才办" in page.text
    assert "Ningbo Talent Office" in page.text
    response = client.post(org_url(office, "/talent/join"), data={**JOIN, "consent": "y"})
    assert response.status_code == 302
    person = db.session.scalars(select(Person)).one()
    assert (person.name_zh, person.name_pinyin, person.native_code) == (
        "王小明", "wang xiao ming", "330212")
    assert person.source == Source.SELF_NOMINATION
    assert person.organisation_id == office.id
    consent = db.session.scalars(select(Consent)).one()
    assert consent.person_id == person.id
    assert consent.version == POOL_VERSION
    assert consent.given_via == "join_form"
    assert consent.purpose == "pool"
    assert "宁波人才办" in consent.wording_zh
    assert "Ningbo Talent Office" in consent.wording_en


def test_without_consent_nothing_is_saved_and_the_form_keeps_what_was_typed(app, client):
    office = build_organisation(db.session, "ningbo")
    page = client.post(org_url(office, "/talent/join"), data=JOIN)
    assert page.status_code == 200
    assert "Please agree to the use of your information" in page.text
    assert 'value="Siemens"' in page.text
    assert db.session.scalars(select(Person)).all() == []


def test_the_place_lists_fill_without_javascript_and_an_incomplete_place_is_refused(app, client):
    office = build_organisation(db.session, "ningbo")
    shown = client.post(org_url(office, "/talent/join"),
                        data={"native_province": "330000", "show_places": "y"})
    assert shown.status_code == 200
    assert "330200" in shown.text
    assert db.session.scalars(select(Person)).all() == []
    refused = client.post(org_url(office, "/talent/join"), data={
        **JOIN, "native_county": "", "consent": "y"})
    assert refused.status_code == 200
    assert "Choose the native place down to the county" in refused.text
    assert db.session.scalars(select(Person)).all() == []


def test_a_signed_in_person_sees_exports_corrects_and_withdraws_their_record(app, login_as):
    office = build_organisation(db.session, "ningbo")
    client, user = login_as(Role.APPLICANT, email="xiaoming@example.org")
    client.post(org_url(office, "/talent/join"), data={**JOIN, "consent": "y"})
    person = db.session.scalars(select(Person)).one()
    assert person.user_id == user.id
    mine = client.get("/talent/mine")
    assert "王小明" in mine.text
    assert "Siemens" in mine.text
    exported = client.get("/talent/mine.json").get_json()
    assert exported["records"][0]["record"]["employer"] == "Siemens"
    assert exported["records"][0]["consents"][0]["version"] == POOL_VERSION
    corrected = client.post(f"/talent/mine/{person.id}", data={**JOIN, "employer": "BMW"})
    assert corrected.status_code == 302
    db.session.refresh(person)
    assert person.employer == "BMW"
    change = db.session.scalars(select(Change)).one()
    assert (change.field, change.old_value, change.new_value, change.changed_by_id) == (
        "employer", "Siemens", "BMW", user.id)
    assert client.post(f"/talent/mine/{person.id}/withdraw").status_code == 302
    db.session.refresh(person)
    assert person.withdrawn_at is not None
    assert all(c.withdrawn_at is not None for c in person.consents)
    assert "You withdrew your consent" in client.get("/talent/mine").text
    # nothing more to correct or withdraw
    assert client.get(f"/talent/mine/{person.id}").status_code == 404


def test_someone_else_cannot_open_or_withdraw_a_record(app, login_as):
    office = build_organisation(db.session, "ningbo")
    person = add_person(office, name_zh="王小明", email="xiaoming@example.org")
    client, _other = login_as(Role.APPLICANT, email="other@example.org")
    assert "王小明" not in client.get("/talent/mine").text
    assert client.get(f"/talent/mine/{person.id}").status_code == 404
    assert client.post(f"/talent/mine/{person.id}/withdraw").status_code == 404
    db.session.refresh(person)
    assert person.withdrawn_at is None


def test_a_withdrawn_person_appears_on_no_page_of_the_pool(app, login_as, make_user):
    organizer = make_user(Role.ORGANIZER, email="boss@example.org")
    office = build_organisation(db.session, "ningbo", organizers=(organizer,))
    station = build_station(office)
    kept = add_person(office, station, name_zh="李四")
    gone = add_person(office, station, name_zh="王小明", email="xiaoming@example.org")
    for person in (kept, gone):  # old records, and a call-back of the organizer with each
        person.confirmed_at = person.confirmed_at.replace(year=2024)
        db.session.add(Contact(person_id=person.id, officer_id=organizer.id,
                               kind=ContactKind.CALL, happened_at=person.created_at,
                               summary="Called", next_step="Call again",
                               next_due_on=person.created_at.date()))
    db.session.commit()
    client, _ = login_as(organizer)
    pages = ("/talent/", "/talent/callbacks", f"/talent/stations/{station.slug}")
    for path in pages:  # first make sure there is something that could leak
        assert "王小明" in client.get(org_url(office, path)).text, path
    owner, _ = login_as(Role.APPLICANT, email="xiaoming@example.org")
    assert owner.post(f"/talent/mine/{gone.id}/withdraw").status_code == 302
    for path in pages:
        text = client.get(org_url(office, path)).text
        assert "王小明" not in text, path
        assert "李四" in text, path
    assert client.get(org_url(office, f"/talent/people/{gone.id}")).status_code == 404
    assert client.get(org_url(office, f"/talent/people/{kept.id}")).status_code == 200
    overview = client.get(org_url(office, "/talent/")).text
    assert 'data-count="total">1<' in overview


def test_an_officer_records_consent_read_to_the_person(app, login_as, make_user):
    organizer = make_user(Role.ORGANIZER)
    office = build_organisation(db.session, "ningbo", organizers=(organizer,))
    client, _ = login_as(organizer)
    response = client.post(org_url(office, "/talent/people/new"), data={
        "name_zh": "赵六", "category": "official", "consent_recorded": "y"})
    assert response.status_code == 302
    person = db.session.scalars(select(Person)).one()
    assert [c.given_via for c in person.consents] == ["officer_recorded"]
