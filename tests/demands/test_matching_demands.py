"""Matching with the catalogue's demands: a Chinese demand at a chain node finds an English
profile filed under a field the node covers, and the person finds the demand back."""

from __future__ import annotations

from datetime import date

import pytest

from roadshow.demands import match_services
from roadshow.demands.candidates import matching_demands, people_candidates
from roadshow.demands.matching import MatchIndex
from roadshow.demands.models import (
    ChainNode,
    Demand,
    DemandKind,
    DemandRound,
    DemandStatus,
    IndustryChain,
)
from roadshow.districts.models import District
from roadshow.extensions import db
from roadshow.talent.models import Industry
from tests.many_events_fixtures import build_organisation
from tests.talent.records import add_person

pytestmark = pytest.mark.no_default_organisation


def test_a_chinese_demand_and_an_english_profile_find_each_other_both_ways(app):
    office = build_organisation(db.session, "xiao")
    chain_entry = Industry(organisation_id=office.id, code="ic", name_zh="集成电路",
                           name_en="Integrated circuits")
    db.session.add(chain_entry)
    db.session.flush()
    design = Industry(organisation_id=office.id, code="ic-design", name_zh="集成电路设计",
                      name_en="IC design", parent_id=chain_entry.id)
    gulou = District(organisation_id=office.id, code="gulou", name_zh="鼓楼区",
                     name_en="Gulou District")
    db.session.add_all([design, gulou])
    db.session.flush()
    chain = IndustryChain(organisation_id=office.id, code="ic", name_zh="集成电路",
                          name_en="Integrated circuits", industry_id=chain_entry.id)
    db.session.add(chain)
    db.session.flush()
    node = ChainNode(chain_id=chain.id, code="design", name_zh="设计", name_en="Design",
                     position=0, industries=[design])
    round_ = DemandRound(organisation_id=office.id, title_zh="2026下半年", title_en="2026 H2",
                         opens_on=date(2026, 7, 1), closes_on=date(2026, 12, 31))
    db.session.add_all([node, round_])
    db.session.flush()

    def demand(status, **fields):
        row = Demand(round_id=round_.id, organisation_id=office.id, district_id=gulou.id,
                     kind=DemandKind.POSITION, status=status, **fields)
        db.session.add(row)
        db.session.flush()
        return row

    wanted = demand(DemandStatus.PUBLISHED, title_zh="射频芯片设计总监", industry_id=design.id,
                    degree="master", experience_years=5, keywords_zh="射频 流片")
    demand(DemandStatus.DRAFT, title_zh="草稿", industry_id=design.id)
    person = add_person(office, name_en="Li Wei", degree="doctorate",
                        position="RF chip design lead")
    person.industries = [design]
    db.session.commit()

    demands = matching_demands(db.session, office.id)
    assert [d.key for d in demands] == [wanted.id]
    assert demands[0].nodes == {str(node.id)}
    assert demands[0].chains == {"ic"}
    people = people_candidates(db.session, office.id)
    assert people[0].nodes == {str(node.id)}

    forward = MatchIndex(people).candidates_for(demands[0])
    assert [(m.candidate_key, [r.code for r in m.reasons]) for m in forward] == [
        (person.id, ["shared_field", "same_node", "degree_met"])]
    backward = MatchIndex(demands).demands_for(people[0])
    assert [(m.demand_key, m.score) for m in backward] == [(wanted.id, forward[0].score)]

    # the services the pages use: the same matches, and nothing for another office
    assert [m.candidate_key for m in match_services.for_demand(
        db.session, office.id, wanted.id)["person"]] == [person.id]
    assert match_services.for_demand(db.session, office.id, wanted.id)["application"] == []
    assert [m.demand_key for m in match_services.for_person(
        db.session, office.id, person.id)] == [wanted.id]
    other = build_organisation(db.session, "other")
    assert match_services.for_person(db.session, other.id, person.id) == []
    assert match_services.for_demand(db.session, other.id, wanted.id) == {
        "person": [], "application": []}
