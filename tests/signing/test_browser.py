"""Signing in a real browser: a recruiter drafts and sends, three people sign in turn (one draws
a signature on the canvas), the sealed PDF downloads and the public page verifies it.

Every page is checked like the rest of the tour (accessibility, translation, zones, console)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import (
    Actors,
    live_server,  # noqa: F401 - the server fixture of the browser tests
)
from tests.e2e.seed import Person

pytestmark = pytest.mark.e2e

APPLICANT = Person("signing-applicant", "lin.hart@battery-lab.example", "Lin Hart", "applicant",
                   "en", "America/Toronto")
RECRUITER = Person("signing-recruiter", "recruiter@xinyi.example", "Sun Hao", "recruiter",
                   "zh_Hans_CN", "Asia/Shanghai", name_native="孙浩", district_code="xinyi")
ORGANIZER = Person("signing-organizer", "office@talent.xz.example", "Gao Yu", "organizer",
                   "en", "Asia/Shanghai", name_native="高宇")


def _world(server) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A finalist project of the applicant, and the people who sign for Xinyi and the city."""
    from sqlalchemy import select

    from roadshow import create_app
    from roadshow.accounts.roles import Role
    from roadshow.accounts.services import create_user, find_user_by_email
    from roadshow.applications.models import Application, ApplicationStatus
    from roadshow.districts.models import District
    from roadshow.events.models import Event
    from roadshow.extensions import db
    from roadshow.organisations.models import (
        EventRole,
        EventRoleKind,
        OrganisationMember,
        OrganisationRole,
    )

    app = create_app({"SQLALCHEMY_DATABASE_URI": server.database_url, "SECRET_KEY": "world",
                      "INSTANCE_PATH": str(server.instance_path), "SMTP_HOST": None})
    with app.app_context():
        session = db.session
        district = session.scalar(select(District).where(District.code == "xinyi"))
        # an event of Xinyi's office that still signs (the demo also holds last year's,
        # archived, and events without signing)
        event = session.scalar(select(Event).where(
            Event.organisation_id == district.organisation_id, Event.archived_at.is_(None),
            Event.stage_signing.is_(True)).order_by(Event.id))
        users = {}
        for person in (APPLICANT, RECRUITER, ORGANIZER):
            user = find_user_by_email(session, person.email) or create_user(
                session, email=person.email, password=person.password, role=Role(person.role),
                name=person.name, name_native=person.name_native, locale=person.locale,
                timezone=person.timezone, verified=True,
                district_id=district.id if person.district_code else None)
            users[person.key] = user
        session.flush()
        # issue 13: the recruiter signs for Xinyi in this event, the organizer for its office
        recruiter, organizer = users[RECRUITER.key], users[ORGANIZER.key]
        if session.scalar(select(EventRole).where(EventRole.event_id == event.id,
                                                  EventRole.user_id == recruiter.id)) is None:
            session.add(EventRole(event=event, user=recruiter, role=EventRoleKind.RECRUITER,
                                  district=district))
        if session.scalar(select(OrganisationMember).where(
                OrganisationMember.organisation_id == event.organisation_id,
                OrganisationMember.user_id == organizer.id)) is None:
            session.add(OrganisationMember(organisation_id=event.organisation_id, user=organizer,
                                           role=OrganisationRole.ORGANIZER))
        session.flush()
        application = session.scalar(select(Application).where(
            Application.applicant_id == users[APPLICANT.key].id, Application.event_id == event.id))
        if application is None:
            application = Application(
                event=event, applicant=users[APPLICANT.key], status=ApplicationStatus.FINALIST,
                title_en="High-energy low-temperature power batteries",
                title_zh="高比能低温动力电池与材料科研测试产业化")
            session.add(application)
        session.commit()
        ids = {"application": application.id, "district": district.id, "slug": event.slug}
        db.engine.dispose()
    return ids


