"""Sign-in, registration and reset requests are rate limited, with a friendly 429 page."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LOGIN_RATE_LIMIT": "3 per minute", "ACCOUNT_RATE_LIMIT": "2 per minute"}


def test_login_is_rate_limited_with_friendly_page(client, make_user):
    user = make_user("judge")
    for _ in range(3):
        assert client.post("/login", data={"email": user.email, "password": "wrong-one-1"}).status_code == 200
    response = client.post("/login", data={"email": user.email, "password": "wrong-one-1"})
    assert response.status_code == 429
    assert "Too many attempts in a short time" in response.get_data(as_text=True)
    response = client.post("/login", data={"email": user.email, "password": "wrong-one-1"},
                           headers={"Accept-Language": "zh-CN"})
    assert "短时间内尝试次数过多" in response.get_data(as_text=True)
    # reading the page is not limited
    assert client.get("/login").status_code == 200


@pytest.mark.parametrize("path", ["/register", "/password/forgot", "/verify/resend"])
def test_account_requests_are_rate_limited(client, path):
    for _ in range(2):
        assert client.post(path, data={"email": "x@example.org"}).status_code in (200, 302)
    assert client.post(path, data={"email": "x@example.org"}).status_code == 429
