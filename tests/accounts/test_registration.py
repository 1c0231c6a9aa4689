"""Applicants register themselves and confirm their address through a link we email."""

from __future__ import annotations

from sqlalchemy import select

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from tests.accounts.conftest import link_in

GOOD = {
    "name": "Ada Lovelace", "name_native": "", "email": "ada@example.org",
    "password": "Analytical-Engine-1843", "confirm": "Analytical-Engine-1843",
    "locale": "en", "timezone": "Europe/London",
}


def register(client, **changes):
    return client.post("/register", data={**GOOD, **changes})


def test_register_creates_unverified_applicant_and_mails_link(client, db, mailbox):
    response = register(client)
    assert response.status_code == 200
    assert b"Check your email" in response.data
    user = db.session.scalar(select(User).where(User.email == "ada@example.org"))
    assert user.role == Role.APPLICANT
    assert user.email_verified_at is None
    assert user.timezone == "Europe/London"
    [message] = mailbox.to("ada@example.org")
    assert "Confirm your email address" in message["Subject"]
    assert link_in(message).startswith("/verify/")


def test_unverified_applicant_cannot_sign_in_and_can_resend(client, db, mailbox):
    register(client)
    response = client.post("/login", data={"email": "ada@example.org", "password": GOOD["password"]})
    assert b"Please confirm your email address first" in response.data
    assert b"Send the link again" in response.data
    mailbox.clear()
    response = client.post("/verify/resend", data={"email": "ada@example.org"})
    assert response.status_code == 302
    assert len(mailbox.to("ada@example.org")) == 1


def test_verification_link_confirms_and_signs_in(client, db, mailbox):
    register(client)
    path = link_in(mailbox.to("ada@example.org")[0])
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    user = db.session.scalar(select(User).where(User.email == "ada@example.org"))
    assert user.email_verified_at is not None
    assert b"Ada Lovelace" in client.get("/dashboard").data


def test_a_used_verification_link_does_not_sign_in_again(client, app, db, mailbox):
    register(client)
    path = link_in(mailbox.to("ada@example.org")[0])
    assert client.get(path).headers["Location"] == "/dashboard"
    # someone else opens the same link later (a forwarded email): confirmed, but not signed in
    other = app.test_client()
    response = other.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    page = other.get("/login").get_data(as_text=True)
    assert "Your email address is already confirmed. Please sign in." in page
    assert other.get("/dashboard").status_code == 302
    assert client.get(path).headers["Location"] == "/dashboard"  # its owner, still signed in


def test_tampered_verification_link_shows_clear_page(client):
    response = client.get("/verify/not-a-real-token")
    assert response.status_code == 400
    assert b"This link does not work" in response.data
    assert b"Send the confirmation link again" in response.data


def test_registration_page_preselects_language_and_suggests_zone(client):
    page = client.get("/register", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert 'selected value="zh_Hans_CN"' in page
    assert "data-suggest-timezone" in page
    client.set_cookie("tz", "America/Toronto")
    page = client.get("/register").get_data(as_text=True)
    assert 'selected value="America/Toronto"' in page


def test_a_taken_address_gets_the_check_your_email_page_and_no_second_account(client, make_user, db):
    # saying "already exists" would tell anyone which addresses have accounts (issue 12,
    # item 16); the owner is mailed instead (tests/accounts/test_enumeration.py)
    make_user("applicant", email="taken@example.org")
    response = register(client, email="Taken@Example.org", name="Grace Hopper",
                        timezone="America/New_York")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Check your email" in page
    assert "already exists" not in page
    assert db.session.scalar(select(User).where(User.name == "Grace Hopper")) is None


def test_a_taken_address_reads_the_same_in_chinese(client, make_user):
    make_user("applicant", email="taken@example.org")
    response = client.post("/register", data={**GOOD, "email": "taken@example.org"},
                           headers={"Accept-Language": "zh-CN"})
    page = response.get_data(as_text=True)
    assert "该邮箱地址已注册账号" not in page
    assert "我们已向 taken@example.org 发送了一封邮件" in page


def test_weak_password_is_refused_in_both_languages(client, db):
    response = register(client, password="abcdefghij", confirm="abcdefghij")
    assert b"Mix letters with digits or symbols" in response.data
    assert b'value="ada@example.org"' in response.data
    response = client.post("/register", data={**GOOD, "password": "short1", "confirm": "short1"},
                           headers={"Accept-Language": "zh-CN"})
    assert "密码至少需要 10 个字符" in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None


def test_mismatched_passwords_are_refused(client):
    response = register(client, confirm="Something-else-99")
    assert b"The two passwords are not the same." in response.data


def test_a_short_password_and_a_mismatch_are_both_reported_in_one_round(client):
    response = register(client, password="short1", confirm="short2")
    assert b"The two passwords are not the same." in response.data
    assert b"Use at least 10 characters for your password." in response.data


def test_login_page_links_to_register_and_reset(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/register"' in page
    assert 'href="/password/forgot"' in page


def test_a_mistyped_email_is_explained_in_the_readers_language_and_kept(client, db):
    page = register(client, email="ada.example.org").get_data(as_text=True)
    assert "Please enter an email address such as name@example.com." in page
    assert 'value="ada.example.org"' in page
    client.post("/language", data={"locale": "zh_Hans_CN", "next": "/login"})
    page = client.post("/login", data={"email": "ada.example.org", "password": "x"}).get_data(as_text=True)
    assert "请输入有效的邮箱地址，例如 name@example.com。" in page
    assert "无效的 Email 地址" not in page  # WTForms' own message, half English
    assert db.session.scalar(select(User).where(User.email == "ada.example.org")) is None
