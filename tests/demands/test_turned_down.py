"""Undoing a turned-down match (issue 15): an officer turns a match down with a reason; the
demand's page and the candidate's page list it with who turned it down, when and why, and a
Restore button; restoring suggests it again and is recorded; a reason is required, refused
beside its field in the reader's language; another district's recruiter may not restore."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from roadshow.demands.models import RejectedMatch, RestoredMatch
from roadshow.extensions import db
from tests.demands.match_world import build_world

pytestmark = pytest.mark.no_default_organisation


def _section(html: str, marker: str) -> str:
    start = html.index(marker)
    end = html.find("</section>", start)
    return html[start:end]


def _turn_down(client, world, reason="He does not want to move", **extra):
    return client.post(world.url(f"/{world.demand.id}/matches/reject"), data={
        "kind": "person", "candidate": world.person.id, "reason": reason, "back": "demand",
        **extra})


def test_a_turned_down_match_is_listed_with_who_when_and_why_and_restored(make_user, login_as):
    world = build_world(make_user)
    organizer, _ = login_as(world.organizer)
    assert _turn_down(organizer, world).status_code == 302
    row = db.session.scalars(select(RejectedMatch)).one()
    assert (row.reason, row.rejected_by_id) == ("He does not want to move", world.organizer.id)
    page = organizer.get(world.url(f"/{world.demand.id}/matches"))
    assert "Li Wei" not in _section(page.text, 'id="matches-person"')
    down = _section(page.text, 'id="turned-down"')
    assert f'data-turned-down="person-{world.person.id}-{world.demand.id}"' in down
    assert "Li Wei" in down
    assert world.organizer.display_name in down
    assert "He does not want to move" in down
    assert f'action="/o/{world.office.slug}/demands/{world.demand.id}/matches/restore"' in down
    # Gulou's recruiter, whose demand it is, restores it from the person's page
    gulou, _ = login_as(world.gulou_recruiter)
    person_page = gulou.get(world.url(f"/matches/people/{world.person.id}"))
    assert "射频芯片设计总监" in _section(person_page.text, 'id="turned-down"')
    answer = gulou.post(world.url(f"/{world.demand.id}/matches/restore"), data={
        "kind": "person", "candidate": world.person.id, "back": "person",
        "back_id": world.person.id})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/demands/matches/people/{world.person.id}")
    assert db.session.scalar(select(func.count(RejectedMatch.id))) == 0
    record = db.session.scalars(select(RestoredMatch)).one()
    assert (record.demand_id, record.candidate_kind, record.candidate_id, record.reason,
            record.rejected_by_id, record.restored_by_id) == (
        world.demand.id, "person", world.person.id, "He does not want to move",
        world.organizer.id, world.gulou_recruiter.id)
    assert record.rejected_at == row.rejected_at
    # suggested again, and the restoration is on the page
    again = organizer.get(world.url(f"/{world.demand.id}/matches"))
    assert "Li Wei" in _section(again.text, 'id="matches-person"')
    assert "matches turned down are left out" not in again.text
    restored = _section(again.text, 'id="turned-down"')
    assert "No match is turned down." in restored
    assert f'data-restored="person-{world.person.id}-{world.demand.id}"' in restored
    assert world.gulou_recruiter.display_name in restored
    assert "restored by" in restored
    # it can be turned down again, with a new reason
    assert _turn_down(organizer, world, reason="Hired elsewhere").status_code == 302
    assert db.session.scalar(select(RejectedMatch.reason)) == "Hired elsewhere"


def test_a_turn_down_without_a_reason_is_refused_beside_the_field(make_user, login_as):
    world = build_world(make_user, recruiter_locale="zh_Hans_CN")
    gulou, _ = login_as(world.gulou_recruiter)
    refused = _turn_down(gulou, world, reason="   ")
    assert refused.status_code == 400
    assert db.session.scalar(select(func.count(RejectedMatch.id))) == 0
    field = refused.text.index(f'id="reason-person-{world.person.id}-{world.demand.id}"')
    feedback = refused.text.index('class="invalid-feedback"', field)
    assert "请说明不采用该匹配的理由" in refused.text[feedback:feedback + 200]
    too_long = _turn_down(gulou, world, reason="太远" * 300)
    assert too_long.status_code == 400
    assert "太远太远" in too_long.text  # what was typed is kept
    assert db.session.scalar(select(func.count(RejectedMatch.id))) == 0


def test_only_the_demands_officers_restore_and_only_what_is_turned_down(make_user, login_as):
    world = build_world(make_user)
    organizer, _ = login_as(world.organizer)
    assert organizer.post(world.url(f"/{world.demand.id}/matches/reject"), data={
        "kind": "application", "candidate": world.application.id,
        "reason": "Applied to another office"}).status_code == 302
    feng, _ = login_as(world.feng_recruiter)
    assert feng.post(world.url(f"/{world.demand.id}/matches/restore"), data={
        "kind": "application", "candidate": world.application.id}).status_code == 403
    # the application's own page lists the demand it was turned down for
    page = organizer.get(world.url(f"/matches/applications/{world.application.id}"))
    assert "Applied to another office" in _section(page.text, 'id="turned-down"')
    # a match that is not turned down cannot be restored: the error is beside the list
    missing = organizer.post(world.url(f"/{world.demand.id}/matches/restore"), data={
        "kind": "person", "candidate": world.person.id, "back": "demand"})
    assert missing.status_code == 400
    assert "This match is not turned down (any more)" in missing.text
    assert db.session.scalar(select(func.count(RestoredMatch.id))) == 0
    assert db.session.scalar(select(func.count(RejectedMatch.id))) == 1
