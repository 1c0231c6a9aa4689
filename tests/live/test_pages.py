"""The live pages: rooms per role, slides, the docking board and meetings with invitations."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from roadshow.applications.models import Deck
from roadshow.extensions import db
from roadshow.live.models import DockingKind, DockingRequest
from tests.live.conftest import act
from tests.many_events_fixtures import event_url


@pytest.mark.parametrize(("who", "control"), [
    ("organizer", "Host controls"), ("judge", "Your live score"),
    ("recruiter", "District docking"), ("presenter", "Ask the presenter a question"),
])
def test_each_role_gets_its_room_page(roadshow, login_as, who, control):
    user = roadshow.presenters[0] if who == "presenter" else getattr(roadshow, who)
    client, _ = login_as(user)
    page = client.get(event_url(roadshow.event, f"/live/{roadshow.session.id}"))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert control in html
    assert "vendor/socket.io.min.js" in html
    assert "<script>" not in html
    assert 'data-strings=' in html
    assert "https://meet.example.org/roadshow" in html


def test_room_page_in_chinese(roadshow, login_as):
    client, _ = login_as(roadshow.judge, locale="zh_Hans_CN") if False else login_as(roadshow.judge)
    roadshow.judge.locale = "zh_Hans_CN"
    db.session.commit()
    html = client.get(event_url(roadshow.event, f"/live/{roadshow.session.id}")).get_data(as_text=True)
    assert "您的现场评分" in html
    assert "舞台" in html


def test_room_header_gives_the_whole_session_in_the_readers_zone_and_the_events_beside_it(roadshow, login_as):
    presenter = roadshow.presenters[0]
    presenter.timezone = "America/Los_Angeles"
    db.session.commit()
    client, _ = login_as(presenter)
    html = client.get(event_url(roadshow.event, f"/live/{roadshow.session.id}")).get_data(as_text=True)
    header = html.split("<h1", 1)[1].split("</p>", 1)[0]
    mine, event_side = header.split("Event time:")
    assert "18:00 – 20:00 (America/Los_Angeles, GMT-07:00)" in mine
    assert "09:00 – 11:00 (Asia/Shanghai, GMT+08:00)" in event_side


@pytest.mark.parametrize(("locale", "span"), [
    ("en", "Thu, Jun 11, 2026, 09:00 – 11:00 (Asia/Shanghai, GMT+08:00)"),
    ("zh_Hans_CN", "2026年6月11日周四 09:00 – 11:00 (Asia/Shanghai, GMT+08:00)"),
])
def test_room_header_names_the_zone_once_for_the_sessions_span(roadshow, login_as, locale, span):
    client, judge = login_as(roadshow.judge)
    judge.locale = locale
    db.session.commit()
    html = client.get(event_url(roadshow.event, f"/live/{roadshow.session.id}")).get_data(as_text=True)
    header = html.split("<h1", 1)[1].split("</p>", 1)[0]
    assert span in header
    assert header.count("GMT") == 1


def test_a_span_past_midnight_gives_the_end_its_day(app, roadshow):
    from roadshow.i18n import recipient_context
    from roadshow.live.views import time_range

    starts = datetime(2026, 6, 11, 15, 0, tzinfo=UTC)
    with app.test_request_context(), recipient_context("en", "Asia/Shanghai"):
        assert time_range(starts, starts + timedelta(hours=2)) == (
            "Thu, Jun 11, 2026, 23:00 – Fri, Jun 12, 2026, 01:00 (Asia/Shanghai, GMT+08:00)")


def programme_of(html: str) -> str:
    return html.split('id="program-heading"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize(("locale", "caption"), [
    ("en", "Times in Asia/Shanghai, GMT+08:00"), ("zh_Hans_CN", "时间按 Asia/Shanghai, GMT+08:00 显示"),
])
def test_room_programme_names_its_zone_once_and_gives_only_times_per_row(roadshow, login_as, locale, caption):
    client, judge = login_as(roadshow.judge)
    judge.locale = locale
    db.session.commit()
    programme = programme_of(client.get(event_url(roadshow.event, f"/live/{roadshow.session.id}")).get_data(as_text=True))
    assert caption in programme
    assert programme.count("Asia/Shanghai") == 1
    assert programme.count("GMT") == 1
    times = re.findall(r"<time datetime=\"[^\"]+\">([^<]+)</time>", programme)
    assert times == ["09:00", "09:10", "09:10", "09:30", "09:30", "09:50"]


def test_room_programme_is_in_the_readers_zone(roadshow, login_as):
    presenter = roadshow.presenters[0]
    presenter.timezone = "America/Los_Angeles"
    db.session.commit()
    client, _ = login_as(presenter)
    programme = programme_of(client.get(event_url(roadshow.event, f"/live/{roadshow.session.id}")).get_data(as_text=True))
    assert "Times in America/Los_Angeles, GMT-07:00" in programme
    assert "Asia/Shanghai" not in programme
    assert re.findall(r"<time[^>]*>([^<]+)</time>", programme)[:2] == ["18:00", "18:10"]


def test_outsiders_cannot_open_the_room_and_unknown_rooms_are_404(roadshow, login_as):
    client, _ = login_as(roadshow.outsider)
    assert client.get(event_url(roadshow.event, f"/live/{roadshow.session.id}")).status_code == 403
    assert client.get(event_url(roadshow.event, "/live/987654")).status_code == 404


def test_live_list_and_dashboard_link_to_the_rooms(roadshow, login_as, connect):
    client, _ = login_as(roadshow.judge)
    listing = client.get("/live/").get_data(as_text=True)
    room = event_url(roadshow.event, f"/live/{roadshow.session.id}")
    assert room in listing
    assert "Morning pitches" in listing
    assert "Live now: Morning pitches" not in client.get("/dashboard").get_data(as_text=True)
    host = connect(roadshow.organizer, roadshow.session)
    assert act(host, "stage", command="open", action_id="open")["ok"]
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Live now: Morning pitches" in dashboard  # the event's card leads into the open room
    assert f'href="{room}"' in dashboard


def make_pdf(pages: int) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("helvetica", size=40)
        pdf.cell(0, 40, f"Slide {number}")
    return bytes(pdf.output())


def test_deck_pages_are_served_as_png_rendered_once(app, roadshow, login_as):
    from pathlib import Path

    data = make_pdf(3)
    folder = Path(app.config["UPLOAD_FOLDER"]) / "decks"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "deck-token.pdf").write_bytes(data)
    db.session.add(Deck(application_id=roadshow.applications[0].id, original_name="deck.pdf",
                        stored_name="deck-token.pdf", content_type="application/pdf",
                        size_bytes=len(data), sha256="c0ffee" * 10 + "beef", page_count=3))
    db.session.commit()
    client, _ = login_as(roadshow.judge)
    url = event_url(roadshow.event, f"/live/{roadshow.session.id}/deck/{roadshow.applications[0].id}/2.png")
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")
    cached = list((Path(app.instance_path) / "live_decks").rglob("*.png"))
    assert len(cached) == 1
    assert client.get(event_url(roadshow.event, f"/live/{roadshow.session.id}/deck/{roadshow.applications[0].id}/4.png")).status_code == 404
    outsider, _ = login_as(roadshow.outsider)
    assert outsider.get(url).status_code == 403


def docking_request(roadshow, kind: DockingKind = DockingKind.TALK) -> DockingRequest:
    request = DockingRequest(event_id=roadshow.event.id, application_id=roadshow.applications[0].id,
                             district_id=roadshow.district.id, recruiter_id=roadshow.recruiter.id,
                             kind=kind, note="Our park fits")
    db.session.add(request)
    db.session.commit()
    return request


def test_docking_board_shows_who_wants_to_talk_with_whom_per_role(roadshow, login_as, make_user, make_district):
    request = docking_request(roadshow)
    for user in (roadshow.organizer, roadshow.recruiter, roadshow.presenters[0]):
        client, _ = login_as(user)
        html = client.get(event_url(roadshow.event, "/live/docking")).get_data(as_text=True)
        assert "Low-power IoT 1" in html
        assert "Gulou District" in html
        assert "Our park fits" in html
    stranger = make_user("recruiter", district=make_district(code="pei", name_en="Pei County"))
    for user in (roadshow.presenters[1], stranger):
        client, _ = login_as(user)
        assert "Our park fits" not in client.get(event_url(roadshow.event, "/live/docking")).get_data(as_text=True)
    client, _ = login_as(stranger)
    assert client.get(event_url(roadshow.event, f"/live/docking/{request.id}/meeting")).status_code == 403
    client, _ = login_as(roadshow.judge)
    assert client.get(event_url(roadshow.event, "/live/docking")).status_code == 403


def test_arranging_a_meeting_emails_an_ics_invite_to_applicant_and_district(roadshow, login_as, mailbox):
    request = docking_request(roadshow)
    client, _ = login_as(roadshow.organizer)
    when = (datetime.now(UTC) + timedelta(days=3)).astimezone(
        __import__("zoneinfo").ZoneInfo(roadshow.organizer.timezone))
    response = client.post(event_url(roadshow.event, f"/live/docking/{request.id}/meeting"), data={
        "starts_at": when.strftime("%Y-%m-%dT%H:%M"), "minutes": "45",
        "url": "https://meet.example.org/follow-up"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(event_url(roadshow.event, "/live/docking"))
    assert "3 invitations with a calendar file were sent." in client.get(event_url(roadshow.event, "/live/docking")).get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(DockingRequest, request.id)
    assert stored.meeting_url == "https://meet.example.org/follow-up"
    assert stored.meeting_ends_at - stored.meeting_starts_at == timedelta(minutes=45)
    applicant_mail = mailbox.to(roadshow.presenters[0].email)
    assert applicant_mail
    assert mailbox.to(roadshow.recruiter.email)
    part = next(p for p in applicant_mail[0].walk() if p.get_content_type() == "text/calendar")
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["uid"]) == stored.meeting_uid
    assert event.decoded("dtstart") == stored.meeting_starts_at
    assert "Low-power IoT 1" in str(event["summary"])


def test_a_meeting_in_the_past_is_refused_and_the_input_kept(roadshow, login_as):
    request = docking_request(roadshow)
    client, _ = login_as(roadshow.recruiter)
    response = client.post(event_url(roadshow.event, f"/live/docking/{request.id}/meeting"), data={
        "starts_at": "2020-01-01T10:00", "minutes": "30", "url": "https://meet.example.org/x"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose a time in the future." in html
    assert "https://meet.example.org/x" in html
    assert db.session.scalars(select(DockingRequest)).one().meeting_starts_at is None


def arrange(client, request: DockingRequest) -> None:
    when = datetime.now(UTC) + timedelta(days=3)
    response = client.post(event_url(request.application.event, f"/live/docking/{request.id}/meeting"), data={
        "starts_at": when.strftime("%Y-%m-%dT%H:%M"), "minutes": "30", "url": ""})
    assert response.status_code == 302


def mail_text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.mark.parametrize(("kind", "english", "chinese"), [
    (DockingKind.TALK, "Gulou District asked for a follow-up talk about Low-power IoT 1.",
     "鼓楼区 就项目“低功耗物联网 1”提出了后续洽谈请求。"),
    (DockingKind.INTEREST, "Gulou District marked its interest in Low-power IoT 1.",
     "鼓楼区 对项目“低功耗物联网 1”表达了意向。"),
])
def test_meeting_email_says_what_the_district_asked_for(roadshow, login_as, mailbox, kind, english, chinese):
    roadshow.recruiter.locale = "zh_Hans_CN"
    db.session.commit()
    request = docking_request(roadshow, kind)
    client, _ = login_as(roadshow.organizer)
    arrange(client, request)
    to_applicant = mail_text(mailbox.to(roadshow.presenters[0].email)[0])
    to_district = mail_text(mailbox.to(roadshow.recruiter.email)[0])
    assert english in " ".join(to_applicant.split())
    assert chinese in to_district
    for text in (to_applicant, to_district):
        [when] = [line for line in text.splitlines() if line.startswith(("When:", "时间："))]
        assert when.count("Asia/Shanghai") == 1, when
    if kind == DockingKind.INTEREST:
        assert "follow-up talk about" not in to_applicant
        assert "后续洽谈请求" not in to_district


@pytest.mark.parametrize(("who", "locale", "line"), [
    ("judge", "en", "You are here as: Judge"),
    ("judge", "zh_Hans_CN", "您的身份：评审专家"),
    ("recruiter", "en", "You are here as: District recruiter"),
    ("recruiter", "zh_Hans_CN", "您的身份：板块招才专员"),
    ("organizer", "en", "You are here as: Host"),
    ("presenter", "zh_Hans_CN", "您的身份：路演人"),
])
def test_room_names_the_users_part_as_the_rest_of_the_app_does(roadshow, login_as, who, locale, line):
    user = roadshow.presenters[0] if who == "presenter" else getattr(roadshow, who)
    client, _ = login_as(user)
    user.locale = locale
    db.session.commit()
    assert line in client.get(event_url(roadshow.event, f"/live/{roadshow.session.id}")).get_data(as_text=True)
