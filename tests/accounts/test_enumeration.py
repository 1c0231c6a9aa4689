"""Nobody learns which addresses have accounts, and one account's password cannot be guessed
slowly from many addresses (issue 12, item 16)."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import func, select

from roadshow.accounts import services
from roadshow.accounts.models import User
from tests.conftest import TEST_PASSWORD

STRONG = "Analytical-Engine-1843"
FORM = {"name": "Ada Lovelace", "name_native": "", "password": STRONG, "confirm": STRONG,
        "locale": "en", "timezone": "Europe/London"}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LOGIN_RATE_LIMIT": "100 per minute",
            "ACCOUNT_RATE_LIMIT": "100 per minute", "PASSWORD_RATE_LIMIT": "3 per 15 minutes"}


@pytest.fixture
def password_checks(monkeypatch):
    """How many scrypt derivations (werkzeug's default password hash) a request costs."""
    calls = {"n": 0}
    real = hashlib.scrypt

    def counting(*args, **kwargs):
        calls["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counting)
    return calls


def _real_account(db, email: str = "known@example.org") -> User:
    """An account whose hash is made as production makes it (the test users' are cheaper)."""
    user = services.create_user(db.session, email=email, password=TEST_PASSWORD,
                                role="applicant", name="Known Person", verified=True)
    db.session.commit()
    return user


# --- timing ------------------------------------------------------------------------------

def test_an_unknown_email_costs_the_same_password_check_as_a_known_one(client, db,
                                                                       password_checks):
    _real_account(db)
    client.post("/login", data={"email": "first@example.org", "password": "wrong-one-1"})  # warm
    password_checks["n"] = 0
    client.post("/login", data={"email": "known@example.org", "password": "wrong-one-1"})
    known = password_checks["n"]
    password_checks["n"] = 0
    client.post("/login", data={"email": "nobody@example.org", "password": "wrong-one-1"})
    unknown = password_checks["n"]
    assert known == 1
    assert unknown == known


def test_the_same_answer_for_an_unknown_email_and_a_wrong_password(client, db):
    _real_account(db)
    wrong = client.post("/login", data={"email": "known@example.org", "password": "wrong-one-1"})
    unknown = client.post("/login", data={"email": "nobody@example.org", "password": "wrong-one-1"})
    assert wrong.status_code == unknown.status_code == 200
    message = "The email address or password is not correct."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


# --- registration ------------------------------------------------------------------------

def _page(response, email: str) -> str:
    """The page with the address typed and the (time-stamped) CSRF tokens left out."""
    page = re.sub(re.escape(email), "EMAIL", response.get_data(as_text=True), flags=re.IGNORECASE)
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', page)


def test_registering_a_known_address_answers_as_for_a_new_one_and_mails_the_owner(
        client, db, make_user, mailbox, password_checks):
    owner = make_user("applicant", email="taken@example.org", name="Grace Hopper")
    before = owner.password_hash
    fresh = client.post("/register", data={**FORM, "email": "fresh@example.org"})
    costs_fresh = password_checks["n"]
    password_checks["n"] = 0
    taken = client.post("/register", data={**FORM, "email": "Taken@Example.org"})
    assert password_checks["n"] == costs_fresh  # the same hashing work
    assert fresh.status_code == taken.status_code == 200
    assert _page(taken, "taken@example.org") == _page(fresh, "fresh@example.org")
    assert "already exists" not in taken.get_data(as_text=True)
    # nothing created or changed; the owner is told instead
    count = db.session.scalar(select(func.count()).select_from(User).where(
        func.lower(User.email) == "taken@example.org"))
    assert count == 1
    db.session.refresh(owner)
    assert owner.password_hash == before
    [notice] = mailbox.to("taken@example.org")
    assert notice["Subject"] == "You already have a Roadshow account"
    body = notice.get_body(("plain",)).get_content()
    assert "Hello Grace Hopper," in body
    assert "http://localhost/login" in body
    assert re.search(r"http://localhost/password/forgot\?email=taken%40example\.org", body)
    assert len(mailbox.to("fresh@example.org")) == 1  # the newcomer's confirmation link


def test_the_owner_is_told_in_their_language(client, make_user, mailbox):
    make_user("applicant", email="wang@example.org", locale="zh_Hans_CN")
    client.post("/register", data={**FORM, "email": "wang@example.org"})
    [notice] = mailbox.to("wang@example.org")
    assert notice["Subject"] == "您已有云路演账号"
    assert "没有创建新账号" in notice.get_body(("plain",)).get_content()


def test_a_deactivated_owner_is_not_mailed_and_the_page_is_the_same(client, make_user, mailbox):
    make_user("applicant", email="gone@example.org", active=False)
    response = client.post("/register", data={**FORM, "email": "gone@example.org"})
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    assert mailbox.to("gone@example.org") == []


# --- per-account throttle ------------------------------------------------------------------

def _sign_in(client, email: str, password: str, address: str):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_wrong_passwords_for_one_account_are_limited_whatever_the_address(client, make_user):
    user = make_user("judge")
    for n in range(3):  # three addresses, one guess each: the address limit never trips
        assert _sign_in(client, user.email, "wrong-one-1", f"203.0.113.{n}").status_code == 200
    refused = _sign_in(client, user.email.upper(), TEST_PASSWORD, "198.51.100.9")
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Too many attempts in a short time" in page
    assert "You can try again in about 15 minutes." in page  # the account's window, not a minute
    chinese = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD},
                          headers={"Accept-Language": "zh-CN"})
    assert "大约 15 分钟后可以再试。" in chinese.get_data(as_text=True)
    # another account is not affected
    other = make_user("judge")
    assert _sign_in(client, other.email, TEST_PASSWORD, "203.0.113.0").status_code == 302


def test_an_unknown_email_is_limited_exactly_like_a_known_one(client):
    for n in range(3):
        assert _sign_in(client, "nobody@example.org", "wrong-one-1", f"203.0.113.{n}").status_code == 200
    assert _sign_in(client, "nobody@example.org", "wrong-one-1", "198.51.100.9").status_code == 429


def test_right_passwords_are_not_counted(app, make_user):
    user = make_user("judge")
    for _ in range(5):
        client = app.test_client()
        assert _sign_in(client, user.email, TEST_PASSWORD, "203.0.113.1").status_code == 302


def test_wrong_current_passwords_on_the_profile_count_with_sign_in(login_as):
    client, user = login_as("applicant")
    data = {"pw-current": "wrong-one-1", "pw-password": STRONG, "pw-confirm": STRONG}
    assert client.post("/profile/password", data=data).status_code == 200
    assert client.post("/profile/password", data=data).status_code == 200
    assert _sign_in(client.application.test_client(), user.email, "wrong-one-1",
                    "203.0.113.5").status_code == 200
    response = client.post("/profile/password", data={**data, "pw-current": TEST_PASSWORD})
    assert response.status_code == 429
