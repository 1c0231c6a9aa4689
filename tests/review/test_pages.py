"""Pages by role: judges see only what is theirs, other reviews only when the settings say so,
recruiters see scores only when the organizer allows it; organizers reach every review page."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from roadshow.accounts.roles import Role
from roadshow.applications.models import ApplicationStatus
from roadshow.extensions import db
from roadshow.review import (
    aggregation_and_ranking,
    district_docking,
    finalist_selection,
    judges_and_conflicts,
    judging,
    settings_and_rubric,
)
from roadshow.review.models import InterestLevel, SeeOtherReviews
from tests.many_events_fixtures import event_url
from tests.review.conftest import scores_of


@pytest.fixture
def scored(make_user, make_application, rubric, assign, event):
    """Two judges who both reviewed one application (distinctive totals), and a bystander app."""
    first, second = make_user(Role.JUDGE, name="Judge First"), make_user(Role.JUDGE, name="Judge Second")
    application = make_application(title="Graphene membranes for brine", name="Lin Secretname",
                                   institution="Secret Institute of Technology")
    other = make_application(title="Unassigned quantum sensors")
    for judge in (first, second):
        assign(application, judge)
    judging.submit_review(db.session, second, application, {"innovation": 9, "market": 2, "team": 9, "fit": 2},
                           {"innovation": "Remarkably novel idea"})
    db.session.commit()
    return first, second, application, other


def test_a_judge_never_opens_an_unassigned_application(login_as, scored, event):
    first, _second, _application, other = scored
    client, _ = login_as(first)
    assert client.get(event_url(event, f"/review/queue/{other.id}")).status_code == 403
    page = client.get(event_url(event, "/review/queue")).get_data(as_text=True)
    assert "Graphene membranes" in page
    assert "Unassigned quantum sensors" not in page


def test_a_conflicted_judge_cannot_open_the_application(login_as, scored, event):
    first, _second, application, _other = scored
    client, _ = login_as(first)
    assert client.get(event_url(event, f"/review/queue/{application.id}")).status_code == 200
    response = client.post(event_url(event, f"/review/queue/{application.id}/conflict"), data={"reason": "My former student"})
    assert response.status_code == 302
    assert client.get(event_url(event, f"/review/queue/{application.id}")).status_code == 403
    assert "Graphene membranes" not in client.get(event_url(event, "/review/queue")).get_data(as_text=True)


@pytest.mark.parametrize(("locale", "refusal"), [
    ("en", "The review is closed; conflicts of interest can no longer be declared here. "
           "If you have one, tell the organizer."),
    ("zh_Hans_CN", "评审已结束，不能再在此申报利益冲突。如有利益冲突，请告知主办方。"),
])
def test_once_the_review_is_closed_a_judge_is_offered_no_conflict_declaration_and_one_posted_is_refused(
        login_as, scored, event, organizer, locale, refusal):
    first, _second, application, _other = scored
    first.locale = locale
    finalist_selection.close_review(db.session, organizer, event)
    db.session.commit()
    client, _ = login_as(first)
    page = client.get(event_url(event, f"/review/queue/{application.id}")).get_data(as_text=True)
    assert event_url(event, f"/review/queue/{application.id}/conflict") not in page
    response = client.post(event_url(event, f"/review/queue/{application.id}/conflict"), data={"reason": "My former student"},
                           follow_redirects=True)
    assert response.request.path == event_url(event, f"/review/queue/{application.id}")
    assert refusal in response.get_data(as_text=True)
    assert not judges_and_conflicts.is_conflicted(db.session, first, application)
    assert client.get(event_url(event, f"/review/queue/{application.id}")).status_code == 200  # still theirs, as reviewed


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_conflict_without_a_reason_is_refused_under_the_field_in_the_judges_language(login_as, scored, rubric,
                                                                                        reason, event):
    first, _second, application, _other = scored
    first.locale = "zh_Hans_CN"
    judging.save_review(db.session, first, application, {rubric[0].code: 7}, overall_comment="草稿评语")
    db.session.commit()
    client, _ = login_as(first)
    response = client.post(event_url(event, f"/review/queue/{application.id}/conflict"), data={"reason": reason})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'<textarea[^>]*class="form-control is-invalid"[^>]*name="reason"', page)
    assert '<div class="invalid-feedback d-block">请简要说明利益冲突。</div>' in page
    assert '<details class="mt-4" open>' in page  # the form stays in view
    assert re.search(rf'name="score-{rubric[0].code}"[^>]*value="7"', page)
    assert "草稿评语" in page  # the saved draft is shown as it was
    assert client.get(event_url(event, f"/review/queue/{application.id}")).status_code == 200  # no conflict was recorded


def test_other_reviews_stay_hidden_until_the_judge_submits(login_as, scored, event, rubric):
    first, _second, application, _other = scored
    settings_and_rubric.get_settings(db.session, event).see_other_reviews = SeeOtherReviews.AFTER_SUBMIT
    db.session.commit()
    client, _ = login_as(first)
    before = client.get(event_url(event, f"/review/queue/{application.id}")).get_data(as_text=True)
    assert "Remarkably novel idea" not in before
    assert "Other judges" not in before
    client.post(event_url(event, f"/review/queue/{application.id}"), data={
        **{f"score-{c.code}": "5" for c in rubric}, "action": "submit", "version": ""})
    after = client.get(event_url(event, f"/review/queue/{application.id}")).get_data(as_text=True)
    assert "Remarkably novel idea" in after


def test_other_reviews_never_show_when_the_setting_says_never(login_as, scored, rubric, event):
    first, _second, application, _other = scored
    client, _ = login_as(first)
    client.post(event_url(event, f"/review/queue/{application.id}"), data={
        **{f"score-{c.code}": "5" for c in rubric}, "action": "submit", "version": ""})
    page = client.get(event_url(event, f"/review/queue/{application.id}")).get_data(as_text=True)
    assert "Submitted" in page
    assert "Remarkably novel idea" not in page


def test_blind_review_hides_the_applicants_identity(login_as, scored, event):
    first, _second, application, _other = scored
    client, _ = login_as(first)
    assert "Lin Secretname" in client.get(event_url(event, f"/review/queue/{application.id}")).get_data(as_text=True)
    settings_and_rubric.get_settings(db.session, event).blind = True
    db.session.commit()
    page = client.get(event_url(event, f"/review/queue/{application.id}")).get_data(as_text=True)
    assert "Lin Secretname" not in page
    assert "Secret Institute" not in page
    assert "Graphene membranes" in page


def test_bad_scores_are_refused_and_what_was_typed_is_kept(login_as, scored, rubric, event):
    first, _second, application, _other = scored
    client, _ = login_as(first)
    page = client.post(event_url(event, f"/review/queue/{application.id}"), data={
        "score-innovation": "12", "score-market": "7", "comment-market": "Big market in Jiangsu",
        "action": "submit", "version": ""}).get_data(as_text=True)
    assert "Enter a number from 1 to 10" in page
    assert "Big market in Jiangsu" in page
    assert 'value="7"' in page
    assert judging.find_review(db.session, first, application) is None


def test_submitting_marks_every_missing_criterion_beside_the_off_scale_one(login_as, scored, rubric, event):
    first, _second, application, _other = scored
    client, _ = login_as(first)
    page = client.post(event_url(event, f"/review/queue/{application.id}"), data={
        "score-innovation": "12", "score-market": "7", "action": "submit", "version": ""}).get_data(as_text=True)
    assert "Enter a number from 1 to 10" in page
    assert page.count("Score this criterion to submit.") == 2  # team and fit
    page = client.post(event_url(event, f"/review/queue/{application.id}"), data={
        "score-innovation": "8", "score-market": "7", "action": "submit", "version": ""}).get_data(as_text=True)
    assert page.count("Score this criterion to submit.") == 2
    assert judging.find_review(db.session, first, application) is None


def test_a_submitted_review_offers_no_draft_and_keeps_its_required_scores(login_as, scored, rubric, event):
    _first, second, application, _other = scored
    client, _ = login_as(second)
    page = client.get(event_url(event, f"/review/queue/{application.id}")).get_data(as_text=True)
    assert "Save draft" not in page
    assert "Save changes" in page
    version = judging.find_review(db.session, second, application).version
    page = client.post(event_url(event, f"/review/queue/{application.id}"), data={
        "score-innovation": "8", "score-market": "2", "score-team": "", "score-fit": "2",
        "action": "draft", "version": str(version)}).get_data(as_text=True)
    assert page.count("Score this criterion to submit.") == 1
    assert 'value="8"' in page  # what the judge typed is kept
    review = judging.find_review(db.session, second, application)
    db.session.refresh(review)
    assert {s.value for s in review.scores} == {9, 2}
    assert review.total is not None


def test_a_stale_form_is_refused_with_a_clear_message(login_as, scored, rubric, event):
    first, _second, application, _other = scored
    client, _ = login_as(first)
    form = {**{f"score-{c.code}": "6" for c in rubric}, "action": "draft", "version": ""}
    client.post(event_url(event, f"/review/queue/{application.id}"), data=form)
    version = judging.find_review(db.session, first, application).version
    client.post(event_url(event, f"/review/queue/{application.id}"), data={**form, "version": str(version)})
    # a second tab still holds the first version
    page = client.post(event_url(event, f"/review/queue/{application.id}"),
                       data={**form, "score-team": "9", "version": str(version)}).get_data(as_text=True)
    assert "changed elsewhere" in page
    assert 'value="9"' in page


def test_recruiters_see_scores_only_when_the_organizer_allows_it(login_as, scored, event):
    _first, _second, application, _other = scored
    client, _ = login_as(Role.RECRUITER, district=event.districts[0])
    aggregate = next(r.aggregate for r in aggregation_and_ranking.ranking(db.session, event) if r.application.id == application.id)
    shown = f"{aggregate.normalised:.1f}"  # the score that could leak
    listing = client.get(event_url(event, "/review/docking/browse")).get_data(as_text=True)
    detail = client.get(event_url(event, f"/review/docking/{application.id}")).get_data(as_text=True)
    assert "Graphene membranes" in listing
    assert shown not in listing
    assert shown not in detail
    assert "Review scores" not in detail
    settings_and_rubric.get_settings(db.session, event).recruiters_see_scores = True
    db.session.commit()
    assert shown in client.get(event_url(event, "/review/docking/browse")).get_data(as_text=True)
    assert "Review scores" in client.get(event_url(event, f"/review/docking/{application.id}")).get_data(as_text=True)


def test_a_recruiter_marks_interest_and_the_organizer_sees_it(login_as, scored, event, organizer):
    _first, _second, application, _other = scored
    client, _ = login_as(Role.RECRUITER, district=event.districts[0])
    response = client.post(event_url(event, f"/review/docking/{application.id}"), data={"level": "strong", "note": "Fits our park"})
    assert response.status_code == 302
    org, _ = login_as(organizer)
    page = org.get(event_url(event, "/review/docking")).get_data(as_text=True)
    assert "Fits our park" in page
    assert "Gulou District" in page


def test_judges_and_recruiters_cannot_reach_organizer_pages(login_as, scored, event):
    judge_client, _ = login_as(scored[0])
    recruiter_client, _ = login_as(Role.RECRUITER)
    for client in (judge_client, recruiter_client):
        for url in (event_url(event, "/review/"), event_url(event, "/review/ranking"), event_url(event, "/review/export.xlsx"), event_url(event, "/review/export/reviews.csv")):
            assert client.get(url).status_code == 403


ORGANIZER_PAGES = ["/review/", "/review/rubric", "/review/rubric/new", "/review/settings", "/review/judges",
                   "/review/conflicts", "/review/assignment", "/review/ranking", "/review/ranking?flagged=1",
                   "/review/docking", "/review/selection", "/review/decisions/send"]


@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
def test_organizer_pages_open_in_both_languages(login_as, scored, organizer, locale, event):
    organizer.locale = locale
    db.session.commit()
    client, _ = login_as(organizer)
    for path in [*ORGANIZER_PAGES, f"/review/applications/{scored[2].id}", f"/review/judges/{scored[0].id}"]:
        url = event_url(event, path)
        response = client.get(url)
        assert response.status_code == 200, url
    assert "排名" in client.get(event_url(event, "/review/ranking")).get_data(as_text=True) or locale == "en"


def test_the_whole_review_exports_to_csv_and_excel(login_as, scored, organizer, event):
    client, _ = login_as(organizer)
    for sheet in ("ranking", "reviews", "scores"):
        response = client.get(event_url(event, f"/review/export/{sheet}.csv"))
        assert response.status_code == 200
        assert response.mimetype == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
    scores = client.get(event_url(event, "/review/export/scores.csv")).get_data(as_text=True)
    assert "Remarkably novel idea" in scores
    response = client.get(event_url(event, "/review/export.xlsx"))
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Ranking", "Reviews by judge", "Scores by criterion"]
    assert book["Reviews by judge"].max_row == 2  # the header and the one submitted review


def test_the_organizer_runs_assignment_selection_and_sending_from_the_pages(
        login_as, make_user, make_application, rubric, organizer, event, mailbox):
    judges = [make_user(Role.JUDGE) for _ in range(3)]
    apps = [make_application() for _ in range(4)]
    client, _ = login_as(organizer)
    client.post(event_url(event, "/review/settings"), data={"judges_per_application": "2", "see_other_reviews": "never",
                                          "finalist_count": "2", "recruiters_read_decks": "y"})
    assert client.post(event_url(event, "/review/assignment")).status_code == 302
    for judge in judges:
        for item in judging.judge_queue(db.session, judge, event):
            judging.submit_review(db.session, judge, item.application, scores_of(rubric, 3 + item.application.id % 5))
    db.session.commit()
    changes = client.get(event_url(event, "/review/selection/changes")).get_data(as_text=True)
    assert "2 go in" in changes
    fingerprint = finalist_selection.plan_selection(db.session, event).fingerprint
    assert client.post(event_url(event, "/review/selection"), data={"fingerprint": fingerprint}).status_code == 302
    response = client.post(event_url(event, "/review/decisions/send"), follow_redirects=True)
    assert "All 4 decisions were sent" in response.get_data(as_text=True)
    applicants = {a.applicant.email for a in apps}
    assert len([m for m in mailbox.messages if m["To"] in applicants]) == 4
    # the judges were told of their assignments (one mail each), and nobody else
    assert {m["To"] for m in mailbox.messages} - applicants == {j.email for j in judges}
    assert len(apps) == 4


def test_the_ranking_shows_the_live_rounds_scores_beside_the_preliminary_ones(login_as, scored, organizer, event):
    first, second, application, _other = scored
    for judge, value in ((first, 8), (second, 6)):
        judging.submit_review(db.session, judge, application,
                               {"innovation": value, "market": value, "team": value, "fit": value}, round="live")
    db.session.commit()
    row = next(r for r in aggregation_and_ranking.ranking(db.session, application.event) if r.application.id == application.id)
    assert row.live is not None
    assert row.live.count == 2
    assert row.aggregate is not None
    assert row.aggregate.count == 1
    client, _ = login_as(organizer)
    page = client.get(event_url(event, "/review/ranking")).get_data(as_text=True)
    assert "Live round" in page
    assert f"{row.live.mean:.1f}" in page
    assert f"{row.aggregate.mean:.1f}" in page
    live_first = client.get(event_url(event, "/review/ranking?order=live")).get_data(as_text=True)
    assert live_first.index("Graphene membranes") < live_first.index("Unassigned quantum sensors")
    sheet = client.get(event_url(event, "/review/export/ranking.csv")).get_data(as_text=True).splitlines()
    header = sheet[0].split(",")
    assert "Live mean total" in header
    line = next(line for line in sheet if "Graphene membranes" in line).split(",")
    assert line[header.index("Live reviews")] == "2"


def test_the_ranking_has_no_live_columns_before_the_live_round(login_as, scored, organizer, event):
    client, _ = login_as(organizer)
    page = client.get(event_url(event, "/review/ranking")).get_data(as_text=True)
    assert "Live rank" not in page


def test_a_recruiter_goes_from_a_finalists_page_to_drafting_an_intent(login_as, scored, event):
    _first, _second, application, _other = scored
    client, recruiter = login_as(Role.RECRUITER, district=event.districts[0])
    draft = f"/signing/intents/new?application_id={application.id}&amp;district_id={recruiter.district_id}"
    assert draft not in client.get(event_url(event, f"/review/docking/{application.id}")).get_data(as_text=True)
    application.status = ApplicationStatus.FINALIST
    db.session.commit()
    assert draft in client.get(event_url(event, f"/review/docking/{application.id}")).get_data(as_text=True)


def test_an_applications_page_shows_its_live_round_beside_the_preliminary_reviews(login_as, scored, organizer, event):
    _first, second, application, _other = scored
    judging.submit_review(db.session, second, application,
                           {"innovation": 7, "market": 7, "team": 7, "fit": 7}, round="live")
    db.session.commit()
    client, _ = login_as(organizer)
    page = client.get(event_url(event, f"/review/applications/{application.id}")).get_data(as_text=True)
    assert "Live round: mean total" in page
    assert 'Judge Second <span class="badge bg-info">live</span>' in page  # the live review's row


def test_the_district_interest_overview_leads_to_drafting_an_intent_for_a_finalist(login_as, scored, event, organizer):
    _first, _second, application, _other = scored
    recruiter_client, _ = login_as(Role.RECRUITER, district=event.districts[0])
    recruiter_client.post(event_url(event, f"/review/docking/{application.id}"), data={"level": "strong", "note": ""})
    application.status = ApplicationStatus.FINALIST
    db.session.commit()
    client, _ = login_as(organizer)
    page = client.get(event_url(event, "/review/docking")).get_data(as_text=True)
    assert f"/signing/intents/new?application_id={application.id}&amp;district_id={event.districts[0].id}" in page


def test_conflict_and_assignment_lists_name_projects_in_the_readers_language(login_as, make_user, make_application,
                                                                             rubric, event):
    judge = make_user(Role.JUDGE)
    conflicted, unassigned = make_application(title="Quantum brine sensors"), make_application()
    judges_and_conflicts.declare_conflict(db.session, judge, conflicted, "co-founder")
    db.session.commit()
    client, _ = login_as(Role.ORGANIZER, locale="zh_Hans_CN")
    conflicts = client.get(event_url(event, "/review/conflicts")).get_data(as_text=True)
    assert f"#{conflicted.id} {conflicted.title_zh}" in conflicts
    assert "Quantum brine sensors" not in conflicts
    assignment = client.get(event_url(event, "/review/assignment")).get_data(as_text=True)
    assert f"#{unassigned.id} {unassigned.title_zh}" in assignment
    assert unassigned.title_en not in assignment


def _text(html: str) -> str:
    """The page's words as the reader sees them: tags dropped, runs of spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.mark.parametrize(("locale", "judge_line", "criterion_line"), [
    ("en", "Judge 1: total ", "Innovation: 9"),
    ("zh_Hans_CN", "专家 1：总分 ", "创新性：9"),
])
def test_other_judges_reviews_are_labelled_with_the_readers_colon(login_as, scored, event, rubric,
                                                                   locale, judge_line, criterion_line):
    """English writes "Judge 1: total 52.2", Chinese the full-width colon: "专家 1：总分 52.2"."""
    first, _second, application, _other = scored
    settings_and_rubric.get_settings(db.session, event).see_other_reviews = SeeOtherReviews.AFTER_SUBMIT
    first.locale = locale
    judging.submit_review(db.session, first, application, scores_of(rubric, 5))
    db.session.commit()
    client, _ = login_as(first)
    html = client.get(event_url(event, f"/review/queue/{application.id}")).get_data(as_text=True)
    page = _text(html)
    assert judge_line in page
    assert f"<strong>{judge_line.split(' ')[0]} 1</strong>" in html  # the judge's label stays bold
    assert criterion_line in page


