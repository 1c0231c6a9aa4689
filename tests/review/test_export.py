"""The review's exports read as the organizer's spreadsheet, in the organizer's language: translated
headers in a fixed order, labels instead of codes (round, status, decision, interest, the track by
its name), times to the minute in the event's zone, which the header names; one row per
application, review or score. Text a spreadsheet would run as a formula stays text."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.review import district_docking, finalist_selection, judging
from roadshow.review.models import InterestLevel
from tests.many_events_fixtures import event_url
from tests.review.conftest import scores_of

HEADERS = {
    "en": {
        "ranking": ["Normalised rank", "Raw rank", "Application number", "Title (English)", "Title (Chinese)",
                    "Applicant", "Country of residence", "Track", "Reviews", "Mean total", "Normalised score",
                    "Spread", "Standard deviation", "Judges disagree", "District interest", "Decision",
                    "Override", "Reason for the override", "Status", "Live rank", "Live reviews",
                    "Live mean total"],
        "reviews": ["Review number", "Round", "Application number", "Judge number", "Judge", "Status", "Total",
                    "Submitted at (Asia/Shanghai)", "Overall comment",
                    "Innovation", "Market", "Team", "Fit with the districts' industries"],
        "scores": ["Review number", "Round", "Application number", "Judge number", "Criterion", "Weight",
                   "Lowest score", "Highest score", "Score", "Comment"],
    },
    "zh_Hans_CN": {
        "ranking": ["标准化排名", "原始排名", "项目编号", "标题（英文）", "标题（中文）", "申报人", "居住国家", "赛道",
                    "评审数", "平均总分", "标准化分", "极差", "标准差", "专家意见分歧", "板块意向", "结果",
                    "人工调整", "调整原因", "状态", "现场排名", "现场评审数", "现场平均总分"],
        "reviews": ["评审编号", "轮次", "项目编号", "专家编号", "评审专家", "状态", "总分",
                    "提交时间（Asia/Shanghai）", "总体评语", "创新性", "市场前景", "团队实力", "产业契合度"],
        "scores": ["评审编号", "轮次", "项目编号", "专家编号", "评分项", "权重", "最低分", "最高分", "分数", "评语"],
    },
}
SHEET_NAMES = {"en": ["Ranking", "Reviews by judge", "Scores by criterion"],
               "zh_Hans_CN": ["排名", "专家评审", "各项评分"]}
#: the words the rows use in each language
WORDS = {
    "en": {"preliminary": "Preliminary review", "submitted": "Submitted", "draft": "Draft", "track": "ICT",
           "finalist": "Finalist", "no": "no", "interest": "Gulou District: Strongly interested",
           "innovation": "Innovation"},
    "zh_Hans_CN": {"preliminary": "专家初评", "submitted": "已提交", "draft": "草稿", "track": "信息通信",
                   "finalist": "入围", "no": "否", "interest": "鼓楼区：意向强烈", "innovation": "创新性"},
}
#: 16:30 in Shanghai; the microseconds never reach the file
SUBMITTED_AT = datetime(2026, 6, 10, 8, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
def reviewed(make_user, make_application, rubric, assign, event, organizer):
    """One application of the ICT track: a submitted review (submitted at SUBMITTED_AT), a draft,
    a district's strong interest and the organizer's override making it a finalist."""
    application = make_application(title="Graphene membranes", track=event.tracks[0])
    first, second = make_user(Role.JUDGE, name="Judge First"), make_user(Role.JUDGE, name="Judge Second")
    for judge in (first, second):
        assign(application, judge)
    review = judging.submit_review(db.session, first, application, scores_of(rubric, 7),
                                    {"innovation": "=HYPERLINK(\"http://evil.example\")"},
                                    overall_comment="Solid team")
    review.submitted_at = SUBMITTED_AT
    judging.save_review(db.session, second, application, {"innovation": 5})
    recruiter = make_user(Role.RECRUITER, district=event.districts[0])
    district_docking.set_interest(db.session, recruiter, application, InterestLevel.STRONG, "")
    finalist_selection.override_decision(db.session, organizer, application, True, "The district asked for it")
    db.session.commit()
    return application, review


def _csv(client, event, sheet: str) -> list[list[str]]:
    response = client.get(event_url(event, f"/review/export/{sheet}.csv"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
def test_csv_exports_have_the_organizers_headers_in_a_fixed_order(login_as, reviewed, organizer, locale, event):
    organizer.locale = locale
    db.session.commit()
    client, _ = login_as(organizer)
    for sheet, headers in HEADERS[locale].items():
        assert _csv(client, event, sheet)[0] == headers, sheet


@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
def test_ranking_rows_name_the_track_decision_interest_and_status(login_as, reviewed, organizer, locale, event):
    application, _review = reviewed
    organizer.locale = locale
    db.session.commit()
    client, _ = login_as(organizer)
    words = WORDS[locale]
    header, *rows = _csv(client, event, "ranking")
    assert len(rows) == 1  # one row per application
    row = dict(zip(header, rows[0], strict=True))
    names = HEADERS[locale]["ranking"]
    assert row[names[2]] == str(application.id)
    assert row[names[7]] == words["track"]
    assert row[names[8]] == "1"  # the draft is not counted
    assert row[names[9]] == "66.7"  # mean total: 7 on a 1–10 scale, to the rubric's precision
    assert row[names[13]] == words["no"]  # one review: no disagreement
    assert row[names[14]] == words["interest"]
    assert row[names[15]] == words["finalist"]
    assert row[names[17]] == "The district asked for it"
    assert row[names[18]] == words["submitted"]  # the application's own status


@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
def test_review_and_score_rows_give_round_status_and_time_in_the_events_zone(login_as, reviewed, organizer,
                                                                              rubric, locale, event):
    application, review = reviewed
    organizer.locale = locale
    organizer.timezone = "America/New_York"  # the file follows the event's zone, not the reader's
    db.session.commit()
    client, _ = login_as(organizer)
    words = WORDS[locale]
    _header, *reviews = _csv(client, event, "reviews")
    assert len(reviews) == 2  # one row per review, the draft included
    submitted = next(r for r in reviews if r[0] == str(review.id))
    draft = next(r for r in reviews if r[0] != str(review.id))
    assert submitted[1:9] == [words["preliminary"], str(application.id), str(review.judge_id), "Judge First",
                              words["submitted"], "66.7", "2026-06-10 16:30", "Solid team"]
    assert submitted[9:] == ["7", "7", "7", "7"]
    assert draft[5:8] == [words["draft"], "", ""]  # no total, not submitted
    _header, *scores = _csv(client, event, "scores")
    assert len(scores) == len(rubric) + 1  # one row per score: four submitted, one in the draft
    first = next(r for r in scores if r[0] == str(review.id))
    assert first[1] == words["preliminary"]
    assert first[4:9] == [words["innovation"], "30", "1", "10", "7"]


@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
def test_excel_export_has_the_same_sheets_in_the_organizers_language(login_as, reviewed, organizer, locale, event):
    organizer.locale = locale
    db.session.commit()
    client, _ = login_as(organizer)
    response = client.get(event_url(event, "/review/export.xlsx"))
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == SHEET_NAMES[locale]
    for name, (sheet, headers) in zip(book.sheetnames, HEADERS[locale].items(), strict=True):
        rows = list(book[name].iter_rows(values_only=True))
        assert list(rows[0]) == headers, sheet
        assert len(rows) > 1
        assert all(len(r) == len(headers) for r in rows)
    reviews = list(book[SHEET_NAMES[locale][1]].iter_rows(values_only=True))
    submitted = next(r for r in reviews[1:] if r[6] is not None)
    assert submitted[6] == pytest.approx(66.7)  # figures stay numbers
    assert submitted[7] == "2026-06-10 16:30"


def test_text_that_looks_like_a_formula_stays_text_in_both_files(login_as, reviewed, organizer, event):
    client, _ = login_as(organizer)
    formula = '=HYPERLINK("http://evil.example")'
    comments = [r[9] for r in _csv(client, event, "scores")[1:] if r[9]]
    assert comments == ["'" + formula]
    book = load_workbook(io.BytesIO(client.get(event_url(event, "/review/export.xlsx")).data))
    cells = [row[9] for row in book["Scores by criterion"].iter_rows(min_row=2) if row[9].value]
    assert [(c.value, c.data_type) for c in cells] == [(formula, "s")]
