"""A Chinese applicant's follow-up requests read as Chinese: the dashboard lists each as
'鼓楼区：项目' with a full-width colon, and the answer's confirmation joins the district's name
to its sentence without a Latin space."""

from __future__ import annotations

import re

from tests.live.test_follow_up import ask_for_a_talk
from tests.many_events_fixtures import event_url


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))


def test_a_chinese_applicant_reads_the_follow_up_in_chinese_punctuation(roadshow, connect,
                                                                        login_as, db):
    applicant = roadshow.presenters[0]
    applicant.locale = "zh_Hans_CN"
    db.session.commit()
    request = ask_for_a_talk(roadshow, connect)
    district = request.district.name_zh
    project = request.application.title_zh
    client, _ = login_as(applicant)
    dashboard = _text(client.get("/dashboard").get_data(as_text=True))
    assert f"{district}：{project}" in dashboard
    assert f"{district}: " not in dashboard
    page = _text(client.get(event_url(roadshow.event, f"/live/docking/{request.id}/answer")).get_data(as_text=True))
    assert f"{district}希望就“{project}”进行后续洽谈" in page
    answered = client.post(event_url(roadshow.event, f"/live/docking/{request.id}/answer"), data={"answer": "declined"},
                           follow_redirects=True)
    page = _text(answered.get_data(as_text=True))
    assert f"{district}可在对接看板上看到" in page
