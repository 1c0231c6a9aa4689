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


def test_demo_runs_yesterdays_session_and_opens_todays_with_the_items_already_over(
        app, db, roadshow, make_user):
    yesterday = roadshow.session
    yesterday.starts_at = utcnow() - timedelta(days=1)
    yesterday.ends_at = yesterday.starts_at + timedelta(hours=2)
    today = roadshow.other_session
    # today's session started 35 minutes ago: the district (10 min) and the first pitch
    # (20 min) are over, the second pitch is running
    shift = utcnow() - timedelta(minutes=35) - today.starts_at
    today.starts_at += shift
    today.ends_at = utcnow() + timedelta(hours=2)
    for slot in today.slots:
        slot.starts_at += shift
        slot.ends_at += shift
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
    stage = rooms[today.id].stage
    assert stage["phase"] == "pitch"
    assert stage["timer"]["running"]
    assert len(stage["revealed"]) == 1  # the first pitch was given and its scores revealed
    items = stage["items"]
    assert items[stage["current"]]["application_id"] == roadshow.applications[1].id
    assert db.session.scalar(select(func.count()).select_from(Review).where(Review.round == LIVE)) >= 4
    assert db.session.scalar(select(func.count()).select_from(LiveQuestion)) >= 4
    assert db.session.scalar(select(func.count()).select_from(ChatMessage)) >= 4
    assert db.session.scalars(select(DockingRequest)).all()
    for room in rooms.values():
        seqs = db.session.scalars(select(LiveEvent.seq).where(
            LiveEvent.room_id == room.id).order_by(LiveEvent.seq)).all()
        assert seqs == list(range(1, len(seqs) + 1))
    assert isinstance(today, PitchSession)
