"""Organizers create and edit events; phases are entered in the event's zone; pages show them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from roadshow.db import utcnow
from roadshow.events.models import Event, PhaseKind
from tests.events.factories import build_event
from tests.many_events_fixtures import DEFAULT_ORGANISATION_SLUG, event_url

NEW = f"/o/{DEFAULT_ORGANISATION_SLUG}/events/new"


def event_form(**overrides):
    data = {
        "title_zh": "纽约人才路演", "title_en": "New York Talent Roadshow",
        "description_zh": "说明", "description_en": "About it",
        "organizer_name_zh": "人才办", "organizer_name_en": "Talent Office",
        "timezone": "America/New_York", "online": "y", "venue_zh": "", "venue_en": "",
        "published": "y", "kind": "roadshow",
        "stage_call": "y", "stage_review": "y", "stage_schedule": "y", "stage_live": "y", "stage_signing": "y",
        "call-starts_at": "2026-02-01T09:00", "call-ends_at": "2026-03-08T23:59",
        "review-starts_at": "2026-03-09T00:00", "review-ends_at": "2026-04-01T00:00",
        "tracks-0-code": "ict", "tracks-0-name_zh": "信息通信", "tracks-0-name_en": "ICT",
        "tracks-1-code": "bio", "tracks-1-name_zh": "生物医药", "tracks-1-name_en": "Biomedicine",
    }
    data.update(overrides)
    return data


def test_organizer_creates_event_with_phases_entered_in_its_own_zone(login_as, db, make_district):
    district = make_district("pei", "沛县", "Pei County")
    client, _ = login_as("organizer")
    response = client.post(NEW, data=event_form(districts=[str(district.id)]))
    assert response.status_code == 302
    event = db.session.scalar(select(Event))
    assert event.timezone == "America/New_York"
    assert [t.code for t in event.tracks] == ["ict", "bio"]
    assert [d.code for d in event.districts] == ["pei"]
    call = event.phase(PhaseKind.CALL)
    # 23:59 on 8 March in New York is after the spring change: UTC-4, not UTC-5
    assert call.ends_at == datetime(2026, 3, 9, 3, 59, tzinfo=UTC)
    assert call.starts_at == datetime(2026, 2, 1, 14, 0, tzinfo=UTC)


def test_edit_form_shows_phase_times_in_the_events_zone(login_as, db):
    client, _ = login_as("organizer")
    client.post(NEW, data=event_form())
    event = db.session.scalar(select(Event))
    page = client.get(event_url(event, "/edit")).get_data(as_text=True)
    assert 'value="2026-03-08T23:59"' in page


def test_a_time_skipped_by_daylight_saving_is_refused_and_the_form_kept(login_as, db):
    client, _ = login_as("organizer")
    response = client.post(NEW, data=event_form(**{"call-ends_at": "2026-03-08T02:30"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "does not exist in America/New_York" in page
    assert "New York Talent Roadshow" in page
    assert db.session.scalar(select(Event)) is None


def test_phases_out_of_order_are_refused(login_as, db):
    client, _ = login_as("organizer")
    response = client.post(NEW, data=event_form(**{"review-starts_at": "2026-03-01T00:00"}))
    assert "must start after the previous phase ends" in response.get_data(as_text=True)
    assert db.session.scalar(select(Event)) is None


def test_event_form_in_chinese_says_what_is_wrong_in_chinese(login_as, db):
    client, _ = login_as("organizer", locale="zh_Hans_CN")
    response = client.post(NEW, data=event_form(title_en=""))
    assert "必填" in response.get_data(as_text=True) or "此字段" in response.get_data(as_text=True)


def test_organizer_moves_the_phase_by_hand_and_closes_the_call(login_as, db):
    client, _ = login_as("organizer")
    event = build_event(db.session)
    response = client.post(event_url(event, "/manage"), data={"override": "review",
                                                               "call_closed_by_hand": "y"})
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.phase_override == PhaseKind.REVIEW
    assert event.call_closed_by_hand
    client.post(event_url(event, "/manage"), data={"override": ""})
    db.session.refresh(event)
    assert event.phase_override is None
    assert not event.call_closed_by_hand


def test_custom_questions_are_added_and_removed(login_as, db):
    client, _ = login_as("organizer")
    event = build_event(db.session)
    bad = client.post(event_url(event, "/questions"), data={
        "kind": "choice", "prompt_zh": "来源", "prompt_en": "Source", "choices_zh": "朋友", "choices_en": "Friend"})
    assert "at least two options" in bad.get_data(as_text=True)
    client.post(event_url(event, "/questions"), data={
        "kind": "choice", "prompt_zh": "来源", "prompt_en": "How did you hear of us?",
        "choices_zh": "朋友\n网站", "choices_en": "A friend\nThe website", "required": "y"})
    db.session.refresh(event)
    assert [q.prompt_en for q in event.questions] == ["How did you hear of us?"]
    assert event.questions[0].options() == [("0", "朋友", "A friend"), ("1", "网站", "The website")]
    client.post(event_url(event, f"/questions/{event.questions[0].id}/delete"))
    db.session.refresh(event)
    assert event.questions == []


def test_event_page_shows_phase_deadline_in_readers_and_events_zone_with_countdown(client, db, make_district):
    close = utcnow() + timedelta(days=2)
    event = build_event(db.session, zone="America/New_York", call_ends=close,
                        districts=[make_district("pei", "沛县", "Pei County")])
    client.set_cookie("tz", "Europe/Berlin")
    page = client.get(event_url(event)).get_data(as_text=True)
    assert "Now: Call for projects" in page
    assert "Europe/Berlin" in page
    assert "America/New_York" in page
    assert "data-countdown=" in page
    assert "Pei County" in page
    assert "Integrated circuits and ICT" in page


def test_event_page_in_chinese_names_the_phase_in_chinese(client, db):
    event = build_event(db.session)
    page = client.get(event_url(event), headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "项目征集" in page


def test_event_page_in_chinese_labels_the_venue_with_a_chinese_colon(client, db):
    event = build_event(db.session, venue_zh="徐州国际会议中心", venue_en="Xuzhou Conference Centre")
    chinese = client.get(event_url(event), headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "会场：</span>" in chinese
    assert "会场:" not in chinese
    english = client.get(event_url(event), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Venue:</span>" in english


def test_event_page_names_the_zone_once_when_the_reader_shares_the_events_zone(client, db):
    event = build_event(db.session, zone="Asia/Shanghai")
    client.set_cookie("tz", "Asia/Shanghai")
    page = client.get(event_url(event)).get_data(as_text=True)
    assert "Times in Asia/Shanghai." in page
    assert "Times in your zone" not in page
    chinese = client.get(event_url(event), headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "时间按 Asia/Shanghai 显示。" in chinese
    client.set_cookie("tz", "Europe/Berlin")
    page = client.get(event_url(event)).get_data(as_text=True)
    assert "Times in your zone (Europe/Berlin) and in the event's zone (Asia/Shanghai)." in page


def test_only_organizers_manage_events(login_as, db):
    event = build_event(db.session)
    client, _ = login_as("applicant")
    assert client.get(NEW).status_code == 403
    assert client.post(event_url(event, "/manage"), data={"override": "review"}).status_code == 403
    assert client.get(event_url(event)).status_code == 200


def test_before_the_call_opens_the_event_page_and_the_home_page_say_when(client, db):
    opens = utcnow() + timedelta(days=3)
    event = build_event(db.session, call_starts=opens, call_ends=opens + timedelta(days=30))
    page = client.get(event_url(event)).get_data(as_text=True)
    assert "Applications open on" in page
    assert "Next: Call for projects" in page
    home = client.get("/").get_data(as_text=True)
    assert "Applications open on" in home
    assert event.title_en in home


def test_organizer_reopens_a_closed_call_by_hand(login_as, db):
    event = build_event(db.session, call_starts=utcnow() - timedelta(days=30),
                        call_ends=utcnow() - timedelta(days=1))
    client, _ = login_as("organizer")
    client.post(event_url(event, "/manage"), data={"override": "call"})
    page = client.get(event_url(event)).get_data(as_text=True)
    assert "Applications are open again until the organizers close the call." in page
    applicant, _ = login_as("applicant")
    form_page = applicant.get(event_url(event, "/apply")).get_data(as_text=True)
    assert 'value="submit" disabled' not in form_page
    assert "The call for projects is closed" not in form_page
