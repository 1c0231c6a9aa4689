"""Review services on a real database: judging, stale edits, conflicts, assignment, selection
and the decisions each applicant receives in their language."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from roadshow.accounts.roles import Role
from roadshow.applications.models import ApplicationStatus
from roadshow.extensions import db
from roadshow.mail.models import OutboxMessage
from roadshow.review import (
    aggregation_and_ranking,
    exceptions,
    finalist_selection,
    judge_assignments,
    judges_and_conflicts,
    judging,
    settings_and_rubric,
)
from roadshow.review.models import (
    LIVE,
    Assignment,
    ConflictSource,
    JudgeProfile,
    Review,
    ReviewStatus,
    SelectionDecision,
)
from tests.review.conftest import scores_of


def test_a_submitted_review_has_its_weighted_total(make_user, make_application, rubric, assign):
    judge, application = make_user(Role.JUDGE), make_application()
    assign(application, judge)
    review = judging.submit_review(db.session, judge, application, scores_of(rubric, 10), {"team": "Strong"})
    db.session.commit()
    assert review.status == ReviewStatus.SUBMITTED
    assert review.total == pytest.approx(100)
    assert {s.comment for s in review.scores} == {"", "Strong"}


def test_submitting_without_every_required_criterion_is_refused(make_user, make_application, rubric, assign):
    judge, application = make_user(Role.JUDGE), make_application()
    assign(application, judge)
    with pytest.raises(exceptions.ReviewError, match="required"):
        judging.submit_review(db.session, judge, application, {"innovation": 7})
    draft = judging.save_review(db.session, judge, application, {"innovation": 7})
    assert draft.status == ReviewStatus.DRAFT
    assert draft.total is None


def test_a_submitted_review_stays_submitted_and_complete_when_saved_again(make_user, make_application, rubric,
                                                                          assign):
    judge, application = make_user(Role.JUDGE), make_application()
    assign(application, judge)
    judging.submit_review(db.session, judge, application, scores_of(rubric, 10))
    db.session.commit()
    without_team = {**scores_of(rubric, 10), "team": None}
    with pytest.raises(exceptions.ReviewError, match="submitted.*Team"):
        judging.save_review(db.session, judge, application, without_team)
    db.session.rollback()
    review = judging.save_review(db.session, judge, application, scores_of(rubric, 1))
    db.session.commit()
    assert review.status == ReviewStatus.SUBMITTED
    assert review.total == pytest.approx(0)
    assert len(review.scores) == len(rubric)


def test_a_stale_edit_is_refused_with_a_clear_message(make_user, make_application, rubric, assign):
    judge, application = make_user(Role.JUDGE), make_application()
    assign(application, judge)
    first = judging.save_review(db.session, judge, application, scores_of(rubric, 5))
    db.session.commit()
    opened_at = first.version
    judging.save_review(db.session, judge, application, scores_of(rubric, 6), expected_version=opened_at)
    db.session.commit()
    with pytest.raises(exceptions.StaleReviewError, match="changed elsewhere"):
        judging.save_review(db.session, judge, application, scores_of(rubric, 9), expected_version=opened_at)
    db.session.rollback()
    assert judging.find_review(db.session, judge, application).total == pytest.approx(500 / 9)


def test_one_review_per_judge_and_application(make_user, make_application, rubric, assign):
    judge, application = make_user(Role.JUDGE), make_application()
    assign(application, judge)
    judging.save_review(db.session, judge, application, scores_of(rubric, 5))
    judging.submit_review(db.session, judge, application, scores_of(rubric, 8))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Review)) == 1


def test_a_closed_review_refuses_edits(make_user, make_application, rubric, assign, event, organizer):
    judge, application = make_user(Role.JUDGE), make_application()
    assign(application, judge)
    finalist_selection.close_review(db.session, organizer, event)
    with pytest.raises(exceptions.ReviewError, match="closed"):
        judging.submit_review(db.session, judge, application, scores_of(rubric, 8))


def test_a_closed_review_refuses_a_conflict_declaration_and_keeps_the_assignment(
        make_user, make_application, rubric, assign, event, organizer):
    judge, application = make_user(Role.JUDGE), make_application()
    assign(application, judge)
    finalist_selection.close_review(db.session, organizer, event)
    with pytest.raises(exceptions.ReviewError, match="closed"):
        judges_and_conflicts.declare_conflict(db.session, judge, application, "a relative")
    assert not judges_and_conflicts.is_conflicted(db.session, judge, application)
    assert judging.is_assigned(db.session, judge, application)


def test_off_scale_scores_are_refused(make_user, make_application, rubric, assign):
    judge, application = make_user(Role.JUDGE), make_application()
    assign(application, judge)
    with pytest.raises(exceptions.ReviewError, match="between 1 and 10"):
        judging.submit_review(db.session, judge, application, scores_of(rubric, 11))


def test_live_round_scores_go_through_the_same_service_without_an_assignment(make_user, make_application, rubric):
    judge, application = make_user(Role.JUDGE), make_application()
    review = judging.submit_review(db.session, judge, application, scores_of(rubric, 7), round=LIVE)
    assert review.round == LIVE
    assert review.status == ReviewStatus.SUBMITTED


def test_likely_conflicts_are_flagged(make_user, make_application, event, make_district):
    same_place = make_user(Role.JUDGE)
    db.session.add(JudgeProfile(user_id=same_place.id, institution="delft university of technology "))
    coauthor = make_user(Role.JUDGE)
    db.session.add(JudgeProfile(user_id=coauthor.id, associates="Someone Else\nWei Zhang"))
    recruiting = make_user(Role.JUDGE, name="Zhou Recruits")
    make_user(Role.RECRUITER, name="Zhou Recruits", district=event.districts[1])  # the same person
    unrelated = make_user(Role.JUDGE)
    db.session.commit()
    application = make_application(name="Wei Zhang", institution="Delft University of Technology",
                                   districts=[event.districts[1]])
    assert judges_and_conflicts.detect_conflicts(db.session, event) == 3
    assert judges_and_conflicts.detect_conflicts(db.session, event) == 0  # flagged once
    sources = {c.judge_id: c.source for c in judges_and_conflicts.conflicts(db.session, event.id)}
    assert sources == {same_place.id: ConflictSource.INSTITUTION, coauthor.id: ConflictSource.TEAM,
                       recruiting.id: ConflictSource.RECRUITER}
    assert judges_and_conflicts.is_conflicted(db.session, same_place, application)
    assert not judges_and_conflicts.is_conflicted(db.session, unrelated, application)


def test_assignment_never_gives_a_conflicted_judge_and_balances_load(make_user, make_application, event, organizer):
    judges = [make_user(Role.JUDGE) for _ in range(5)]
    applications = [make_application() for _ in range(10)]
    judges_and_conflicts.declare_conflict(db.session, judges[0], applications[0], "my student")
    result = judge_assignments.run_assignment(db.session, organizer, event)
    db.session.commit()
    assert not result.short
    pairs = set(tuple(r) for r in db.session.execute(select(Assignment.judge_id, Assignment.application_id)))
    assert (judges[0].id, applications[0].id) not in pairs
    assert len(pairs) == 30
    loads, short = judge_assignments.load_report(db.session, event)
    assert not short
    assert max(x.assigned for x in loads) - min(x.assigned for x in loads) <= 1
    # running again adds nothing
    assert judge_assignments.run_assignment(db.session, organizer, event).pairs == []


def test_a_conflicted_judge_cannot_be_assigned_by_hand(make_user, make_application, organizer):
    judge, application = make_user(Role.JUDGE), make_application()
    judges_and_conflicts.declare_conflict(db.session, judge, application, "co-founder")
    with pytest.raises(exceptions.ReviewError, match="conflict"):
        judge_assignments.add_assignment(db.session, organizer, application, judge)


def test_declaring_a_conflict_removes_the_assignment_and_the_draft(make_user, make_application, rubric, assign):
    judge, application = make_user(Role.JUDGE), make_application()
    assign(application, judge)
    judging.save_review(db.session, judge, application, scores_of(rubric, 4))
    judges_and_conflicts.declare_conflict(db.session, judge, application, "family")
    db.session.commit()
    assert not judging.judge_may_open(db.session, judge, application)
    assert judging.find_review(db.session, judge, application) is None


def _review_round(make_user, make_application, rubric, event, organizer, n_apps=8):
    judges = [make_user(Role.JUDGE) for _ in range(3)]
    apps = [make_application(locale="zh_Hans_CN" if i % 2 else "en") for i in range(n_apps)]
    settings_and_rubric.get_settings(db.session, event).finalist_count = 3
    judge_assignments.run_assignment(db.session, organizer, event)
    for app in apps:
        for judge in judges:
            judging.submit_review(db.session, judge, app, scores_of(rubric, 1 + app.id % 10))
    db.session.commit()
    return judges, apps


def test_finalists_are_selected_by_rule_and_overrides_kept(make_user, make_application, rubric, event, organizer):
    _judges, apps = _review_round(make_user, make_application, rubric, event, organizer)
    ranked = [r.application.id for r in aggregation_and_ranking.ranking(db.session, event)]
    assert finalist_selection.select_finalists(db.session, organizer, event) == ranked[:3]
    with pytest.raises(exceptions.ReviewError, match="reason"):
        finalist_selection.override_decision(db.session, organizer, db.session.get(type(apps[0]), ranked[-1]), True, "")
    finalist_selection.override_decision(db.session, organizer, db.session.get(type(apps[0]), ranked[-1]), True,
                               "Strategic fit with Pei County's new-materials park.")
    chosen = finalist_selection.select_finalists(db.session, organizer, event)
    assert chosen == [*ranked[:2], ranked[-1]]
    decision = db.session.scalar(select(SelectionDecision).where(SelectionDecision.application_id == ranked[-1]))
    assert decision.overridden
    assert "Pei County" in decision.override_reason


def test_decisions_are_sent_in_batches_in_each_applicants_language(
        make_user, make_application, rubric, event, organizer, mailbox):
    _judges, apps = _review_round(make_user, make_application, rubric, event, organizer, n_apps=5)
    finalist_selection.select_finalists(db.session, organizer, event)
    db.session.commit()
    first = finalist_selection.send_decisions(db.session, organizer, event, limit=2)
    db.session.commit()
    assert (first.sent, first.total) == (2, 5)
    assert settings_and_rubric.get_settings(db.session, event).is_closed
    last = finalist_selection.send_decisions(db.session, organizer, event, limit=10)
    db.session.commit()
    assert last.remaining == 0
    statuses = [db.session.get(type(a), a.id).status for a in apps]
    assert statuses.count(ApplicationStatus.FINALIST) == 3
    assert statuses.count(ApplicationStatus.NOT_SELECTED) == 2
    messages = list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.template.in_(["review/mail/finalist", "review/mail/not_selected"]))))
    assert len(messages) == 5
    chinese = [m for m in messages if m.locale.startswith("zh")]
    english = [m for m in messages if m.locale == "en"]
    assert chinese
    assert english
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m.subject) for m in chinese)
    assert all(m.subject.isascii() for m in english)


def test_an_application_withdrawn_after_the_selection_stays_withdrawn_and_gets_no_decision(
        make_user, make_application, rubric, event, organizer, mailbox):
    _judges, apps = _review_round(make_user, make_application, rubric, event, organizer, n_apps=4)
    chosen = finalist_selection.select_finalists(db.session, organizer, event)
    withdrawn = db.session.get(type(apps[0]), chosen[0])
    withdrawn.status = ApplicationStatus.WITHDRAWN
    db.session.commit()

    progress = finalist_selection.send_decisions(db.session, organizer, event, limit=10)
    db.session.commit()

    assert progress.remaining == 0
    assert db.session.get(type(apps[0]), withdrawn.id).status == ApplicationStatus.WITHDRAWN
    recipients = [m.to_address for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.template.like("review/mail/%"), OutboxMessage.template != "review/mail/assigned"))]
    assert withdrawn.applicant.email not in recipients
    assert len(recipients) == 3


def test_deck_readers_are_assigned_unconflicted_judges_and_allowed_recruiters(
        make_user, make_application, assign, event, organizer):
    from roadshow.applications import policy

    assigned, other = make_user(Role.JUDGE), make_user(Role.JUDGE)
    recruiter = make_user(Role.RECRUITER, district=event.districts[0])
    stranger = make_user(Role.RECRUITER, district=event.districts[1])
    application = make_application(districts=[event.districts[0]])
    assign(application, assigned)
    assert policy.may_read_deck(db.session, assigned, application)
    assert not policy.may_read_deck(db.session, other, application)
    assert not policy.may_read_deck(db.session, recruiter, application)  # not allowed by default
    settings_and_rubric.get_settings(db.session, event).recruiters_read_decks = True
    assert policy.may_read_deck(db.session, recruiter, application)
    assert not policy.may_read_deck(db.session, stranger, application)
    judges_and_conflicts.declare_conflict(db.session, assigned, application, "a relative")
    assert not policy.may_read_deck(db.session, assigned, application)
