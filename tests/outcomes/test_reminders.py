"""Overdue milestones: the responsible unit is reminded once, with the clock passed in, in each
recipient's language; the unit's page and the office's board flag them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from roadshow.extensions import db as _db
from roadshow.jobs.queue import job_queue
from roadshow.outcomes.jobs import DAILY_REMINDERS
from roadshow.outcomes.reminders import remind_overdue
from tests.outcomes.conftest import late_day, walk


def test_an_overdue_milestone_reminds_its_unit_once(sealed, mailbox, make_user):
    intent, p, project = sealed()
    chinese = make_user("recruiter", district=p.district, locale="zh_Hans_CN", name="Li Na",
                        name_native="李娜")
    mailbox.clear()
    before = late_day(project, days=-2)
    assert remind_overdue(_db.session, now=before) == 0
    _db.session.commit()
    after = late_day(project, days=3)
    sent = remind_overdue(_db.session, now=after)
    _db.session.commit()
    assert sent == 2  # the two recruiters of the district: one milestone overdue
    english = mailbox.to(p.recruiter.email)
    assert len(english) == 1
    assert "Overdue: Company registered" in english[0]["Subject"]
    body = english[0].get_body(("plain",)).get_content()
    assert "3 days ago" in body
    assert f"/outcomes/intents/{intent.id}" in body
    zh = mailbox.to(chinese.email)
    assert len(zh) == 1
    assert "企业注册" in zh[0]["Subject"]
    assert "逾期" in zh[0]["Subject"]
    # once: the next day's run sends nothing more for it
    assert remind_overdue(_db.session, now=after + timedelta(days=1)) == 0
    _db.session.commit()
    assert len(mailbox.to(p.recruiter.email)) == 1


def test_a_confirmed_milestone_is_never_reminded(sealed, mailbox):
    _intent, p, project = sealed()
    walk(project.milestones[0], p)
    mailbox.clear()
    assert remind_overdue(_db.session, now=late_day(project, days=5)) == 0


def test_the_remind_command_runs(runner):
    result = runner.invoke(args=["outcomes", "remind"])
    assert result.exit_code == 0, result.output
    assert "reminder(s) sent" in result.output


def test_the_job_queue_runs_the_reminders_every_morning(app, sealed, mailbox):
    _intent, p, project = sealed()
    project.milestones[0].due_on = project.milestones[0].due_on - timedelta(days=400)
    _db.session.commit()
    mailbox.clear()
    huey = job_queue(app).huey
    morning = datetime(2026, 12, 7, 1, 0, tzinfo=UTC).replace(tzinfo=None)  # Huey: naive UTC
    due = [task for task in huey.read_periodic(morning) if task.name == DAILY_REMINDERS]
    assert len(due) == 1
    assert not [t for t in huey.read_periodic(morning + timedelta(hours=5))
                if t.name == DAILY_REMINDERS]
    huey.execute(due[0])
    assert len(mailbox.to(p.recruiter.email)) == 1
    huey.execute(due[0])  # the next morning: nothing new is overdue
    assert len(mailbox.to(p.recruiter.email)) == 1
