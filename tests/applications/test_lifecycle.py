"""An applicant's whole journey: profile, draft, submit, edit until the close, withdraw."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from roadshow.applications import exceptions, submission, uploads
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.events.models import EventPhase, PhaseKind
from roadshow.mail.models import OutboxMessage
from tests.applications.conftest import pdf_bytes, project_form
from tests.events.factories import build_event
from tests.many_events_fixtures import event_url


def with_deck(data, name="deck.pdf", content=None):
    data = dict(data)
    data["deck"] = (io.BytesIO(content if content is not None else pdf_bytes()), name, "application/pdf")
    return data


def the_application(db):
    db.session.expire_all()
    return db.session.scalar(select(Application))


def test_applicant_fills_profile_then_application_and_submits(app, db, event, login_as, mailbox):
    client, user = login_as("applicant", locale="zh_Hans_CN")
    form_page = client.get(event_url(event, "/apply")).get_data(as_text=True)
    assert "完善您的资料" in form_page or "资料" in form_page
    response = client.post("/apply/profile", data={
        "name_latin": "Wang Wei", "name_chinese": "王伟", "nationality": "CN",
        "country_of_residence": "US", "institution": "Stanford University",
        "position": "Research Scientist", "highest_degree": "phd", "research_field": "IoT",
        "bio": "Ten years of sensor research."})
    assert response.status_code == 302
    response = client.post(event_url(event, "/apply"), data=with_deck(project_form(event, action="submit")),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    application = the_application(db)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.country == "US"
    assert application.funding_sought_cny == 5_000_000
    assert {d.code for d in application.districts} == {"gulou", "pei"}
    assert application.deck is not None
    assert application.deck.page_count == 2
    status_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已提交" in status_page
    [message] = mailbox.to(user.email)
    assert "已收到" in str(message["Subject"])
    assert message["Content-Language"] == "zh-Hans-CN"


def test_save_draft_keeps_everything_typed_even_beside_an_invalid_field(db, event, applicant_client):
    client, _ = applicant_client
    response = client.post(event_url(event, "/apply"), data=project_form(event, team_size="six", video_url="ftp://x"),
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="six"' in page  # what was typed is shown again with the error
    assert "Sensors that run ten years on one battery." in page
    assert "https://" in page
    application = the_application(db)
    assert application.status == ApplicationStatus.DRAFT
    assert application.title_en == "Low-power IoT for industry and smart cities"
    assert application.team_size is None  # the invalid value was not stored


def test_submit_without_deck_saves_draft_and_says_what_is_missing(db, event, applicant_client):
    client, _ = applicant_client
    response = client.post(event_url(event, "/apply"), data=project_form(event, action="submit", summary=""),
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Please upload your pitch deck to submit." in page
    assert "This is needed to submit." in page
    application = the_application(db)
    assert application.status == ApplicationStatus.DRAFT
    assert application.title_en.startswith("Low-power IoT")


def test_submit_with_an_invalid_value_names_only_that_problem_on_its_field(db, event, applicant_client):
    client, _ = applicant_client
    data = with_deck(project_form(event, action="submit", team_size="0"), name="deck.pdf", content=b"not a pdf")
    response = client.post(event_url(event, "/apply"), data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a number of people from 1 to 10,000." in page
    assert "This file is not a PDF or PowerPoint presentation." in page
    # the value was typed and a file was chosen: 'needed to submit' would say the opposite
    assert "This is needed to submit." not in page
    assert "Please upload your pitch deck to submit." not in page
    assert the_application(db).status == ApplicationStatus.DRAFT


def test_double_click_on_submit_creates_one_application_and_one_email(db, event, applicant_client, mailbox):
    client, user = applicant_client
    data = project_form(event, action="submit", form_token="same-token")
    first = client.post(event_url(event, "/apply"), data=with_deck(data), content_type="multipart/form-data")
    second = client.post(event_url(event, "/apply"), data=with_deck(data), content_type="multipart/form-data")
    assert first.status_code == second.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Application)) == 1
    assert len(the_application(db).decks) == 1
    assert len(mailbox.to(user.email)) == 1


def test_edit_after_submit_until_close_stays_submitted(db, event, applicant_client, mailbox):
    client, user = applicant_client
    client.post(event_url(event, "/apply"), data=with_deck(project_form(event, action="submit")),
                content_type="multipart/form-data")
    response = client.post(event_url(event, "/apply"), data=project_form(event, title_en="A better title",
                                                                   form_token="token-2"),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    application = the_application(db)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.title_en == "A better title"
    subjects = [str(m["Subject"]) for m in mailbox.to(user.email)]
    assert any(s.startswith("Application updated") for s in subjects)


def test_a_submitted_application_cannot_be_emptied(db, event, applicant_client):
    client, _ = applicant_client
    client.post(event_url(event, "/apply"), data=with_deck(project_form(event, action="submit")),
                content_type="multipart/form-data")
    response = client.post(event_url(event, "/apply"), data=project_form(event, summary="", form_token="t3"),
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert the_application(db).summary == "Sensors that run ten years on one battery."


def test_withdraw_then_submit_again_before_the_close(db, event, applicant_client, mailbox):
    client, user = applicant_client
    client.post(event_url(event, "/apply"), data=with_deck(project_form(event, action="submit")),
                content_type="multipart/form-data")
    application = the_application(db)
    response = client.post(event_url(application.event, f"/applications/{application.id}/withdraw"))
    assert response.status_code == 302
    application = the_application(db)
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.withdrawn_at is not None
    assert any("withdrawn" in str(m["Subject"]) for m in mailbox.to(user.email))
    client.post(event_url(event, "/apply"), data=project_form(event, action="submit", form_token="again"),
                content_type="multipart/form-data")
    assert the_application(db).status == ApplicationStatus.SUBMITTED


def test_status_page_of_another_applicant_is_not_found(db, event, applicant_client, make_applicant):
    client, _ = applicant_client
    client.post(event_url(event, "/apply"), data=project_form(event), content_type="multipart/form-data")
    application = the_application(db)
    other = make_applicant()
    from flask import current_app

    from tests.conftest import Auth
    other_client = current_app.test_client()
    Auth(other_client).login(other)
    assert other_client.get(event_url(application.event, f"/applications/{application.id}")).status_code == 404
    assert other_client.post(event_url(application.event, f"/applications/{application.id}/withdraw")).status_code == 404


def test_after_the_close_the_server_refuses_and_keeps_what_was_typed(db, make_district, applicant_client):
    event = build_event(db.session, zone="America/New_York", call_starts=utcnow() - timedelta(days=20),
                        call_ends=utcnow() - timedelta(minutes=1))
    client, _ = applicant_client
    response = client.post(event_url(event, "/apply"), data=project_form(event, action="submit"),
                           content_type="multipart/form-data")
    assert response.status_code == 409
    assert "Sensors that run ten years on one battery." in response.get_data(as_text=True)
    assert the_application(db) is None


def test_call_closed_by_hand_refuses_submission(db, event, applicant_client):
    event.call_closed_by_hand = True
    db.session.commit()
    client, _ = applicant_client
    response = client.post(event_url(event, "/apply"), data=project_form(event, action="submit"),
                           content_type="multipart/form-data")
    assert response.status_code == 409


@pytest.fixture
def new_york_event(db):
    """A call that closes at 23:59 on 8 March 2026 in New York: after the clocks sprang forward."""
    return build_event(db.session, zone="America/New_York",
                       call_starts=datetime(2026, 2, 1, 14, tzinfo=UTC),
                       call_ends=datetime(2026, 3, 9, 3, 59, tzinfo=UTC), slug="ny")


def ready_application(db, event, user):
    application = submission.start(db.session, event, user)
    submission.save(db.session, user, application, submission.ProjectData(
        title_en="Edge chips", summary="Chips.", track_id=event.tracks[0].id, stage="prototype",
        team_size=3), now=datetime(2026, 3, 1, tzinfo=UTC))
    uploads.attach_deck(db.session, user, application, "deck.pdf", pdf_bytes(),
                         now=datetime(2026, 3, 1, tzinfo=UTC))
    return application


def test_deadline_in_new_york_across_daylight_saving_accepts_2358_local(db, new_york_event, make_applicant):
    user = make_applicant()
    application = ready_application(db, new_york_event, user)
    # 23:58 EDT on 8 March is 03:58 UTC on 9 March; with the winter offset it would look closed
    assert submission.submit(db.session, user, application, now=datetime(2026, 3, 9, 3, 58, tzinfo=UTC))
    assert application.status == ApplicationStatus.SUBMITTED


def test_deadline_in_new_york_across_daylight_saving_refuses_one_minute_late(db, new_york_event, make_applicant):
    user = make_applicant()
    application = ready_application(db, new_york_event, user)
    with pytest.raises(exceptions.CallClosedError):
        submission.submit(db.session, user, application, now=datetime(2026, 3, 9, 3, 59, tzinfo=UTC))
    with pytest.raises(exceptions.CallClosedError):
        submission.save(db.session, user, application, submission.ProjectData(title_en="Late"),
                      now=datetime(2026, 3, 9, 4, 30, tzinfo=UTC))


def test_phase_of_event_by_date_and_by_hand(db, new_york_event):
    from roadshow.events import services as event_services

    assert event_services.phase_state(new_york_event, datetime(2026, 3, 9, 4, tzinfo=UTC)).current == "review"
    new_york_event.phase_override = PhaseKind.ROADSHOW
    assert event_services.phase_state(new_york_event, datetime(2026, 3, 9, 4, tzinfo=UTC)).current == "roadshow"
    assert isinstance(new_york_event.phases[0], EventPhase)


def test_confirmation_email_in_english_names_the_readers_zone(db, event, make_applicant, mailbox):
    user = make_applicant(timezone="America/Los_Angeles")
    application = submission.start(db.session, event, user)
    submission.save(db.session, user, application, submission.ProjectData(
        title_en="Edge chips", summary="Chips.", track_id=event.tracks[0].id, stage="prototype", team_size=3))
    uploads.attach_deck(db.session, user, application, "deck.pdf", pdf_bytes())
    submission.submit(db.session, user, application)
    db.session.commit()
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == user.email))
    assert message.subject == "Application received: Edge chips"
    assert "America/Los_Angeles" in message.body_text


def test_confirmation_email_of_a_call_reopened_by_hand_names_no_past_deadline(db, make_applicant, make_district):
    past = utcnow() - timedelta(days=30)
    event = build_event(db.session, call_starts=past - timedelta(days=40), call_ends=past,
                        slug="reopened", districts=[make_district("gulou")])
    event.phase_override = PhaseKind.CALL
    db.session.commit()
    user = make_applicant()
    application = submission.start(db.session, event, user)
    submission.save(db.session, user, application, submission.ProjectData(
        title_en="Edge chips", summary="Chips.", track_id=event.tracks[0].id, stage="prototype", team_size=3))
    uploads.attach_deck(db.session, user, application, "deck.pdf", pdf_bytes())
    submission.submit(db.session, user, application)
    db.session.commit()
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == user.email))
    assert "You may still change your application until the organizers close the call." in message.body_text
    assert message.body_text.count("You may still change your application") == 1


def test_custom_questions_are_answered_and_a_required_one_blocks_submission(db, event, applicant_client):
    from roadshow.events.models import EventQuestion, QuestionKind

    event.questions = [
        EventQuestion(kind=QuestionKind.TEXT, prompt_zh="合作意向", prompt_en="Partners sought", required=True),
        EventQuestion(kind=QuestionKind.FILE, prompt_zh="专利证书", prompt_en="Patent certificate"),
    ]
    db.session.commit()
    text_q, file_q = event.questions
    client, _ = applicant_client
    response = client.post(event_url(event, "/apply"), data=with_deck(project_form(event, action="submit")),
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert the_application(db).status == ApplicationStatus.DRAFT
    data = with_deck(project_form(event, action="submit", form_token="t2"))
    data[f"q_{text_q.id}"] = "A battery maker in Pei County."
    data[f"q_{file_q.id}"] = (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 64), "patent.png", "image/png")
    response = client.post(event_url(event, "/apply"), data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    application = the_application(db)
    assert application.status == ApplicationStatus.SUBMITTED
    answers = {a.question_id: a for a in application.answers}
    assert answers[text_q.id].text_value == "A battery maker in Pei County."
    assert answers[file_q.id].file_content_type == "image/png"
    download = client.get(event_url(application.event, f"/applications/{application.id}/files/{file_q.id}"))
    assert download.status_code == 200
    assert download.mimetype == "image/png"
    assert download.headers["Content-Disposition"].startswith("attachment;")


def test_a_file_answer_that_is_no_image_or_pdf_is_refused(db, event, applicant_client):
    from roadshow.events.models import EventQuestion, QuestionKind

    event.questions = [EventQuestion(kind=QuestionKind.FILE, prompt_zh="证书", prompt_en="Certificate")]
    db.session.commit()
    client, _ = applicant_client
    data = project_form(event)
    data[f"q_{event.questions[0].id}"] = (io.BytesIO(b"MZ\x90\x00 an executable"), "cert.png", "image/png")
    response = client.post(event_url(event, "/apply"), data=data, content_type="multipart/form-data")
    assert "Please upload a PDF, PNG or JPEG file." in response.get_data(as_text=True)
    assert the_application(db).answers == []


def test_a_form_from_an_older_window_does_not_overwrite_newer_changes(db, event, applicant_client):
    client, _ = applicant_client
    client.post(event_url(event, "/apply"), data=project_form(event), content_type="multipart/form-data")
    old_version = str(the_application(db).version)
    client.post(event_url(event, "/apply"), data=project_form(event, title_en="Saved in window A", form_token="a",
                                                       version=old_version),
                content_type="multipart/form-data")
    response = client.post(event_url(event, "/apply"), data=project_form(event, title_en="Typed in window B",
                                                                   form_token="b", version=old_version),
                           content_type="multipart/form-data")
    assert response.status_code == 409
    assert "Typed in window B" in response.get_data(as_text=True)  # kept on screen
    assert the_application(db).title_en == "Saved in window A"
