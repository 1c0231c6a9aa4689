"""A judge is told each time a conflict of interest concerning them is settled: their own
declaration confirmed (and the organizers told of it), one an organizer records, dismisses or
restores; by real SMTP after the page's commit, in their language, with a link to their review
list, and not at all when they turned the kind off or nothing changed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.notifications import services as notifications
from roadshow.notifications.models import Notification
from roadshow.review import judges_and_conflicts
from roadshow.review.models import Assignment, Conflict
from tests.many_events_fixtures import event_url


def _of(user, kind):
    return db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == kind)
        .order_by(Notification.id)).all()


def _body(mail):
    return mail.get_body(("plain",)).get_content().replace("\r\n", "\n")


def _assigned(application, judge):
    return db.session.scalar(select(Assignment.id).where(
        Assignment.application_id == application.id, Assignment.judge_id == judge.id)) is not None


@pytest.mark.parametrize(("locale", "subject", "line", "organizer_line"), [
    ("en", "Your conflict of interest is recorded: Test roadshow",
     "The application is out of your review list, and the organizers were told",
     "Judge Lee declared a conflict of interest with “Graphene membranes” (application"),
    ("zh_Hans_CN", "您的利益冲突申报已记录：测试路演",
     "该申报已从您的评审列表移除，并已通知主办方安排其他评委评审。",
     "Judge Lee 申报了与“项目1”（申报编号"),
])
def test_a_declared_conflict_is_confirmed_to_the_judge_and_told_to_the_organizers(
        locale, subject, line, organizer_line, login_as, make_user, make_application, assign,
        organizer, event, mailbox):
    organizer.locale = locale
    db.session.commit()
    client, judge = login_as(Role.JUDGE, name="Judge Lee", locale=locale)
    application = make_application(title="Graphene membranes")
    assign(application, judge)
    response = client.post(event_url(event, f"/review/queue/{application.id}/conflict"),
                           data={"reason": "My former student"})
    assert response.status_code == 302
    assert not _assigned(application, judge)
    [mail] = mailbox.to(judge.email)  # after the commit, by SMTP
    assert mail["Subject"] == subject
    body = _body(mail)
    assert line in body
    assert "My former student" in body
    assert f"/e/{event.slug}/review/queue" in body
    assert mail["List-Unsubscribe"] is not None  # not essential: it can be stopped
    [told] = _of(judge, "review_conflict")
    assert told.url == f"/e/{event.slug}/review/queue"
    assert told.params["change_en"].startswith("your declaration is recorded")
    assert told.params["change_zh"].startswith("您的申报已记录")
    # the organizers hear of it, with the link to the event's conflicts
    [note] = mailbox.to(organizer.email)
    assert organizer_line in _body(note)
    assert f"/e/{event.slug}/review/conflicts" in _body(note)
    [row] = _of(organizer, "review_conflict_declared")
    assert row.url == f"/e/{event.slug}/review/conflicts"
    assert row.params["judge"] == "Judge Lee"


@pytest.mark.parametrize(("locale", "recorded", "dismissed", "restored"), [
    ("en", "The application was taken out of your review list.",
     "The application may be assigned to you again",
     "The application is out of your review list again."),
    ("zh_Hans_CN", "该申报已从您的评审列表移除。", "该申报可能再次分配给您",
     "该申报再次从您的评审列表移除。"),
])
def test_an_organizer_records_dismisses_and_restores_and_the_judge_is_told_each_time(
        locale, recorded, dismissed, restored, login_as, make_user, make_application, assign,
        organizer, event, mailbox):
    judge = make_user(Role.JUDGE, locale=locale)
    application = make_application()
    assign(application, judge)
    client, _ = login_as(organizer)
    response = client.post(event_url(event, "/review/conflicts"), data={
        "judge_id": judge.id, "application_id": application.id, "reason": "Same laboratory"})
    assert response.status_code == 302
    assert not _assigned(application, judge)
    [first] = mailbox.to(judge.email)
    assert recorded in _body(first)
    assert "Same laboratory" in _body(first)  # the reason the organizer gave
    assert f"/e/{event.slug}/review/queue" in _body(first)
    conflict = db.session.scalar(select(Conflict).where(Conflict.judge_id == judge.id))
    assert client.post(event_url(event, f"/review/conflicts/{conflict.id}/dismiss")).status_code == 302
    assert dismissed in _body(mailbox.to(judge.email)[1])
    # dismissing again changes nothing and says nothing
    assert client.post(event_url(event, f"/review/conflicts/{conflict.id}/dismiss")).status_code == 302
    assert len(mailbox.to(judge.email)) == 2
    assert client.post(event_url(event, f"/review/conflicts/{conflict.id}/restore")).status_code == 302
    assert restored in _body(mailbox.to(judge.email)[2])
    assert [row.params["change_en"].split(";")[0] for row in _of(judge, "review_conflict")] == [
        "recorded by the organizers", "dismissed by the organizers", "restored by the organizers"]
    # none of it went to the organizers, who did it
    assert _of(organizer, "review_conflict_declared") == []


def test_a_conflict_recorded_on_an_unassigned_application_says_it_will_not_be_assigned(
        make_user, make_application, organizer, mailbox):
    judge = make_user(Role.JUDGE)
    application = make_application()
    judges_and_conflicts.record_conflict(db.session, organizer, judge, application, "Cousin")
    db.session.commit()
    [mail] = mailbox.to(judge.email)
    assert "The application will not be assigned to you." in _body(mail)


def test_a_dismissal_leaves_the_judge_untold_while_their_own_declaration_stands(
        make_user, make_application, organizer, mailbox):
    judge = make_user(Role.JUDGE)
    application = make_application()
    judges_and_conflicts.declare_conflict(db.session, judge, application, "My brother")
    recorded = judges_and_conflicts.record_conflict(db.session, organizer, judge, application,
                                                    "Family")
    db.session.commit()
    judges_and_conflicts.dismiss_conflict(db.session, organizer, recorded)
    db.session.commit()
    changes = [row.params["change_en"] for row in _of(judge, "review_conflict")]
    assert len(changes) == 2
    assert not any("dismissed" in change for change in changes)


def test_a_judge_who_turned_the_kind_off_for_mail_sees_it_in_the_app_only(
        make_user, make_application, organizer, mailbox):
    judge = make_user(Role.JUDGE)
    assert notifications.stop_mail(db.session, judge, "review_conflict")  # the mail's link
    db.session.commit()
    judges_and_conflicts.record_conflict(db.session, organizer, judge, make_application(), "x")
    db.session.commit()
    assert mailbox.to(judge.email) == []
    assert notifications.unread_count(db.session, judge) == 1
