"""Erasure from the talent pool: by the person on "My talent pool records", by an organizer with
the reason; every personal field cleared, the search index row gone, the history without the
erased values; a party of a sealed intent keeps a minimal record, and says why; an erased
person is on no page, search, export, chart or figure."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.extensions import db
from roadshow.signing.flow import IntentState
from roadshow.signing.models import Intent
from roadshow.signing.talent_pool import SEALED_INTENT, party_of_sealed_intent
from roadshow.talent import retention, search_index
from roadshow.talent.models import Change, Contact, ContactKind, Person
from roadshow.talent.services import erasure, people, stations
from tests.many_events_fixtures import build_event, build_organisation, org_url
from tests.talent.records import add_person, build_station

pytestmark = pytest.mark.no_default_organisation

FIELDS = dict(name_zh="王小明", name_en="Xiaoming Wang", employer="Siemens", position="Engineer",
              residence_country="NZ", residence_city="Auckland", school="Tongji",
              field="Robotics", email="xiaoming@example.org", phone="+64 9 123456",
              native_code="330212", birth_year=1985, languages="zh, en", notes="Met in Munich",
              degree="doctorate", gender="male", category="returnee")


def _in_index(person_id: int) -> bool:
    if db.session.get_bind().dialect.name == "postgresql":
        return bool(db.session.scalar(select(Person.id).where(
            Person.id == person_id, search_index.document().like("%xiaoming%"))))
    return db.session.execute(text(f"SELECT count(*) FROM {search_index.FTS_TABLE} "  # noqa: S608
                                   "WHERE rowid = :id"), {"id": person_id}).scalar() == 1


def _with_history(office, station=None, user=None, **fields):
    person = add_person(office, station, **{**FIELDS, **fields})
    person.user_id = user.id if user is not None else None
    people.update_person(db.session, None, person,
                         people.PersonData(**{**vars(people.data_of(person)),
                                              "employer": "BMW"}))
    db.session.add(Contact(person_id=person.id, officer_id=None, kind=ContactKind.CALL,
                           happened_at=utcnow(), summary="Talked about his move home",
                           next_step="Send the brochure", next_due_on=utcnow().date()))
    db.session.commit()
    return person


def _sealed_intent(office, applicant):
    """A sealed intent in one of the office's events, inserted as signing leaves it (signing's
    own tests seal real PDFs; here only the state matters)."""
    district = District(organisation_id=office.id, code=f"d{office.id}", name_zh="鼓楼区",
                        name_en="Gulou District")
    db.session.add(district)
    event = build_event(db.session, office, phase="signing", districts=[district])
    application = Application(event=event, applicant=applicant,
                              status=ApplicationStatus.FINALIST, title_en="Low-power IoT")
    db.session.add(application)
    db.session.flush()
    intent = Intent(reference=f"XZ-{application.id}", application_id=application.id,
                    district_id=district.id, state=IntentState.COMPLETED,
                    sealed_at=utcnow(), completed_at=utcnow())
    db.session.add(intent)
    db.session.commit()
    return event, intent


def test_a_person_erases_their_own_record_after_reading_what_happens(app, login_as):
    office = build_organisation(db.session, "ningbo", name_en="Ningbo Talent Office")
    client, user = login_as(Role.APPLICANT, email="xiaoming@example.org")
    person = _with_history(office, user=user)
    assert _in_index(person.id)
    mine = client.get("/talent/mine")
    assert f"/talent/mine/{person.id}/erase" in mine.text
    confirm = client.get(f"/talent/mine/{person.id}/erase")
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.text
    assert db.session.get(Person, person.id).erased_at is None  # the page alone erases nothing

    done = client.post(f"/talent/mine/{person.id}/erase", follow_redirects=True)
    assert "The record in Ningbo Talent Office&#39;s pool is erased; nothing of it is kept." in done.text
    db.session.expire_all()
    erased = db.session.get(Person, person.id)
    assert erased.erased_at is not None
    assert (erased.name_zh, erased.name_en, erased.email, erased.phone, erased.native_code,
            erased.birth_year, erased.degree, erased.user_id, erased.retained_reason) == (
        None, None, None, None, None, None, None, None, None)
    assert (erased.name_pinyin, erased.employer, erased.residence_city, erased.notes,
            erased.languages) == ("", "", "", "", "")
    assert all(c.withdrawn_at is not None for c in erased.consents)
    assert [(c.summary, c.next_step) for c in erased.contacts] == [("", None)]
    assert not _in_index(person.id)
    history = db.session.scalars(select(Change).where(Change.person_id == person.id)
                                 .order_by(Change.id)).all()
    assert [(c.field, c.reason) for c in history] == [("employer", "edit"),
                                                       ("erased_at", "erasure")]
    assert all(c.old_value is None and c.new_value is None for c in history)
    assert history[-1].changed_by_id == user.id
    assert "王小明" not in client.get("/talent/mine").text
    assert client.get(f"/talent/mine/{person.id}/erase").status_code == 404


def test_an_organizer_erases_with_the_reason_and_a_sealed_intent_keeps_a_minimal_record(
        app, login_as, make_user):
    organizer = make_user(Role.ORGANIZER, email="boss@example.org")
    office = build_organisation(db.session, "ningbo", organizers=(organizer,))
    applicant = make_user(Role.APPLICANT, email="xiaoming@example.org")
    person = _with_history(office, user=applicant)
    _event, intent = _sealed_intent(office, applicant)
    client, _ = login_as(organizer)
    page = client.get(org_url(office, f"/talent/people/{person.id}"))
    assert f"/talent/people/{person.id}/erase" in page.text
    assert intent.reference in page.text            # "In events": the sealed intent

    refused = client.post(org_url(office, f"/talent/people/{person.id}/erase"),
                          data={"note": ""})
    assert refused.status_code == 200
    assert "Say why the record is erased" in refused.text
    assert db.session.get(Person, person.id).erased_at is None

    done = client.post(org_url(office, f"/talent/people/{person.id}/erase"),
                       data={"note": "Asked by phone on 3 December"})
    assert done.status_code == 302
    db.session.expire_all()
    erased = db.session.get(Person, person.id)
    assert erased.erased_at is not None
    assert erased.retained_reason == SEALED_INTENT
    assert erased.user_id == applicant.id                # the link to the intent's party stays
    assert (erased.name_zh, erased.employer, erased.email) == (None, "", None)
    change = db.session.scalars(select(Change).where(Change.reason == "erasure")).one()
    assert (change.changed_by_id, change.new_value) == (organizer.id,
                                                        "Asked by phone on 3 December")
    assert client.get(org_url(office, f"/talent/people/{person.id}")).status_code == 404

    owner, _ = login_as(applicant)
    mine = owner.get("/talent/mine").text
    assert "Your record was erased" in mine
    assert "a party of a sealed intent of cooperation" in mine


def test_the_sealed_intent_check_answers_only_for_a_party_of_a_sealed_intent(
        app, make_user):
    office = build_organisation(db.session, "ningbo")
    other_office = build_organisation(db.session, "xuzhou")
    applicant = make_user(Role.APPLICANT)
    _event, intent = _sealed_intent(office, applicant)
    party = add_person(office, name_zh="甲")
    party.user_id = applicant.id
    stranger = add_person(office, name_zh="乙")
    stranger.user_id = make_user(Role.APPLICANT).id
    elsewhere = add_person(other_office, name_zh="丙")
    elsewhere.user_id = applicant.id
    db.session.commit()
    assert party_of_sealed_intent(db.session, party)
    assert not party_of_sealed_intent(db.session, stranger)
    assert not party_of_sealed_intent(db.session, elsewhere)  # another office's events
    intent.sealed_at = None
    intent.state = IntentState.OUT_FOR_SIGNATURE
    db.session.commit()
    assert not party_of_sealed_intent(db.session, party)
    # the registry: the signing check is registered, a later layer's own check joins it
    assert retention.reason_to_keep(db.session, party) is None
    retention.register("test_hold", "a test hold", lambda _session, p: p.id == party.id)
    try:
        assert retention.reason_to_keep(db.session, party) == "test_hold"
        assert retention.reason_to_keep(db.session, stranger) is None
        erasure.erase(db.session, None, party)
        assert (party.retained_reason, party.user_id) == ("test_hold", applicant.id)
    finally:
        retention.unregister("test_hold")


def test_an_erased_person_is_on_no_page_search_export_chart_or_figure(app, login_as,
                                                                      make_user):
    organizer = make_user(Role.ORGANIZER, email="boss@example.org")
    office = build_organisation(db.session, "ningbo", organizers=(organizer,))
    station = build_station(office)
    add_person(office, station, name_zh="李四", employer="Kept Ltd", residence_country="DE")
    gone = _with_history(office, station)
    client, _ = login_as(organizer)
    year = utcnow().year
    pages = {
        "list": ("/talent/people", {}),
        "search": ("/talent/people", {"q": "xiaoming"}),
        "csv": ("/talent/people.csv", {}),
        "charts": ("/talent/charts", {}),
        "station": (f"/talent/stations/{station.slug}", {}),
    }

    def seen(marker: str) -> dict[str, bool]:
        found = {}
        for name, (path, query) in pages.items():
            response = client.get(org_url(office, path), query_string=query)
            assert response.status_code == 200, name
            body = response.get_data(as_text=True)
            found[name] = marker in body or (name == "charts" and "New Zealand" in body)
        return found

    before = {row.year: row for row in stations.figures(db.session, station)}[year]
    assert seen("王小明") == dict.fromkeys(pages, True)  # first: something that could leak
    assert (before.people_added, before.contacts) == (2, 1)

    erased = client.post(org_url(office, f"/talent/people/{gone.id}/erase"),
                         data={"note": "Asked by mail"}, follow_redirects=True)
    assert "王小明 is erased from the pool." in erased.get_data(as_text=True)  # said once
    assert seen("王小明") == dict.fromkeys(pages, False)
    after = {row.year: row for row in stations.figures(db.session, station)}[year]
    assert (after.people_added, after.contacts) == (1, 0)
    assert "李四" in client.get(org_url(office, "/talent/people")).get_data(as_text=True)
