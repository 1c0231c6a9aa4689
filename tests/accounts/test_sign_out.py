"""Signing out ends the session on the server: copies of the cookies stop working and the live
rooms close (issue 12, item 10)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from roadshow.extensions import socketio
from tests.conftest import TEST_PASSWORD
from tests.live.conftest import NS, Roadshow


def _signed_in(app, user, remember: bool = False):
    client = app.test_client()
    data = {"email": user.email, "password": TEST_PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302
    return client


def _copy(app, client, *names: str):
    """Another browser holding copies of ``client``'s cookies (say, stolen before sign-out)."""
    thief = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        assert cookie is not None, f"no {name} cookie to copy"
        thief.set_cookie(name, cookie.value, domain=cookie.domain)
    return thief


def _opens_dashboard(client) -> bool:
    response = client.get("/dashboard")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_a_session_cookie_copied_before_sign_out_stops_working(app, make_user):
    user = make_user("judge")
    client = _signed_in(app, user)
    copy = _copy(app, client, "session")
    assert _opens_dashboard(copy)
    response = client.post("/logout", follow_redirects=True)
    assert "You are signed out." in response.get_data(as_text=True)
    assert not _opens_dashboard(copy)
    assert "/login" in copy.get("/dashboard").headers["Location"]
    assert not _opens_dashboard(client)


def test_a_remember_me_cookie_copied_before_sign_out_stops_working(app, make_user):
    user = make_user("judge")
    client = _signed_in(app, user, remember=True)
    remembered = client.get_cookie("remember_token")
    assert remembered is not None
    expires = remembered.expires
    if isinstance(expires, str):
        expires = parsedate_to_datetime(expires)
    assert timedelta(days=29) < expires - datetime.now(UTC) <= timedelta(days=31)  # not a year
    assert _opens_dashboard(_holding(app, remembered))
    client.post("/logout")
    assert not _opens_dashboard(_holding(app, remembered))


def _holding(app, cookie):
    """A fresh browser with only this cookie."""
    thief = app.test_client()
    thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    return thief


def test_a_copied_cookie_cannot_join_a_live_room_after_sign_out(app, make_user, make_district):
    roadshow = Roadshow(make_user, make_district)
    client = _signed_in(app, roadshow.judge)
    copy = _copy(app, client, "session")
    open_socket = socketio.test_client(app, namespace=NS, flask_test_client=copy,
                                       auth={"session_id": roadshow.session.id})
    assert open_socket.is_connected(NS)
    client.post("/logout")
    assert not open_socket.is_connected(NS)  # the socket opened with the copy is closed too
    assert not _opens_dashboard(copy)
    again = socketio.test_client(app, namespace=NS, flask_test_client=copy,
                                 auth={"session_id": roadshow.session.id})
    assert not again.is_connected(NS)


def test_signing_in_again_after_sign_out_works(app, make_user):
    user = make_user("judge")
    client = _signed_in(app, user)
    client.post("/logout")
    assert _opens_dashboard(_signed_in(app, user))


def test_sign_out_everywhere_from_the_profile_ends_every_device(app, make_user):
    user = make_user("applicant")
    laptop = _signed_in(app, user)
    phone = _signed_in(app, user, remember=True)
    remembered = phone.get_cookie("remember_token")
    page = laptop.get("/profile").get_data(as_text=True)
    assert 'action="/profile/sign-out-everywhere"' in page
    response = laptop.post("/profile/sign-out-everywhere", follow_redirects=True)
    assert "You are signed out on every device and browser where you were signed in." in \
        response.get_data(as_text=True)
    assert not _opens_dashboard(laptop)
    assert not _opens_dashboard(phone)
    assert not _opens_dashboard(_holding(app, remembered))


def test_sign_out_everywhere_is_offered_in_chinese(app, make_user):
    user = make_user("applicant", locale="zh_Hans_CN")
    client = _signed_in(app, user)
    page = client.get("/profile", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "Sign out everywhere" not in page
    assert "退出所有设备" in page


def test_sign_out_everywhere_needs_a_signed_in_user(client):
    response = client.post("/profile/sign-out-everywhere")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_password_reset_closes_the_live_rooms_open_elsewhere(app, make_user, make_district,
                                                               mailbox, read_link):
    roadshow = Roadshow(make_user, make_district)
    elsewhere = _signed_in(app, roadshow.judge)
    sock = socketio.test_client(app, namespace=NS, flask_test_client=elsewhere,
                                auth={"session_id": roadshow.session.id})
    assert sock.is_connected(NS)
    client = app.test_client()
    assert client.post("/password/forgot", data={"email": roadshow.judge.email}).status_code == 302
    [message] = mailbox.to(roadshow.judge.email)
    new = "Brand-new-secret-77"
    response = client.post(read_link(message), data={"password": new, "confirm": new})
    assert response.status_code == 302
    assert not sock.is_connected(NS)
