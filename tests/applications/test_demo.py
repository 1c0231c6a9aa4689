"""The demo's applications appear in the organizer's list, filtered and exported; every event
whose call has opened has its own."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from roadshow.accounts.models import User
from roadshow.applications import demo as applications_demo
from roadshow.applications.models import Application, ApplicationStatus, Deck
from roadshow.demo import organisations, people
from roadshow.demo.context import DemoContext
from tests.conftest import Auth
from tests.demo.pages import url


def test_demo_applications_are_listed_filtered_and_exported(app, db):
    steps = []
    ctx = DemoContext(session=db.session, today=datetime.now(ZoneInfo("Asia/Shanghai")).date(),
                      progress=lambda label, done, total: steps.append((label, done, total)))
    organisations.load(ctx)
    people.load(ctx)
    applications_demo.load(ctx)
    db.session.commit()
    event = ctx.data["event"]
    counts = dict(db.session.execute(
        select(Application.status, func.count()).where(Application.event_id == event.id)
        .group_by(Application.status)).all())
    assert counts[ApplicationStatus.SUBMITTED] == 180
    assert counts[ApplicationStatus.DRAFT] == 2
    assert counts[ApplicationStatus.WITHDRAWN] == 2
    assert len(ctx.events()[0].data["applications"]) == 180
    assert ("Applications and pitch decks", 184, 184) in steps
    decks = db.session.scalar(select(func.count()).select_from(Deck).join(Application).where(
        Application.event_id == event.id))
    assert decks == sum(counts.values())
    titles = set(db.session.scalars(select(Application.title_zh).where(Application.event_id == event.id)))
    assert "航空金属增材研发" in titles
    # the other events: last year's 150, the joint call's and the symposium's registrations
    # (no project, no deck)
    per_event = dict(db.session.execute(
        select(Application.event_id, func.count()).group_by(Application.event_id)).all())
    assert per_event[ctx.data["last_year"].id] == 150
    assert per_event[ctx.data["joint"].id] == 12
    symposium = ctx.data["symposium"]
    registrations = db.session.scalars(select(Application).where(Application.event_id == symposium.id)).all()
    assert len(registrations) == 14
    assert all(r.title_en == "" and not r.decks for r in registrations)

    client = app.test_client()
    Auth(client).login(db.session.scalar(select(User).where(User.email == "organizer@example.org")),
                       password="Roadshow-demo-2026")
    listing = client.get(url(app, "applications.manage", event)).get_data(as_text=True)
    assert "第 1 页，共 4 页" in listing  # 182 received (180 submitted, 2 withdrawn), 50 a page
    us = client.get(url(app, "applications.export_csv", event, event=event.id, country="US"))
    rows = list(csv.reader(io.StringIO(us.data.decode("utf-8-sig"))))[1:]
    assert len(rows) > 20
    assert {row[9] for row in rows} == {"US"}
    everything = client.get(url(app, "applications.export_csv", event, event=event.id,
                                status="submitted"))
    assert len(everything.data.decode("utf-8-sig").splitlines()) - 1 == counts[ApplicationStatus.SUBMITTED]
