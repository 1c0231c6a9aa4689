"""Inviting a filtered list of the pool to an event: only the list's people with an address get a
mail, each in their language with the dates in their zone, each invitation goes into the contact
log, a second sending skips those invited already, and a station officer invites only their own
station's people."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.jobs.models import Job, JobStatus
from roadshow.mail.models import OutboxMessage
from roadshow.talent.models import Contact, ContactKind, Invitation, station_events
from tests.many_events_fixtures import build_event, build_organisation, org_url
from tests.talent.records import add_person, appoint, build_station

pytestmark = pytest.mark.no_default_organisation


@pytest.fixture
def world(app, make_user):
    organizer = make_user(Role.ORGANIZER, email="a@example.org")
    office = build_organisation(db.session, "office-a", organizers=(organizer,))
    other = build_organisation(db.session, "office-b")
    shanghai, tianjin = build_station(office, "shanghai"), build_station(office, "tianjin")
    officer = make_user(Role.STATION, email="officer@example.org")   # as the demo's officers
    appoint(shanghai, officer)
    their_officer = make_user(Role.APPLICANT, email="theirs@example.org")
    appoint(build_station(other, "shanghai"), their_officer)
    symposium = build_event(db.session, office, "symposium", slug="symposium",
                            title_en="Symposium in Shanghai", title_zh="上海座谈会",
                            timezone="Asia/Shanghai")
    build_event(db.session, office, slug="roadshow", title_en="Cloud Roadshow")
    build_event(db.session, office, slug="draft-event", published=False)
    db.session.execute(station_events.insert().values(station_id=shanghai.id,
                                                      event_id=symposium.id, created_at=utcnow()))
    db.session.commit()
    canada = make_user(Role.APPLICANT, email="ca@example.org", timezone="America/Toronto")
    people = {
        # a Chinese name only: Chinese; lives in China: Shanghai's zone
        "zh": add_person(office, shanghai, name_zh="张伟", email="zw@example.org",
                         residence_country="CN"),
        # a Latin name, living in the Netherlands (one zone): English, Amsterdam time
        "nl": add_person(office, shanghai, name_zh="李娜", name_en="Na Li", email="nl@example.org",
                         residence_country="NL"),
        # linked to an account: its zone
        "ca": add_person(office, shanghai, name_en="Lei Wang", email="ca@example.org",
                         residence_country="CA"),
        "no_email": add_person(office, shanghai, name_zh="无邮"),
        "tianjin": add_person(office, tianjin, name_zh="津门人", email="tj@example.org"),
    }
    people["ca"].user_id = canada.id
    db.session.commit()
    return {"organizer": organizer, "office": office, "other": other, "shanghai": shanghai,
            "tianjin": tianjin, "officer": officer, "their_officer": their_officer,
            "symposium": symposium, "people": people}


def _url(world, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return org_url(world["office"], "/talent/invitations/new") + (f"?{query}" if query else "")


def _send(client, world, **args):
    return client.post(_url(world, **args), data={
        "event_id": world["symposium"].id, "note": "欢迎光临 Welcome!", "action": "send"})


def test_an_organizer_invites_a_filtered_list(world, login_as):
    client, organizer = login_as(world["organizer"])
    shanghai, symposium, people = world["shanghai"], world["symposium"], world["people"]
    listed = client.get(org_url(world["office"], f"/talent/people?station={shanghai.id}"))
    assert f'/talent/invitations/new?station={shanghai.id}"' in listed.text
    page = client.get(_url(world, station=shanghai.id))
    assert page.status_code == 200
    assert '<strong data-count="with-email">3 people' in page.text
    assert '<span data-count="without-email">1 person' in page.text
    assert "Shanghai station" in page.text          # the filter, described
    # the station's event first; unpublished events are no choice
    options = page.text.split('name="event_id"')[1].split("</select>")[0]
    assert options.index("Symposium in Shanghai") < options.index("Cloud Roadshow")
    assert "draft-event" not in options
    assert "Test event" not in options

    preview = client.post(_url(world, station=shanghai.id), data={
        "event_id": symposium.id, "note": "欢迎光临 Welcome!", "action": "preview"})
    assert 'data-preview="zh_Hans_CN"' in preview.text
    assert 'data-preview="en"' in preview.text
    assert "上海座谈会" in preview.text
    assert "Symposium in Shanghai" in preview.text
    assert preview.text.count("欢迎光临 Welcome!") >= 2
    bad = client.post(_url(world, station=shanghai.id), data={
        "event_id": 999999, "note": "x" * 1001, "action": "send"})
    assert bad.status_code == 422
    assert "Choose one of the office&#39;s published events." in bad.text
    assert "Keep the personal note under 1000 characters." in bad.text
    assert db.session.scalar(select(Job.id)) is None

    sent = _send(client, world, station=shanghai.id)
    job = db.session.scalars(select(Job)).one()
    assert sent.headers["Location"].endswith(f"/jobs/{job.id}")
    db.session.refresh(job)
    assert job.status == JobStatus.DONE
    assert (job.summary["sent"], job.summary["skipped"], job.summary["gone"]) == (3, 0, 0)
    mails = {m.to_address: m for m in db.session.scalars(select(OutboxMessage))}
    assert set(mails) == {"zw@example.org", "nl@example.org", "ca@example.org"}
    zh, nl, ca = mails["zw@example.org"], mails["nl@example.org"], mails["ca@example.org"]
    assert (zh.locale, nl.locale, ca.locale) == ("zh_Hans_CN", "en", "en")
    assert "上海座谈会" in zh.subject
    assert "Symposium in Shanghai" in nl.subject
    assert zh.subject == "邀请：上海座谈会"            # in Chinese, the event's Chinese title
    assert "诚邀您参加上海座谈会" in zh.body_text
    assert "Asia/Shanghai" in zh.body_text
    assert "Europe/Amsterdam" in nl.body_text
    assert "America/Toronto" in ca.body_text
    assert "http://localhost/e/symposium" in nl.body_text
    assert "欢迎光临 Welcome!" in zh.body_text
    logged = db.session.scalars(select(Contact).order_by(Contact.person_id)).all()
    assert [c.person_id for c in logged] == sorted(
        people[k].id for k in ("zh", "nl", "ca"))
    assert {(c.kind, c.officer_id) for c in logged} == {(ContactKind.MESSAGE, organizer.id)}
    assert "Invited to Symposium in Shanghai" in logged[0].summary
    status = client.get(f"/jobs/{job.id}")
    assert 'data-count="sent">3<' in status.text

    # sent again (a wider list): those invited already are skipped and counted
    _send(client, world)
    second = db.session.scalars(select(Job).order_by(Job.id.desc())).first()
    db.session.refresh(second)
    assert (second.summary["sent"], second.summary["skipped"]) == (1, 3)
    assert db.session.scalar(select(OutboxMessage.to_address).order_by(
        OutboxMessage.id.desc()).limit(1)) == "tj@example.org"
    assert len(db.session.scalars(select(Invitation)).all()) == 4


def test_a_station_officer_invites_only_their_stations_people(world, login_as):
    client, officer = login_as(world["officer"])
    assert client.get(_url(world, station=world["tianjin"].id)).status_code == 403
    page = client.get(_url(world))           # no filter: their station's people only
    assert '<strong data-count="with-email">3 people' in page.text
    assert _send(client, world).status_code == 302
    job = db.session.scalars(select(Job)).one()
    assert client.get(f"/jobs/{job.id}").status_code == 200
    invited = {i.person_id for i in db.session.scalars(select(Invitation))}
    assert world["people"]["tianjin"].id not in invited
    assert len(invited) == 3
    # another office's officer reaches nothing here
    theirs, _ = login_as(world["their_officer"])
    assert theirs.get(_url(world)).status_code in (403, 404)
    assert _send(theirs, world).status_code in (403, 404)
    assert len(db.session.scalars(select(Invitation)).all()) == 3
