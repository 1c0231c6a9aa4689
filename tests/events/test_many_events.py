"""Events side by side (issue 13): each event's pages show its own, an office's list holds its
own events and its joint events, a new event takes its kind's stages, a joint event takes the
alliance's districts, stages switched off have no pages, sign-up follows every office's calls."""

from __future__ import annotations

import re

from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.events.models import Event
from roadshow.events.scope import STAGE_OF_BLUEPRINT
from roadshow.extensions import db as _db
from roadshow.organisations.models import AllianceShare, ShareKind
from tests.events.test_event_admin import event_form
from tests.many_events_fixtures import event_url, org_url


def test_two_events_of_one_office_in_different_phases_each_page_shows_its_own(login_as, make_event):
    client, _ = login_as("organizer")
    a1 = make_event(phase="call", title_en="A1 Call 2027")
    a2 = make_event(phase="roadshow", title_en="A2 Roadshow 2026")
    one = client.get(event_url(a1)).get_data(as_text=True)
    two = client.get(event_url(a2)).get_data(as_text=True)
    assert "Now: Call for projects" in one
    assert "A2 Roadshow 2026" not in one.split('id="main"')[1].split("Switch event")[0]
    assert "Now: Roadshow days" in two
    manage = client.get(event_url(a2, "/manage")).get_data(as_text=True)
    assert "A2 Roadshow 2026" in manage
    assert "Roadshow days" in manage
    # the header names the page's event and offers the other one
    header = one[one.index('class="event-header'):one.index('id="main"')]
    assert "A1 Call 2027" in header
    assert "Call open" in header
    assert f'href="/e/{a2.slug}"' in header
    listing = client.get(org_url(a1.organisation, "/events")).get_data(as_text=True)
    assert "A1 Call 2027" in listing
    assert "A2 Roadshow 2026" in listing


def test_an_organizer_of_another_office_sees_nothing_of_this_ones_events(login_as, make_organisation, make_event):
    client, organizer_b = login_as("organizer")
    office_b = make_organisation(organizers=(organizer_b,), name_en="Office B")
    office_a = make_organisation(name_en="Office A")
    a1 = make_event(office_a, title_en="Event of A")
    make_event(office_b, title_en="Event of B")
    assert client.get(event_url(a1, "/manage")).status_code == 403
    assert client.post(event_url(a1, "/edit"), data=event_form()).status_code == 403
    assert client.get(org_url(office_a, "/events")).status_code == 403
    listing = client.get(org_url(office_b, "/events")).get_data(as_text=True)
    assert "Event of B" in listing
    assert "Event of A" not in listing


def test_a_new_symposium_starts_with_its_kinds_stages(login_as):
    client, _ = login_as("organizer")
    page = client.get("/o/test-office/events/new?kind=symposium").get_data(as_text=True)
    checked = set(re.findall(r'<input checked[^>]* id="stage_(\w+)"', page))
    assert checked == {"call", "schedule", "live"}
    data = event_form(kind="symposium", stage_review="", stage_signing="")
    data = {k: v for k, v in data.items() if v != ""}
    response = client.post("/o/test-office/events/new", data=data)
    assert response.status_code == 302
    event = _db.session.scalar(select(Event))
    assert event.kind.value == "symposium"
    assert [s for s in ("call", "review", "schedule", "live", "signing") if event.has_stage(s)] == [
        "call", "schedule", "live"]
    chinese, _ = login_as("organizer", locale="zh_Hans_CN")
    assert "座谈会" in chinese.get("/o/test-office/events/new?kind=symposium").get_data(as_text=True)


def test_a_district_of_another_office_is_refused(login_as, make_organisation, make_district):
    client, _ = login_as("organizer")
    other = make_organisation()
    foreign = make_district("gulou", "鼓楼区", "Gulou District")
    foreign.organisation = other
    _db.session.commit()
    page = client.post("/o/test-office/events/new", data=event_form(districts=[str(foreign.id)]))
    assert page.status_code == 200
    assert _db.session.scalar(select(Event)) is None


