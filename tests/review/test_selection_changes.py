"""Selecting finalists again shows what would change first, and never demotes a finalist who was
already told or is scheduled unless the organizer names them; the schedule follows."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.extensions import db
from roadshow.review import (
    aggregation_and_ranking,
    exceptions,
    finalist_selection,
    judge_assignments,
    judging,
    settings_and_rubric,
)
from roadshow.review.models import SelectionDecision
from roadshow.scheduling import pitch_sessions, placement, queries
from roadshow.scheduling.models import Slot, SlotKind
from tests.many_events_fixtures import event_url
from tests.review.conftest import scores_of


@pytest.fixture
def told_and_scheduled(make_user, make_application, rubric, event, organizer, mailbox):
    """Three finalists of eight, told by email and each placed in a pitch slot next month; then
    the organizer overrides a fourth application in, so the rule alone would drop the third."""
    judges = [make_user(Role.JUDGE) for _ in range(2)]
    apps = [make_application() for _ in range(8)]
    settings_and_rubric.get_settings(db.session, event).finalist_count = 3
    judge_assignments.run_assignment(db.session, organizer, event)
    for app in apps:
        for judge in judges:
            judging.submit_review(db.session, judge, app, scores_of(rubric, 1 + app.id % 10))
    db.session.commit()
    finalists = finalist_selection.select_finalists(db.session, organizer, event)
    finalist_selection.send_decisions(db.session, organizer, event, limit=50)
    db.session.commit()
    day = (datetime.now(ZoneInfo(event.timezone)) + timedelta(days=30)).date()
    pitch_session = pitch_sessions.save_session(db.session, organizer, event, pitch_sessions.SessionData(
        title_zh="上午场", title_en="Morning", day=day, start=time(9), end=time(11)))
    slots = [s for s in pitch_session.slots if s.kind == SlotKind.PITCH]
    for slot, app_id in zip(slots, finalists, strict=False):
        placement.place(db.session, organizer, slot, db.session.get(Application, app_id))
    db.session.commit()
    ranked = [r.application.id for r in aggregation_and_ranking.ranking(db.session, event)]
    newcomer = db.session.get(Application, ranked[-1])
    finalist_selection.override_decision(db.session, organizer, newcomer, True, "Strategic fit with the new park.")
    db.session.commit()
    mailbox.clear()
    by_rule = finalist_selection.plan_selection(db.session, event, release=finalists).chosen
    [dropped] = [a for a in finalists if a not in by_rule]
    return {"finalists": finalists, "newcomer": newcomer, "dropped": db.session.get(Application, dropped)}


def _decision(application_id):
    return db.session.scalar(select(SelectionDecision).where(SelectionDecision.application_id == application_id))


def _slot_of(application_id):
    return db.session.scalar(select(Slot).where(Slot.application_id == application_id))


def test_a_new_selection_keeps_a_told_and_scheduled_finalist_unless_released(told_and_scheduled, event, organizer):
    dropped, newcomer = told_and_scheduled["dropped"], told_and_scheduled["newcomer"]
    plan = finalist_selection.plan_selection(db.session, event)
    assert [c.application.id for c in plan.held] == [dropped.id]
    [held] = plan.held
    assert held.notified
    assert held.pitch_at == _slot_of(dropped.id).starts_at  # the schedule answered through the signal
    assert plan.going_out == []
    assert sorted(plan.chosen) == sorted([*told_and_scheduled["finalists"], newcomer.id])  # over the count
    chosen = finalist_selection.select_finalists(db.session, organizer, event)
    db.session.commit()
    assert dropped.id in chosen
    assert newcomer.id in chosen
    assert _decision(dropped.id).selected
    assert _decision(dropped.id).notified_at is not None  # nothing new to tell them


def test_sending_after_a_kept_finalist_tells_them_nothing(told_and_scheduled, event, organizer, mailbox):
    dropped = told_and_scheduled["dropped"]
    finalist_selection.select_finalists(db.session, organizer, event)
    finalist_selection.send_decisions(db.session, organizer, event, limit=50)
    db.session.commit()
    assert dropped.status == ApplicationStatus.FINALIST
    assert mailbox.to(dropped.applicant.email) == []
    assert _slot_of(dropped.id) is not None


def test_a_finalist_released_by_name_is_told_and_leaves_the_schedule(told_and_scheduled, event, organizer, mailbox):
    dropped, newcomer = told_and_scheduled["dropped"], told_and_scheduled["newcomer"]
    plan = finalist_selection.plan_selection(db.session, event, release=[dropped.id])
    assert [c.application.id for c in plan.released] == [dropped.id]
    assert [c.application.id for c in plan.going_out] == [dropped.id]
    finalist_selection.select_finalists(db.session, organizer, event, release=[dropped.id], expect=plan.fingerprint)
    finalist_selection.send_decisions(db.session, organizer, event, limit=50)
    db.session.commit()
    assert dropped.status == ApplicationStatus.NOT_SELECTED
    [told] = mailbox.to(dropped.applicant.email)
    body = told.get_body(("plain",)).get_content()
    assert "not selected" in body
    assert "This replaces our earlier message that your project was one of the finalists" in body
    # the schedule follows the decision: their slot is free, the finalists and pitches agree
    assert _slot_of(dropped.id) is None
    placed = set(db.session.scalars(select(Slot.application_id).where(Slot.application_id.is_not(None))))
    finalists = {a.id for a in queries.finalists(db.session, event)}
    assert placed <= finalists
    assert newcomer.id in finalists


def test_a_selection_changed_since_the_preview_saves_nothing(told_and_scheduled, event, organizer, make_application):
    dropped = told_and_scheduled["dropped"]
    plan = finalist_selection.plan_selection(db.session, event, release=[dropped.id])
    other = told_and_scheduled["finalists"][0]
    finalist_selection.override_decision(db.session, organizer, db.session.get(Application, other), False,
                               "Withdrew their consent to the pitch.")
    db.session.commit()
    with pytest.raises(exceptions.ReviewError, match="changed"):
        finalist_selection.select_finalists(db.session, organizer, event, release=[dropped.id], expect=plan.fingerprint)


def test_the_organizer_sees_the_changes_and_confirms_a_demotion_by_name(
        told_and_scheduled, login_as, organizer, event):
    dropped = told_and_scheduled["dropped"]
    client, _ = login_as(organizer)
    # posting the old form saves nothing: it leads to the changes
    response = client.post(event_url(event, "/review/selection"))
    assert response.status_code == 302
    assert event_url(event, "/review/selection/changes") in response.headers["Location"]
    assert _decision(dropped.id).selected
    page = client.get(event_url(event, "/review/selection/changes")).get_data(as_text=True)
    assert f'name="release" value="{dropped.id}"' in page
    assert "told they are a finalist" in page
    assert "pitch scheduled" in page
    assert dropped.applicant.display_name in page
    # ticking their name shows them going out, and saving that plan demotes them
    page = client.get(event_url(event, f"/review/selection/changes?release={dropped.id}")).get_data(as_text=True)
    assert f'<input type="hidden" name="release" value="{dropped.id}">' in page
    fingerprint = finalist_selection.plan_selection(db.session, event, release=[dropped.id]).fingerprint
    assert f'value="{fingerprint}"' in page
    response = client.post(event_url(event, "/review/selection"), data={"fingerprint": fingerprint, "release": str(dropped.id)})
    assert response.status_code == 302
    assert not _decision(dropped.id).selected
    # a stale plan is refused with the reason and nothing changes
    response = client.post(event_url(event, "/review/selection"), data={"fingerprint": "0" * 16}, follow_redirects=True)
    assert "changed since you looked" in response.get_data(as_text=True)
    assert not _decision(dropped.id).selected


def test_a_selection_with_nothing_told_or_scheduled_changes_as_the_rule_says(
        make_user, make_application, rubric, event, organizer):
    judges = [make_user(Role.JUDGE) for _ in range(2)]
    apps = [make_application() for _ in range(5)]
    settings_and_rubric.get_settings(db.session, event).finalist_count = 2
    judge_assignments.run_assignment(db.session, organizer, event)
    for app in apps:
        for judge in judges:
            judging.submit_review(db.session, judge, app, scores_of(rubric, 1 + app.id % 10))
    first = finalist_selection.select_finalists(db.session, organizer, event)
    ranked = [r.application.id for r in aggregation_and_ranking.ranking(db.session, event)]
    assert first == ranked[:2]
    settings_and_rubric.get_settings(db.session, event).finalist_count = 3
    finalist_selection.override_decision(db.session, organizer, db.session.get(Application, ranked[0]), False,
                               "Withdrew their consent to the pitch.")
    plan = finalist_selection.plan_selection(db.session, event)
    assert plan.held == []
    assert [a.id for a in plan.going_in] == ranked[2:4]
    assert [c.application.id for c in plan.going_out] == []  # the override already took them out
    assert not _decision(ranked[2]).selected  # the plan saved nothing
    finalist_selection.select_finalists(db.session, organizer, event, expect=plan.fingerprint)
    assert _decision(ranked[2]).selected
