"""An office's organizers keep its districts (under /o/<office>/districts); recruiters and
organizers read them; codes are unique per office."""

from __future__ import annotations

import re

from sqlalchemy import select

from roadshow.applications.models import Application, ApplicationStatus
from roadshow.districts.models import District
from roadshow.organisations.models import Organisation
from tests.events.factories import build_event
from tests.many_events_fixtures import DEFAULT_ORGANISATION_SLUG

NEW = {"code": "xuzhou-hitech", "name_zh": "徐州高新区", "name_en": "Xuzhou Hi-tech Zone",
       "kind": "zone", "industries_zh": "安全科技", "industries_en": "safety technology",
       "offer_zh": "最高 500 万元项目资助。", "offer_en": "Up to 5 million yuan of project funding."}


def office(db) -> str:
    """The address of the test office (every test user and district belongs to it)."""
    return f"/o/{DEFAULT_ORGANISATION_SLUG}/districts"


def test_organizer_adds_and_edits_a_district(login_as, db):
    organizer, _ = login_as("organizer")
    response = organizer.post(f"{office(db)}/new", data=NEW)
    assert response.status_code == 302
    district = db.session.scalar(select(District).where(District.code == "xuzhou-hitech"))
    assert district.name_zh == "徐州高新区"
    page = organizer.get(f"{office(db)}/{district.id}").get_data(as_text=True)
    assert "Up to 5 million yuan of project funding." in page
    organizer.post(f"{office(db)}/{district.id}/edit", data={**NEW, "name_en": "Xuzhou High-tech Zone"})
    db.session.refresh(district)
    assert district.name_en == "Xuzhou High-tech Zone"


def test_district_page_shows_the_readers_language(login_as, make_district, db):
    district = make_district(name_zh="鼓楼区", name_en="Gulou District")
    client, _ = login_as("recruiter", district=district, locale="zh_Hans_CN")
    build_event(db.session, districts=[district])  # the recruiter works in the office's event
    page = client.get(f"{office(db)}/{district.id}").get_data(as_text=True)
    assert "<h1 class=\"h3 mb-0\">鼓楼区</h1>" in page


def test_duplicate_code_is_refused_and_input_kept(login_as, make_district, db):
    make_district(code="gulou")
    organizer, _ = login_as("organizer")
    response = organizer.post(f"{office(db)}/new", data={**NEW, "code": "Gulou"})
    page = response.get_data(as_text=True)
    assert "Another district of this office already uses this code." in page
    assert 'value="徐州高新区"' in page


def test_district_with_recruiters_is_not_deleted(login_as, make_district, make_user, db):
    district = make_district()
    make_user("recruiter", district=district)
    build_event(db.session)  # the recruiter recruits for the district in the office's event
    organizer, _ = login_as("organizer")
    response = organizer.post(f"{office(db)}/{district.id}/delete", follow_redirects=True)
    assert b"Recruiters still work for this district." in response.data
    assert db.session.get(District, district.id) is not None


def test_unused_district_is_deleted(login_as, make_district, db):
    district = make_district()
    district_id = district.id
    organizer, _ = login_as("organizer")
    organizer.post(f"{office(db)}/{district_id}/delete")
    db.session.expire_all()
    assert db.session.get(District, district_id) is None


def test_judges_and_applicants_cannot_read_districts(login_as, make_district, db):
    district = make_district()
    build_event(db.session)  # the judge judges in it
    for role in ("judge", "applicant"):
        client, _ = login_as(role)
        assert client.get(f"{office(db)}/{district.id}").status_code == 403