def test_a_joint_event_takes_districts_of_every_member_and_is_shared(
        login_as, make_organisation, make_alliance, make_district):
    client, organizer = login_as("organizer")
    xuzhou = make_organisation(organizers=(organizer,), slug="xuzhou")
    xiao = make_organisation(slug="xiao-county")
    outsider = make_organisation(slug="outsider")
    alliance = make_alliance(xuzhou, xiao, slug="huaihai")
    own, theirs, foreign = (make_district(code, code, f"{code.title()} Qdistrict") for code in ("gulou", "xiao", "far"))
    own.organisation, theirs.organisation, foreign.organisation = xuzhou, xiao, outsider
    _db.session.commit()
    form_page = client.get("/o/xuzhou/events/new?alliance=huaihai").get_data(as_text=True)
    assert "A joint event of" in form_page
    assert "Xiao Qdistrict" in form_page
    assert "Gulou Qdistrict" in form_page
    assert "Far Qdistrict" not in form_page
    response = client.post("/o/xuzhou/events/new?alliance=huaihai",
                           data=event_form(districts=[str(own.id), str(theirs.id)]))
    assert response.status_code == 302
    event = _db.session.scalar(select(Event).where(Event.alliance_id == alliance.id))
    assert {d.code for d in event.districts} == {"gulou", "xiao"}
    share = _db.session.scalar(select(AllianceShare).where(AllianceShare.event_id == event.id))
    assert share.kind == ShareKind.JOINT_EVENT
    assert share.organisation_id == xuzhou.id
    # an office outside the alliance cannot host a joint event of it
    other_client, other_organizer = login_as("organizer")
    make_organisation(organizers=(other_organizer,), slug="lonely")
    assert other_client.get("/o/lonely/events/new?alliance=huaihai").status_code == 404


def test_pages_of_a_stage_the_event_does_not_run_answer_404(app, login_as, make_event):
    client, _ = login_as("organizer")
    event = make_event(kind="promotion")  # call and schedule only
    off = {"review", "live", "signing"}
    checked = []
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.rsplit(".", 1)[0]
        if "event_slug" not in rule.arguments or STAGE_OF_BLUEPRINT.get(blueprint) not in off:
            continue
        if "GET" not in (rule.methods or ()) or set(rule.arguments) != {"event_slug"}:
            continue
        path = rule.rule.replace("<event_slug>", event.slug)
        checked.append(path)
        assert client.get(path).status_code == 404, path
    assert checked
    assert client.get(event_url(event, "/manage")).status_code == 200


def test_a_symposiums_page_invites_to_register_not_to_apply(client, login_as, make_event):
    event = make_event(kind="symposium", phase="call", title_en="Shanghai Symposium")
    page = client.get(event_url(event)).get_data(as_text=True)
    assert "Register to take part" in page
    assert f"/register?event={event.slug}" in page
    assert "Register to apply" not in page
    assert "Symposium" in page
    chinese = client.get(event_url(event), headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "注册并报名" in chinese
    applicant, _ = login_as("applicant")
    signed_in = applicant.get(event_url(event)).get_data(as_text=True)
    assert "Your registration" in signed_in
    assert "Your application" not in signed_in


def test_sign_up_stays_open_while_any_office_has_a_call_open(client, make_organisation, make_event):
    closed = make_event(make_organisation(), phase="review", title_en="Closed Call")
    assert "Sign-up is closed" in client.get("/register").get_data(as_text=True)
    make_event(make_organisation(), phase="call", title_en="Open Elsewhere")
    page = client.get("/register").get_data(as_text=True)
    assert 'name="password"' in page
    assert closed.title_en not in client.get("/").get_data(as_text=True)


def test_unpublished_events_are_404_outside_their_staff(client, login_as, make_event):
    event = make_event(published=False)
    assert client.get(event_url(event)).status_code == 404
    applicant, _ = login_as("applicant")
    assert applicant.get(event_url(event)).status_code == 404
    organizer, _ = login_as("organizer")
    assert organizer.get(event_url(event)).status_code == 200


def test_a_judge_is_not_an_organizer_of_the_event(login_as, make_event, grant):
    client, judge = login_as("applicant")
    event = make_event()
    grant(judge, event, Role.JUDGE)
    assert client.get(event_url(event, "/manage")).status_code == 403
    assert client.get(event_url(event)).status_code == 200
