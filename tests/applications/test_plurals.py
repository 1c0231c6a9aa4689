"""Counts on the application pages read right with one and with more; the Chinese reads as before."""

from __future__ import annotations

from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from tests.many_events_fixtures import event_url


def _submit(db, event, make_user):
    user = make_user("applicant")
    db.session.add(Application(event_id=event.id, applicant_id=user.id, status=ApplicationStatus.SUBMITTED,
                               title_en="Edge AI chips", title_zh="边缘智能芯片", submitted_at=utcnow()))
    db.session.commit()


def test_statistics_count_one_application_and_more(login_as, db, event, make_user):
    client, _ = login_as("organizer")
    url = event_url(event, "/organizer/applications/statistics")
    _submit(db, event, make_user)
    assert "1 application in play (submitted, not withdrawn)." in client.get(url).get_data(as_text=True)
    _submit(db, event, make_user)
    assert "2 applications in play (submitted, not withdrawn)." in client.get(url).get_data(as_text=True)


def test_the_chinese_statistics_count_reads_as_before(login_as, db, event, make_user):
    client, _ = login_as("organizer", locale="zh_Hans_CN")
    _submit(db, event, make_user)
    page = client.get(event_url(event, "/organizer/applications/statistics")).get_data(as_text=True)
    assert "有效申报 1 项（已提交且未撤回）。" in page
