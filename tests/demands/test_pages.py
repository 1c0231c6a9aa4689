"""The demand catalogue's pages: a district's recruiter enters and submits its own demands only,
bad input comes back in the reader's language with what was typed, the office reviews and
publishes, the public catalogue shows the published demands only (in both languages) with its
downloads, partner resources, and an event's call showing an attached demand."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.demands import catalogue
from roadshow.demands.models import Demand, DemandRound, DemandStatus, Resource, RoundStatus
from roadshow.extensions import db
from roadshow.spreadsheets import XLSX
from tests.demands.test_catalogue import ORGANIZER, _form
from tests.many_events_fixtures import build_event

OFFICE = "/o/test-office"


@pytest.fixture
def office(app, make_district, make_user):
    gulou = make_district("gulou", "鼓楼区", "Gulou District")
    taijiang = make_district("taijiang", "台江区", "Taijiang District")
    # a recruiter is the office's through their district's role in one of its events
    build_event(db.session, gulou.organisation, slug="spring-2027", districts=[gulou, taijiang])
    recruiter = make_user(Role.RECRUITER, district=gulou)
    organizer = make_user(Role.ORGANIZER)
    round_ = catalogue.open_round(db.session, gulou.organisation_id, ORGANIZER,
                                  title_zh="2027年上半年人才需求征集",
                                  title_en="Talent demands, first half of 2027",
                                  opens_on=date(2027, 1, 1), closes_on=date(2027, 6, 30))
    db.session.commit()
    return gulou, taijiang, recruiter, organizer, round_


def _demand(round_: DemandRound, district_id: int, **fields: str) -> Demand:
    return catalogue.enter_demand(db.session, round_, None, ORGANIZER,
                                  catalogue.parse_form(_form(district_id, **fields)))


def _published(round_: DemandRound, district_id: int, **fields: str) -> Demand:
    demand = _demand(round_, district_id, **fields)
    catalogue.submit(db.session, demand, ORGANIZER)
    catalogue.review(db.session, demand, ORGANIZER, accept=True)
    return demand


def test_a_recruiter_enters_and_submits_for_their_district_only(office, login_as):
    gulou, taijiang, recruiter, _organizer, round_ = office
    client, _ = login_as(recruiter)
    rounds = client.get(f"{OFFICE}/demands/")
    assert rounds.status_code == 200
    assert "Talent demands, first half of 2027" in rounds.text
    assert "Open the round" not in rounds.text  # organizers only
    assert 'id="demands-menu"' in rounds.text  # the office's nav
    assert f"{OFFICE}/demands/resources" not in rounds.text
    assert f'href="{OFFICE}/demands/rounds/{round_.id}"' in rounds.text
    assert f'href="{OFFICE}/demands/rounds/{round_.id}/new"' in client.get(
        f"{OFFICE}/demands/rounds/{round_.id}").text
    form = client.get(f"{OFFICE}/demands/rounds/{round_.id}/new")
    assert "Gulou District" in form.text
    assert "Taijiang District" not in form.text
    saved = client.post(f"{OFFICE}/demands/rounds/{round_.id}/new",
                        data=_form(gulou.id, en_machine_translated="on"))
    assert saved.status_code == 302
    demand = db.session.scalars(select(Demand)).one()
    assert demand.district_id == gulou.id
    assert demand.en_machine_translated
    assert demand.created_by_id == recruiter.id
    assert client.post(f"{OFFICE}/demands/{demand.id}/submit").status_code == 302
    db.session.refresh(demand)
    assert demand.status is DemandStatus.SUBMITTED

    refused = client.post(f"{OFFICE}/demands/rounds/{round_.id}/new", data=_form(taijiang.id))
    assert refused.status_code == 403
    theirs = _demand(round_, taijiang.id, title_zh="台江的需求")
    db.session.commit()
    assert client.get(f"{OFFICE}/demands/{theirs.id}").status_code == 403
    assert client.post(f"{OFFICE}/demands/{theirs.id}/withdraw").status_code == 403
    listing = client.get(f"{OFFICE}/demands/rounds/{round_.id}")
    assert "台江的需求" not in listing.text
    assert client.post(f"{OFFICE}/demands/{demand.id}/review",
                       data={"decision": "accept"}).status_code == 403


def test_bad_input_shows_the_error_in_chinese_and_keeps_what_was_typed(office, login_as,
                                                                      make_user):
    gulou, _taijiang, _recruiter, _organizer, round_ = office
    chinese = make_user(Role.RECRUITER, district=gulou, locale="zh_Hans_CN")
    client, _ = login_as(chinese)
    page = client.post(f"{OFFICE}/demands/rounds/{round_.id}/new", data=_form(
        gulou.id, salary_min_cny="六十万", description_zh="负责数字前端设计与验证"))
    assert page.status_code == 400
    assert "请输入整数。" in page.text
    assert 'value="六十万"' in page.text
    assert "负责数字前端设计与验证" in page.text
    assert 'value="Chip design engineer"' in page.text
    assert db.session.scalars(select(Demand)).all() == []
    swapped = client.post(f"{OFFICE}/demands/rounds/{round_.id}/new",
                          data=_form(gulou.id, salary_min_cny="600000", salary_max_cny="300000"))
    assert swapped.status_code == 400
    assert 'id="salary_max_cny-error"' in swapped.text


def test_the_office_reviews_and_publishes_the_round(office, login_as):
    gulou, taijiang, _recruiter, organizer, round_ = office
    first = _demand(round_, gulou.id)
    second = _demand(round_, taijiang.id, title_zh="矿山安全监测难题", kind="problem",
                     title_en="Mine safety monitoring")
    for demand in (first, second):
        catalogue.submit(db.session, demand, ORGANIZER)
    db.session.commit()
    client, _ = login_as(organizer)
    assert f'href="{OFFICE}/demands/resources"' in client.get(f"{OFFICE}/demands/").text
    listing = client.get(f"{OFFICE}/demands/rounds/{round_.id}?status=submitted&kind=problem")
    assert "Mine safety monitoring" in listing.text
    assert listing.text.count("data-demand=") == 1
    assert 'data-status="submitted"' in listing.text
    returned = client.post(f"{OFFICE}/demands/{second.id}/review", data={"decision": "return"})
    assert returned.status_code == 400
    assert "Please say what the district should change." in returned.text
    assert client.post(f"{OFFICE}/demands/{second.id}/review",
                       data={"decision": "return", "review_note": "请补充英文"}).status_code == 302
    assert client.post(f"{OFFICE}/demands/{first.id}/review",
                       data={"decision": "accept"}).status_code == 302
    assert client.post(f"{OFFICE}/demands/rounds/{round_.id}/publish").status_code == 302
    db.session.expire_all()
    assert db.session.get(DemandRound, round_.id).status is RoundStatus.PUBLISHED
    assert db.session.get(Demand, first.id).status is DemandStatus.PUBLISHED
    assert db.session.get(Demand, second.id).review_note == "请补充英文"


def test_the_round_page_pages_and_filters_many_demands(office, login_as):
    gulou, taijiang, _recruiter, organizer, round_ = office
    for n in range(60):
        _demand(round_, gulou.id if n % 2 else taijiang.id, title_zh=f"需求{n:02d}")
    db.session.commit()
    client, _ = login_as(organizer)
    first = client.get(f"{OFFICE}/demands/rounds/{round_.id}")
    assert "Page 1 of 2" in first.text
    assert first.text.count("data-demand=") == 50
    second = client.get(f"{OFFICE}/demands/rounds/{round_.id}?page=2")
    assert second.text.count("data-demand=") == 10
    only = client.get(f"{OFFICE}/demands/rounds/{round_.id}?district={gulou.id}")
    assert only.text.count("data-demand=") == 30
    assert "Page 1 of 1" in only.text


def test_the_public_catalogue_shows_only_published_demands_in_both_languages(office, client):
    gulou, _taijiang, _recruiter, _organizer, round_ = office
    _published(round_, gulou.id, title_zh="芯片设计工程师", title_en="Chip design engineer")
    _demand(round_, gulou.id, title_zh="草稿岗位", title_en="Draft post")
    db.session.commit()
    assert "has not published a catalogue yet" in client.get(f"{OFFICE}/catalogue").text
    assert client.get(f"{OFFICE}/catalogue/{round_.id}.pdf").status_code == 404
    catalogue.publish(db.session, round_, ORGANIZER)
    db.session.commit()
    page = client.get(f"{OFFICE}/catalogue")
    assert page.status_code == 200
    assert f'href="/o/test-office/catalogue/{round_.id}.pdf?lang=zh"' in page.text
    assert "芯片设计工程师" in page.text
    assert "Chip design engineer" in page.text
    assert "草稿岗位" not in page.text
    assert "Draft post" not in page.text
    pdf = client.get(f"{OFFICE}/catalogue/{round_.id}.pdf?lang=zh")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    xlsx = client.get(f"{OFFICE}/catalogue/{round_.id}.xlsx?lang=en")
    assert xlsx.mimetype == XLSX
    assert xlsx.data.startswith(b"PK")
    assert client.get(f"{OFFICE}/catalogue/{round_.id}.csv").status_code == 404


def test_office_exports_download_in_the_readers_language(office, login_as):
    gulou, _taijiang, recruiter, _organizer, round_ = office
    _demand(round_, gulou.id)
    db.session.commit()
    client, _ = login_as(recruiter)
    xlsx = client.get(f"{OFFICE}/demands/rounds/{round_.id}/demands.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.mimetype == XLSX
    assert "-en.xlsx" in xlsx.headers["Content-Disposition"]
    pdf = client.get(f"{OFFICE}/demands/rounds/{round_.id}/demands.pdf")
    assert pdf.mimetype == "application/pdf"


def test_an_organizer_keeps_partner_resources(office, login_as):
    organizer = office[3]
    client, _ = login_as(organizer)
    bad = client.post(f"{OFFICE}/demands/resources/new", data={
        "partner_zh": "中国矿业大学", "kind": "lab", "title_zh": "深部岩土力学实验室",
        "contact_email": "lab at cumt"})
    assert bad.status_code == 400
    assert "Please enter a valid email address." in bad.text
    assert 'value="中国矿业大学"' in bad.text
    assert client.post(f"{OFFICE}/demands/resources/new", data={
        "partner_zh": "中国矿业大学", "kind": "lab", "title_zh": "深部岩土力学实验室",
        "contact_name": "王老师", "contact_email": "lab@cumt.edu.cn"}).status_code == 302
    resource = db.session.scalars(select(Resource)).one()
    listing = client.get(f"{OFFICE}/demands/resources")
    assert "lab@cumt.edu.cn" in listing.text
    assert client.post(f"{OFFICE}/demands/resources/{resource.id}", data={
        "partner_zh": "中国矿业大学", "kind": "expert", "title_zh": "岩土专家"}).status_code == 302
    db.session.refresh(resource)
    assert resource.title_zh == "岩土专家"
    assert client.post(f"{OFFICE}/demands/resources/{resource.id}/delete").status_code == 302
    assert db.session.scalars(select(Resource)).all() == []


def test_a_recruiter_cannot_open_the_resources(office, login_as):
    client, _ = login_as(office[2])
    assert client.get(f"{OFFICE}/demands/resources").status_code == 403


def test_an_events_call_shows_an_attached_demand(office, login_as, client):
    gulou, _taijiang, _recruiter, organizer, round_ = office
    shown = _published(round_, gulou.id, title_zh="芯片设计工程师", title_en="Chip design engineer")
    catalogue.publish(db.session, round_, ORGANIZER)
    db.session.commit()
    event = build_event(db.session, gulou.organisation, slug="call-2027")
    office_client, _ = login_as(organizer)
    manage = office_client.get(f"/e/{event.slug}/manage")
    assert f"/e/{event.slug}/demands/call" in manage.text
    page = office_client.get(f"/e/{event.slug}/demands/call")
    assert page.status_code == 200
    assert f'value="{shown.id}"' in page.text
    assert office_client.post(f"/e/{event.slug}/demands/call", data={}).status_code == 400
    assert office_client.post(f"/e/{event.slug}/demands/call",
                              data={"demand_ids": str(shown.id)}).status_code == 302
    public = client.get(f"/e/{event.slug}")
    assert "Demands of the call" in public.text
    assert "芯片设计工程师" in public.text
    assert f"{OFFICE}/catalogue" in public.text
    assert office_client.post(
        f"/e/{event.slug}/demands/call/{shown.id}/detach").status_code == 302
    assert "Demands of the call" not in client.get(f"/e/{event.slug}").text
