"""The demo runs a full review round for this year's roadshow: every application scored by three
judges (one harsh, one lenient), districts' interest marked, and exactly 32 finalists, the rest
not selected; last year's ended with 30 finalists and Xiao County's is half scored."""

from __future__ import annotations

from sqlalchemy import func, select

from roadshow.accounts.models import User
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.review import aggregation_and_ranking
from roadshow.review.models import PRELIMINARY, DistrictInterest, Review, ReviewStatus
from roadshow.review.settings_and_rubric import get_settings
from tests.conftest import Auth
from tests.demo.pages import event_of, url


def _statuses(db, event):
    return dict(tuple(r) for r in db.session.execute(
        select(Application.status, func.count()).where(Application.event_id == event.id)
        .group_by(Application.status)))


def _reviews(db, event):
    return db.session.scalar(select(func.count()).select_from(Review).join(Application).where(
        Application.event_id == event.id, Review.status == ReviewStatus.SUBMITTED,
        Review.round == PRELIMINARY))


def test_the_demo_review_round_ends_with_32_finalists(app, db, loaded_demo):
    logins = loaded_demo
    assert logins
    event = event_of(db.session)
    counts = _statuses(db, event)
    assert counts[ApplicationStatus.FINALIST] == 32
    assert counts[ApplicationStatus.NOT_SELECTED] >= 140
    assert ApplicationStatus.SUBMITTED not in counts
    in_review = counts[ApplicationStatus.FINALIST] + counts[ApplicationStatus.NOT_SELECTED]
    assert _reviews(db, event) == 3 * in_review
    interests = db.session.scalar(select(func.count()).select_from(DistrictInterest).join(
        Application).where(Application.event_id == event.id))
    assert interests > 50

    rows = aggregation_and_ranking.ranking(db.session, event)
    # the harsh and the lenient judge make normalisation move applications
    assert any(r.aggregate.rank_shift != 0 for r in rows if r.aggregate)

    last_year = event_of(db.session, "xuzhou-cloud-roadshow-2025")
    assert _statuses(db, last_year)[ApplicationStatus.FINALIST] == 30
    # the printed applicant was not selected last year
    daniel = db.session.scalar(select(User).where(User.email == "applicant@example.org"))
    assert db.session.scalar(select(Application.status).where(
        Application.event_id == last_year.id, Application.applicant_id == daniel.id)) \
        == ApplicationStatus.NOT_SELECTED
    # Xiao County's review is under way: some scored, no finalists, not closed
    xiao = event_of(db.session, "xiao-county-roadshow")
    xiao_counts = _statuses(db, xiao)
    assert set(xiao_counts) == {ApplicationStatus.SUBMITTED}
    assert 0 < _reviews(db, xiao) < 3 * xiao_counts[ApplicationStatus.SUBMITTED]
    assert get_settings(db.session, xiao).closed_at is None

    client = app.test_client()
    organizer = db.session.scalar(select(User).where(User.email == "organizer@example.org"))
    Auth(client).login(organizer, password="Roadshow-demo-2026")
    page = client.get(url(app, "review.selection", event)).get_data(as_text=True)
    assert "32" in page
    assert client.get(url(app, "review.ranking", event)).status_code == 200
