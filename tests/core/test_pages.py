"""Unit-of-page tests: the home page, the dashboard, the language switch."""

from __future__ import annotations

import pytest

from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.extensions import db as _db


def test_home_without_event_says_no_call_is_open(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"No call is open at the moment." in response.data


def test_home_lists_the_open_calls_of_every_office_and_not_the_others(client, make_organisation, make_event):
    a, b = make_organisation(name_en="Xuzhou Office"), make_organisation(name_en="Xiao County Office")
    open_a = make_event(a, phase="call", title_en="Xuzhou Call 2027")
    open_b = make_event(b, kind="symposium", phase="call", title_en="Shanghai Symposium")
    make_event(a, phase="roadshow", title_en="Xuzhou Roadshow 2026")
    make_event(a, phase="call", title_en="Hidden Draft", published=False)
    page = client.get("/").get_data(as_text=True)
    assert "Xuzhou Call 2027" in page
    assert "Shanghai Symposium" in page
    assert f"/e/{open_a.slug}" in page
    assert f"/e/{open_b.slug}" in page
    assert "Xuzhou Roadshow 2026" not in page
    assert "Hidden Draft" not in page
    assert "Register to take part" in page  # the symposium registers people
    chinese = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "正在征集" in chinese


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


def test_a_recruiters_dashboard_names_their_district_on_the_events_card(login_as, make_district, make_event):
    client, _user = login_as("recruiter", district=make_district(), locale="zh_Hans_CN", name_native="张磊")
    event = make_event(title_zh="徐州云路演")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "当前登录：张磊。" in page
    card = _card(page, event.slug)
    assert "徐州云路演" in card
    assert "鼓楼区" in card


def _card(page: str, slug: str) -> str:
    """The dashboard card of one event."""
    start = page.index(f'data-event="{slug}"', page.index('id="events-heading"'))
    end = page.find('event-card"', start)
    return page[start:end if end != -1 else len(page)]


def test_two_events_side_by_side_each_card_names_its_own_roles(login_as, make_event, make_organisation,
                                                              grant, make_user):
    client, user = login_as("applicant")
    office = make_organisation(name_en="Xuzhou Office")
    call = make_event(office, phase="call", title_en="Call 2027")
    roadshow = make_event(office, phase="roadshow", title_en="Roadshow 2026")
    other = make_event(office, phase="call", title_en="Not Mine")
    grant(user, roadshow, Role.JUDGE)
    _db.session.add(Application(event_id=call.id, applicant_id=user.id, status=ApplicationStatus.DRAFT))
    _db.session.commit()
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Not Mine" not in page
    assert f'data-event="{other.slug}"' not in page
    judge_card = _card(page, roadshow.slug)
    assert "Roadshow 2026" in judge_card
    assert "Judge" in judge_card
    assert "Applicant" not in judge_card
    assert "Roadshow days" in judge_card
    applicant_card = _card(page, call.slug)
    assert "Call 2027" in applicant_card
    assert "Applicant" in applicant_card
    assert "Judge" not in applicant_card
    assert "Call open" in applicant_card


def test_finished_events_fold_into_earlier_events(login_as, make_event, grant):
    client, user = login_as("applicant")
    old = make_event(phase="finished", title_en="Roadshow 2025")
    archived = make_event(phase="finished", title_en="Roadshow 2024", archived=True)
    current = make_event(phase="review", title_en="Roadshow 2026")
    for event in (old, archived, current):
        grant(user, event, Role.JUDGE)
    page = client.get("/dashboard").get_data(as_text=True)
    earlier = page[page.index("Earlier events (2)"):]
    assert "Roadshow 2025" in earlier
    assert "Roadshow 2024" in earlier
    assert "Roadshow 2026" not in earlier
    assert page.index("Roadshow 2026") < page.index("Earlier events (2)")
    client.post("/language", data={"locale": "zh_Hans_CN", "next": "/dashboard"})
    chinese = client.get("/dashboard").get_data(as_text=True)
    assert "以往活动（2）" in chinese
    assert "已归档" in chinese


def test_an_organizer_sees_their_offices_first_and_a_draft_asks_to_be_published(login_as, make_event):
    client, _user = login_as("organizer")
    draft = make_event(published=False, title_en="Next Year Draft")
    page = client.get("/dashboard").get_data(as_text=True)
    assert page.index("Your offices") < page.index("Your events")
    assert "/o/test-office/events" in page
    card = _card(page, draft.slug)
    assert "Not published yet: check it and publish it." in card
    assert f"/e/{draft.slug}/edit" in card
    assert "Draft" in card


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


def test_each_card_shows_its_domains_to_dos_linked_inside_its_event(login_as, make_event):
    client, user = login_as("applicant")
    roadshow = make_event(phase="call", title_en="Roadshow 2027")
    symposium = make_event(kind="symposium", phase="call", title_en="Shanghai Symposium")
    applications = [Application(event_id=event.id, applicant_id=user.id, status=ApplicationStatus.SUBMITTED)
                    for event in (roadshow, symposium)]
    _db.session.add_all(applications)
    _db.session.commit()
    page = client.get("/dashboard").get_data(as_text=True)
    roadshow_card = _card(page, roadshow.slug)
    assert "Submitted." in roadshow_card
    assert f'href="/e/{roadshow.slug}/applications/{applications[0].id}"' in roadshow_card
    symposium_card = _card(page, symposium.slug)
    assert "Registered." in symposium_card
    assert "Submitted." not in symposium_card


def test_the_navigation_leads_an_organizer_to_their_offices_events(login_as, make_organisation):
    client, organizer = login_as("organizer")
    page = client.get("/dashboard").get_data(as_text=True)
    nav = page[page.index('id="main-nav"'):page.index('id="main"')]
    assert 'href="/o/test-office/events"' in nav
    make_organisation(organizers=(organizer,), slug="xiao-county", name_en="Xiao County Office")
    nav = client.get("/dashboard").get_data(as_text=True)
    nav = nav[nav.index('id="main-nav"'):nav.index('id="main"')]
    assert 'href="/o/xiao-county/events"' in nav
    assert "Xiao County Office" in nav
    applicant, _ = login_as("applicant")
    page = applicant.get("/dashboard").get_data(as_text=True)
    assert "/events" not in page[page.index('id="main-nav"'):page.index('id="main"')]
