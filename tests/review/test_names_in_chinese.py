"""Chinese pages name countries in Chinese and people by their Chinese name when they have one."""

from __future__ import annotations

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.review import judging
from tests.many_events_fixtures import event_url


def test_the_chinese_ranking_and_docking_pages_show_country_names_and_chinese_names(
        login_as, make_user, make_application, rubric, assign, organizer, event):
    application = make_application(title="Graphene membranes for brine", name="Yu Xu")
    application.applicant.name_native = "徐宇"
    judge = make_user(Role.JUDGE, name="Judge First")
    assign(application, judge)
    judging.submit_review(db.session, judge, application,
                           {"innovation": 9, "market": 7, "team": 8, "fit": 6}, {})
    organizer.locale = "zh_Hans_CN"
    db.session.commit()
    client, _ = login_as(organizer)
    ranking = client.get(event_url(event, "/review/ranking")).get_data(as_text=True)
    assert "徐宇 · 荷兰" in ranking
    assert "Yu Xu · NL" not in ranking
    recruiter, _ = login_as(Role.RECRUITER, district=event.districts[0], locale="zh_Hans_CN")
    docking = recruiter.get(event_url(event, "/review/docking/browse?scope=all")).get_data(as_text=True)
    assert "<td>荷兰</td>" in docking
    assert "<td>NL</td>" not in docking
    body = client.get(event_url(event, f"/review/applications/{application.id}")).get_data(as_text=True)
    assert "徐宇（Yu Xu）" in body
