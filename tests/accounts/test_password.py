"""Password reset by email (single use, ends other sessions) and change on the profile."""

from __future__ import annotations

from tests.accounts.conftest import link_in
from tests.conftest import TEST_PASSWORD

NEW = "Brand-new-secret-77"


def ask_reset(client, mailbox, user):
    response = client.post("/password/forgot", data={"email": user.email})
    assert response.status_code == 302
    [message] = mailbox.to(user.email)
    return link_in(message)


def test_forgot_password_answers_the_same_for_unknown_addresses(client, mailbox):
    response = client.post("/password/forgot", data={"email": "nobody@example.org"},
                           follow_redirects=True)
    assert b"If an account exists for this address" in response.data
    assert mailbox.messages == []


def test_reset_link_sets_password_once_and_ends_other_sessions(client, app, make_user, mailbox, login_as):
    user = make_user("judge", locale="zh_Hans_CN")
    other_device, _ = login_as(user)
    path = ask_reset(client, mailbox, user)
    assert "设置新密码" in mailbox.to(user.email)[0]["Subject"]
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    # the other device is signed out
    assert other_device.get("/dashboard").status_code == 302
    # the new password works, the old does not
    assert client.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 200
    assert client.post("/login", data={"email": user.email, "password": NEW}).status_code == 302
    # the link is single use
    response = client.get(path)
    assert response.status_code == 410
    assert "此链接已使用过".encode() in response.data


def test_reset_refuses_weak_password_and_keeps_link_working(client, make_user, mailbox):
    user = make_user("applicant")
    path = ask_reset(client, mailbox, user)
    response = client.post(path, data={"password": "password", "confirm": "password"})
    assert response.status_code == 200
    assert b"Use at least 10 characters" in response.data
    assert client.get(path).status_code == 200


def test_change_password_on_profile_keeps_this_session(login_as, make_user):
    client, user = login_as("recruiter")
    page = client.get("/profile").get_data(as_text=True)
    assert "Change your password" in page
    response = client.post("/profile/password", data={
        "pw-current": "wrong-password-1", "pw-password": NEW, "pw-confirm": NEW})
    assert b"Your current password is not correct." in response.data
    response = client.post("/profile/password", data={
        "pw-current": TEST_PASSWORD, "pw-password": NEW, "pw-confirm": NEW})
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert user.check_password(NEW)


def test_the_profile_form_still_saves_the_profile_after_a_refused_password_change(login_as, db):
    client, user = login_as("applicant")
    page = client.post("/profile/password", data={
        "pw-current": "wrong-password-1", "pw-password": NEW, "pw-confirm": NEW}).get_data(as_text=True)
    # the page now lives at /profile/password: the profile form must not post there
    assert '<form method="post" action="/profile"' in page
    response = client.post("/profile", data={
        "name": "Renamed Person", "name_native": "", "locale": "en", "timezone": "Europe/Paris"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.timezone) == ("Renamed Person", "Europe/Paris")
