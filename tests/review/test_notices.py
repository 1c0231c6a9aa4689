"""What the review tells people: each judge once per assignment run with how many applications
are new to them, and each applicant the decision (essential: it cannot be turned off)."""

from __future__ import annotations

from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.notifications import services as notifications
from roadshow.notifications.models import Channel, Notification
from roadshow.review import finalist_selection, judge_assignments, judging, settings_and_rubric
from tests.review.conftest import scores_of


def _of(user, kind):
    return db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == kind)).all()


def test_an_assignment_run_tells_each_judge_once_how_many_are_new(
        make_user, make_application, event, organizer, mailbox):
    judges = [make_user(Role.JUDGE, locale="zh_Hans_CN" if i else "en") for i in range(2)]
    for _ in range(3):
        make_application()
    settings_and_rubric.get_settings(db.session, event).judges_per_application = 2
    judge_assignments.run_assignment(db.session, organizer, event)
    db.session.commit()
    for judge in judges:
        [told] = _of(judge, "judge_assigned")
        assert told.params["num"] == 3
        assert told.url == f"/e/{event.slug}/review/queue"
    [english] = mailbox.to(judges[0].email)
    assert english["Subject"] == "3 applications to review for Test roadshow"
    [chinese] = mailbox.to(judges[1].email)
    assert "测试路演" in chinese["Subject"]
    # a second run that assigns nothing new tells nobody
    judge_assignments.run_assignment(db.session, organizer, event)
    db.session.commit()
    assert all(len(_of(judge, "judge_assigned")) == 1 for judge in judges)


def test_a_judge_added_by_hand_is_told_of_that_application(
        make_user, make_application, event, organizer, mailbox):
    judge = make_user(Role.JUDGE)
    application = make_application()
    judge_assignments.add_assignment(db.session, organizer, application, judge)
    db.session.commit()
    [told] = _of(judge, "judge_assigned")
    assert told.params["num"] == 1


def test_the_decision_reaches_the_applicant_even_with_mail_turned_off_elsewhere(
        make_user, make_application, rubric, event, organizer, mailbox):
    judges = [make_user(Role.JUDGE) for _ in range(2)]
    apps = [make_application() for _ in range(3)]
    notifications.choose(db.session, apps[0].applicant, "application_received", Channel.APP)
    judge_assignments.run_assignment(db.session, organizer, event)
    for application in apps:
        for judge in judges:
            judging.submit_review(db.session, judge, application, scores_of(rubric, 5))
    settings_and_rubric.get_settings(db.session, event).finalist_count = 1
    finalist_selection.select_finalists(db.session, organizer, event)
    finalist_selection.send_decisions(db.session, organizer, event)
    db.session.commit()
    for application in apps:
        [told] = _of(application.applicant, "review_decision")
        assert told.url == f"/e/{event.slug}/applications/{application.id}"
        [mail] = mailbox.to(application.applicant.email)
        assert mail["List-Unsubscribe"] is None  # essential: no way to stop it
