"""The demo runs a full review round: every application scored by three judges (one harsh, one
lenient), districts' interest marked, and exactly 32 finalists, the rest not selected."""

from __future__ import annotations

from sqlalchemy import func, select

from roadshow.accounts.models import User
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.demo.commands import load_demo
from roadshow.events.models import Event
from roadshow.review import aggregation_and_ranking
from roadshow.review.models import PRELIMINARY, DistrictInterest, Review, ReviewStatus
from tests.conftest import Auth


def test_the_demo_review_round_ends_with_32_finalists(app, db):
    logins = load_demo(db.session)
    assert logins
    counts = dict(tuple(r) for r in db.session.execute(
        select(Application.status, func.count()).group_by(Application.status)))
    assert counts[ApplicationStatus.FINALIST] == 32
    assert counts[ApplicationStatus.NOT_SELECTED] >= 140
    assert ApplicationStatus.SUBMITTED not in counts
    in_review = counts[ApplicationStatus.FINALIST] + counts[ApplicationStatus.NOT_SELECTED]
    reviews = db.session.scalar(select(func.count()).select_from(Review).where(
        Review.status == ReviewStatus.SUBMITTED, Review.round == PRELIMINARY))
    assert reviews == 3 * in_review
    assert db.session.scalar(select(func.count()).select_from(DistrictInterest)) > 50

    event = db.session.get(Event, db.session.scalar(select(Application.event_id)))
    rows = aggregation_and_ranking.ranking(db.session, event)
    # the harsh and the lenient judge make normalisation move applications
    assert any(r.aggregate.rank_shift != 0 for r in rows if r.aggregate)

    client = app.test_client()
    organizer = db.session.scalar(select(User).where(User.email == "organizer@example.org"))
    Auth(client).login(organizer, password="Roadshow-demo-2026")
    page = client.get("/review/selection").get_data(as_text=True)
    assert "32" in page
    assert client.get("/review/ranking").status_code == 200
