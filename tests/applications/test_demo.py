"""The demo's applications appear in the organizer's list, filtered and exported."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from roadshow.applications import demo as applications_demo
from roadshow.applications.models import Application, ApplicationStatus, Deck
from roadshow.demo import people
from roadshow.demo.context import DemoContext
from roadshow.events.services import current_event


def test_demo_applications_are_listed_filtered_and_exported(app, db):
    steps = []
    ctx = DemoContext(session=db.session, today=current_event_day(),
                      progress=lambda label, done, total: steps.append((label, done, total)))
    people.load(ctx)
    applications_demo.load(ctx)
    db.session.commit()
    counts = dict(db.session.execute(select(Application.status, func.count()).group_by(Application.status)).all())
    assert counts[ApplicationStatus.SUBMITTED] == 180
    assert counts[ApplicationStatus.DRAFT] == 2
    assert counts[ApplicationStatus.WITHDRAWN] == 2
    assert len(ctx.data["applications"]) == 180
    assert current_event(db.session) is ctx.data["event"]
    assert ("Applications and pitch decks", 184, 184) in steps
    assert db.session.scalar(select(func.count()).select_from(Deck)) == sum(counts.values())
    titles = set(db.session.scalars(select(Application.title_zh)))
    assert "航空金属增材研发" in titles

    from tests.conftest import Auth

    client = app.test_client()
    from roadshow.accounts.models import User

    Auth(client).login(db.session.scalar(select(User).where(User.email == "organizer@example.org")),
                       password="Roadshow-demo-2026")
    listing = client.get("/organizer/applications").get_data(as_text=True)
    assert "第 1 页，共 4 页" in listing  # 182 received (180 submitted, 2 withdrawn), 50 a page
    event = db.session.scalar(select(Application.event_id))
    us = client.get(f"/organizer/applications/export.csv?event={event}&country=US")
    rows = list(csv.reader(io.StringIO(us.data.decode("utf-8-sig"))))[1:]
    assert len(rows) > 20
    assert {row[9] for row in rows} == {"US"}
    everything = client.get(f"/organizer/applications/export.csv?event={event}&status=submitted")
    assert len(everything.data.decode("utf-8-sig").splitlines()) - 1 == counts[ApplicationStatus.SUBMITTED]


def current_event_day():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Asia/Shanghai")).date()
