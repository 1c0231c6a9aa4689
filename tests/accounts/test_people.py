"""Organizers see everyone by role, change roles and districts, deactivate and reactivate."""

from __future__ import annotations

from roadshow.accounts.roles import Role
from roadshow.accounts.signals import user_access_changed


def test_people_page_lists_users_by_role(login_as, make_user):
    organizer, _ = login_as("organizer")
    make_user("judge", name="Judge Judy")
    make_user("applicant", name="Alan Applicant")
    page = organizer.get("/organizer/people?role=judge").get_data(as_text=True)
    assert "Judge Judy" in page
    assert "Alan Applicant" not in page
    assert "Accounts by role" in page
    assert "Alan Applicant" in organizer.get("/organizer/people?q=alan").get_data(as_text=True)


def test_deactivated_user_is_signed_out_on_next_request(login_as, app):
    organizer, _ = login_as("organizer")
    judge_client, judge = login_as("judge")
    assert judge_client.get("/dashboard").status_code == 200
    heard = []

    def listener(sender, user_id):
        heard.append(user_id)

    with user_access_changed.connected_to(listener, app):
        assert organizer.post(f"/organizer/people/{judge.id}/deactivate").status_code == 302
    assert heard == [judge.id]
    response = judge_client.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    login = app.test_client().post("/login", data={"email": judge.email, "password": "Correct-horse-42"})
    assert b"This account has been deactivated" in login.data
    organizer.post(f"/organizer/people/{judge.id}/reactivate")
    assert app.test_client().post("/login", data={"email": judge.email, "password": "Correct-horse-42"}).status_code == 302


def test_changing_role_or_district_sends_access_changed(login_as, make_user, make_district, app, db):
    organizer, _ = login_as("organizer")
    user = make_user("judge")
    district = make_district()
    heard = []

    def listener(sender, user_id):
        heard.append(user_id)

    with user_access_changed.connected_to(listener, app):
        response = organizer.post(f"/organizer/people/{user.id}", data={"role": "recruiter", "district": ""})
        assert b"Choose the district this recruiter works for." in response.data
        assert heard == []
        organizer.post(f"/organizer/people/{user.id}", data={"role": "recruiter", "district": str(district.id)})
    db.session.refresh(user)
    assert user.role == Role.RECRUITER
    assert user.district_id == district.id
    assert heard == [user.id]


def test_organizer_cannot_deactivate_self(login_as):
    organizer, me = login_as("organizer")
    response = organizer.post(f"/organizer/people/{me.id}/deactivate", follow_redirects=True)
    assert b"You cannot deactivate your own account." in response.data
    assert organizer.get("/dashboard").status_code == 200


def test_organizer_resends_confirmation_to_unconfirmed_applicant(login_as, make_user, mailbox):
    organizer, _ = login_as("organizer")
    waiting = make_user("applicant", verified=False, locale="zh_Hans_CN")
    page = organizer.get(f"/organizer/people/{waiting.id}").get_data(as_text=True)
    assert "Send the confirmation link again" in page
    response = organizer.post(f"/organizer/people/{waiting.id}/resend-confirmation", follow_redirects=True)
    assert b"A new confirmation link was sent" in response.data
    [message] = mailbox.to(waiting.email)
    assert message["Subject"] == "请确认您的云路演注册邮箱"
