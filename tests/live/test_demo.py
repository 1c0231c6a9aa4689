"""The live demo step leaves a finished room with its history and an open room mid-pitch."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from roadshow.db import utcnow
from roadshow.demo.context import DemoContext
from roadshow.live import demo
from roadshow.live.models import ChatMessage, DockingRequest, LiveEvent, LiveQuestion, LiveRoom
from roadshow.review.models import LIVE, Review
from roadshow.scheduling.models import PitchSession


def test_demo_runs_yesterdays_session_and_opens_todays(app, db, roadshow, make_user):
    yesterday = roadshow.session
    yesterday.starts_at = utcnow() - timedelta(days=1)
    yesterday.ends_at = yesterday.starts_at + timedelta(hours=2)
    today = roadshow.other_session
    today.starts_at = utcnow() - timedelta(minutes=30)
    today.ends_at = utcnow() + timedelta(hours=2)
    judges = [roadshow.judge, make_user("judge")]
    db.session.commit()
    ctx = DemoContext(session=db.session, today=utcnow().date())
    ctx.data.update(organizer=roadshow.organizer, judges=judges, recruiters=[roadshow.recruiter],
                    sessions=[yesterday, today])
    demo.load(ctx)
    db.session.commit()
    rooms = {r.session_id: r for r in db.session.scalars(select(LiveRoom))}
    assert rooms[yesterday.id].closed_at is not None
    assert rooms[yesterday.id].stage["phase"] == "closed"
    assert len(rooms[yesterday.id].stage["revealed"]) == 2
    assert rooms[today.id].stage["phase"] == "pitch"
    assert rooms[today.id].stage["timer"]["running"]
    assert db.session.scalar(select(func.count()).select_from(Review).where(Review.round == LIVE)) == 4
    assert db.session.scalar(select(func.count()).select_from(LiveQuestion)) >= 4
    assert db.session.scalar(select(func.count()).select_from(ChatMessage)) >= 4
    assert db.session.scalars(select(DockingRequest)).all()
    seqs = db.session.scalars(select(LiveEvent.seq).where(
        LiveEvent.room_id == rooms[yesterday.id].id).order_by(LiveEvent.seq)).all()
    assert seqs == list(range(1, len(seqs) + 1))
    assert isinstance(today, PitchSession)
