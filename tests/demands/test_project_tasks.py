"""A project-list entry and its outcomes task tell one story (issue 15): a task done or
cancelled on the plan shows on its entry with the date and the evidence; the list shows each
entry's task status and deadline and flags the late ones; an entry moved on the list moves its
task; a new deadline on the task moves the entry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from roadshow.db import utcnow
from roadshow.demands.projects import EntryStatus, ProjectEntry
from roadshow.extensions import db
from roadshow.outcomes.models import Task, TaskStatus
from tests.demands.match_world import build_world

pytestmark = pytest.mark.no_default_organisation


def _accept(client, world, due_on: date) -> ProjectEntry:
    assert client.post(world.url(f"/{world.demand.id}/matches/accept"), data={
        "kind": "person", "candidate": world.person.id, "lead": world.gulou.id,
        "due_on": due_on.isoformat()}).status_code == 302
    return db.session.scalars(select(ProjectEntry)).one()


def _row(html: str, entry: ProjectEntry) -> str:
    start = html.index(f'data-entry="{entry.id}"')
    return html[start:html.find("</tr>", start)]


def _task_url(world, task_id: int) -> str:
    return f"/o/{world.office.slug}/outcomes/tasks/{task_id}"


def test_a_task_done_on_the_plan_shows_on_its_entry_with_date_and_evidence(make_user, login_as,
                                                                           mailbox):
    world = build_world(make_user)
    organizer, _ = login_as(world.organizer)
    entry = _accept(organizer, world, utcnow().date() - timedelta(days=3))
    listing = organizer.get(world.url("/projects"))
    assert "1 entry is overdue." in listing.text
    row = _row(listing.text, entry)
    assert 'data-task-status="open"' in row
    assert "overdue" in row
    assert f'href="{_task_url(world, entry.task_id)}"' in row
    # Gulou's recruiter reports the task done with its evidence on the plan's page
    gulou, _ = login_as(world.gulou_recruiter)
    assert gulou.post(_task_url(world, entry.task_id), data={
        "status": "done", "evidence_note": "Contract signed, see the scan"}).status_code == 302
    db.session.expire_all()
    entry = db.session.get(ProjectEntry, entry.id)
    assert entry.status == EntryStatus.DONE
    assert entry.closed_at is not None
    assert utcnow() - entry.closed_at < timedelta(minutes=5)
    listing = gulou.get(world.url("/projects"))
    row = _row(listing.text, entry)
    assert 'data-task-status="done"' in row
    assert "Done on" in row
    assert "Contract signed, see the scan" in row
    assert "overdue" not in listing.text
    assert f'href="{_task_url(world, entry.task_id)}"' in row


def test_a_cancelled_task_cancels_its_entry_which_is_never_late(make_user, login_as, mailbox):
    world = build_world(make_user, recruiter_locale="zh_Hans_CN")
    organizer, _ = login_as(world.organizer)
    entry = _accept(organizer, world, utcnow().date() - timedelta(days=10))
    assert organizer.post(_task_url(world, entry.task_id), data={
        "status": "cancelled", "evidence_note": "The company withdrew"}).status_code == 302
    db.session.expire_all()
    entry = db.session.get(ProjectEntry, entry.id)
    assert entry.status == EntryStatus.CANCELLED
    assert entry.closed_at is not None
    gulou, _ = login_as(world.gulou_recruiter)  # reads Chinese
    listing = gulou.get(world.url("/projects"))
    row = _row(listing.text, entry)
    assert "已取消" in row
    assert "取消于" in row
    assert "已逾期" not in listing.text
    tasks_page = gulou.get(f"/o/{world.office.slug}/outcomes/tasks")
    assert "已取消" in tasks_page.text
    assert "table-danger" not in tasks_page.text


def test_an_entry_moved_on_the_list_moves_its_task(make_user, login_as, mailbox):
    world = build_world(make_user)
    organizer, _ = login_as(world.organizer)
    entry = _accept(organizer, world, date(2099, 1, 1))
    gulou, _ = login_as(world.gulou_recruiter)
    for status in ("in_progress", "done", "open"):
        assert gulou.post(world.url(f"/projects/{entry.id}"),
                          data={"status": status, "note": "Called him"}).status_code == 302
        db.session.expire_all()
        task = db.session.get(Task, entry.task_id)
        assert task.status == TaskStatus(status)
        assert task.updated_by_id == world.gulou_recruiter.id
        moved = db.session.get(ProjectEntry, entry.id)
        assert (moved.closed_at is not None) == (status == "done")


def test_a_new_deadline_on_the_task_moves_the_entry_and_its_flag(make_user, login_as, mailbox):
    world = build_world(make_user)
    organizer, _ = login_as(world.organizer)
    entry = _accept(organizer, world, date(2099, 1, 1))
    assert "overdue" not in organizer.get(world.url("/projects")).text
    task = db.session.get(Task, entry.task_id)
    earlier = utcnow().date() - timedelta(days=2)
    assert organizer.post(_task_url(world, task.id), data={
        "action": "plan", "title": task.title, "lead": world.gulou.id,
        "due_on": earlier.isoformat(), "year": earlier.year}).status_code == 302
    db.session.expire_all()
    assert db.session.get(ProjectEntry, entry.id).due_on == earlier
    row = _row(organizer.get(world.url("/projects")).text, entry)
    assert earlier.isoformat() in row
    assert "overdue" in row
