"""roadshow.scoping on a small world of its own: two events, rows owned directly and through
parents, and the guard that refuses an unscoped read inside an event's page (issue 13)."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask, g
from sqlalchemy import ForeignKey, create_engine, func, select, update
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    aliased,
    mapped_column,
    relationship,
    selectinload,
)

import roadshow
from roadshow import scoping
from roadshow.db import Base
from roadshow.scoping import (
    EventOwned,
    UnscopedQueryError,
    across,
    get_in_event,
    scoped,
    unscoped,
    via,
)


class ProbeBase(DeclarativeBase):
    pass


class ProbeEvent(ProbeBase):
    __tablename__ = "scoping_probe_events"
    id: Mapped[int] = mapped_column(primary_key=True)


class ProbeApplication(EventOwned, ProbeBase):
    __tablename__ = "scoping_probe_applications"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("scoping_probe_events.id"))
    title: Mapped[str]
    reviews: Mapped[list[ProbeReview]] = relationship(back_populates="application")


class ProbeReview(EventOwned, ProbeBase):
    __tablename__ = "scoping_probe_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("scoping_probe_applications.id"))
    score: Mapped[int]
    application: Mapped[ProbeApplication] = relationship(back_populates="reviews")

    @classmethod
    def event_clause(cls, event_ids: Any) -> Any:
        return via(cls.application_id, ProbeApplication, event_ids)


class ProbeScore(EventOwned, ProbeBase):
    """Two parents away from its event."""

    __tablename__ = "scoping_probe_scores"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("scoping_probe_reviews.id"))
    points: Mapped[int]

    @classmethod
    def event_clause(cls, event_ids: Any) -> Any:
        return via(cls.review_id, ProbeReview, event_ids)


E1, E2 = 1, 2


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    ProbeBase.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all([ProbeEvent(id=E1), ProbeEvent(id=E2)])
        session.flush()
        for event_id, titles in ((E1, ["a1", "a2"]), (E2, ["b1"])):
            for title in titles:
                application = ProbeApplication(event_id=event_id, title=title)
                review = ProbeReview(score=len(title) + event_id, application=application)
                session.add_all([application, review])
                session.flush()
                session.add(ProbeScore(review_id=review.id, points=event_id * 10))
        session.commit()
        yield session
    engine.dispose()


def titles(session: Session, stmt: Any) -> list[str]:
    return sorted(session.scalars(stmt))


def test_scoped_keeps_the_rows_of_one_event(session: Session) -> None:
    assert titles(session, scoped(select(ProbeApplication.title), E1)) == ["a1", "a2"]
    assert titles(session, scoped(select(ProbeApplication.title), SimpleNamespace(id=E2))) == ["b1"]


def test_scoped_reaches_through_parents(session: Session) -> None:
    assert session.scalar(scoped(select(func.count()).select_from(ProbeReview), E2)) == 1
    assert session.scalar(scoped(select(func.count()).select_from(ProbeScore), E1)) == 2
    assert session.scalar(scoped(select(func.sum(ProbeScore.points)), E2)) == 20


def test_scoped_unwraps_joins_and_aliases(session: Session) -> None:
    joined = select(ProbeApplication.title).join(ProbeReview)
    assert titles(session, scoped(joined, E1)) == ["a1", "a2"]
    other = aliased(ProbeApplication)
    assert titles(session, scoped(select(other.title), E2)) == ["b1"]


def test_an_outer_join_keeps_its_unmatched_rows(session: Session) -> None:
    session.add(ProbeApplication(event_id=E1, title="a3"))
    session.commit()
    stmt = select(ProbeApplication.title).outerjoin(ProbeReview)
    assert titles(session, scoped(stmt, E1)) == ["a1", "a2", "a3"]


def test_a_statement_shape_seen_before_is_scoped_alike(session: Session) -> None:
    """The FROM analysis is kept per statement shape: the same shape scoped again, to another
    event, with other values or as an outer join, still limits exactly what it should."""
    for _ in range(2):  # the second round answers from the kept analysis
        assert titles(session, scoped(select(ProbeApplication.title).join(ProbeReview)
                                      .where(ProbeReview.score > 0), E1)) == ["a1", "a2"]
        assert titles(session, scoped(select(ProbeApplication.title).join(ProbeReview)
                                      .where(ProbeReview.score > 0), E2)) == ["b1"]
        other = aliased(ProbeApplication)
        assert titles(session, scoped(select(other.title), E2)) == ["b1"]
        assert titles(session, scoped(select(other.title), E1)) == ["a1", "a2"]
    session.add(ProbeApplication(event_id=E1, title="a3"))
    session.commit()
    stmt = select(ProbeApplication.title).outerjoin(ProbeReview)
    assert titles(session, scoped(stmt, E1)) == ["a1", "a2", "a3"]
    assert titles(session, scoped(stmt, E1)) == ["a1", "a2", "a3"]
    assert titles(session, scoped(select(ProbeReview.score).outerjoin(ProbeApplication), E2)) \
        == sorted(session.scalars(select(ProbeReview.score).join(ProbeApplication)
                                  .where(ProbeApplication.event_id == E2)))


def test_across_takes_several_events(session: Session) -> None:
    assert titles(session, across(select(ProbeApplication.title), [E2, E1])) == ["a1", "a2", "b1"]
    assert titles(session, across(select(ProbeApplication.title), [])) == []


def test_scoped_limits_updates(session: Session) -> None:
    session.execute(scoped(update(ProbeApplication).values(title="changed"), E2))
    assert titles(session, select(ProbeApplication.title)) == ["a1", "a2", "changed"]


def test_scoped_marks_the_statement(session: Session) -> None:
    assert scoped(select(ProbeApplication), E1).get_execution_options()["roadshow_scope"] == E1
    assert across(select(ProbeApplication), [2, 1]).get_execution_options()["roadshow_scope"] == (1, 2)
    marked = unscoped(select(ProbeApplication), "admin page lists every application")
    assert marked.get_execution_options()["roadshow_scope"] == "unscoped"
    with pytest.raises(ValueError, match="needs the reason"):
        unscoped(select(ProbeApplication), " ")


def test_get_in_event_refuses_a_row_of_another_event(session: Session) -> None:
    b1 = session.scalars(select(ProbeApplication).where(ProbeApplication.title == "b1")).one()
    # b1 sits in the identity map: still refused under E1
    assert get_in_event(session, ProbeApplication, b1.id, E1) is None
    assert get_in_event(session, ProbeApplication, b1.id, E2) is b1
    review = b1.reviews[0]
    assert get_in_event(session, ProbeReview, review.id, E1) is None
    assert get_in_event(session, ProbeReview, review.id, E2) is review
    assert get_in_event(session, ProbeReview, 10_000, E2) is None
    with pytest.raises(TypeError):
        get_in_event(session, ProbeEvent, E1, E1)


def test_every_event_owned_model_is_registered() -> None:
    owned = scoping.event_owned_models()
    assert owned["scoping_probe_reviews"] is ProbeReview
    assert "scoping_probe_events" not in owned


# --- the guard ---------------------------------------------------------------------------------

def guarded_app(mode: str | None) -> Flask:
    app = Flask(__name__)
    app.config["TESTING"] = True
    if mode is not None:
        app.config["SCOPE_GUARD"] = mode
    scoping.init_app(app)
    return app


def test_the_guard_refuses_an_unscoped_read_in_an_event_page(session: Session) -> None:
    app = guarded_app(None)
    assert app.config["SCOPE_GUARD"] == "raise"
    with app.test_request_context("/e/one/review"):
        g.event = SimpleNamespace(id=E1)
        with pytest.raises(UnscopedQueryError, match="scoping_probe_reviews: use scoped"):
            session.scalar(select(func.count()).select_from(ProbeReview))
        with pytest.raises(UnscopedQueryError, match="scoping_probe_applications"):
            session.scalars(select(ProbeApplication.title).where(
                ProbeApplication.id.in_(select(ProbeReview.application_id)))).all()
        with pytest.raises(UnscopedQueryError):
            session.get(ProbeApplication, 10_000)
        # scoped, across, unscoped and get_in_event pass; so do relationship loads
        assert session.scalar(scoped(select(func.count()).select_from(ProbeReview), E1)) == 2
        assert len(session.scalars(across(select(ProbeApplication), [E1, E2])).all()) == 3
        apps = session.scalars(scoped(select(ProbeApplication), g.event)
                               .options(selectinload(ProbeApplication.reviews))).all()
        assert sorted(a.title for a in apps) == ["a1", "a2"]
        session.expire_all()
        assert all(len(a.reviews) == 1 for a in apps)  # lazy loads after expiry
        assert session.scalars(unscoped(select(ProbeScore), "test")).all()
        # a table that is not event-owned needs no scope
        assert len(session.scalars(select(ProbeEvent)).all()) == 2


def test_the_guard_watches_organisation_pages_too(session: Session) -> None:
    app = guarded_app("raise")
    with app.test_request_context("/o/office/reports"):
        g.organisation = SimpleNamespace(id=1)
        with pytest.raises(UnscopedQueryError):
            session.scalars(select(ProbeScore)).all()


def test_the_guard_stays_out_of_unscoped_requests_and_background_work(session: Session) -> None:
    app = guarded_app("raise")
    assert len(session.scalars(select(ProbeApplication)).all()) == 3  # no request at all
    with app.test_request_context("/dashboard"):
        assert len(session.scalars(select(ProbeApplication)).all()) == 3


def test_log_mode_logs_and_answers(session: Session, caplog: pytest.LogCaptureFixture) -> None:
    app = guarded_app("log")
    with app.test_request_context("/e/one/review"):
        g.event = SimpleNamespace(id=E1)
        assert len(session.scalars(select(ProbeApplication)).all()) == 3
    assert "scoping_probe_applications: use scoped()/across()/unscoped()" in caplog.text


def test_off_mode_and_bad_modes() -> None:
    app = guarded_app("off")
    assert app.config["SCOPE_GUARD"] == "off"
    with pytest.raises(ValueError, match="SCOPE_GUARD"):
        guarded_app("loud")
    production = Flask(__name__)
    scoping.init_app(production)
    assert production.config["SCOPE_GUARD"] == "log"


# --- the application's models ------------------------------------------------------------------

#: docs/design/many-events.md §0: the rows that belong to one event, directly or through a parent
EVENT_OWNED_TABLES = {
    "applications", "review_criteria", "review_settings", "review_conflicts",
    "review_assignments", "selection_decisions", "pitch_sessions", "availabilities",
    "schedule_send_jobs", "live_docking_requests", "jobs", "tracks", "event_phases",
    "event_questions", "decks", "application_answers", "reviews", "review_scores",
    "district_interests", "signing_intents", "signing_intent_versions", "signing_signers",
    "signing_codes", "signing_audit", "schedule_slots", "session_attendances",
    "calendar_invites", "schedule_rsvps", "live_rooms", "live_events", "live_questions",
    "live_votes", "live_chat_messages", "live_mutes", "live_presence",
    "outcome_projects", "outcome_milestones", "outcome_milestone_documents",
    "group_messages", "group_message_recipients",
    "live_media_blocks", "live_recording_settings", "live_recording_consents", "live_recordings",
    "live_caption_cues", "live_caption_tracks",
}


def test_every_event_owned_table_of_the_app_mixes_in_event_owned() -> None:
    roadshow._import_models()
    owned = {name for name in scoping.event_owned_models() if not name.startswith("scoping_probe")}
    assert owned == EVENT_OWNED_TABLES
    # every table with an event_id column is among them, except the ones that are not owned
    with_event_id = {table.name for table in Base.metadata.sorted_tables if "event_id" in table.c}
    assert with_event_id - owned == {"event_roles", "alliance_shares", "invitations",
                                    "event_districts", "talent_station_events",
                                    "talent_invitations",
                                    # a task of the office's plan may name an event or a year
                                    "outcome_tasks",
                                    # a person's notifications are theirs; the event is context
                                    "notifications",
                                    # a demand attached to a call stays the office's
                                    "demand_events",
                                    # an office's mail wording, or one of its events'
                                    "mail_wording_overrides"}


def test_scoped_reaches_every_event_owned_table_of_the_app() -> None:
    roadshow._import_models()
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        for name in sorted(EVENT_OWNED_TABLES):
            model = scoping.event_owned_models()[name]
            assert session.scalar(scoped(select(func.count()).select_from(model), E1)) == 0, name
    engine.dispose()
