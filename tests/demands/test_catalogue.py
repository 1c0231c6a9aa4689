"""A demand round from entry to publication: a district enters and submits, the office returns it
with a note, the district fixes it, the office accepts and publishes; a district cannot touch
another district's demand; bad input is refused with the field it concerns."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from roadshow.accounts.roles import Role
from roadshow.demands import catalogue
from roadshow.demands.catalogue import DemandError, DemandForbiddenError
from roadshow.demands.models import (
    ChainNode,
    DemandKind,
    DemandStatus,
    IndustryChain,
    RoundStatus,
)
from roadshow.extensions import db
from roadshow.talent.models import Degree, Industry


class Grant:
    def __init__(self, roles: set[Role], district_ids: set[int] = frozenset()) -> None:  # type: ignore[assignment]
        self.roles = frozenset(roles)
        self.district_ids = frozenset(district_ids)


ORGANIZER = Grant({Role.ORGANIZER})


def _form(district_id: int, **fields: str) -> MultiDict:
    data = {"district_id": str(district_id), "kind": "position", "title_zh": "芯片设计工程师",
            "title_en": "Chip design engineer", "keywords_zh": "数字前端 验证",
            "keywords_en": "RTL verification", "degree": "master", "experience_years": "3",
            "headcount": "2", "salary_min_cny": "300,000", "salary_max_cny": "500000"}
    data.update(fields)
    return MultiDict(data)


@pytest.fixture
def world(app, make_district, make_user):
    gulou = make_district("gulou", "鼓楼区", "Gulou District")
    taijiang = make_district("taijiang", "台江区", "Taijiang District")
    recruiter = make_user(Role.RECRUITER, district=gulou)
    round_ = catalogue.open_round(db.session, gulou.organisation_id, ORGANIZER,
                                  title_zh="2027年上半年人才需求征集",
                                  title_en="Talent demands, first half of 2027",
                                  opens_on=date(2027, 1, 1), closes_on=date(2027, 6, 30))
    db.session.commit()
    return gulou, taijiang, recruiter, round_


def test_round_from_entry_to_publication(world):
    gulou, _taijiang, recruiter, round_ = world
    district = Grant({Role.RECRUITER}, {gulou.id})
    data = catalogue.parse_form(_form(gulou.id))
    assert data.salary_min_cny == 300000
    assert data.degree is Degree.MASTER
    assert data.headcount == 2
    demand = catalogue.enter_demand(db.session, round_, recruiter, district, data)
    catalogue.submit(db.session, demand, district)
    catalogue.review(db.session, demand, ORGANIZER, accept=False, note="请补充英文描述")
    assert demand.status is DemandStatus.RETURNED
    assert demand.review_note == "请补充英文描述"

    fixed = catalogue.parse_form(_form(gulou.id, description_en="RTL design for 28 nm SoCs."))
    catalogue.update_demand(db.session, demand, district, fixed)
    catalogue.submit(db.session, demand, district)
    catalogue.review(db.session, demand, ORGANIZER, accept=True)
    assert not db.session.scalars(catalogue.catalogue_query(round_)).all()
    assert not catalogue.visible_to_public(round_)

    assert catalogue.publish(db.session, round_, ORGANIZER) == 1
    db.session.commit()
    assert round_.status is RoundStatus.PUBLISHED
    assert catalogue.visible_to_public(round_)
    shown = db.session.scalars(catalogue.catalogue_query(round_, district_id=gulou.id,
                                                          kind=DemandKind.POSITION)).all()
    assert [(d.title_zh, d.title_en, d.description_en) for d in shown] == [
        ("芯片设计工程师", "Chip design engineer", "RTL design for 28 nm SoCs.")]
    assert not db.session.scalars(catalogue.catalogue_query(round_, kind=DemandKind.PROBLEM)).all()
    with pytest.raises(DemandError):
        catalogue.enter_demand(db.session, round_, recruiter, district, data)


def test_a_district_cannot_touch_another_districts_demand(world):
    gulou, taijiang, recruiter, round_ = world
    demand = catalogue.enter_demand(db.session, round_, None, ORGANIZER,
                                    catalogue.parse_form(_form(taijiang.id)))
    gulou_grant = Grant({Role.RECRUITER}, {gulou.id})
    with pytest.raises(DemandForbiddenError):
        catalogue.submit(db.session, demand, gulou_grant)
    with pytest.raises(DemandForbiddenError):
        catalogue.update_demand(db.session, demand, gulou_grant,
                                catalogue.parse_form(_form(gulou.id)))
    with pytest.raises(DemandForbiddenError):
        catalogue.enter_demand(db.session, round_, recruiter, gulou_grant,
                               catalogue.parse_form(_form(taijiang.id)))
    with pytest.raises(DemandForbiddenError):
        catalogue.review(db.session, demand, gulou_grant, accept=True)
    with pytest.raises(DemandForbiddenError):
        catalogue.publish(db.session, round_, gulou_grant)


@pytest.mark.parametrize(("fields", "field"), [
    ({"title_zh": "  "}, "title_zh"),
    ({"kind": "job"}, "kind"),
    ({"degree": "phd"}, "degree"),
    ({"headcount": "0"}, "headcount"),
    ({"experience_years": "three"}, "experience_years"),
    ({"salary_min_cny": "600000"}, "salary_max_cny"),
    ({"deadline": "2027/03/01"}, "deadline"),
])
def test_bad_input_names_its_field(app, fields, field):
    with pytest.raises(DemandError) as refused:
        catalogue.parse_form(_form(1, **fields))
    assert refused.value.field == field
    assert str(refused.value)


def test_returning_needs_a_note_and_a_round_closes_after_it_opens(world):
    gulou, _taijiang, recruiter, round_ = world
    demand = catalogue.enter_demand(db.session, round_, recruiter, ORGANIZER,
                                    catalogue.parse_form(_form(gulou.id)))
    catalogue.submit(db.session, demand, ORGANIZER)
    with pytest.raises(DemandError) as refused:
        catalogue.review(db.session, demand, ORGANIZER, accept=False, note=" ")
    assert refused.value.field == "review_note"
    with pytest.raises(DemandError):
        catalogue.open_round(db.session, gulou.organisation_id, ORGANIZER, title_zh="轮次",
                             title_en="Round", opens_on=date(2027, 6, 1),
                             closes_on=date(2027, 1, 1))


def test_chain_nodes_are_ordered_upstream_to_downstream_and_name_fields(world):
    gulou = world[0]
    office = gulou.organisation_id
    design = Industry(organisation_id=office, code="ic-design", name_zh="集成电路设计",
                      name_en="IC design")
    db.session.add(design)
    chain = IndustryChain(organisation_id=office, code="ic", name_zh="集成电路",
                          name_en="Integrated circuits")
    chain.nodes = [ChainNode(code="fab", name_zh="制造", name_en="Manufacturing", position=1),
                   ChainNode(code="design", name_zh="设计", name_en="Design", position=0,
                             industries=[design])]
    db.session.add(chain)
    db.session.commit()
    db.session.expire_all()
    assert [n.code for n in chain.nodes] == ["design", "fab"]
    assert [i.code for i in chain.nodes[0].industries] == ["ic-design"]
