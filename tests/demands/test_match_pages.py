"""The matching pages (issue 15): a Chinese demand lists an English profile and an application
with their reasons in the reader's language, both ways; a district's recruiters see only their
own district's matches; a turned-down match is not suggested again; the cached index follows
the pool."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from roadshow.demands import match_services
from roadshow.demands.models import DemandStatus, RejectedMatch
from roadshow.extensions import db
from tests.demands.match_world import build_world
from tests.talent.records import add_person

pytestmark = pytest.mark.no_default_organisation


def _section(html: str, section: str) -> str:
    start = html.index(f'id="matches-{section}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_a_chinese_demand_lists_an_english_profile_with_reasons_in_both_languages(
        make_user, login_as):
    world = build_world(make_user)
    client, _ = login_as(world.organizer)
    page = client.get(world.url(f"/{world.demand.id}/matches"))
    assert page.status_code == 200, page.text
    people = _section(page.text, "person")
    assert "Li Wei" in people
    assert "Same field: IC design" in people
    assert "Same link of the chain: Integrated circuits · Chip design" in people
    assert "Degree: Doctorate, as wanted" in people  # the pool's doctorate meets the demand's
    applications = _section(page.text, "application")
    assert "RF front-end chips for 5G" in applications
    assert "Gulou District showed interest earlier" in applications
    assert re.search(r"Shared keywords: [^<]*射频", applications)
    assert "Degree: Doctorate, as wanted" in applications  # the profile's PhD counts too

    # and back: the person's and the application's pages find the demand
    mine = client.get(world.url(f"/matches/people/{world.person.id}"))
    assert mine.status_code == 200
    assert "射频芯片设计总监" in mine.text
    assert "Same field: IC design" in mine.text
    theirs = client.get(world.url(f"/matches/applications/{world.application.id}"))
    assert theirs.status_code == 200
    assert "射频芯片设计总监" in theirs.text
    assert "晶圆良率提升" not in theirs.text

    world.organizer.locale = "zh_Hans_CN"  # the same officer, reading in Chinese
    db.session.commit()
    reader, _ = login_as(world.organizer)
    chinese = reader.get(world.url(f"/{world.demand.id}/matches"))
    assert chinese.status_code == 200
    assert "同一领域：集成电路设计" in chinese.text
    assert "学历：博士，符合要求" in chinese.text
    assert "鼓楼区此前表示过兴趣" in chinese.text


def test_a_recruiter_sees_only_their_own_districts_matches(make_user, login_as):
    world = build_world(make_user)
    feng, _ = login_as(world.feng_recruiter)
    gulou, _ = login_as(world.gulou_recruiter)
    # there is something that could leak: Gulou's recruiter sees Li Wei on Gulou's demand
    assert "Li Wei" in gulou.get(world.url(f"/{world.demand.id}/matches")).text
    assert feng.get(world.url(f"/{world.demand.id}/matches")).status_code == 403
    assert feng.post(world.url(f"/{world.demand.id}/matches/reject"),
                     data={"kind": "person", "candidate": world.person.id}).status_code == 403
    assert feng.post(world.url(f"/{world.demand.id}/matches/accept"), data={
        "kind": "person", "candidate": world.person.id, "lead": world.feng.id,
        "due_on": "2027-03-01"}).status_code == 403
    person_page = feng.get(world.url(f"/matches/people/{world.person.id}"))
    assert person_page.status_code == 200
    assert "射频芯片设计总监" not in person_page.text
    assert "射频芯片设计总监" in gulou.get(world.url(f"/matches/people/{world.person.id}")).text
    # an applicant holds no matching permission at all
    outsider, _ = login_as(world.applicant)
    assert outsider.get(world.url(f"/{world.demand.id}/matches")).status_code == 403


def test_a_turned_down_match_is_not_suggested_again(make_user, login_as):
    world = build_world(make_user)
    client, _ = login_as(world.organizer)
    answer = client.post(world.url(f"/{world.demand.id}/matches/reject"),
                         data={"kind": "person", "candidate": world.person.id,
                               "reason": "He does not want to move", "back": "demand"})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/demands/{world.demand.id}/matches")
    assert db.session.scalar(select(RejectedMatch.candidate_id)) == world.person.id
    page = client.get(world.url(f"/{world.demand.id}/matches"))
    assert "Li Wei" not in _section(page.text, "person")
    assert "1 match turned down is left out" in page.text
    # the person's page no longer suggests it (it lists it among the matches turned down)
    assert f'data-demand="{world.demand.id}"' not in client.get(
        world.url(f"/matches/people/{world.person.id}")).text
    # the application is still suggested
    assert "RF front-end chips for 5G" in _section(page.text, "application")


def test_the_cached_index_follows_the_pool(make_user, login_as):
    world = build_world(make_user)
    client, _ = login_as(world.organizer)
    assert "Wang Fang" not in client.get(world.url(f"/{world.demand.id}/matches")).text
    newcomer = add_person(world.office, name_en="Wang Fang", position="RF chip design engineer")
    newcomer.industries = list(world.person.industries)
    db.session.commit()
    assert "Wang Fang" in _section(client.get(world.url(f"/{world.demand.id}/matches")).text,
                                   "person")


def test_the_person_and_application_pages_link_their_matches_for_organizers(make_user, login_as):
    world = build_world(make_user)
    client, _ = login_as(world.organizer)
    person_page = client.get(f"/o/{world.office.slug}/talent/people/{world.person.id}")
    assert person_page.status_code == 200
    assert (f'href="/o/{world.office.slug}/demands/matches/people/{world.person.id}"'
            in person_page.text)
    event = world.application.event
    detail = client.get(f"/e/{event.slug}/organizer/applications/{world.application.id}")
    assert detail.status_code == 200
    assert (f'href="/o/{world.office.slug}/demands/matches/applications/'
            f'{world.application.id}"' in detail.text)


def test_the_index_is_kept_while_the_pool_is_unchanged_and_fresh(make_user):
    world = build_world(make_user)
    clock = [1000.0]
    first = match_services.candidate_index(db.session, world.office.id, clock=lambda: clock[0])
    clock[0] += 5
    assert match_services.candidate_index(db.session, world.office.id,
                                          clock=lambda: clock[0]) is first
    world.person.position = "RF chip design director"  # an edit changes the fingerprint
    db.session.commit()
    edited = match_services.candidate_index(db.session, world.office.id, clock=lambda: clock[0])
    assert edited is not first
    assert "director" in edited.items[("person", world.person.id)].text
    clock[0] += match_services.CACHE_SECONDS + 1  # and an old index is rebuilt anyway
    assert match_services.candidate_index(db.session, world.office.id,
                                          clock=lambda: clock[0]) is not edited


def test_the_demands_index_is_kept_until_a_demand_changes(make_user):
    world = build_world(make_user)
    clock = [1000.0]

    def index() -> object:
        return match_services.demand_index(db.session, world.office.id, clock=lambda: clock[0])

    first = index()
    clock[0] += 5
    assert index() is first
    found = {m.demand_key for m in match_services.for_person(db.session, world.office.id,
                                                             world.person.id)}
    assert world.demand.id in found
    world.demand.status = DemandStatus.WITHDRAWN  # a withdrawn demand is matched no more, at once
    db.session.commit()
    assert index() is not first
    found = {m.demand_key for m in match_services.for_person(db.session, world.office.id,
                                                             world.person.id)}
    assert world.demand.id not in found
