"""Unit-of-page tests: the home page, the dashboard, the language switch."""

from __future__ import annotations

import pytest


def test_home_without_event_invites_organizers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"No event is open yet" in response.data


def test_home_in_chinese_from_accept_language(client):
    response = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert "登录".encode() in response.data
    assert b'lang="zh-Hans-CN"' in response.data


def test_language_switch_remembers_choice_and_returns(client):
    response = client.post("/language", data={"locale": "zh_Hans_CN", "next": "/login"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert "登录".encode() in client.get("/login").data


def test_language_switch_refuses_offsite_redirect(client):
    response = client.post("/language", data={"locale": "en", "next": "//evil.example/x"})
    assert response.headers["Location"] == "/dashboard"


@pytest.mark.parametrize("role", ["organizer", "judge", "recruiter", "applicant"])
def test_each_role_reaches_own_dashboard(login_as, role):
    client, user = login_as(role)
    response = client.get("/dashboard")
    assert response.status_code == 200
    assert user.name.encode() in response.data


def test_wrong_password_is_refused_with_message(client, make_user):
    user = make_user("judge")
    response = client.post("/login", data={"email": user.email, "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert b"not correct" in response.data


def test_a_recruiters_dashboard_names_their_district_in_one_sentence(login_as, make_district):
    client, _user = login_as("recruiter", district=make_district(), locale="zh_Hans_CN", name_native="张磊")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "当前登录：张磊，鼓楼区" in page
    assert "。 · " not in page


def test_names_follow_the_readers_language_not_the_named_persons(app, make_user):
    from flask_babel import force_locale

    judge = make_user("judge", name="Prof. Gao Yong", name_native="高勇教授", locale="zh_Hans_CN")
    with app.test_request_context("/"):
        with force_locale("en"):
            assert judge.display_name == "Prof. Gao Yong"
        with force_locale("zh_Hans_CN"):
            assert judge.display_name == "高勇教授"


@pytest.mark.parametrize("target", ["/login\r\nSet-Cookie: stolen=1", "/login\n", "/\x00/x",
                                    "/\t/evil.example/x", "/\\evil.example"])
def test_language_switch_with_a_control_character_or_backslash_stays_on_site(client, target):
    response = client.post("/language", data={"locale": "en", "next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/")
    assert not location.startswith(("//", "/\\"))
    assert "\n" not in location
    assert not any("stolen" in cookie for cookie in response.headers.getlist("Set-Cookie"))
