"""notify(): what is stored for the centre and what is mailed, as each person chose per kind."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.mail.models import OutboxMessage
from roadshow.notifications import services
from roadshow.notifications.models import Channel, Notification
from tests.many_events_fixtures import build_event

ASSIGNED = "judge_assigned"  # a kind review registers: not essential
DECISION = "review_decision"  # essential: a decision about the person


def _assigned(user, event, **extra):
    return services.notify(
        db.session, user, ASSIGNED, url=f"/e/{event.slug}/review/queue",
        params={"num": 3, "event_zh": event.title_zh, "event_en": event.title_en},
        event_id=event.id, organisation_id=event.organisation_id,
        email_template="review/mail/assigned",
        email_context={"event": event, "person": user, "count": 3,
                       "queue_path": f"/e/{event.slug}/review/queue"}, **extra)


@pytest.fixture
def event(app):
    made = build_event(db.session, title_en="Cloud Roadshow 2026", title_zh="云端路演 2026")
    db.session.commit()
    return made


def _mails_to(user) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == user.email)))


@pytest.mark.parametrize(("channel", "in_app", "mails", "digest"), [
    (Channel.BOTH, True, 1, False),
    (Channel.APP, True, 0, False),
    (Channel.EMAIL, False, 1, False),
    (Channel.DIGEST, True, 0, True),
])
def test_a_notification_reaches_the_person_the_way_they_chose(
        make_user, event, mailbox, channel, in_app, mails, digest):
    judge = make_user(Role.JUDGE)
    services.choose(db.session, judge, ASSIGNED, channel)
    row = _assigned(judge, event)
    db.session.commit()
    assert row is not None
    assert (row.in_app, row.digest_pending) == (in_app, digest)
    assert len(_mails_to(judge)) == mails
    assert len(mailbox.to(judge.email)) == mails
    assert services.unread_count(db.session, judge) == (1 if in_app else 0)


def test_without_a_choice_the_kind_comes_both_ways(make_user, event, mailbox):
    judge = make_user(Role.JUDGE)
    _assigned(judge, event)
    db.session.commit()
    assert services.unread_count(db.session, judge) == 1
    [mail] = mailbox.to(judge.email)
    assert "3 applications to review for Cloud Roadshow 2026" in mail["Subject"]


def test_the_same_key_notifies_once(make_user, event, mailbox):
    judge = make_user(Role.JUDGE)
    first = _assigned(judge, event, dedupe_key="pitch24:7")
    again = _assigned(judge, event, dedupe_key="pitch24:7")
    other = _assigned(judge, event, dedupe_key="pitch1:7")
    db.session.commit()
    assert first is not None
    assert other is not None
    assert again is None
    assert len(mailbox.to(judge.email)) == 2
    # the key is per person: someone else may get the same reminder
    assert _assigned(make_user(Role.JUDGE), event, dedupe_key="pitch24:7") is not None


def test_an_essential_kind_cannot_be_turned_off(make_user, event, mailbox):
    applicant = make_user(Role.APPLICANT)
    with pytest.raises(services.PreferenceError):
        services.choose(db.session, applicant, DECISION, Channel.APP)
    assert services.choices(db.session, applicant)[DECISION] == Channel.BOTH
    assert services.stop_mail(db.session, applicant, DECISION) is False


def test_an_unknown_kind_is_a_programming_error(make_user, event):
    with pytest.raises(KeyError):
        services.notify(db.session, make_user(), "no_such_kind", url="/")


def test_the_line_is_written_in_the_readers_language_when_read(make_user, event, login_as):
    client, judge = login_as(Role.JUDGE, locale="zh_Hans_CN")
    _assigned(judge, event, now=datetime(2026, 12, 5, 9, tzinfo=UTC))
    db.session.commit()
    page = client.get("/notifications").get_data(as_text=True)
    assert "云端路演 2026" in page
    assert "Cloud Roadshow 2026" not in page
    client.post("/language", data={"locale": "en"})
    page = client.get("/notifications").get_data(as_text=True)
    assert "Applications newly assigned to you in Cloud Roadshow 2026: 3." in page
    stored = db.session.scalars(select(Notification).where(Notification.user_id == judge.id)).one()
    assert stored.params["num"] == 3
