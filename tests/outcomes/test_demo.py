"""The demo's outcomes: last year's 14 sealed intents with their milestones (some landed, some
late), this year's projects just opened, the office's tasks; every trail still verifies, and the
organizer and the Gulou recruiter reach the pages by links."""

from __future__ import annotations

from sqlalchemy import select

from roadshow.events.models import Event
from roadshow.organisations.models import Organisation
from roadshow.outcomes import board as figures
from roadshow.outcomes.models import Project, Task
from roadshow.scoping import unscoped
from roadshow.signing import audit_trail
from tests.conftest import Auth
from tests.demo.pages import walk

PASSWORD = "Roadshow-demo-2026"  # noqa: S105 - the demo's printed password


def test_the_demo_follows_last_years_intents_to_their_landing(app, db, loaded_demo):
    xuzhou = db.session.scalar(select(Organisation).where(Organisation.slug == "xuzhou"))
    events = {e.id: e for e in db.session.scalars(select(Event).where(
        Event.organisation_id == xuzhou.id))}
    rows = db.session.scalars(unscoped(select(Project), "the test reads every project")).all()
    by_event: dict[int, list[Project]] = {}
    for project in rows:
        if project.event_id in events:
            by_event.setdefault(project.event_id, []).append(project)
    assert sorted(len(v) for v in by_event.values())[-1] == 14  # last year's 14 intents
    last_year = max(by_event.values(), key=len)
    assert sum(1 for p in last_year if p.landed_at is not None) == 5
    board = figures.build(db.session, xuzhou)
    assert board.total.landed == 5
    assert board.total.milestones_late >= 4
    assert board.total.investment_cny > 0
    assert board.total.people_on_site > 0
    assert db.session.scalar(select(Task).limit(1)) is not None
    assert all(not problems for problems in audit_trail.verify_all_chains(db.session).values())
    organizer, _ = _login(app, "organizer@example.org")
    pages = walk(organizer, "/dashboard", follow=lambda path: "/outcomes" in path
                 or path == "/dashboard" or path == "/o/xuzhou/", limit=25)
    assert "/o/xuzhou/outcomes/" in pages
    assert any("/outcomes/intents/" in path for path in pages)
    recruiter, _ = _login(app, "recruiter-gulou@example.org")
    # the Gulou recruiter reaches their unit's projects by links: an intent's page links its
    # project's milestones, whose page has the office's outcomes menu
    reached = walk(recruiter, "/dashboard", follow=lambda path: path in ("/dashboard",)
                   or "/signing" in path or "/outcomes" in path, limit=40)
    assert any("/outcomes/intents/" in path for path in reached)
    assert "/o/xuzhou/outcomes/projects" in reached
    gulou = recruiter.get("/o/xuzhou/outcomes/projects")
    assert gulou.status_code == 200
    assert "/o/xuzhou/outcomes/tasks" in gulou.text
    assert recruiter.get("/o/xuzhou/outcomes/").status_code == 403


def _login(app, email: str):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client, Auth(client)
