"""What the room pushes reaches readers of both languages at once (issue 12, item 6): names and
titles travel in English and Chinese, whatever the sender's language, and each page picks its
reader's."""

from __future__ import annotations

from tests.live.conftest import act, events_of


def _chinese(db, *users):
    for user in users:
        user.locale = "zh_Hans_CN"
    db.session.commit()


def test_a_chinese_recruiters_follow_up_request_reaches_english_readers_in_both_languages(
        roadshow, connect, db):
    _chinese(db, roadshow.recruiter)
    host = connect(roadshow.organizer, roadshow.session)
    district = connect(roadshow.recruiter, roadshow.session)
    presenter = connect(roadshow.presenters[0], roadshow.session)
    assert act(host, "stage", command="open")["ok"]
    assert act(host, "stage", command="call", index=1)["ok"]
    events_of(presenter)
    assert act(district, "dock", kind="talk")["ok"]
    told = events_of(presenter, "docking")[0]["data"]["request"]
    assert (told["district_en"], told["district_zh"]) == ("Gulou District", "鼓楼区")
    assert (told["project_en"], told["project_zh"]) == ("Low-power IoT 1", "低功耗物联网 1")


def test_question_and_chat_authors_come_in_both_scripts(roadshow, connect, db):
    roadshow.judge.name, roadshow.judge.name_native = "Li Na", "李娜"
    _chinese(db, roadshow.judge)
    host = connect(roadshow.organizer, roadshow.session)
    judge = connect(roadshow.judge, roadshow.session)
    assert act(host, "stage", command="open")["ok"]
    events_of(host)
    assert act(judge, "ask", text="How large is the market?")["ok"]
    assert act(judge, "chat", text="Hello")["ok"]
    question = events_of(host, "question")[0]["data"]["question"]
    assert (question["author_en"], question["author_zh"]) == ("Li Na", "李娜")
    message = events_of(judge, "chat")[0]["data"]["message"]
    assert (message["author_en"], message["author_zh"]) == ("Li Na", "李娜")
