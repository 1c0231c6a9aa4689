"""One account applies to the events of several offices over the years; an office sees only the
applications to its own events (issue 13)."""

from __future__ import annotations

import pytest

from roadshow.accounts.models import User
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from tests.many_events_fixtures import event_url


@pytest.fixture
def two_offices(db, make_organisation, make_event, make_user):
    office_a = make_organisation("office-a", name_en="Office A", name_zh="甲人才办")
    office_b = make_organisation("office-b", name_en="Office B", name_zh="乙人才办",
                                 organizers=(make_user("applicant", email="organizer-b@example.org"),))
    a1 = make_event(office_a, "roadshow", "call", slug="a1-roadshow", title_en="A1 Roadshow")
    b1 = make_event(office_b, "symposium", "call", slug="b1-symposium", title_en="B1 Symposium")
    return a1, b1


def _submitted(db, event, applicant, title):
    application = Application(event_id=event.id, applicant_id=applicant.id, title_en=title,
                              status=ApplicationStatus.SUBMITTED, submitted_at=utcnow(),
                              country="US")
    db.session.add(application)
    db.session.commit()
    return application


def test_one_account_applies_to_events_of_two_offices_and_sees_both(applicant_client, two_offices, db):
    client, user = applicant_client
    a1, b1 = two_offices
    # a roadshow asks a project: a draft is saved
    response = client.post(event_url(a1, "/apply"), data={
        "title_en": "Sensors for bridges", "form_token": "a1", "action": "save"},
        content_type="multipart/form-data")
    assert response.status_code == 302
    # a symposium is a registration: the profile and the questions suffice to send it
    response = client.post(event_url(b1, "/apply"), data={"form_token": "b1", "action": "submit"},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    registered = db.session.scalar(db.select(Application).where(Application.event_id == b1.id))
    assert registered.status == ApplicationStatus.SUBMITTED
    page = client.get("/applications/mine").get_data(as_text=True)
    assert "A1 Roadshow" in page
    assert "B1 Symposium" in page
    draft = db.session.scalar(db.select(Application).where(Application.event_id == a1.id))
    assert f'href="/e/{a1.slug}/applications/{draft.id}"' in page
    assert f'href="/e/{b1.slug}/applications/{registered.id}"' in page


def test_the_open_calls_of_every_office_are_offered_to_choose_from(applicant_client, two_offices):
    client, _user = applicant_client
    a1, b1 = two_offices
    page = client.get("/apply").get_data(as_text=True)
    assert f'href="/e/{a1.slug}/apply"' in page
    assert f'href="/e/{b1.slug}/apply"' in page
    assert "Register for this event" in page  # the symposium's call is a registration


def test_an_organizer_of_b_cannot_list_export_or_open_as_applications(two_offices, make_user, login_as, db):
    a1, b1 = two_offices
    applicant = make_user("applicant")
    a_application = _submitted(db, a1, applicant, "LEAK-A1 secret project")
    organizer_b = db.session.scalar(db.select(User).where(User.email == "organizer-b@example.org"))
    client, _ = login_as(organizer_b)
    for path in ("/organizer/applications", "/organizer/applications/export.csv",
                 "/organizer/applications/export.xlsx", "/organizer/applications/statistics",
                 f"/organizer/applications/{a_application.id}"):
        assert client.get(event_url(a1, path)).status_code == 403, path
    # A's application under B's event answers 404 like a missing one
    assert client.get(event_url(b1, f"/organizer/applications/{a_application.id}")).status_code == 404
    for path in ("/organizer/applications", "/organizer/applications/export.csv"):
        response = client.get(event_url(b1, path))
        assert response.status_code == 200, path
        assert "LEAK-A1" not in response.get_data(as_text=True)


def test_an_applicants_own_application_is_not_reachable_under_another_event(two_offices, make_user,
                                                                             login_as, db):
    a1, b1 = two_offices
    client, applicant = login_as("applicant")
    application = _submitted(db, a1, applicant, "Mine")
    assert client.get(event_url(a1, f"/applications/{application.id}")).status_code == 200
    assert client.get(event_url(b1, f"/applications/{application.id}")).status_code == 404
    assert client.post(event_url(b1, f"/applications/{application.id}/withdraw")).status_code == 404
    db.session.refresh(application)
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_applicants_todos_name_each_applications_path(two_offices, make_applicant, db, app):
    from roadshow.applications.todos import todos
    from roadshow.organisations.grants import in_event

    a1, b1 = two_offices
    applicant = make_applicant()
    _submitted(db, b1, applicant, "")
    draft = Application(event_id=a1.id, applicant_id=applicant.id, status=ApplicationStatus.DRAFT)
    db.session.add(draft)
    db.session.commit()
    with app.test_request_context():
        grants = {event.id: in_event(db.session, applicant, event) for event in (a1, b1)}
        found = todos(db.session, applicant, grants)
    assert [t.kind for t in found[a1.id]] == ["application_unfinished"]  # the profile is complete
    assert found[a1.id][0].count == 1
    assert found[a1.id][0].due_at is not None
    assert [(t.kind, t.count, t.label) for t in found[b1.id]] == [("application_path", 0, "Registered.")]
