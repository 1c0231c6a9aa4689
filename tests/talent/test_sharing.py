"""Alliance sharing of talent pools (issue 14, "Alliances"): an office shares all of its pool or
one category with an alliance; the other current members' organizers see those people, with
the office that keeps them, read-only and without phone or e-mail; contacts only when shared;
revoking, leaving the alliance, withdrawal end it; an office outside the alliance sees nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.organisations.services import set_alliance_members
from roadshow.talent.models import AccessLogEntry, Category, Contact, ContactKind, Share
from roadshow.talent.services import shares
from tests.many_events_fixtures import build_alliance, build_organisation, org_url
from tests.talent.records import add_person

pytestmark = pytest.mark.no_default_organisation

PHONE = "+86 557 5555 0101"


@pytest.fixture
def world(app, make_user):
    keeper = make_user(Role.ORGANIZER, email="keeper@example.org")
    partner = make_user(Role.ORGANIZER, email="partner@example.org")
    outsider = make_user(Role.ORGANIZER, email="outsider@example.org")
    xiao = build_organisation(db.session, "xiao", organizers=(keeper,))
    xuzhou = build_organisation(db.session, "xuzhou", organizers=(partner,))
    other = build_organisation(db.session, "other", organizers=(outsider,))
    alliance = build_alliance(db.session, xiao, xuzhou, slug="huaihai")
    talent = add_person(xiao, name_zh="高才甲", category="high_level", phone=PHONE,
                        email="gao@example.org")
    trader = add_person(xiao, name_zh="商人乙", category="business")
    gone = add_person(xiao, name_zh="退出丙", category="high_level")
    gone.withdrawn_at = datetime(2026, 11, 1, tzinfo=UTC)
    for summary, shared in (("SHARED-NOTE about returning", True), ("PRIVATE-NOTE", False)):
        db.session.add(Contact(person_id=talent.id, officer_id=keeper.id, kind=ContactKind.CALL,
                               happened_at=datetime(2026, 10, 1, 9, tzinfo=UTC),
                               summary=summary, shared=shared))
    db.session.commit()
    return {"keeper": keeper, "partner": partner, "outsider": outsider, "xiao": xiao,
            "xuzhou": xuzhou, "other": other, "alliance": alliance, "talent": talent,
            "trader": trader, "gone": gone}


def _shared_list(client, office) -> str:
    page = client.get(org_url(office, "/talent/people"), query_string={"scope": "shared"})
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_a_category_shared_by_the_page_shows_only_that_category_to_partners(world, login_as):
    xiao, xuzhou, alliance = world["xiao"], world["xuzhou"], world["alliance"]
    keeper, _ = login_as(world["keeper"])
    # the organizer reaches the sharing page from the pool's tabs and shares high-level talents
    assert org_url(xiao, "/talent/sharing") in keeper.get(org_url(xiao, "/talent/people")).text
    assert org_url(xiao, "/talent/sharing") in keeper.get("/a/huaihai/").text
    sharing = keeper.get(org_url(xiao, "/talent/sharing")).text
    assert f"value=\"{alliance.id}\"" in sharing
    done = keeper.post(org_url(xiao, "/talent/sharing"),
                       data={"alliance": str(alliance.id), "category": "high_level"})
    assert done.status_code == 302
    assert done.headers["Location"].endswith(org_url(xiao, "/talent/sharing"))
    row = db.session.scalars(select(Share)).one()
    assert (row.category, row.contacts_shared, row.revoked_at) == (Category.HIGH_LEVEL, False,
                                                                   None)
    again = keeper.post(org_url(xiao, "/talent/sharing"),
                        data={"alliance": str(alliance.id), "category": "high_level"})
    assert again.status_code == 200
    assert "shared with this alliance already" in again.text

    partner, _ = login_as(world["partner"])
    listed = _shared_list(partner, xuzhou)
    assert f"/o/xuzhou/talent/shared/{world['talent'].id}\"" in listed
    assert 'data-kept-by="xiao"' in listed
    assert "商人乙" not in listed  # another category
    assert "退出丙" not in listed  # withdrawn: never visible
    assert "高才甲" not in partner.get(org_url(xuzhou, "/talent/people")).text  # own pool
    assert "高才甲" not in partner.get(org_url(xuzhou, "/talent/people"),
                                      query_string={"scope": "shared", "q": "商人"}).text
    assert partner.get(org_url(xuzhou, f"/talent/shared/{world['trader'].id}")
                       ).status_code == 404
    assert partner.get(org_url(xuzhou, f"/talent/shared/{world['gone'].id}")).status_code == 404

    # an office outside the alliance sees nothing, even when it asks for the shared scope
    outsider, _ = login_as(world["outsider"])
    assert "高才甲" not in _shared_list(outsider, world["other"])
    assert outsider.get(org_url(world["other"], f"/talent/shared/{world['talent'].id}")
                        ).status_code == 404


def test_a_partner_reads_a_shared_record_only_and_the_reading_is_logged(world, login_as):
    xuzhou, talent = world["xuzhou"], world["talent"]
    shares.share(db.session, world["keeper"], world["xiao"], world["alliance"], None, False)
    db.session.commit()
    partner, user = login_as(world["partner"])
    page = partner.get(org_url(xuzhou, f"/talent/shared/{talent.id}"))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "高才甲" in text
    assert PHONE not in text
    assert "gao@example.org" not in text
    assert "SHARED-NOTE" not in text  # contacts are not shared
    assert "/edit" not in text
    entry = db.session.scalars(select(AccessLogEntry).where(
        AccessLogEntry.action == "view")).one()
    assert (entry.user_id, entry.organisation_id, entry.person_id) == (
        user.id, world["xiao"].id, talent.id)
    # the record's own pages stay the keeper's: no reading there, no editing, no contact log
    assert partner.get(org_url(xuzhou, f"/talent/people/{talent.id}")).status_code == 404
    assert partner.get(org_url(xuzhou, f"/talent/people/{talent.id}/edit")).status_code == 404
    assert partner.post(org_url(xuzhou, f"/talent/people/{talent.id}/contacts"), data={
        "kind": "call", "day": "2026-11-02", "at": "10:00", "summary": "x"}).status_code == 404
    assert partner.get(org_url(world["xiao"], f"/talent/people/{talent.id}")
                       ).status_code == 403
    assert db.session.scalars(select(Contact).where(Contact.summary == "x")).first() is None


def test_the_contact_log_shows_only_entries_marked_shared_when_the_share_allows(world,
                                                                               login_as):
    keeper, _ = login_as(world["keeper"])
    person_url = org_url(world["xiao"], f"/talent/people/{world['talent'].id}")
    for summary, shared in (("LOGGED-FOR-PARTNERS", {"shared": "y"}), ("LOGGED-IN-HOUSE", {})):
        assert keeper.post(person_url + "/contacts", data={
            "kind": "visit", "day": "2026-11-02", "at": "10:00", "summary": summary, **shared,
        }).status_code == 302
    shares.share(db.session, world["keeper"], world["xiao"], world["alliance"], "high_level",
                 True)
    db.session.commit()
    partner, _ = login_as(world["partner"])
    text = partner.get(org_url(world["xuzhou"], f"/talent/shared/{world['talent'].id}")).text
    assert "SHARED-NOTE about returning" in text
    assert "LOGGED-FOR-PARTNERS" in text
    assert "PRIVATE-NOTE" not in text
    assert "LOGGED-IN-HOUSE" not in text


def test_revoking_or_leaving_the_alliance_hides_the_people(world, login_as):
    xiao, xuzhou, alliance, talent = (world["xiao"], world["xuzhou"], world["alliance"],
                                      world["talent"])
    row = shares.share(db.session, world["keeper"], xiao, alliance, None, False)
    db.session.commit()
    partner, _ = login_as(world["partner"])
    assert "高才甲" in _shared_list(partner, xuzhou)

    keeper, _ = login_as(world["keeper"])
    assert keeper.post(org_url(xiao, f"/talent/sharing/{row.id}/revoke")).status_code == 302
    db.session.refresh(row)
    assert row.revoked_at is not None  # the row stays
    assert "高才甲" not in _shared_list(partner, xuzhou)
    assert partner.get(org_url(xuzhou, f"/talent/shared/{talent.id}")).status_code == 404
    # another office's share cannot be revoked from here
    assert partner.post(org_url(xuzhou, f"/talent/sharing/{row.id}/revoke")).status_code == 404

    shares.share(db.session, world["keeper"], xiao, alliance, None, False)
    db.session.commit()
    assert "高才甲" in _shared_list(partner, xuzhou)
    set_alliance_members(db.session, world["keeper"], alliance,
                         [xuzhou.id, world["other"].id])  # Xiao County leaves
    db.session.commit()
    assert "高才甲" not in _shared_list(partner, xuzhou)
    # joining again does not bring back a share made during the earlier membership
    set_alliance_members(db.session, world["keeper"], alliance,
                         [xiao.id, xuzhou.id, world["other"].id])
    db.session.commit()
    assert shares.shared_pools(db.session, xuzhou.id) == []
    with pytest.raises(shares.ShareError):
        shares.share(db.session, world["keeper"], world["other"], build_alliance(
            db.session, xiao, xuzhou), None, False)  # not a member of that alliance