def test_chinese_review_pages_put_the_full_width_colon_between_label_and_value(login_as, make_user, scored,
                                                                                event, organizer):
    """District interest, conflicts and overrides read "鼓楼区：意向强烈", never "鼓楼区: 意向强烈"."""
    _first, _second, application, _other = scored
    judge = make_user(Role.JUDGE, name="王评审")
    judges_and_conflicts.record_conflict(db.session, organizer, judge, application, "同事")
    recruiter = make_user(Role.RECRUITER, district=event.districts[0])
    district_docking.set_interest(db.session, recruiter, application, InterestLevel.STRONG, "")
    finalist_selection.override_decision(db.session, organizer, application, True, "区里强烈推荐")
    db.session.commit()
    organizer.locale = "zh_Hans_CN"
    db.session.commit()
    client, _ = login_as(organizer)
    pages = {url: _text(client.get(url).get_data(as_text=True))
             for url in (event_url(event, f"/review/applications/{application.id}"), event_url(event, "/review/docking"), event_url(event, "/review/selection"))}
    detail, docking, selection = pages.values()
    assert "鼓楼区：意向强烈" in detail
    assert "王评审：由主办方记录" in detail
    assert "人工调整：区里强烈推荐" in detail
    assert "鼓楼区：意向强烈" in docking
    assert f"#{application.id}：入围 — 区里强烈推荐" in selection
    for url, text in pages.items():
        assert not re.search(r"[\u4e00-\u9fff]: ", text), (url, re.findall(r".{12}[\u4e00-\u9fff]: .{12}", text))


@pytest.mark.parametrize(("locale", "shown"), [
    ("en", "Judge Dismissed: Recorded by the organizer (dismissed)"),
    ("zh_Hans_CN", "Judge Dismissed：由主办方记录（已撤销）"),
])
def test_a_dismissed_conflict_is_marked_with_the_readers_own_brackets(login_as, make_user, scored, organizer,
                                                                      locale, shown, event):
    """English writes "(dismissed)" after a space; Chinese the full-width "（已撤销）" without one."""
    _first, _second, application, _other = scored
    judge = make_user(Role.JUDGE, name="Judge Dismissed")
    conflict = judges_and_conflicts.record_conflict(db.session, organizer, judge, application, "Same lab")
    judges_and_conflicts.dismiss_conflict(db.session, organizer, conflict)
    organizer.locale = locale
    db.session.commit()
    client, _ = login_as(organizer)
    page = _text(client.get(event_url(event, f"/review/applications/{application.id}")).get_data(as_text=True))
    assert shown in page
