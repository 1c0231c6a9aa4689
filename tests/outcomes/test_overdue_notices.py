"""The office's organizers are told in the app, once a day, that milestones of its projects
became overdue (issue 17: organizers, milestones overdue), with a link to the board."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from roadshow.extensions import db as _db
from roadshow.notifications.models import Notification
from roadshow.outcomes.reminders import remind_overdue
from tests.conftest import Auth
from tests.outcomes.conftest import late_day


def test_the_office_s_organizers_are_told_once_of_newly_overdue_milestones(app, sealed):
    _intent, p, project = sealed()
    assert remind_overdue(_db.session, now=late_day(project, days=-2)) == 0
    assert _db.session.scalars(select(Notification).where(
        Notification.kind == "milestones_overdue")).all() == []
    after = late_day(project, days=3)
    remind_overdue(_db.session, now=after)
    remind_overdue(_db.session, now=after + timedelta(hours=1))
    _db.session.commit()
    told = _db.session.scalars(select(Notification).where(
        Notification.kind == "milestones_overdue")).all()
    assert [n.user_id for n in told] == [p.organizer.id]
    assert p.recruiter.id not in {n.user_id for n in told}
    slug = p.event.organisation.slug
    assert told[0].url == f"/o/{slug}/outcomes/"
    client = app.test_client()
    Auth(client).login(p.organizer)
    centre = client.get("/notifications").get_data(as_text=True)
    assert "Milestones newly overdue in the projects of" in centre
    assert project.milestones[0].name_en in centre
    assert client.get(told[0].url).status_code == 200
