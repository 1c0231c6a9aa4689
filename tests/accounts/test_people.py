"""An office's organizers see its people (its organizers, whoever holds a role in one of its
events, whoever applied to one) by role, see what each holds, and deactivate and reactivate
accounts; another office's people stay out of sight (issue 13)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from roadshow.accounts.signals import user_access_changed
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.organisations.models import EventRole
from tests.many_events_fixtures import DEFAULT_ORGANISATION_SLUG, event_url

PEOPLE = f"/o/{DEFAULT_ORGANISATION_SLUG}/people"


@pytest.fixture
def event(make_event):
    return make_event(slug="xuzhou-2026", title_en="Xuzhou Cloud Roadshow 2026")


def applied(db, event, user):
    db.session.add(Application(event_id=event.id, applicant_id=user.id, title_en="Sensors",
                               status=ApplicationStatus.SUBMITTED))
    db.session.commit()
    return user


def test_people_page_lists_the_offices_people_by_role(login_as, make_user, db, event):
    organizer, _ = login_as("organizer")
    make_user("judge", name="Judge Judy")
    applied(db, event, make_user("applicant", name="Alan Applicant"))
    make_user("applicant", name="Stranger Sam")  # applied nowhere here: not one of the office's people
    page = organizer.get(f"{PEOPLE}?role=judge").get_data(as_text=True)
    assert "Judge Judy" in page
    assert "Xuzhou Cloud Roadshow 2026" in page  # the event where she judges
    assert "Alan Applicant" not in page
    assert "People by role" in page
    assert "Alan Applicant" in organizer.get(f"{PEOPLE}?q=alan").get_data(as_text=True)
    assert "Stranger Sam" not in organizer.get(PEOPLE).get_data(as_text=True)


def test_a_persons_page_names_their_roles_in_the_office(login_as, make_user, db, event):
    organizer, _ = login_as("organizer")
    judge = make_user("judge", name="Judge Judy")
    page = organizer.get(f"{PEOPLE}/{judge.id}").get_data(as_text=True)
    assert "Judge" in page
    assert f'href="{event_url(event, "/people")}"' in page


def test_deactivated_user_is_signed_out_on_next_request(login_as, app, event):
    organizer, _ = login_as("organizer")
    judge_client, judge = login_as("judge")
    assert judge_client.get("/dashboard").status_code == 200
    heard = []

    def listener(sender, user_id):
        heard.append(user_id)

    with user_access_changed.connected_to(listener, app):
        assert organizer.post(f"{PEOPLE}/{judge.id}/deactivate").status_code == 302
    assert heard == [judge.id]
    response = judge_client.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    login = app.test_client().post("/login", data={"email": judge.email, "password": "Correct-horse-42"})
    assert b"This account has been deactivated" in login.data
    organizer.post(f"{PEOPLE}/{judge.id}/reactivate")
    assert app.test_client().post("/login", data={"email": judge.email, "password": "Correct-horse-42"}).status_code == 302


def test_another_offices_people_are_not_found(login_as, make_user, make_organisation, db, event):
    judge = make_user("judge", name="Judge Judy")  # judges in the test office's event
    outsider = make_user("applicant", email="organizer-xiao@example.org")
    xiao = make_organisation("xiao-county", organizers=(outsider,))
    client, _ = login_as(outsider)
    assert client.get(PEOPLE).status_code == 403
    assert client.post(f"{PEOPLE}/{judge.id}/deactivate").status_code == 403
    # under its own office's address, someone who holds nothing there is not found
    assert client.get(f"/o/{xiao.slug}/people/{judge.id}").status_code == 404
    assert client.post(f"/o/{xiao.slug}/people/{judge.id}/deactivate").status_code == 404
    assert "Judge Judy" not in client.get(f"/o/{xiao.slug}/people").get_data(as_text=True)
    db.session.refresh(judge)
    assert judge.active


def test_organizer_cannot_deactivate_self(login_as):
    organizer, me = login_as("organizer")
    response = organizer.post(f"{PEOPLE}/{me.id}/deactivate", follow_redirects=True)
    assert b"You cannot deactivate your own account." in response.data
    assert organizer.get("/dashboard").status_code == 200


def test_organizer_resends_confirmation_to_unconfirmed_applicant(login_as, make_user, mailbox, db, event):
    organizer, _ = login_as("organizer")
    waiting = applied(db, event, make_user("applicant", verified=False, locale="zh_Hans_CN"))
    page = organizer.get(f"{PEOPLE}/{waiting.id}").get_data(as_text=True)
    assert "Send the confirmation link again" in page
    response = organizer.post(f"{PEOPLE}/{waiting.id}/resend-confirmation", follow_redirects=True)
    assert b"A new confirmation link was sent" in response.data
    [message] = mailbox.to(waiting.email)
    assert message["Subject"] == "请确认您的云路演注册邮箱"


def test_the_events_people_page_lists_its_staff(login_as, make_user, make_event, db, event):
    organizer, _ = login_as("organizer")
    judge = make_user("judge", name="Judge Judy")
    later = make_event(slug="xuzhou-2027")
    # the judge of both events is revoked in 2027 only
    row = db.session.scalar(select(EventRole).where(EventRole.user_id == judge.id,
                                                    EventRole.event_id == later.id))
    organizer.post(event_url(later, "/people"), data={"action": "revoke", "role_id": str(row.id)})
    assert "Judge Judy" in organizer.get(event_url(event, "/people")).get_data(as_text=True)
    assert "Judge Judy" not in organizer.get(event_url(later, "/people")).get_data(as_text=True)
