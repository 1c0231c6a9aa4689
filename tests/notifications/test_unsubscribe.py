"""Unsubscribing from a kind of mail without signing in (RFC 8058 one-click), and the headers
that let a mail client offer it."""

from __future__ import annotations

import pytest

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.notifications import services, unsubscribe
from roadshow.notifications.models import Channel
from tests.many_events_fixtures import build_event


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}  # the one-click POST comes with no form token


def _assigned(judge, event):
    services.notify(db.session, judge, "judge_assigned", url=f"/e/{event.slug}/review/queue",
                    params={"num": 1, "event_zh": event.title_zh, "event_en": event.title_en},
                    email_template="review/mail/assigned",
                    email_context={"event": event, "person": judge, "count": 1,
                                   "queue_path": f"/e/{event.slug}/review/queue"})
    db.session.commit()


def test_a_non_essential_mail_carries_one_click_unsubscribe(app, make_user, mailbox):
    event = build_event(db.session)
    judge = make_user(Role.JUDGE)
    _assigned(judge, event)
    [mail] = mailbox.to(judge.email)
    link = unsubscribe.link(judge.id, "judge_assigned")
    assert mail["List-Unsubscribe"] == f"<{link}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in mail.get_body(("plain",)).get_content()


def test_an_essential_mail_has_no_unsubscribe(app, make_user, mailbox):
    event = build_event(db.session)
    applicant = make_user(Role.APPLICANT)
    services.notify(db.session, applicant, "review_decision", url="/applications/mine",
                    params={"project_zh": "甲", "project_en": "A", "event_zh": "乙",
                            "event_en": "B"},
                    email_template="review/mail/assigned",
                    email_context={"event": event, "person": applicant, "count": 1,
                                   "queue_path": "/"})
    db.session.commit()
    [mail] = mailbox.to(applicant.email)
    assert mail["List-Unsubscribe"] is None


def test_the_one_click_post_stops_that_kind_of_mail_without_signing_in(app, client, make_user,
                                                                       mailbox):
    event = build_event(db.session)
    judge = make_user(Role.JUDGE)
    path = unsubscribe.link(judge.id, "judge_assigned").split("://", 1)[1]
    path = path[path.index("/"):]
    page = client.get(path)
    assert page.status_code == 200
    assert "Stop these emails" in page.get_data(as_text=True)
    assert services.choices(db.session, judge)["judge_assigned"] == Channel.BOTH  # GET changes nothing
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "you will receive no more emails of this kind" in response.get_data(as_text=True)
    db.session.expire_all()
    assert services.choices(db.session, judge)["judge_assigned"] == Channel.APP
    mailbox.clear()
    _assigned(judge, event)
    assert mailbox.to(judge.email) == []
    assert services.unread_count(db.session, judge) == 1  # still in the app


def test_a_forged_or_altered_token_changes_nothing(app, client, make_user):
    judge = make_user(Role.JUDGE)
    token = unsubscribe.token(judge.id, "judge_assigned")
    assert client.post(f"/notifications/unsubscribe/{token[:-2]}xx").status_code == 404
    assert client.get("/notifications/unsubscribe/not-a-token").status_code == 404
    essential = unsubscribe.token(judge.id, "review_decision")
    client.post(f"/notifications/unsubscribe/{essential}")
    assert services.choices(db.session, judge)["review_decision"] == Channel.BOTH
    assert services.choices(db.session, judge)["judge_assigned"] == Channel.BOTH
