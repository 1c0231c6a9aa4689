"""The administrator's, an office's and an alliance's pages: reached by links, bilingual,
errors next to the field in the reader's language, and closed to everyone else."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from roadshow.organisations.models import (
    Alliance,
    AllianceShare,
    Organisation,
    OrganisationMember,
    ShareKind,
)

pytestmark = pytest.mark.no_default_organisation

ZH = "zh_Hans_CN"


@pytest.fixture
def admin(login_as):
    return login_as("applicant", is_platform_admin=True, name="Platform Admin")


def _office_form(**changes: str) -> dict[str, str]:
    form = {"slug": "xiao-county", "kind": "county_office", "name_zh": "萧县人才办",
            "name_en": "Xiao County Talent Office", "timezone": "Asia/Shanghai",
            "organizer_email": ""}
    form.update(changes)
    return form


def test_admin_reaches_offices_and_alliances_from_the_menu(admin):
    client, _user = admin
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/admin/organisations"' in page
    assert 'href="/admin/alliances"' in page
    assert "Create an office" in client.get("/admin/organisations").get_data(as_text=True)


def test_admin_menu_stays_on_an_event_page(admin, make_organisation, make_event):
    client, _user = admin
    event = make_event(make_organisation())
    page = client.get(f"/e/{event.slug}").get_data(as_text=True)
    assert 'href="/admin/organisations"' in page


def test_admin_creates_an_office_with_its_first_organizer(admin, db, make_user):
    client, _user = admin
    organizer = make_user("organizer", email="xiao@example.org")
    response = client.post("/admin/organisations",
                           data=_office_form(organizer_email="XIAO@example.org"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/organisations"
    office = db.session.scalars(select(Organisation)).one()
    assert (office.slug, office.name_en, office.kind.value) == (
        "xiao-county", "Xiao County Talent Office", "county_office")
    assert db.session.scalars(select(OrganisationMember.user_id)).all() == [organizer.id]
    page = client.get("/admin/organisations").get_data(as_text=True)
    assert "Xiao County Talent Office" in page
    assert "/o/xiao-county/" in page


def test_admin_create_errors_are_shown_in_chinese_with_the_input_kept(login_as, db,
                                                                     make_organisation):
    make_organisation(slug="xiao-county")
    client, _user = login_as("applicant", is_platform_admin=True, locale=ZH)
    page = client.post("/admin/organisations", data=_office_form()).get_data(as_text=True)
    assert "另一个人才办已使用此简短地址。" in page
    assert 'value="萧县人才办"' in page
    page = client.post("/admin/organisations",
                       data=_office_form(slug="new-one", organizer_email="nobody@example.org")
                       ).get_data(as_text=True)
    assert "没有账号使用此地址" in page
    page = client.post("/admin/organisations",
                       data=_office_form(slug="Bad Slug!")).get_data(as_text=True)
    assert "简短地址只能包含" in page
    assert db.session.scalar(select(Organisation.slug).where(
        Organisation.slug != "xiao-county")) is None


def test_admin_joins_an_office_to_look_into_it(admin, db, make_organisation):
    client, user = admin
    office = make_organisation(slug="xuzhou")
    response = client.post(f"/admin/organisations/{office.id}/join")
    assert response.status_code == 302
    assert db.session.scalar(select(OrganisationMember.user_id).where(
        OrganisationMember.organisation_id == office.id)) == user.id
    # the office's pages are theirs now, and the menu links them
    assert client.get("/o/xuzhou/members").status_code == 200
    assert 'href="/o/xuzhou/settings"' in client.get("/dashboard").get_data(as_text=True)


def test_admin_creates_an_alliance_of_two_offices(admin, db, make_organisation):
    client, _user = admin
    a, b = make_organisation(name_en="Xuzhou Office"), make_organisation(name_en="Xiao Office")
    refused = client.post("/admin/alliances", data={
        "slug": "huaihai", "name_zh": "淮海人才联盟", "name_en": "Huaihai Talent Alliance",
        "organisations": [str(a.id)]})
    assert "Choose at least two offices." in refused.get_data(as_text=True)
    response = client.post("/admin/alliances", data={
        "slug": "huaihai", "name_zh": "淮海人才联盟", "name_en": "Huaihai Talent Alliance",
        "organisations": [str(a.id), str(b.id)]})
    assert response.status_code == 302
    alliance = db.session.scalars(select(Alliance)).one()
    assert {m.organisation_id for m in alliance.members} == {a.id, b.id}
    page = client.get("/admin/alliances").get_data(as_text=True)
    assert "Huaihai Talent Alliance" in page
    assert "Xiao Office" in page


@pytest.mark.parametrize("path", ["/admin/organisations", "/admin/alliances"])
def test_platform_pages_are_the_administrators_only(login_as, make_organisation, path):
    organizer = login_as("organizer")[1]
    make_organisation(organizers=(organizer,))
    for role in ("organizer", "judge", "applicant"):
        client, _user = login_as(role)
        assert client.get(path).status_code == 403
    assert login_as(organizer)[0].post("/admin/organisations",
                                       data=_office_form()).status_code == 403


def test_organizer_keeps_the_office_settings(login_as, db, make_organisation):
    client, organizer = login_as("organizer")
    office = make_organisation(slug="xuzhou", name_en="Xuzhou Office", organizers=(organizer,))
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/o/xuzhou/settings"' in page
    assert 'href="/o/xuzhou/members"' in page
    assert "Xuzhou Office" in client.get("/o/xuzhou/settings").get_data(as_text=True)
    response = client.post("/o/xuzhou/settings", data={
        "name_zh": "徐州市委人才办", "name_en": "Xuzhou Municipal Talent Office",
        "kind": "city_office", "timezone": "Europe/Berlin"})
    assert response.headers["Location"] == "/o/xuzhou/settings"
    db.session.refresh(office)
    assert (office.name_zh, office.timezone) == ("徐州市委人才办", "Europe/Berlin")
    page = client.post("/o/xuzhou/settings", data={
        "name_zh": "徐州", "name_en": "Xuzhou", "kind": "city_office",
        "timezone": "Nowhere/Else"}).get_data(as_text=True)
    assert "Not a valid choice" in page or "Choose a time zone from the list." in page
    db.session.refresh(office)
    assert office.name_en == "Xuzhou Municipal Talent Office"


def test_another_offices_organizer_is_refused(login_as, make_organisation):
    client, _b_organizer = login_as("organizer")
    make_organisation(slug="office-b", organizers=(_b_organizer,))
    a_organizer = login_as("organizer")[1]
    make_organisation(slug="office-a", organizers=(a_organizer,))
    for path in ("/o/office-a/settings", "/o/office-a/members"):
        assert client.get(path).status_code == 403
    assert client.post("/o/office-a/members", data={"email": "x@example.org"}).status_code == 403
    assert client.get("/o/no-such-office/settings").status_code == 404


def test_organizers_are_added_and_removed_but_one_stays(login_as, db, make_organisation,
                                                        make_user):
    client, organizer = login_as("organizer", name="Liu Organizer")
    make_organisation(slug="xuzhou", organizers=(organizer,))
    colleague = make_user("organizer", email="colleague@example.org", name="Colleague Wang")
    page = client.post("/o/xuzhou/members", data={"email": "nobody@example.org"}
                       ).get_data(as_text=True)
    assert "No account uses this address." in page
    response = client.post("/o/xuzhou/members", data={"email": "colleague@example.org"})
    assert response.headers["Location"] == "/o/xuzhou/members"
    page = client.get("/o/xuzhou/members").get_data(as_text=True)
    assert "Colleague Wang" in page
    assert "colleague@example.org" in page
    member = db.session.scalar(select(OrganisationMember).where(
        OrganisationMember.user_id == colleague.id))
    client.post(f"/o/xuzhou/members/{member.id}/remove")
    mine = db.session.scalar(select(OrganisationMember))
    assert mine.user_id == organizer.id
    client.post(f"/o/xuzhou/members/{mine.id}/remove")
    assert db.session.scalar(select(OrganisationMember.user_id)) == organizer.id
    assert "An office keeps at least one organizer." in client.get(
        "/o/xuzhou/members").get_data(as_text=True)


def test_member_of_another_office_cannot_be_removed_through_this_one(login_as, db,
                                                                    make_organisation, make_user):
    client, organizer = login_as("organizer")
    make_organisation(slug="office-a", organizers=(organizer,))
    other = make_organisation(slug="office-b", organizers=(make_user("organizer"),
                                                           make_user("organizer")))
    member = db.session.scalars(select(OrganisationMember).where(
        OrganisationMember.organisation_id == other.id)).first()
    assert client.post(f"/o/office-a/members/{member.id}/remove").status_code == 404


def test_members_page_in_chinese(login_as, make_organisation):
    client, organizer = login_as("organizer", locale=ZH)
    make_organisation(slug="xuzhou", organizers=(organizer,))
    page = client.get("/o/xuzhou/members").get_data(as_text=True)
    assert "添加主办方人员" in page
    assert "Add an organizer" not in page


@pytest.fixture
def huaihai(login_as, make_organisation, make_alliance, make_event, make_user):
    """Xuzhou and Xiao County in the Huaihai alliance; an outsider office; their organizers."""
    xuzhou_client, xuzhou_organizer = login_as("organizer")
    xiao_client, xiao_organizer = login_as("organizer")
    outsider_client, outsider_organizer = login_as("organizer")
    xuzhou = make_organisation(slug="xuzhou", name_en="Xuzhou Office",
                               organizers=(xuzhou_organizer,))
    xiao = make_organisation(slug="xiao-county", name_en="Xiao Office",
                             organizers=(xiao_organizer,))
    make_organisation(slug="far-away", organizers=(outsider_organizer,))
    alliance = make_alliance(xuzhou, xiao, slug="huaihai", name_en="Huaihai Talent Alliance")
    last_year = make_event(xuzhou, phase="finished", title_en="Cloud Roadshow 2025")
    return {"xuzhou": xuzhou_client, "xiao": xiao_client, "outsider": outsider_client,
            "alliance": alliance, "last_year": last_year, "xuzhou_office": xuzhou,
            "xiao_organizer": xiao_organizer}


def test_member_organizers_share_and_revoke_on_the_alliance_page(huaihai, db):
    xuzhou, xiao = huaihai["xuzhou"], huaihai["xiao"]
    assert 'href="/a/huaihai/"' in xuzhou.get("/dashboard").get_data(as_text=True)
    page = xuzhou.get("/a/huaihai/").get_data(as_text=True)
    assert "Xiao Office" in page
    assert "Nothing is shared yet." in page
    assert "Cloud Roadshow 2025" in page  # offered in the share form
    response = xuzhou.post("/a/huaihai/shares", data={
        "kind": "event_report", "event": str(huaihai["last_year"].id)})
    assert response.headers["Location"] == "/a/huaihai/"
    row = db.session.scalars(select(AllianceShare)).one()
    assert (row.kind, row.event_id, row.organisation_id) == (
        ShareKind.EVENT_REPORT, huaihai["last_year"].id, huaihai["xuzhou_office"].id)
    # the other member sees the share, but may neither offer nor revoke Xuzhou's event
    page = xiao.get("/a/huaihai/").get_data(as_text=True)
    assert "Cloud Roadshow 2025" in page
    assert f"/a/huaihai/shares/{row.id}/revoke" not in page
    assert xiao.post(f"/a/huaihai/shares/{row.id}/revoke").status_code == 403
    refused = xiao.post("/a/huaihai/shares", data={
        "kind": "event_report", "event": str(huaihai["last_year"].id)})
    assert "Not a valid choice" in refused.get_data(as_text=True)
    assert xuzhou.post(f"/a/huaihai/shares/{row.id}/revoke").status_code == 302
    db.session.refresh(row)
    assert row.revoked_at is not None
    page = xuzhou.get("/a/huaihai/").get_data(as_text=True)
    assert "Revoked" in page


def test_judge_pool_share_and_duplicate_error(huaihai, db):
    xiao = huaihai["xiao"]
    assert xiao.post("/a/huaihai/shares", data={"kind": "judge_pool", "event": ""}
                     ).status_code == 302
    page = xiao.post("/a/huaihai/shares", data={"kind": "judge_pool", "event": ""}
                     ).get_data(as_text=True)
    assert "This is shared with the alliance already." in page
    page = xiao.post("/a/huaihai/shares", data={"kind": "event_report", "event": ""}
                     ).get_data(as_text=True)
    assert "Choose the event to share." in page
    assert db.session.scalar(select(AllianceShare.kind)) == ShareKind.JUDGE_POOL


def test_alliance_page_is_closed_to_offices_outside_it(huaihai):
    outsider = huaihai["outsider"]
    assert outsider.get("/a/huaihai/").status_code == 403
    assert outsider.post("/a/huaihai/shares", data={"kind": "judge_pool"}).status_code == 403
    assert outsider.get("/a/nothing-here/").status_code == 404


def test_admin_changes_an_alliances_members(admin, db, make_organisation, make_alliance):
    client, _user = admin
    a, b, c = (make_organisation(name_en=name) for name in ("A Office", "B Office", "C Office"))
    alliance = make_alliance(a, b, slug="huaihai")
    page = client.get("/admin/alliances").get_data(as_text=True)
    assert "Change the members" in page
    refused = client.post("/admin/alliances", data={
        "alliance_id": str(alliance.id), f"a{alliance.id}-members": [str(c.id)]})
    assert "Choose at least two offices." in refused.get_data(as_text=True)
    response = client.post("/admin/alliances", data={
        "alliance_id": str(alliance.id), f"a{alliance.id}-members": [str(a.id), str(c.id)]})
    assert response.status_code == 302
    db.session.expire_all()
    rows = {m.organisation_id: m for m in db.session.get(Alliance, alliance.id).members}
    assert rows[b.id].left_at is not None
    assert rows[a.id].left_at is None
    assert rows[c.id].left_at is None
    # B, having left, joins again: its row is reused
    client.post("/admin/alliances", data={
        "alliance_id": str(alliance.id),
        f"a{alliance.id}-members": [str(a.id), str(b.id), str(c.id)]})
    db.session.expire_all()
    assert all(m.left_at is None for m in db.session.get(Alliance, alliance.id).members)
    assert client.post("/admin/alliances", data={"alliance_id": "999999"}).status_code == 404


def test_an_office_that_left_no_longer_sees_the_alliance(huaihai, db):
    alliance = db.session.get(Alliance, huaihai["alliance"].id)
    for member in alliance.members:
        if member.organisation.slug == "xiao-county":
            member.left_at = member.joined_at
    db.session.commit()
    assert huaihai["xiao"].get("/a/huaihai/").status_code == 403
    assert "Xiao Office" not in huaihai["xuzhou"].get("/a/huaihai/").get_data(as_text=True)
