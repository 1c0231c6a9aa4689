"""The office's industry chains and fields: organizers add them, everyone in the pool reads
them, a record names those a person works in, and the change is kept in its history."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.talent.models import Change, Industry
from tests.many_events_fixtures import build_organisation, org_url
from tests.talent.records import add_person, appoint, build_station

pytestmark = pytest.mark.no_default_organisation


def test_organizers_add_chains_and_fields_and_officers_read_them(app, login_as, make_user):
    organizer = make_user(Role.ORGANIZER)
    office = build_organisation(db.session, "ningbo", organizers=(organizer,))
    officer = make_user(Role.APPLICANT)
    appoint(build_station(office), officer)
    client, _ = login_as(organizer)
    assert client.post(org_url(office, "/talent/industries"), data={
        "code": "new-energy", "name_zh": "新能源", "name_en": "New energy"}).status_code == 302
    chain = db.session.scalars(select(Industry)).one()
    assert client.post(org_url(office, "/talent/industries"), data={
        "code": "batteries", "name_zh": "动力电池", "name_en": "Batteries",
        "parent": str(chain.id)}).status_code == 302
    again = client.post(org_url(office, "/talent/industries"), data={
        "code": "batteries", "name_zh": "电池", "name_en": "Batteries"})
    assert "The office uses this code already." in again.text
    officer_client, _ = login_as(officer)
    page = officer_client.get(org_url(office, "/talent/industries"))
    assert "新能源" in page.text
    assert "动力电池" in page.text
    assert "Add an industry chain or field" not in page.text
    assert officer_client.post(org_url(office, "/talent/industries"), data={
        "code": "x", "name_zh": "x", "name_en": "x"}).status_code == 403


def test_a_record_names_its_industries_with_history(app, login_as, make_user):
    organizer = make_user(Role.ORGANIZER)
    office = build_organisation(db.session, "ningbo", organizers=(organizer,))
    chain = Industry(organisation_id=office.id, code="ai", name_zh="人工智能",
                     name_en="Artificial intelligence")
    db.session.add(chain)
    db.session.commit()
    person = add_person(office, name_zh="王小明")
    client, _ = login_as(organizer)
    assert "Artificial intelligence" in client.get(
        org_url(office, f"/talent/people/{person.id}/edit")).text
    client.post(org_url(office, f"/talent/people/{person.id}/edit"), data={
        "name_zh": "王小明", "category": "business", "industries": str(chain.id)})
    db.session.refresh(person)
    assert [industry.code for industry in person.industries] == ["ai"]
    change = db.session.scalars(select(Change)).one()
    assert (change.field, change.old_value, change.new_value) == ("industries", None, "ai")
    assert "Artificial intelligence" in client.get(
        org_url(office, f"/talent/people/{person.id}")).text
