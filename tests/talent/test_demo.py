"""The demo's talent pool (issue 14): Xuzhou's ~3,000 people with its applicants among them,
the Shanghai and Tianjin stations, a year of contacts with call-backs due, Xiao County's own
pool, and withdrawn people nowhere. One test: each ``loaded_demo`` test copies the demo."""

from __future__ import annotations

from sqlalchemy import func, select

from roadshow.accounts.models import User
from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.events.models import Event
from roadshow.organisations.models import Organisation
from roadshow.talent.models import (
    Category,
    Contact,
    Person,
    Source,
    Station,
    StationMember,
    StationRole,
)
from roadshow.talent.services.people import in_pool
from tests.conftest import Auth
from tests.demo.pages import walk

PASSWORD = "Roadshow-demo-2026"  # noqa: S105 - the demo's printed password


def _office(db, slug: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def test_the_demo_fills_the_pools_stations_and_contact_work(app, db, loaded_demo):
    printed = {role: email for role, email, _p in loaded_demo}
    xuzhou, xiao = _office(db, "xuzhou"), _office(db, "xiao-county")
    count = db.session.scalar(select(func.count()).select_from(Person).where(in_pool(xuzhou.id)))
    assert 2900 <= count <= 3100
    assert 250 <= db.session.scalar(
        select(func.count()).select_from(Person).where(in_pool(xiao.id))) <= 350

    # every applicant of Xuzhou's events is in its pool, linked to their account
    applicants = set(db.session.scalars(select(Application.applicant_id).join(Event).where(
        Event.organisation_id == xuzhou.id)))
    linked = set(db.session.scalars(select(Person.user_id).where(
        in_pool(xuzhou.id), Person.source == Source.APPLICATION)))
    assert applicants
    assert applicants == linked

    # both stations have a head and officers; the symposium's organizer heads Shanghai's
    stations = {s.slug: s for s in db.session.scalars(
        select(Station).where(Station.organisation_id == xuzhou.id))}
    assert set(stations) == {"shanghai", "tianjin"}
    for station in stations.values():
        roles = set(db.session.scalars(select(StationMember.role).where(
            StationMember.station_id == station.id)))
        assert roles == {StationRole.HEAD, StationRole.DEPUTY, StationRole.OFFICER}
        assert db.session.scalar(select(func.count()).select_from(Person).where(
            Person.station_id == station.id)) > 100
    head = db.session.scalar(select(User).join(StationMember).where(
        StationMember.station_id == stations["shanghai"].id,
        StationMember.role == StationRole.HEAD))
    assert head.email == printed["shanghai"]

    # the Tianjin officer reaches the overview by links and finds call-backs due there
    tianjin = db.session.scalar(select(User).where(User.email == printed["tianjin"]))
    client = app.test_client()
    Auth(client).login(tianjin, password=PASSWORD)
    reached = walk(client, "/dashboard", lambda path: "/talent" in path or path == "/dashboard",
                   limit=6)
    assert "/o/xuzhou/talent/" in reached
    due = db.session.scalars(select(Contact).where(
        Contact.officer_id == tianjin.id, Contact.next_due_on.is_not(None),
        Contact.done_at.is_(None))).all()
    assert any(c.next_due_on < utcnow().date() for c in due)  # one overdue
    overview = reached["/o/xuzhou/talent/"]
    person = db.session.get(Person, due[0].person_id)
    assert f"/o/xuzhou/talent/people/{person.id}" in overview

    # search finds the demo's people by characters, pinyin and Latin letters
    organizer = db.session.scalar(select(User).where(User.email == printed["organizer"]))
    client = app.test_client()
    Auth(client).login(organizer, password=PASSWORD)
    sample = db.session.scalar(select(Person).where(
        in_pool(xuzhou.id), Person.source == Source.IMPORT, Person.name_zh.is_not(None))
        .order_by(Person.id))
    for query in (sample.name_zh, sample.name_pinyin, sample.name_en):
        page = client.get("/o/xuzhou/talent/people", query_string={"q": query})
        assert page.status_code == 200
        assert f"/o/xuzhou/talent/people/{sample.id}" in page.get_data(as_text=True), query

    # the withdrawn are in no list or search
    withdrawn = db.session.scalars(select(Person).where(
        Person.organisation_id == xuzhou.id, Person.withdrawn_at.is_not(None))).all()
    assert withdrawn
    for gone in withdrawn:
        page = client.get("/o/xuzhou/talent/people", query_string={"q": gone.name_zh})
        assert f"/o/xuzhou/talent/people/{gone.id}\"" not in page.get_data(as_text=True)
    assert client.get(f"/o/xuzhou/talent/people/{withdrawn[0].id}").status_code == 404

    # Xiao County shares its high-level talents, not the others, through the Huaihai alliance
    shared = client.get("/o/xuzhou/talent/people", query_string={"scope": "shared"}).text
    assert 'data-kept-by="xiao-county"' in shared
    for category, status in ((Category.HIGH_LEVEL, 200), (Category.BUSINESS, 404)):
        kept = db.session.scalar(select(Person.id).where(in_pool(xiao.id),
                                                         Person.category == category))
        assert client.get(f"/o/xuzhou/talent/shared/{kept}").status_code == status

    # the symposium is the Shanghai station's event, with about 40 of its people invited
    station_page = client.get("/o/xuzhou/talent/stations/shanghai").get_data(as_text=True)
    row = station_page.split('<tr data-event="xuzhou-shanghai-symposium-2026">')[1].split("</tr>")[0]
    invited = int(row.split('data-count="invited">')[1].split("<")[0])
    assert 30 <= invited <= 40
