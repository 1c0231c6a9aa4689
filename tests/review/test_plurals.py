"""Counts on the review pages read right with one and with more; the Chinese reads as before."""

from __future__ import annotations

import pytest

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.review import finalist_selection, judging
from tests.many_events_fixtures import event_url
from tests.review.conftest import scores_of


@pytest.fixture
def one_judge_each(login_as, organizer, event):
    """The organizer's client, with one judge per application and one finalist."""

    def settle(locale="en"):
        organizer.locale = locale
        db.session.commit()
        client, _ = login_as(organizer)
        client.post(event_url(event, "/review/settings"), data={"judges_per_application": "1", "see_other_reviews": "never",
                                              "finalist_count": "1"})
        return client

    return settle


def _flash(client, url):
    return client.post(url, follow_redirects=True).get_data(as_text=True)


def test_one_application_through_assignment_selection_and_sending_reads_in_the_singular(
        one_judge_each, login_as, make_user, make_application, rubric, event, mailbox):
    judge = make_user(Role.JUDGE)
    application = make_application()
    client = one_judge_each()
    assert "1 assignment made." in _flash(client, event_url(event, "/review/assignment"))
    assert "1 judge per application; blind review" in client.get(event_url(event, "/review/")).get_data(as_text=True)
    judge_client, _ = login_as(judge)
    assert "0 of 1 application reviewed." in judge_client.get(event_url(event, "/review/queue")).get_data(as_text=True)
    judging.submit_review(db.session, judge, application, scores_of(rubric, 7))
    db.session.commit()
    assert "1 finalist after the change." in client.get(event_url(event, "/review/selection/changes")).get_data(as_text=True)
    fingerprint = finalist_selection.plan_selection(db.session, event).fingerprint
    assert "1 finalist selected by the rule" in client.post(
        event_url(event, "/review/selection"), data={"fingerprint": fingerprint}, follow_redirects=True).get_data(as_text=True)
    assert "1 finalist</h2>" in client.get(event_url(event, "/review/selection")).get_data(as_text=True)
    assert "1 decision was sent." in _flash(client, event_url(event, "/review/decisions/send"))


def test_two_applications_read_in_the_plural(one_judge_each, login_as, make_user, make_application, rubric,
                                              event):
    judge = make_user(Role.JUDGE)
    make_application(), make_application()
    client = one_judge_each()
    assert "2 assignments made." in _flash(client, event_url(event, "/review/assignment"))
    judge_client, _ = login_as(judge)
    assert "0 of 2 applications reviewed." in judge_client.get(event_url(event, "/review/queue")).get_data(as_text=True)


def test_a_recruiter_with_one_application_for_their_district_reads_the_singular(login_as, make_application,
                                                                                  event):
    make_application()
    client, _ = login_as(Role.RECRUITER, district=event.districts[0])
    assert "<p>1 application</p>" in client.get(event_url(event, "/review/docking/browse")).get_data(as_text=True)
    assert "1 application of your district to mark" in client.get("/dashboard").get_data(as_text=True)
    make_application()
    assert "<p>2 applications</p>" in client.get(event_url(event, "/review/docking/browse")).get_data(as_text=True)


def test_the_chinese_counts_read_as_before(one_judge_each, make_user, make_application, rubric, event):
    make_user(Role.JUDGE)
    make_application()
    client = one_judge_each("zh_Hans_CN")
    assert "已完成 1 项分配。" in _flash(client, event_url(event, "/review/assignment"))
    assert "每个项目 1 位专家；匿名评审" in client.get(event_url(event, "/review/")).get_data(as_text=True)
