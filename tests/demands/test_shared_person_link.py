"""A person an alliance partner shares (issue 15 with issue 14's sharing): the shared record's
page links the demands that person could fill, and the link opens them in the reader's office."""

from __future__ import annotations

import pytest

from roadshow.accounts.roles import Role
from roadshow.demands import match_services
from roadshow.extensions import db
from roadshow.talent.services import shares
from tests.many_events_fixtures import build_alliance, build_organisation, org_url
from tests.talent.records import add_person

pytestmark = pytest.mark.no_default_organisation


def test_a_shared_persons_page_links_their_matching_demands(app, make_user, login_as):
    match_services.forget()
    keeper = make_user(Role.ORGANIZER, email="keeper@example.org")
    partner = make_user(Role.ORGANIZER, email="partner@example.org", locale="zh_Hans_CN")
    xiao = build_organisation(db.session, "xiao", organizers=(keeper,))
    xuzhou = build_organisation(db.session, "xuzhou", organizers=(partner,))
    alliance = build_alliance(db.session, xiao, xuzhou, slug="huaihai")
    talent = add_person(xiao, name_zh="高才甲", category="high_level")
    shares.share(db.session, keeper, xiao, alliance, None, False)
    db.session.commit()
    client, _ = login_as(partner)
    page = client.get(org_url(xuzhou, f"/talent/shared/{talent.id}"))
    assert page.status_code == 200
    link = f'href="/o/xuzhou/demands/matches/people/{talent.id}"'
    assert link in page.text
    assert "适合此人的需求" in page.text
    demands = client.get(f"/o/xuzhou/demands/matches/people/{talent.id}")
    assert demands.status_code == 200
    assert "高才甲" in demands.text
