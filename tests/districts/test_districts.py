"""Organizers keep the districts; recruiters and organizers read them."""

from __future__ import annotations

import re

from sqlalchemy import select

from roadshow.applications.models import Application, ApplicationStatus
from roadshow.districts.models import District
from tests.events.factories import build_event

NEW = {"code": "xuzhou-hitech", "name_zh": "徐州高新区", "name_en": "Xuzhou Hi-tech Zone",
       "kind": "zone", "industries_zh": "安全科技", "industries_en": "safety technology",
       "offer_zh": "最高 500 万元项目资助。", "offer_en": "Up to 5 million yuan of project funding."}


def test_organizer_adds_and_edits_a_district(login_as, db):
    organizer, _ = login_as("organizer")
    response = organizer.post("/districts/new", data=NEW)
    assert response.status_code == 302
    district = db.session.scalar(select(District).where(District.code == "xuzhou-hitech"))
    assert district.name_zh == "徐州高新区"
    page = organizer.get(f"/districts/{district.id}").get_data(as_text=True)
    assert "Up to 5 million yuan of project funding." in page
    organizer.post(f"/districts/{district.id}/edit", data={**NEW, "name_en": "Xuzhou High-tech Zone"})
    db.session.refresh(district)
    assert district.name_en == "Xuzhou High-tech Zone"


def test_district_page_shows_the_readers_language(login_as, make_district):
    district = make_district(name_zh="鼓楼区", name_en="Gulou District")
    client, _ = login_as("recruiter", district=district, locale="zh_Hans_CN")
    page = client.get(f"/districts/{district.id}").get_data(as_text=True)
    assert "<h1 class=\"h3 mb-0\">鼓楼区</h1>" in page
    assert "我的板块" in client.get("/dashboard").get_data(as_text=True)


def test_duplicate_code_is_refused_and_input_kept(login_as, make_district):
    make_district(code="gulou")
    organizer, _ = login_as("organizer")
    response = organizer.post("/districts/new", data={**NEW, "code": "Gulou"})
    page = response.get_data(as_text=True)
    assert "Another district already uses this code." in page
    assert 'value="徐州高新区"' in page


def test_district_with_recruiters_is_not_deleted(login_as, make_district, make_user, db):
    district = make_district()
    make_user("recruiter", district=district)
    organizer, _ = login_as("organizer")
    response = organizer.post(f"/districts/{district.id}/delete", follow_redirects=True)
    assert b"Recruiters still work for this district." in response.data
    assert db.session.get(District, district.id) is not None


def test_unused_district_is_deleted(login_as, make_district, db):
    district = make_district()
    district_id = district.id
    organizer, _ = login_as("organizer")
    organizer.post(f"/districts/{district_id}/delete")
    db.session.expire_all()
    assert db.session.get(District, district_id) is None


def test_judges_and_applicants_cannot_read_districts(login_as, make_district):
    district = make_district()
    for role in ("judge", "applicant"):
        client, _ = login_as(role)
        assert client.get(f"/districts/{district.id}").status_code == 403


def related_links(page: str) -> set[str]:
    """The addresses in the district page's "Related pages" list (none when it has none)."""
    if 'id="district-related"' not in page:
        return set()
    start = page.index('id="district-related"')
    section = page[start:page.index("</ul>", start)]
    return {href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', section)}


def test_district_page_links_a_recruiter_to_their_districts_work(login_as, make_district, db):
    district, other = make_district("gulou"), make_district("pei", "沛县", "Pei County")
    build_event(db.session, districts=[district, other])
    client, _ = login_as("recruiter", district=district)
    page = client.get(f"/districts/{district.id}").get_data(as_text=True)
    assert "Related pages" in page
    assert related_links(page) == {"/review/docking/browse", "/live/docking", "/signing/", "/live/"}
    for link in related_links(page):
        assert client.get(link).status_code == 200, link
    # the organizer's pages (district interest, the list of applications) are not offered
    assert "/review/docking" not in related_links(page)
    # another district's page: those pages would show the recruiter's own district, not this one
    assert related_links(client.get(f"/districts/{other.id}").get_data(as_text=True)) == set()


def test_district_page_links_the_organizer_to_the_districts_pages(login_as, make_district, db):
    district = make_district("gulou")
    build_event(db.session, districts=[district])
    client, _ = login_as("organizer")
    page = client.get(f"/districts/{district.id}").get_data(as_text=True)
    assert related_links(page) == {
        f"/organizer/applications?district={district.id}", "/review/docking", "/live/docking",
        f"/signing/?district_id={district.id}", "/live/",
    }
    for link in related_links(page):
        assert client.get(link).status_code == 200, link
    # the recruiters' browsing page is theirs alone
    assert "/review/docking/browse" not in related_links(page)


def test_district_related_pages_are_named_in_chinese(login_as, make_district):
    district = make_district("gulou")
    client, _ = login_as("recruiter", district=district, locale="zh_Hans_CN")
    page = client.get(f"/districts/{district.id}").get_data(as_text=True)
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
        response = organizer.post(f"/districts/{district.id}/delete", follow_redirects=True)
        assert b"Events or applications refer to this district, so it stays." in response.data
    db.session.expire_all()
    assert db.session.get(District, on_event.id) is not None
    assert db.session.get(District, on_application.id) is not None
