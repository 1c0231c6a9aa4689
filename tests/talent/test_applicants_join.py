"""Applicants join the office's talent pool from the application form, with the pool's consent
shown beside an unticked box; a person's page in the pool lists their applications and intents
in the office's events."""

from __future__ import annotations

import io

from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.applications.models import ApplicantProfile, Application, ApplicationStatus
from roadshow.extensions import db
from roadshow.signing.flow import IntentState
from roadshow.signing.models import Intent
from roadshow.talent.consent import POOL_VERSION
from roadshow.talent.models import Consent, Person, Source
from tests.applications.conftest import pdf_bytes, project_form
from tests.events.factories import build_event
from tests.many_events_fixtures import default_organisation, event_url, org_url
from tests.talent.records import add_person


def _world(make_user, make_district, country="US"):
    event = build_event(db.session, districts=[make_district("gulou")])
    applicant = make_user(Role.APPLICANT, email="wangwei@example.org", name="Wei Wang")
    db.session.add(ApplicantProfile(
        user_id=applicant.id, name_latin="Wei Wang", name_chinese="王伟", nationality="CN",
        country_of_residence=country, institution="Stanford University",
        position="Research Scientist", highest_degree="phd", research_field="Low-power IoT"))
    db.session.commit()
    return event, applicant


def _submit(client, event, **extra):
    data = project_form(event, action="submit", **extra)
    data["deck"] = (io.BytesIO(pdf_bytes()), "deck.pdf", "application/pdf")
    return client.post(event_url(event, "/apply"), data=data,
                       content_type="multipart/form-data", follow_redirects=True)


def _submitted(applicant):
    db.session.expire_all()
    application = db.session.scalar(select(Application).where(
        Application.applicant_id == applicant.id))
    return application is not None and application.status == ApplicationStatus.SUBMITTED


def test_the_box_is_unticked_with_the_wording_and_unticked_adds_nobody(app, login_as, make_user,
                                                                       make_district):
    event, applicant = _world(make_user, make_district)
    client, _ = login_as(applicant)
    office = default_organisation()
    page = client.get(event_url(event, "/apply")).get_data(as_text=True)
    assert f"Add me to {office.name_en}'s talent pool" in page
    box = page.split('name="join_pool"')[1].split(">")[0]
    assert 'type="checkbox"' in box
    assert "checked" not in box
    assert f"version {POOL_VERSION}" in page
    assert office.name_zh in page                       # the Chinese wording names the office
    _submit(client, event)
    assert _submitted(applicant)
    assert db.session.scalars(select(Person)).all() == []
    assert db.session.scalars(select(Consent)).all() == []


def test_ticked_on_submit_the_applicant_joins_with_consent_given_via_the_application(
        app, login_as, make_user, make_district):
    event, applicant = _world(make_user, make_district)
    client, _ = login_as(applicant)
    done = _submit(client, event, join_pool="y").get_data(as_text=True)
    assert "You are in the talent pool of" in done
    assert _submitted(applicant)
    person = db.session.scalars(select(Person)).one()
    assert (person.organisation_id, person.user_id, person.source) == (
        event.organisation_id, applicant.id, Source.APPLICATION)
    assert (person.name_zh, person.name_en, person.employer, person.residence_country,
            person.degree.value, person.email) == (
        "王伟", "Wei Wang", "Stanford University", "US", "doctorate", "wangwei@example.org")
    [consent] = person.consents
    assert (consent.given_via, consent.version) == ("application", POOL_VERSION)
    assert "王伟" in client.get("/talent/mine").get_data(as_text=True)


def test_a_record_already_in_the_pool_is_linked_not_duplicated(app, login_as, make_user,
                                                               make_district):
    event, applicant = _world(make_user, make_district)
    office = default_organisation()
    kept = add_person(office, name_zh="王伟", email="WangWei@example.org", employer="Old Ltd")
    client, _ = login_as(applicant)
    _submit(client, event, join_pool="y")
    assert _submitted(applicant)
    person = db.session.scalars(select(Person)).one()
    assert person.id == kept.id
    assert (person.user_id, person.employer) == (applicant.id, "Old Ltd")  # nothing overwritten
    assert sorted(c.given_via for c in person.consents) == ["application", "officer_recorded"]


def test_a_failure_to_join_never_fails_the_application(app, login_as, make_user, make_district):
    event, applicant = _world(make_user, make_district, country="ZZ")  # no such country
    client, _ = login_as(applicant)
    page = _submit(client, event, join_pool="y").get_data(as_text=True)
    assert _submitted(applicant)
    assert "Your application is submitted" in page
    assert "You are in the talent pool of" not in page
    assert db.session.scalars(select(Person)).all() == []


def test_a_persons_page_lists_their_applications_and_intents_in_the_offices_events(
        app, login_as, make_user, make_district):
    event, applicant = _world(make_user, make_district)
    client, _ = login_as(applicant)
    _submit(client, event, join_pool="y")
    person = db.session.scalars(select(Person)).one()
    application = db.session.scalars(select(Application)).one()
    db.session.add(Intent(reference="XZ-2026-001", application_id=application.id,
                          district_id=event.districts[0].id, state=IntentState.DRAFT))
    unlinked = add_person(default_organisation(), name_zh="李娜")
    organizer, _ = login_as(Role.ORGANIZER)
    office = default_organisation()
    page = organizer.get(org_url(office, f"/talent/people/{person.id}")).get_data(as_text=True)
    assert "In events" in page
    assert "Test Roadshow: Low-power IoT for industry and smart cities" in page
    assert f"/organizer/applications/{application.id}" in page
    assert "Submitted" in page
    assert "XZ-2026-001" in page
    intent_id = db.session.scalar(select(Intent.id))
    assert f"/signing/intents/{intent_id}" in page
    other = organizer.get(org_url(office, f"/talent/people/{unlinked.id}")).get_data(as_text=True)
    assert "In events" not in other                     # no account: no section
