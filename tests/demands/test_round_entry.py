"""A round's entry closed for the review (issue 15): collecting → in review → published. The
office closes entry from the round's page; districts then add and submit nothing new but send
back what was returned to them; the office may reopen entry; a recruiter may do neither."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.demands import catalogue
from roadshow.demands.models import Demand, DemandRound, DemandStatus, RoundStatus
from roadshow.extensions import db
from tests.demands.test_catalogue import ORGANIZER, _form
from tests.many_events_fixtures import build_event

OFFICE = "/o/test-office"


@pytest.fixture
def office(app, make_district, make_user):
    gulou = make_district("gulou", "鼓楼区", "Gulou District")
    build_event(db.session, gulou.organisation, slug="spring-2027", districts=[gulou])
    recruiter = make_user(Role.RECRUITER, district=gulou, locale="zh_Hans_CN")
    organizer = make_user(Role.ORGANIZER)
    round_ = catalogue.open_round(db.session, gulou.organisation_id, ORGANIZER,
                                  title_zh="2027年上半年人才需求征集",
                                  title_en="Talent demands, first half of 2027",
                                  opens_on=date(2027, 1, 1), closes_on=date(2027, 6, 30))
    db.session.commit()
    return gulou, recruiter, organizer, round_


def _enter(round_, district_id, **fields) -> Demand:
    return catalogue.enter_demand(db.session, round_, None, ORGANIZER,
                                  catalogue.parse_form(_form(district_id, **fields)))


def test_the_office_closes_entry_reviews_and_publishes(office, login_as):
    gulou, recruiter, organizer, round_ = office
    draft = _enter(round_, gulou.id, title_zh="草稿需求")
    returned = _enter(round_, gulou.id, title_zh="退回的需求")
    catalogue.submit(db.session, returned, ORGANIZER)
    catalogue.review(db.session, returned, ORGANIZER, accept=False, note="请补充英文")
    db.session.commit()
    client, _ = login_as(organizer)
    page = client.get(f"{OFFICE}/demands/rounds/{round_.id}")
    assert f'action="{OFFICE}/demands/rounds/{round_.id}/entry"' in page.text
    assert "Close entry" in page.text
    closed = client.post(f"{OFFICE}/demands/rounds/{round_.id}/entry", data={"action": "close"})
    assert closed.status_code == 302
    db.session.expire_all()
    assert db.session.get(DemandRound, round_.id).status is RoundStatus.REVIEWING
    page = client.get(f"{OFFICE}/demands/rounds/{round_.id}")
    assert "In review" in page.text
    assert "Reopen entry" in page.text
    assert "Publish the round" in page.text
    # the district reads it in Chinese: no new demand, no draft submitted, the returned one back
    district, _ = login_as(recruiter)
    theirs = district.get(f"{OFFICE}/demands/rounds/{round_.id}")
    assert "征集已截止" in theirs.text
    assert f'href="{OFFICE}/demands/rounds/{round_.id}/new"' not in theirs.text
    assert district.post(f"{OFFICE}/demands/rounds/{round_.id}/entry",
                         data={"action": "reopen"}).status_code == 403
    refused = district.post(f"{OFFICE}/demands/{draft.id}/submit")
    assert refused.status_code == 400
    assert "本轮征集已截止，如需提交请联系人才办重新开放。" in refused.text
    assert district.post(f"{OFFICE}/demands/{returned.id}/submit").status_code == 302
    db.session.expire_all()
    assert db.session.get(Demand, draft.id).status is DemandStatus.DRAFT
    assert db.session.get(Demand, returned.id).status is DemandStatus.SUBMITTED
    # closing twice says so; the office publishes from the review
    again = client.post(f"{OFFICE}/demands/rounds/{round_.id}/entry", data={"action": "close"},
                        follow_redirects=True)
    assert "Entry to this round is closed already." in again.text
    assert client.post(f"{OFFICE}/demands/{returned.id}/review",
                       data={"decision": "accept"}).status_code == 302
    assert client.post(f"{OFFICE}/demands/rounds/{round_.id}/publish").status_code == 302
    db.session.expire_all()
    assert db.session.get(DemandRound, round_.id).status is RoundStatus.PUBLISHED
    assert db.session.scalar(select(Demand.status).where(Demand.id == returned.id)) \
        is DemandStatus.PUBLISHED


def test_the_office_reopens_entry(office, login_as):
    gulou, recruiter, organizer, round_ = office
    catalogue.close_entry(db.session, round_, ORGANIZER)
    db.session.commit()
    client, _ = login_as(organizer)
    assert client.post(f"{OFFICE}/demands/rounds/{round_.id}/entry",
                       data={"action": "reopen"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(DemandRound, round_.id).status is RoundStatus.COLLECTING
    district, _ = login_as(recruiter)
    assert district.post(f"{OFFICE}/demands/rounds/{round_.id}/new",
                         data=_form(gulou.id)).status_code == 302