def _sign(person, server, reference: str, slug: str, *, draw: bool) -> None:  # type: ignore[no-untyped-def]
    page = person.page
    person.goto(f"/e/{slug}/signing/")
    page.locator("main").get_by_role("link", name=re.compile(reference)).first.click()
    page.wait_for_load_state("load")
    person.check("sign")
    page.locator("form[action$='/code'] button[type=submit]").click()
    page.wait_for_load_state("load")
    message = server.mail_to(person.person.email, subject_contains=reference)
    code = re.search(r"^\s+(\d{6})\s*$", message.get_body(("plain",)).get_content(), re.M)
    assert code, "no code in the email"
    form = page.locator("form[action$='/sign']")
    form.locator("input[name=password]").fill(person.person.password)
    form.locator("input[name=code]").fill(code.group(1))
    form.locator("input[name=typed_name]").fill(person.person.name)
    if draw:
        canvas = page.locator("canvas.signature-canvas")
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        page.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
        page.mouse.down()
        for step in range(1, 30):
            page.mouse.move(box["x"] + 20 + step * 8, box["y"] + box["height"] / 2 + (step % 5) * 6)
        page.mouse.up()
    form.locator("input[name=consent]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert re.search(rf"/e/{slug}/signing/intents/\d+$", page.url), page.locator("main").inner_text()[:500]
    person.check("signed")


def _with_actors(browser, server, name: str, story: Callable[[Actors], None]) -> None:  # type: ignore[no-untyped-def]
    """Run ``story`` with the run's shared Chromium; on failure keep screenshots of every page."""
    crew = Actors(browser, server, name)
    try:
        story(crew)
    except BaseException:
        crew.capture_failure()
        raise
    finally:
        crew.close()


@pytest.mark.slow  # ~26 s: started first (tests/conftest.py) so no worker waits on it alone
def test_signing_in_the_browser_from_draft_to_verified_pdf(browser, live_server, tmp_path):  # noqa: F811
    ids = _world(live_server)
    _with_actors(browser, live_server, "test_signing_in_the_browser",
                 lambda actors: _story(actors, live_server, ids, tmp_path))


def _story(actors, live_server, ids, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811 - the server, handed on
    recruiter = actors("recruiter", RECRUITER)
    recruiter.sign_in()
    recruiter.goto(f"/e/{ids['slug']}/signing/intents/new?application_id={ids['application']}"
                   f"&district_id={ids['district']}")
    recruiter.check("draft-form")
    page = recruiter.page
    page.locator("select[name=city_signer]").select_option(label="高宇")  # the recruiter reads Chinese: names in Chinese script
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    recruiter.check("draft")
    reference = re.search(r"RS-\d{4}-\d{4}", page.locator("h1").inner_text()).group(0)
    page.locator("form[action$='/send'] button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "签署中" in page.locator("h1").inner_text()

    # the district cannot go first, even with the link
    recruiter.goto(page.url.replace(live_server.url, "") + "/sign")
    assert "还没有轮到您" in page.locator("main").inner_text()

    applicant = actors("applicant", APPLICANT)
    applicant.sign_in()
    _sign(applicant, live_server, reference, ids['slug'], draw=True)
    assert applicant.page.locator("img.signature-image").count() == 1
    _sign(recruiter, live_server, reference, ids['slug'], draw=False)
    organizer = actors("organizer", ORGANIZER)
    organizer.sign_in()
    _sign(organizer, live_server, reference, ids['slug'], draw=False)
    assert "Signed and sealed" in organizer.page.locator("h1").inner_text()

    with organizer.page.expect_download() as download:
        organizer.page.get_by_role("link", name="Download the sealed PDF").click()
    sealed = Path(tmp_path / f"{reference}.pdf")
    download.value.save_as(sealed)
    assert sealed.read_bytes().startswith(b"%PDF")

    visitor = actors("visitor", Person("visitor", "", "", "anonymous", "zh_Hans_CN",
                                       "Asia/Shanghai"))
    visitor.goto("/verify-intent")
    visitor.check("verify")
    visitor.page.set_input_files("input[name=document]", str(sealed))
    visitor.page.locator("main form button[type=submit]").click()
    visitor.page.wait_for_load_state("load")
    assert "真实且未被修改" in visitor.page.locator("main").inner_text()
    visitor.check("verified")
