"""The demo's demand catalogue: a collecting round of about 900 bilingual demands across the
office's districts and chains, last year's published round, chains with ordered nodes, resources."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from roadshow.db import utcnow
from roadshow.demands import catalogue
from roadshow.demands.demo import DEMANDS, ENTRIES, OLD_DEMANDS
from roadshow.demands.models import (
    ChainNode,
    Demand,
    DemandRound,
    EntryStatus,
    ProjectEntry,
    Resource,
    RoundStatus,
)
from roadshow.extensions import db
from roadshow.outcomes.models import Task
from roadshow.scoping import unscoped
from tests.demo.pages import walk

PASSWORD = "Roadshow-demo-2026"  # noqa: S105 - the demo's printed password


def _count(query):
    return db.session.scalar(unscoped(query, "the test counts the demo's rows"))


def test_the_demo_catalogue(loaded_demo):
    rounds = db.session.scalars(unscoped(select(DemandRound).order_by(DemandRound.id),
                                         "the demo's rounds")).all()
    assert [r.status for r in rounds] == [RoundStatus.PUBLISHED, RoundStatus.COLLECTING]
    old, current = rounds
    assert _count(select(func.count()).select_from(Demand).where(Demand.round_id == current.id)) \
        == DEMANDS
    published = db.session.scalars(catalogue.catalogue_query(old)).all()
    assert len(published) == OLD_DEMANDS
    assert all(d.title_zh and d.title_en and d.industry_id and d.chain_node_id for d in published)
    assert _count(select(func.count(func.distinct(Demand.district_id)))) == 12
    assert _count(select(func.count(func.distinct(Demand.title_en)))) > 100
    assert _count(select(func.count()).select_from(ChainNode)) > 5
    assert _count(select(func.count()).select_from(Resource)) == 4


def test_the_demo_logins_reach_the_demand_pages_by_links(app, loaded_demo):
    organizer = _login(app, "organizer@example.org")
    pages = walk(organizer, "/dashboard", follow=lambda path: path == "/dashboard"
                 or "/demands" in path, limit=12)
    assert "/o/xuzhou/demands/" in pages
    recruiter = _login(app, "recruiter-gulou@example.org")
    reached = walk(recruiter, "/dashboard", follow=lambda path: path == "/dashboard"
                   or "/districts/" in path or "/demands" in path, limit=30)
    assert "/o/xuzhou/demands/" in reached
    assert "/o/xuzhou/demands/projects" in reached


def test_the_demo_project_list_has_entries_with_their_tasks(app, loaded_demo):
    entries = db.session.scalars(unscoped(select(ProjectEntry).order_by(ProjectEntry.id),
                                          "the demo's project list")).all()
    assert len(entries) == len(ENTRIES)
    assert [e.status.value for e in entries] == [status for *_, status, _note in ENTRIES]
    assert {e.person_id is not None for e in entries} == {True, False}
    for entry in entries:
        task = db.session.get(Task, entry.task_id)
        assert (task.status.value, task.due_on, task.lead_district_id) == (
            entry.status.value, entry.due_on, entry.lead_district_id)
        assert (entry.closed_at is not None) == (entry.status in (EntryStatus.DONE,
                                                                  EntryStatus.CANCELLED))
    organizer = _login(app, "organizer@example.org")
    listing = organizer.get("/o/xuzhou/demands/projects")
    assert listing.status_code == 200
    late = [e for e in entries if e.status in (EntryStatus.OPEN, EntryStatus.IN_PROGRESS)
            and e.due_on < utcnow().astimezone(ZoneInfo("Asia/Shanghai")).date()]
    assert len(late) == 2
    # the demo's organizer reads Chinese
    assert f"{len(late)}个项目已逾期。" in listing.text
    assert "完成于" in listing.text
    assert "取消于" in listing.text
    assert f'href="/o/xuzhou/outcomes/tasks/{entries[0].task_id}"' in listing.text


def _login(app, email: str):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client
