"""The judges' weekly digest of their open reviews: on Monday at 08:00 in each judge's zone (also
across a daylight-saving change), once a week, how many are open per event, when each review
closes in their zone and their review list; nothing when nothing is open, once the review is
closed or over, or when conflicts took everything away; their choice of channel honoured."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.extensions import db
from roadshow.notifications import services
from roadshow.notifications.models import Notification
from roadshow.reminders.judge_digest import due_somewhere, send_judge_digests
from roadshow.review import judges_and_conflicts, settings_and_rubric
from roadshow.review.models import Assignment, Review, ReviewStatus
from tests.many_events_fixtures import build_event, phases_at

MINUTE = timedelta(minutes=1)
#: Toronto moves its clocks forward on Sunday 14 March 2027: its Monday 08:00 is 13:00 UTC on
#: the 8th and 12:00 UTC on the 15th; Shanghai's is 00:00 UTC both Mondays
SHANGHAI_MON_8 = datetime(2027, 3, 8, 0, 0, tzinfo=UTC)
TORONTO_MON_8 = datetime(2027, 3, 8, 13, 0, tzinfo=UTC)
SHANGHAI_MON_15 = datetime(2027, 3, 15, 0, 0, tzinfo=UTC)
TORONTO_MON_15 = datetime(2027, 3, 15, 12, 0, tzinfo=UTC)
#: the review phase runs from 6 to 16 March 2027 (UTC): the Monday after, it is over
AFTER_CLOSE = datetime(2027, 3, 22, 0, 0, tzinfo=UTC)


def digests(now):
    sent = send_judge_digests(db.session, now)
    db.session.commit()
    return sent


def rows_of(person):
    return db.session.scalars(select(Notification).where(
        Notification.user_id == person.id, Notification.kind == "judge_weekly_digest")
        .order_by(Notification.id)).all()


def body_of(mail):
    return mail.get_body(("plain",)).get_content().replace("\r\n", "\n")


@pytest.fixture
def review_event(app):
    event = build_event(db.session, phase="review", title_en="Cloud Roadshow 2027",
                        title_zh="云端路演 2027")
    moved = {phase.kind: phase for phase in phases_at("review", now=datetime(2027, 3, 11, tzinfo=UTC))}
    for phase in event.phases:
        phase.starts_at, phase.ends_at = moved[phase.kind].starts_at, moved[phase.kind].ends_at
    db.session.commit()
    return event


@pytest.fixture
def open_for(make_user):
    """``open_for(event, judge, n, submitted=0, withdrawn=0)``: ``n`` assignments not submitted
    (and others that do not count)."""
    def make(event, judge, n, *, submitted=0, withdrawn=0):
        made = []
        for i in range(n + submitted + withdrawn):
            status = ApplicationStatus.WITHDRAWN if i >= n + submitted else ApplicationStatus.SUBMITTED
            application = Application(event_id=event.id, applicant_id=make_user(Role.APPLICANT).id,
                                      status=status, title_en=f"Project {i}", title_zh=f"项目{i}")
            db.session.add(application)
            db.session.flush()
            db.session.add(Assignment(event_id=event.id, application_id=application.id,
                                      judge_id=judge.id))
            if n <= i < n + submitted:
                db.session.add(Review(application_id=application.id, judge_id=judge.id,
                                      status=ReviewStatus.SUBMITTED,
                                      submitted_at=SHANGHAI_MON_8 - timedelta(days=1)))
            made.append(application)
        db.session.commit()
        return made
    return make


def test_each_judge_gets_it_on_monday_at_eight_in_their_zone_across_a_clock_change(
        review_event, make_user, open_for, mailbox):
    shanghai = make_user(Role.JUDGE, timezone="Asia/Shanghai", locale="zh_Hans_CN")
    toronto = make_user(Role.JUDGE, timezone="America/Toronto")
    open_for(review_event, shanghai, 2, submitted=1, withdrawn=1)
    open_for(review_event, toronto, 3, submitted=2)
    assert digests(SHANGHAI_MON_8 - MINUTE) == 0  # Sunday 23:59 ... Monday 07:59 in Shanghai
    assert digests(SHANGHAI_MON_8) == 1
    [chinese] = mailbox.to(shanghai.email)
    assert chinese["Subject"] == "本周您还有 2 份评审未完成"
    body = body_of(chinese)
    assert "云端路演 2027\n- 2 份评审未完成\n" in body
    assert "评审截止时间：" in body
    assert "Asia/Shanghai" in body
    assert f"/e/{review_event.slug}/review/queue" in body
    assert "List-Unsubscribe" in chinese
    assert mailbox.to(toronto.email) == []  # Monday 19:00 in Toronto's Sunday ... not yet
    assert digests(TORONTO_MON_8 - MINUTE) == 0
    assert digests(TORONTO_MON_8) == 1  # 08:00 EST
    [english] = mailbox.to(toronto.email)
    assert english["Subject"] == "3 reviews still open for you this week"
    text = body_of(english)
    assert "Cloud Roadshow 2027\n- 3 reviews still open\n" in text
    # the phase ends at 00:00 UTC on the 16th: the evening before in Toronto, on summer time
    assert ("The review closes at: Mon, Mar 15, 2027, 20:00 (America/Toronto, GMT-04:00)"
            in text)
    [row] = rows_of(toronto)
    assert row.params == {"num": 3, "events": 1}
    assert row.url == f"/e/{review_event.slug}/review/queue"
    assert services.unread_count(db.session, toronto) == 1
    # once a week: the rest of the hour and the next hour send nothing more
    assert digests(TORONTO_MON_8 + 59 * MINUTE) == 0
    assert digests(SHANGHAI_MON_8 + timedelta(days=1)) == 0  # Tuesday
    # the next Monday, Toronto's eight o'clock is an hour earlier in UTC (daylight saving)
    assert digests(SHANGHAI_MON_15) == 1
    assert digests(TORONTO_MON_15 + timedelta(hours=1)) == 0  # 09:00 EDT: too late for a new one
    assert len(mailbox.to(toronto.email)) == 1
    assert digests(TORONTO_MON_15 - MINUTE) == 0
    assert digests(TORONTO_MON_15) == 1
    assert len(rows_of(toronto)) == 2
    assert len(rows_of(shanghai)) == 2
    # the review phase ended on the 16th: the Monday after, nobody hears of it
    assert digests(AFTER_CLOSE) == 0
    assert digests(AFTER_CLOSE + timedelta(hours=12)) == 0
    assert len(mailbox.to(shanghai.email)) == 2
    assert len(mailbox.to(toronto.email)) == 2


def test_nothing_open_a_closed_review_or_conflicts_send_nothing(review_event, make_user,
                                                                  open_for, mailbox):
    done = make_user(Role.JUDGE)
    open_for(review_event, done, 0, submitted=2)
    conflicted = make_user(Role.JUDGE)
    [application] = open_for(review_event, conflicted, 1)
    judges_and_conflicts.declare_conflict(db.session, conflicted, application, "My cousin")
    db.session.commit()
    assert digests(SHANGHAI_MON_8) == 0
    assert rows_of(done) == []
    assert rows_of(conflicted) == []
    assert all("review still open" not in (m["Subject"] or "")
               for m in mailbox.to(conflicted.email))  # only the conflict's confirmation came
    # a judge with open reviews, but the organizers closed the review
    waiting = make_user(Role.JUDGE)
    open_for(review_event, waiting, 2)
    settings_and_rubric.get_settings(db.session, review_event).closed_at = SHANGHAI_MON_8 - MINUTE
    db.session.commit()
    assert digests(SHANGHAI_MON_8) == 0
    assert mailbox.to(waiting.email) == []


def test_several_events_are_listed_each_with_its_count_and_list(review_event, make_user,
                                                                 open_for, mailbox):
    other = build_event(db.session, phase="review", title_en="Talent Week 2027",
                        title_zh="人才周 2027")
    for phase in list(other.phases):  # no dates set: open until the organizers close it
        db.session.delete(phase)
    db.session.commit()
    db.session.refresh(other)
    judge = make_user(Role.JUDGE)
    open_for(review_event, judge, 1)
    open_for(other, judge, 4)
    assert digests(SHANGHAI_MON_8) == 1
    text = body_of(mailbox.to(judge.email)[0])
    assert "Cloud Roadshow 2027\n- 1 review still open\n" in text
    assert "Talent Week 2027\n- 4 reviews still open\n- The review has no closing date yet." in text
    assert f"/e/{other.slug}/review/queue" in text
    [row] = rows_of(judge)
    assert row.params == {"num": 5, "events": 2}
    assert row.url == "/dashboard"


def test_the_judges_choice_of_channel_is_honoured(review_event, make_user, open_for, mailbox):
    app_only = make_user(Role.JUDGE)
    unsubscribed = make_user(Role.JUDGE)
    services.choose(db.session, app_only, "judge_weekly_digest", "app")
    assert services.stop_mail(db.session, unsubscribed, "judge_weekly_digest")
    for judge in (app_only, unsubscribed):
        open_for(review_event, judge, 1)
    assert digests(SHANGHAI_MON_8) == 2
    assert mailbox.to(app_only.email) == []
    assert mailbox.to(unsubscribed.email) == []
    assert services.unread_count(db.session, app_only) == 1
    assert services.unread_count(db.session, unsubscribed) == 1


def test_the_office_may_rewrite_the_digest(review_event, make_user, open_for, login_as, mailbox):
    organizer = make_user(Role.ORGANIZER)
    client, _user = login_as(organizer)
    url = (f"/o/{review_event.organisation.slug}/mail-wording/reminders-judge_digest/"
           "zh_Hans_CN")
    response = client.post(url, data={"subject": "{{ name }}：本周待评 {{ count }} 份",
                                       "body": "{{ reviews }}\n{{ link }}\n", "action": "save"})
    assert response.status_code == 302
    judge = make_user(Role.JUDGE, locale="zh_Hans_CN", name="Wang Fang")
    open_for(review_event, judge, 2)
    assert digests(SHANGHAI_MON_8) == 1
    [mail] = mailbox.to(judge.email)
    assert mail["Subject"] == "Wang Fang：本周待评 2 份"
    body = mail.get_content().replace("\r\n", "\n")
    assert "云端路演 2027\n- 2 份评审未完成\n- 评审截止时间：" in body
    assert f"/e/{review_event.slug}/review/queue\n" in body


def test_the_run_looks_no_further_when_no_zone_shows_monday_eight():
    assert due_somewhere(SHANGHAI_MON_8)
    assert due_somewhere(TORONTO_MON_15)
    assert due_somewhere(datetime(2027, 3, 7, 18, 0, tzinfo=UTC))  # Kiritimati, UTC+14
    assert due_somewhere(datetime(2027, 3, 8, 20, 59, tzinfo=UTC))  # Baker Island, UTC-12
    assert not due_somewhere(datetime(2027, 3, 8, 21, 0, tzinfo=UTC))
    assert not due_somewhere(datetime(2027, 3, 10, 8, 0, tzinfo=UTC))  # a Wednesday
