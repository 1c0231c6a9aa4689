"""Conflicts of interest recorded after the fact, and reviews that do not count: a conflict
recorded after a review was submitted, or one dismissed and restored, is honoured by every
service that opens a review, builds a judge's queue or ranks applications (issue 18)."""

from __future__ import annotations

import pytest

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.review import aggregation_and_ranking, exceptions, judges_and_conflicts, judging
from roadshow.review.models import ReviewStatus
from tests.review.conftest import scores_of


@pytest.fixture
def submitted(make_user, make_application, rubric, assign):
    """Two judges who both submitted a review of one application (totals 100 and 0)."""
    judge, other = make_user(Role.JUDGE), make_user(Role.JUDGE)
    application = make_application()
    for who, value in ((judge, 10), (other, 1)):
        assign(application, who)
        judging.submit_review(db.session, who, application, scores_of(rubric, value))
    db.session.commit()
    return judge, other, application


def _counted(application):
    return sorted(p.judge_id for p in aggregation_and_ranking.review_points(db.session, application.event_id))


def test_a_conflict_recorded_after_submitting_closes_the_review_to_the_judge(submitted, organizer):
    judge, _other, application = submitted
    judges_and_conflicts.record_conflict(db.session, organizer, judge, application, "co-founder")
    db.session.commit()
    assert not judging.judge_may_open(db.session, judge, application)
    assert [i.application.id for i in judging.judge_queue(db.session, judge, application.event)] == []
    with pytest.raises(exceptions.ReviewError, match="conflict of interest"):
        judging.save_review(db.session, judge, application, {})


def test_a_conflict_recorded_after_submitting_keeps_the_review_on_record(submitted, organizer):
    judge, _other, application = submitted
    judges_and_conflicts.record_conflict(db.session, organizer, judge, application, "co-founder")
    db.session.commit()
    review = judging.find_review(db.session, judge, application)
    assert review is not None
    assert review.status == ReviewStatus.SUBMITTED


def test_a_conflicted_judges_submitted_review_does_not_count_in_the_ranking(submitted, organizer):
    judge, other, application = submitted
    assert _counted(application) == sorted([judge.id, other.id])
    judges_and_conflicts.record_conflict(db.session, organizer, judge, application, "co-founder")
    db.session.commit()
    assert _counted(application) == [other.id]
    (only,) = aggregation_and_ranking.ranking(db.session, application.event)
    assert only.aggregate.count == 1
    assert only.aggregate.mean == pytest.approx(0.0)


def test_a_dismissed_conflict_lets_the_judge_review_and_count_again(submitted, organizer):
    judge, other, application = submitted
    conflict = judges_and_conflicts.record_conflict(db.session, organizer, judge, application, "same lab?")
    db.session.commit()
    judges_and_conflicts.dismiss_conflict(db.session, organizer, conflict)
    db.session.commit()
    assert judging.judge_may_open(db.session, judge, application)
    assert [i.application.id for i in judging.judge_queue(db.session, judge, application.event)] == [
        application.id]
    assert _counted(application) == sorted([judge.id, other.id])


def test_a_restored_conflict_closes_the_review_again(submitted, organizer):
    judge, other, application = submitted
    conflict = judges_and_conflicts.record_conflict(db.session, organizer, judge, application, "same lab")
    judges_and_conflicts.dismiss_conflict(db.session, organizer, conflict)
    judges_and_conflicts.restore_conflict(db.session, organizer, conflict)
    db.session.commit()
    assert not judging.judge_may_open(db.session, judge, application)
    assert judging.judge_queue(db.session, judge, application.event) == []
    assert _counted(application) == [other.id]


def test_a_draft_review_does_not_count_in_the_ranking(make_user, make_application, rubric, assign):
    judge, drafter = make_user(Role.JUDGE), make_user(Role.JUDGE)
    application = make_application()
    assign(application, judge)
    assign(application, drafter)
    judging.submit_review(db.session, judge, application, scores_of(rubric, 10))
    judging.save_review(db.session, drafter, application, scores_of(rubric, 1))
    db.session.commit()
    assert _counted(application) == [judge.id]
    (only,) = aggregation_and_ranking.ranking(db.session, application.event)
    assert only.aggregate.count == 1
    assert only.aggregate.mean == pytest.approx(100.0)
