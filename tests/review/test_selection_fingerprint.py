"""The selection's fingerprint cannot be bent: one taken from a preview that kept a told and
scheduled finalist does not save a plan that releases them (the released names are part of what
it covers), replaying a saved plan's fingerprint changes nothing more, and only organizers reach
the preview or the save."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.review import finalist_selection
from roadshow.review.models import SelectionDecision
from tests.many_events_fixtures import event_url
from tests.review.test_selection_changes import told_and_scheduled  # noqa: F401 - a fixture


def _selected(application_id: int) -> bool:
    db.session.expire_all()
    return db.session.scalar(select(SelectionDecision.selected).where(
        SelectionDecision.application_id == application_id))


def test_a_fingerprint_of_the_keeping_plan_does_not_release_anyone(told_and_scheduled, login_as,  # noqa: F811
                                                                   organizer, event):
    dropped = told_and_scheduled["dropped"]
    client, _ = login_as(organizer)
    kept = finalist_selection.plan_selection(db.session, event).fingerprint
    response = client.post(event_url(event, "/review/selection"), data={"fingerprint": kept, "release": str(dropped.id)},
                           follow_redirects=True)
    assert "changed since you looked" in response.get_data(as_text=True)
    assert _selected(dropped.id)


def test_replaying_a_saved_plan_changes_nothing_more(told_and_scheduled, login_as, organizer, event):  # noqa: F811
    dropped = told_and_scheduled["dropped"]
    client, _ = login_as(organizer)
    plan = finalist_selection.plan_selection(db.session, event, release=[dropped.id])
    form = {"fingerprint": plan.fingerprint, "release": str(dropped.id)}
    assert client.post(event_url(event, "/review/selection"), data=form).status_code == 302
    before = {row.application_id: row.selected for row in db.session.scalars(select(SelectionDecision))}
    client.post(event_url(event, "/review/selection"), data=form, follow_redirects=True)
    db.session.expire_all()
    after = {row.application_id: row.selected for row in db.session.scalars(select(SelectionDecision))}
    assert after == before
    assert not after[dropped.id]


@pytest.mark.parametrize("role", [Role.JUDGE, Role.RECRUITER, Role.APPLICANT])
def test_only_organizers_preview_or_save_a_selection(told_and_scheduled, login_as, event, role):  # noqa: F811
    dropped = told_and_scheduled["dropped"]
    client, _ = login_as(role)
    plan = finalist_selection.plan_selection(db.session, event, release=[dropped.id])
    assert client.get(event_url(event, f"/review/selection/changes?release={dropped.id}")).status_code == 403
    response = client.post(event_url(event, "/review/selection"), data={"fingerprint": plan.fingerprint,
                                                      "release": str(dropped.id)})
    assert response.status_code == 403
    assert _selected(dropped.id)
