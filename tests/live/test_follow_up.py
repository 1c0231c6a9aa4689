"""A district's follow-up request reaches the applicant by email, and the applicant accepts,
proposes times or declines; the district sees the answer (issue 12, item 29)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from roadshow.extensions import db
from roadshow.live.models import DockingAnswer, DockingRequest
from tests.live.conftest import act
from tests.many_events_fixtures import event_url


def mail_text(message) -> str:
    return " ".join(message.get_body(preferencelist=("plain",)).get_content().split())


def ask_for_a_talk(roadshow, connect, note="Meet our park manager") -> DockingRequest:
    host = connect(roadshow.organizer, roadshow.session)
    district = connect(roadshow.recruiter, roadshow.session)
    assert act(host, "stage", command="open")["ok"]
    assert act(host, "stage", command="call", index=1)["ok"]
    assert act(district, "dock", kind="talk", note=note)["ok"]
    return db.session.scalars(select(DockingRequest)).one()


@pytest.mark.parametrize(("locale", "zone", "subject", "line"), [
    ("en", "America/Denver", "Gulou District asks for a follow-up talk about Low-power IoT 1",
     "During the live roadshow, Gulou District asked for a follow-up talk with you about Low-power IoT 1."),
    ("zh_Hans_CN", "Europe/Berlin", "鼓楼区希望就“低功耗物联网 1”进行后续洽谈",
     "在线路演期间，鼓楼区 希望与您就“低功耗物联网 1”进行后续洽谈。"),
])
def test_the_applicant_is_emailed_in_their_language_and_zone(roadshow, connect, mailbox, db,
                                                            locale, zone, subject, line):
    applicant = roadshow.presenters[0]
    applicant.locale, applicant.timezone = locale, zone
    db.session.commit()
    request = ask_for_a_talk(roadshow, connect)
    [message] = mailbox.to(applicant.email)
    assert message["Subject"] == subject
    text = mail_text(message)
    assert line in text
    assert "Meet our park manager" in text
    assert zone in text  # the time it was asked, in the applicant's zone, named
    assert f"http://localhost/e/{roadshow.event.slug}/live/docking/{request.id}/answer" in text
    assert request.applicant_notified_at is not None
    assert mailbox.to(roadshow.presenters[1].email) == []


def test_asking_again_does_not_email_the_applicant_twice(roadshow, connect, mailbox):
    ask_for_a_talk(roadshow, connect)
    district = connect(roadshow.recruiter, roadshow.session)
    assert act(district, "dock", kind="talk", note="Any time next week")["ok"]
    assert len(mailbox.to(roadshow.presenters[0].email)) == 1


def test_the_applicant_proposes_times_and_the_district_sees_them(roadshow, connect, login_as, db):
    applicant = roadshow.presenters[0]
    applicant.timezone = "America/Denver"
    db.session.commit()
    request = ask_for_a_talk(roadshow, connect)
    client, _ = login_as(applicant)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert event_url(roadshow.event, f"/live/docking/{request.id}/answer") in dashboard
    page = client.get(event_url(roadshow.event, f"/live/docking/{request.id}/answer")).get_data(as_text=True)
    assert "Meet our park manager" in page
    assert "America/Denver" in page
    local = (datetime.now(UTC) + timedelta(days=4)).astimezone(ZoneInfo("America/Denver"))
    local = local.replace(hour=9, minute=30, second=0, microsecond=0)
    response = client.post(event_url(roadshow.event, f"/live/docking/{request.id}/answer"), data={
        "answer": "proposed", "time_1": local.strftime("%Y-%m-%dT%H:%M"),
        "note": "Mornings suit me best"})
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(DockingRequest, request.id)
    assert stored.answer == DockingAnswer.PROPOSED
    assert stored.proposed_times == [local.astimezone(UTC).isoformat()]
    assert stored.answer_note == "Mornings suit me best"
    assert event_url(roadshow.event, f"/live/docking/{request.id}/answer") not in client.get("/dashboard").get_data(as_text=True)
    recruiter, _ = login_as(roadshow.recruiter)
    board = recruiter.get(event_url(roadshow.event, "/live/docking")).get_data(as_text=True)
    assert "Proposed times" in board
    assert "Mornings suit me best" in board
    shanghai = local.astimezone(ZoneInfo(roadshow.recruiter.timezone))
    assert shanghai.strftime("%H:%M") in board


def test_proposing_without_a_time_keeps_the_message_and_says_what_is_missing(roadshow, connect, login_as):
    request = ask_for_a_talk(roadshow, connect)
    client, _ = login_as(roadshow.presenters[0])
    response = client.post(event_url(roadshow.event, f"/live/docking/{request.id}/answer"), data={
        "answer": "proposed", "note": "Any weekday works"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Give at least one time that suits you." in page
    assert "Any weekday works" in page
    past = client.post(event_url(roadshow.event, f"/live/docking/{request.id}/answer"), data={
        "answer": "proposed", "time_1": "2020-01-01T10:00"}).get_data(as_text=True)
    assert "Choose times in the future." in past
    db.session.expire_all()
    assert db.session.get(DockingRequest, request.id).answer is None


def test_the_applicant_declines_and_the_district_sees_it(roadshow, connect, login_as):
    request = ask_for_a_talk(roadshow, connect)
    client, _ = login_as(roadshow.presenters[0])
    assert client.post(event_url(roadshow.event, f"/live/docking/{request.id}/answer"),
                       data={"answer": "declined"}).status_code == 302
    recruiter, _ = login_as(roadshow.recruiter)
    assert "Declined" in recruiter.get(event_url(roadshow.event, "/live/docking")).get_data(as_text=True)


def test_only_the_projects_applicant_may_answer(roadshow, connect, login_as):
    request = ask_for_a_talk(roadshow, connect)
    for someone in (roadshow.presenters[1], roadshow.outsider):
        client, _ = login_as(someone)
        assert client.get(event_url(roadshow.event, f"/live/docking/{request.id}/answer")).status_code == 404
        assert client.post(event_url(roadshow.event, f"/live/docking/{request.id}/answer"),
                           data={"answer": "declined"}).status_code == 404
    client, _ = login_as(roadshow.recruiter)
    assert client.get(event_url(roadshow.event, f"/live/docking/{request.id}/answer")).status_code == 404


def test_the_district_is_emailed_the_answer_with_the_times_in_its_zone(roadshow, connect, login_as,
                                                                       mailbox, db):
    roadshow.recruiter.locale, roadshow.recruiter.timezone = "zh_Hans_CN", "Asia/Shanghai"
    db.session.commit()
    request = ask_for_a_talk(roadshow, connect)
    client, _ = login_as(roadshow.presenters[0])
    when = (datetime.now(UTC) + timedelta(days=5)).replace(minute=0, second=0, microsecond=0)
    local = when.astimezone(ZoneInfo(roadshow.presenters[0].timezone))
    assert client.post(event_url(roadshow.event, f"/live/docking/{request.id}/answer"), data={
        "answer": "proposed", "time_1": local.strftime("%Y-%m-%dT%H:%M"),
        "note": "Mornings suit me"}).status_code == 302
    [message] = mailbox.to(roadshow.recruiter.email)
    assert message["Subject"] == "Presenter 1 提出了就“低功耗物联网 1”洽谈的时间"
    text = mail_text(message)
    assert when.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%H:%M") in text
    assert "Asia/Shanghai" in text
    assert "Mornings suit me" in text
    assert f"http://localhost/e/{roadshow.event.slug}/live/docking/{request.id}/meeting" in text
