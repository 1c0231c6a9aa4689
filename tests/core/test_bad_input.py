"""Bad input gets a clear message in the reader's language, and what was typed is kept."""

from __future__ import annotations

import pytest

ZH = {"Accept-Language": "zh-CN"}
FORM = {"name": "Ada Lovelace", "email": "ada@example.org", "password": "Analytical-Engine-1843",
        "confirm": "Analytical-Engine-1843", "locale": "en", "timezone": "Europe/London"}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True, "MAX_CONTENT_LENGTH": 64 * 1024}


def test_csrf_failure_explains_and_keeps_what_was_typed(client):
    response = client.post("/register", data=FORM)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your form expired or was sent from another page" in page
    assert 'name="email" value="ada@example.org"' in page
    assert "Analytical-Engine-1843" not in page  # passwords are never written back
    assert 'name="csrf_token"' in page


def test_csrf_failure_in_chinese(client):
    response = client.post("/register", data=FORM, headers=ZH)
    assert response.status_code == 400
    assert "表单已过期或来自其他页面" in response.get_data(as_text=True)


def test_resending_after_csrf_failure_reaches_the_form(client):
    page = client.post("/register", data=FORM).get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/register", data={**FORM, "csrf_token": token, "password": "",
                                               "confirm": ""})
    assert response.status_code == 200
    assert 'value="ada@example.org"' in response.get_data(as_text=True)


def test_oversized_body_gets_the_413_page_in_both_languages(client):
    big = {"name": "x" * (100 * 1024)}
    response = client.post("/register", data=big)
    assert response.status_code == 413
    assert "File too large" in response.get_data(as_text=True)
    assert "up to 0 MB" not in response.get_data(as_text=True)
    response = client.post("/register", data=big, headers=ZH)
    assert response.status_code == 413
    assert "文件过大" in response.get_data(as_text=True)