def related_links(page: str) -> set[str]:
    """The addresses in the district page's "Related pages" list (none when it has none)."""
    if 'id="district-related"' not in page:
        return set()
    start = page.index('id="district-related"')
    section = page[start:page.index("</ul>", start)]
    return {href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', section)}


def test_district_page_links_a_recruiter_to_their_districts_work(login_as, make_district, db):
    district, other = make_district("gulou"), make_district("pei", "沛县", "Pei County")
    client, _ = login_as("recruiter", district=district)
    event = build_event(db.session, districts=[district, other])
    page = client.get(f"{office(db)}/{district.id}").get_data(as_text=True)
    assert "Related pages" in page
    e = f"/e/{event.slug}"
    assert related_links(page) == {f"{e}/review/docking/browse", f"{e}/live/docking", f"{e}/signing/"}
    for link in related_links(page):
        assert client.get(link).status_code == 200, link
    # the organizer's pages (district interest, the list of applications) are not offered
    assert f"{e}/review/docking" not in related_links(page)
    # another district's page: those pages would show the recruiter's own district, not this one
    assert related_links(client.get(f"{office(db)}/{other.id}").get_data(as_text=True)) == set()


def test_district_page_links_the_organizer_to_the_districts_pages(login_as, make_district, db):
    district = make_district("gulou")
    event = build_event(db.session, districts=[district])
    client, _ = login_as("organizer")
    page = client.get(f"{office(db)}/{district.id}").get_data(as_text=True)
    e = f"/e/{event.slug}"
    assert related_links(page) == {
        f"{e}/organizer/applications?district={district.id}", f"{e}/review/docking",
        f"{e}/live/docking", f"{e}/signing/?district_id={district.id}",
    }
    for link in related_links(page):
        assert client.get(link).status_code == 200, link
    # the recruiters' browsing page is theirs alone
    assert f"{e}/review/docking/browse" not in related_links(page)


def test_district_related_pages_are_named_in_chinese(login_as, make_district, db):
    district = make_district("gulou")
    client, _ = login_as("recruiter", district=district, locale="zh_Hans_CN")
    build_event(db.session, districts=[district])
    page = client.get(f"{office(db)}/{district.id}").get_data(as_text=True)
    assert "相关页面" in page
    assert "板块对接" in page
    assert "Related pages" not in page


def test_district_an_event_or_application_refers_to_is_not_deleted(login_as, make_district, make_user, db):
    on_event, on_application = make_district("on-event"), make_district("on-application")
    event = build_event(db.session, districts=[on_event])
    applicant = make_user("applicant")
    application = Application(event_id=event.id, applicant_id=applicant.id, title_en="Sensors",
                              title_zh="传感器", summary="x", status=ApplicationStatus.SUBMITTED,
                              country="NL", track=event.tracks[0])
    application.districts = [on_application]
    db.session.add(application)
    db.session.commit()
    organizer, _ = login_as("organizer")
    for district in (on_event, on_application):
        response = organizer.post(f"{office(db)}/{district.id}/delete", follow_redirects=True)
        assert b"Events or applications refer to this district, so it stays." in response.data
    db.session.expire_all()
    assert db.session.get(District, on_event.id) is not None
    assert db.session.get(District, on_application.id) is not None


def test_two_offices_may_use_the_same_code_but_one_office_only_once(login_as, make_organisation,
                                                                    make_user, db):
    """Codes are unique per office (uq_districts_organisation_id_code), not across offices."""
    organizer_xiao = make_user("applicant", email="organizer-xiao@example.org")
    xiao = make_organisation("xiao-county", name_en="Xiao County Talent Office", name_zh="萧县人才办",
                             organizers=(organizer_xiao,))
    organizer, _ = login_as("organizer")  # an organizer of the test office
    assert organizer.post(f"{office(db)}/new", data={**NEW, "code": "gulou"}).status_code == 302
    client, _ = login_as(organizer_xiao)
    assert client.post(f"/o/{xiao.slug}/districts/new", data={**NEW, "code": "gulou"}).status_code == 302
    refused = client.post(f"/o/{xiao.slug}/districts/new", data={**NEW, "code": "GULOU"})
    assert "Another district of this office already uses this code." in refused.get_data(as_text=True)
    codes = db.session.execute(select(District.organisation_id, District.code)
                               .where(District.code == "gulou")).all()
    assert sorted(org for org, _code in codes) == sorted([xiao.id, db.session.scalar(
        select(Organisation.id).where(Organisation.slug == DEFAULT_ORGANISATION_SLUG))])


def test_an_office_sees_nothing_of_another_offices_districts(login_as, make_organisation, make_district,
                                                             make_user, db):
    ours = make_district("gulou", "鼓楼区", "Gulou District")
    organizer_xiao = make_user("applicant", email="organizer-xiao@example.org")
    xiao = make_organisation("xiao-county", name_en="Xiao County Talent Office", name_zh="萧县人才办",
                             organizers=(organizer_xiao,))
    client, _ = login_as(organizer_xiao)
    # under its own office's address, another office's district is not there
    assert client.get(f"/o/{xiao.slug}/districts/{ours.id}").status_code == 404
    assert client.post(f"/o/{xiao.slug}/districts/{ours.id}/delete").status_code == 404
    # under the other office's address, its organizer holds no role
    assert client.get(f"{office(db)}/").status_code == 403
    assert client.get(f"{office(db)}/{ours.id}").status_code == 403
    assert "Gulou District" not in client.get(f"/o/{xiao.slug}/districts/").get_data(as_text=True)
    assert db.session.get(District, ours.id) is not None
