"""The logins the demo prints let anyone try every step of the funnel, whenever it is loaded,
and each reaches its events by following links from its dashboard (README's table)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from roadshow.accounts.models import User
from roadshow.applications.models import ApplicantProfile, Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.demo import timeline
from roadshow.scheduling import calendar_entries, queries
from roadshow.scheduling.models import Rsvp
from roadshow.signing.flow import IntentState, SignerState
from roadshow.signing.models import Intent
from tests.conftest import Auth
from tests.demo.pages import event_of, url, walk

README = Path(__file__).resolve().parents[2] / "README.md"
PASSWORD = "Roadshow-demo-2026"  # noqa: S105 - the demo's printed password
LAST_YEAR, THIS_YEAR, NEXT_YEAR = ("xuzhou-cloud-roadshow-2025", "xuzhou-cloud-roadshow",
                                   "xuzhou-cloud-roadshow-2027")
SYMPOSIUM, XIAO, JOINT = ("xuzhou-shanghai-symposium-2026", "xiao-county-roadshow",
                          "huaihai-joint-roadshow")
XUZHOU_OWN = (LAST_YEAR, THIS_YEAR, NEXT_YEAR, SYMPOSIUM)
#: what each printed login reaches by links alone (event slugs, office and alliance pages),
#: and which events it never sees (design §5)
REACHES = {
    "organizer@example.org": ({*XUZHOU_OWN, JOINT}, {"/o/xuzhou/", "/o/xuzhou/reports", "/a/huaihai/"}, {XIAO}),
    "organizer-xiao@example.org": ({XIAO, JOINT}, {"/o/xiao-county/"}, set(XUZHOU_OWN)),
    "shanghai@example.org": ({SYMPOSIUM}, set(), {LAST_YEAR, THIS_YEAR, NEXT_YEAR, XIAO, JOINT}),
    "judge01@example.org": ({LAST_YEAR, THIS_YEAR, JOINT}, set(), {NEXT_YEAR, SYMPOSIUM, XIAO}),
    "recruiter-gulou@example.org": ({LAST_YEAR, THIS_YEAR, NEXT_YEAR}, set(), {SYMPOSIUM, XIAO}),
    "applicant@example.org": ({THIS_YEAR, NEXT_YEAR}, set(), set()),
}
ROW = re.compile(r"^\| *([\w-]+) *\| *`([^`]+@example\.org)` *\|", re.MULTILINE)


def _followed(path: str) -> bool:
    """Pages of events, offices and alliances, not single objects (no numbered path part)."""
    bare = path.split("?")[0]
    parts = [p for p in bare.split("/") if p]
    return len(parts) <= 4 and not any(p.isdigit() for p in parts) and "?" not in path


#: pages open to everyone signed in (the calls of every office; a published event's page, its
#: form and programme, and the visitor's own follow-up requests and intents there, empty for
#: someone who did not apply): another office's published events may show there; "never sees"
#: is about everything else
OPEN_TO_EVERYONE = re.compile(
    r"^/(apply|applications/mine)?$|^/e/[\w-]+(/apply|/schedule(/availability)?/?|/live/docking|/signing/?)?$")


def _events_in(paths: set[str]) -> set[str]:
    return {m.group(1) for p in paths if (m := re.match(r"/e/([\w-]+)(/|$)", p))}


def test_the_printed_applicant_is_an_english_speaking_finalist_abroad_with_every_step_to_try(app, db, loaded_demo):
    logins = loaded_demo
    email = next(e for role, e, _p in logins if role == "applicant")
    user = db.session.scalar(select(User).where(User.email == email))
    event = event_of(db.session)
    assert user.locale == "en"
    assert not user.timezone.startswith("Asia/")
    profile = db.session.scalar(select(ApplicantProfile).where(ApplicantProfile.user_id == user.id))
    assert profile.country_of_residence != "CN"
    application = db.session.scalar(select(Application).where(
        Application.applicant_id == user.id, Application.event_id == event.id))
    assert application.status == ApplicationStatus.FINALIST
    # applied last year (not selected) and has a draft for next year
    mine = {a.event.slug: a.status for a in db.session.scalars(
        select(Application).where(Application.applicant_id == user.id))}
    assert mine == {LAST_YEAR: ApplicationStatus.NOT_SELECTED, THIS_YEAR: ApplicationStatus.FINALIST,
                    NEXT_YEAR: ApplicationStatus.DRAFT}

    # a pitch in a session still to come, with no answer given to its invitation yet
    slot = queries.slot_of_application(db.session, application)
    assert slot is not None
    assert slot.session.starts_at > utcnow()
    local = slot.starts_at.astimezone(ZoneInfo(user.timezone))
    assert 7 <= local.hour < 23
    uid = calendar_entries.pitch_uid(application.id, event)
    assert db.session.scalar(select(Rsvp).where(Rsvp.uid == uid, Rsvp.user_id == user.id)) is None
    # an intent waiting for their signature
    intent = db.session.scalar(select(Intent).where(Intent.application_id == application.id))
    assert intent is not None
    signer = next(s for s in intent.signers if s.user_id == user.id)
    assert signer.state == SignerState.WAITING
    assert intent.state == IntentState.OUT_FOR_SIGNATURE

    client = app.test_client()
    Auth(client).login(user, password=PASSWORD)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert user.timezone in dashboard  # the pitch time, in their own zone
    assert re.search(r"Sign|sign", dashboard)
    assert "Will you pitch at this time?" in dashboard  # the invitation to answer, right there
    assert "I will attend" in dashboard
    programme = client.get(url(app, "scheduling.index", event)).get_data(as_text=True)
    assert "I will attend" in programme
    assert "Teaching clash" not in programme  # nobody else's answer

    # the first session is live now and is not over; the review can be reopened
    sessions = queries.sessions_of(db.session, event)
    assert sessions[0].starts_at <= utcnow() < sessions[0].ends_at
    readme = README.read_text(encoding="utf-8")
    assert "today and tomorrow" not in readme
    assert "Reopen the review" in readme
    assert f"`{email}`" in readme


def test_each_login_of_the_readme_reaches_its_events_by_links_alone(app, db, loaded_demo):
    logins = loaded_demo
    table = dict(ROW.findall(README.read_text(encoding="utf-8")))
    printed = {role: email for role, email, _p in logins}
    # the README's table is what the command prints, and every password is the printed one
    assert table == printed
    assert {p for _r, _e, p in logins} == {PASSWORD}
    for email, (events, pages, never) in REACHES.items():
        client = app.test_client()
        Auth(client).login(db.session.scalar(select(User).where(User.email == email)),
                           password=PASSWORD)
        reached = walk(client, "/dashboard", _followed, limit=80)
        seen = _events_in(set(reached))
        assert events <= seen, (email, sorted(seen))
        inside = {p for p in reached if not OPEN_TO_EVERYONE.match(p.split("?")[0])}
        assert not never & _events_in(inside), (email, sorted(p for p in inside if any(s in p for s in never)))
        paths = {p.split("?")[0].rstrip("/") + "/" for p in reached}
        assert {p.rstrip("/") + "/" for p in pages} <= paths, (email, sorted(paths))
        if never:  # nothing of those events is even named on a page it reaches, but the public ones
            for path in inside:
                assert not any(f"/e/{slug}/" in reached[path] for slug in never), (email, path)

    # the administrator reaches both offices and the alliance from the dashboard
    client = app.test_client()
    Auth(client).login(db.session.scalar(select(User).where(User.email == printed["admin"])),
                       password=PASSWORD)
    reached = walk(client, "/dashboard", _followed, limit=40)
    text = "".join(reached.values())
    assert all(name in text for name in ("徐州市人才办", "萧县人才办", "淮海人才联盟")), sorted(reached)


def test_the_demo_holds_its_events_in_the_states_of_the_design(app, db, loaded_demo):
    assert loaded_demo
    last_year, next_year = event_of(db.session, LAST_YEAR), event_of(db.session, NEXT_YEAR)
    this_year, symposium = event_of(db.session, THIS_YEAR), event_of(db.session, SYMPOSIUM)
    xiao, joint = event_of(db.session, XIAO), event_of(db.session, JOINT)
    assert {e.organisation.slug for e in (last_year, this_year, next_year, symposium, joint)} == {"xuzhou"}
    assert xiao.organisation.slug == "xiao-county"
    # last year's: finished and archived, its intents sealed
    assert last_year.archived_at is not None
    sealed = db.session.scalars(select(Intent).join(Application).where(
        Application.event_id == last_year.id)).all()
    assert len(sealed) == 14
    assert all(i.state == IntentState.COMPLETED for i in sealed)
    # next year's: copied from this year's, its call open now
    assert next_year.copied_from_id == this_year.id
    now = utcnow()
    call = next(p for p in next_year.phases if p.kind.value == "call")
    assert call.starts_at <= now < call.ends_at
    # the symposium: a registration and a programme, no review, no signing
    assert symposium.kind.value == "symposium"
    assert (symposium.stage_review, symposium.stage_signing) == (False, False)
    assert any(r.user.email == "shanghai@example.org" and r.role.value == "organizer"
               for r in symposium.roles)
    # the joint event: the alliance's, with districts of both offices
    assert joint.alliance.slug == "huaihai"
    assert {d.organisation.slug for d in joint.districts} == {"xuzhou", "xiao-county"}


def test_the_demo_timeline_has_its_first_session_live_whenever_it_is_loaded():
    start = datetime(2026, 3, 7, 0, 0, tzinfo=UTC)
    for minutes in range(0, 24 * 60 * 2, 17):  # every 17 minutes over two days (a DST-free zone)
        now = start + timedelta(minutes=minutes)
        plan = timeline.plan(now)
        assert plan[0].starts_at <= now < plan[0].ends_at
        assert now - plan[0].starts_at >= timedelta(minutes=60)  # two pitches already given
        assert all(a.ends_at < b.starts_at for a, b in zip(plan, plan[1:], strict=False))
        # every zone has its day time in some session still to come
        for zone in ("America/Los_Angeles", "Europe/Amsterdam", "Australia/Sydney"):
            hours = {s.starts_at.astimezone(ZoneInfo(zone)).hour for s in plan[1:]}
            assert any(7 <= h <= 19 for h in hours), (now, zone, hours)
        first, last = timeline.roadshow_days(now)
        assert (last - first).days <= 2
