"""The project list (项目清单, issue 15): accepting a match makes an entry with a lead unit and a
deadline, a task of the outcomes plan and introduction mails in each reader's language; bad
input keeps what was typed; the list flags overdue entries and the units move them along."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from roadshow.db import utcnow
from roadshow.demands.projects import EntryStatus, ProjectEntry
from roadshow.extensions import db
from roadshow.outcomes.models import Task
from tests.demands.match_world import build_world

pytestmark = pytest.mark.no_default_organisation


def test_accepting_a_match_makes_an_entry_a_task_and_introductions(make_user, login_as,
                                                                   mailbox):
    world = build_world(make_user, recruiter_locale="zh_Hans_CN")
    client, _ = login_as(world.organizer)
    answer = client.post(world.url(f"/{world.demand.id}/matches/accept"), data={
        "kind": "person", "candidate": world.person.id, "lead": world.gulou.id,
        "due_on": "2027-03-31", "note": "Invite him to the June roadshow", "score": "1000",
        "back": "demand"})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/demands/{world.demand.id}/matches")
    entry = db.session.scalars(select(ProjectEntry)).one()
    assert (entry.demand_id, entry.person_id, entry.lead_district_id, entry.due_on.isoformat(),
            entry.status) == (world.demand.id, world.person.id, world.gulou.id, "2027-03-31",
                              EntryStatus.OPEN)
    assert entry.score == 80.0  # field 40, link 30, degree 10: the page's score, not the form's
    # the outcomes plan got a task for the lead unit with the same deadline
    task = db.session.get(Task, entry.task_id)
    assert (task.lead_district_id, task.due_on, task.organisation_id) == (
        world.gulou.id, entry.due_on, world.office.id)
    assert "射频芯片设计总监" in task.title
    assert "Li Wei" in task.title
    # Gulou's recruiter reads Chinese, the person (living in the Netherlands) English
    [to_district] = mailbox.to("gulou@example.org")
    assert "项目清单" in to_district["Subject"]
    assert "Li Wei" in to_district["Subject"]
    assert "li.wei@example.org" in to_district.get_body(("plain",)).get_content()
    [to_talent] = mailbox.to("li.wei@example.org")
    assert "An introduction from Xiao County Talent Office" in to_talent["Subject"]
    body = to_talent.get_body(("plain",)).get_content()
    assert "Gulou District" in body
    assert "gulou@example.org" in body
    assert mailbox.to("feng@example.org") == []
    # the match is now marked on the page, and cannot be taken twice
    page = client.get(world.url(f"/{world.demand.id}/matches"))
    assert f'data-accepted="{entry.id}"' in page.text
    again = client.post(world.url(f"/{world.demand.id}/matches/accept"), data={
        "kind": "person", "candidate": world.person.id, "lead": world.gulou.id,
        "due_on": "2027-03-31"})
    assert again.status_code == 400
    assert "already in the project list" in again.text
    assert db.session.scalar(select(func.count(ProjectEntry.id))) == 1


def test_an_application_is_accepted_from_its_own_page(make_user, login_as, mailbox):
    world = build_world(make_user)
    client, _ = login_as(world.organizer)
    answer = client.post(world.url(f"/{world.demand.id}/matches/accept"), data={
        "kind": "application", "candidate": world.application.id, "lead": world.gulou.id,
        "due_on": "2027-01-15", "back": "application", "back_id": world.application.id})
    assert answer.headers["Location"].endswith(
        f"/demands/matches/applications/{world.application.id}")
    entry = db.session.scalars(select(ProjectEntry)).one()
    assert entry.application_id == world.application.id
    assert db.session.get(Task, entry.task_id).event_id == world.application.event_id
    [mail] = mailbox.to("founder@example.org")
    assert "射频芯片设计总监" in mail["Subject"]


def test_bad_input_is_refused_beside_the_field_and_kept(make_user, login_as, mailbox):
    world = build_world(make_user)
    client, _ = login_as(world.organizer)
    refused = client.post(world.url(f"/{world.demand.id}/matches/accept"), data={
        "kind": "person", "candidate": world.person.id, "lead": world.gulou.id,
        "due_on": "next spring", "note": "Call him first", "back": "demand"})
    assert refused.status_code == 400
    assert "Enter the deadline as a date." in refused.text
    assert "Call him first" in refused.text
    assert 'value="next spring"' in refused.text
    assert db.session.scalar(select(func.count(ProjectEntry.id))) == 0
    assert db.session.scalar(select(func.count(Task.id))) == 0
    assert mailbox.messages == []
    # a recruiter may only lead with their own district
    gulou, _ = login_as(world.gulou_recruiter)
    other = gulou.post(world.url(f"/{world.demand.id}/matches/accept"), data={
        "kind": "person", "candidate": world.person.id, "lead": world.feng.id,
        "due_on": "2027-03-31"})
    assert other.status_code == 400
    assert "Choose your own district as the lead unit." in other.text


def test_the_list_flags_overdue_entries_and_the_units_move_them(make_user, login_as, mailbox):
    world = build_world(make_user)
    client, _ = login_as(world.organizer)
    past = (utcnow().date() - timedelta(days=5)).isoformat()
    for kind, key in (("person", world.person.id), ("application", world.application.id)):
        assert client.post(world.url(f"/{world.demand.id}/matches/accept"), data={
            "kind": kind, "candidate": key, "lead": world.gulou.id,
            "due_on": past if kind == "person" else "2099-01-01"}).status_code == 302
    late, later = db.session.scalars(select(ProjectEntry).order_by(ProjectEntry.due_on)).all()
    listing = client.get(world.url("/projects"))
    assert listing.status_code == 200
    assert "1 entry is overdue." in listing.text
    assert "Li Wei" in listing.text
    assert "RF front-end chips for 5G" in listing.text
    # Feng County's recruiter neither sees nor moves Gulou's entries
    feng, _ = login_as(world.feng_recruiter)
    assert "Li Wei" not in feng.get(world.url("/projects")).text
    assert feng.post(world.url(f"/projects/{late.id}"),
                     data={"status": "done"}).status_code == 403
    gulou, _ = login_as(world.gulou_recruiter)
    assert gulou.post(world.url(f"/projects/{late.id}"),
                      data={"status": "done", "note": "Signed on 2 May"}).status_code == 302
    assert gulou.post(world.url(f"/projects/{later.id}"),
                      data={"status": "lost"}).status_code == 400
    db.session.expire_all()
    assert (late.status, late.note) == (EntryStatus.DONE, "Signed on 2 May")
    assert later.status == EntryStatus.OPEN
    assert "overdue" not in gulou.get(world.url("/projects?status=done")).text
