"""A small office for the matching pages, the project list and the chain maps (issue 15): a chain
(集成电路) with two links, design (covering the field IC design) and fabrication (no field); two
districts, each with a recruiter in the office's event; a Chinese demand of Gulou for an RF chip
design director (a doctorate) and a fabrication demand of Feng County nobody fits; an English
profile of the pool filed under IC design, and an English application that chose Gulou."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from roadshow.accounts.roles import Role
from roadshow.applications.models import ApplicantProfile, Application, ApplicationStatus
from roadshow.demands import match_services
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
from roadshow.organisations.models import Organisation
from roadshow.talent.models import Industry, Person
from tests.many_events_fixtures import build_event, build_organisation, grant_role
from tests.talent.records import add_person


@dataclass
class World:
    office: Organisation
    organizer: Any
    gulou: District
    feng: District
    gulou_recruiter: Any
    feng_recruiter: Any
    chain: IndustryChain
    design: ChainNode
    fab: ChainNode
    demand: Demand
    fab_demand: Demand
    person: Person
    application: Application
    applicant: Any

    def url(self, path: str) -> str:
        return f"/o/{self.office.slug}/demands{path}"


def build_world(make_user: Any, *, recruiter_locale: str = "en") -> World:
    match_services.forget()
    organizer = make_user(Role.ORGANIZER, email="organizer@example.org")
    office = build_organisation(db.session, "xiao", organizers=(organizer,),
                                name_zh="萧县人才办", name_en="Xiao County Talent Office")
    top = Industry(organisation_id=office.id, code="ic", name_zh="集成电路",
                   name_en="Integrated circuits")
    db.session.add(top)
    db.session.flush()
    field = Industry(organisation_id=office.id, code="ic-design", name_zh="集成电路设计",
                     name_en="IC design", parent_id=top.id)
    gulou = District(organisation_id=office.id, code="gulou", name_zh="鼓楼区",
                     name_en="Gulou District")
    feng = District(organisation_id=office.id, code="feng", name_zh="丰县", name_en="Feng County")
    db.session.add_all([field, gulou, feng])
    db.session.flush()
    chain = IndustryChain(organisation_id=office.id, code="ic", name_zh="集成电路",
                          name_en="Integrated circuits", industry_id=top.id)
    db.session.add(chain)
    db.session.flush()
    design = ChainNode(chain_id=chain.id, code="design", name_zh="芯片设计", name_en="Chip design",
                       position=0, industries=[field])
    fab = ChainNode(chain_id=chain.id, code="fab", name_zh="晶圆制造", name_en="Wafer fabrication",
                    position=1)
    round_ = DemandRound(organisation_id=office.id, title_zh="2026年人才需求",
                         title_en="Talent demands 2026", opens_on=date(2026, 7, 1),
                         closes_on=date(2026, 12, 31))
    db.session.add_all([design, fab, round_])
    db.session.flush()
    demand = Demand(round_id=round_.id, organisation_id=office.id, district_id=gulou.id,
                    kind=DemandKind.POSITION, status=DemandStatus.PUBLISHED,
                    title_zh="射频芯片设计总监", company_zh="徐工芯片科技有限公司",
                    description_zh="负责射频前端芯片的设计与流片。", keywords_zh="射频 流片",
                    industry_id=field.id, degree="doctorate", experience_years=5)
    fab_demand = Demand(round_id=round_.id, organisation_id=office.id, district_id=feng.id,
                        kind=DemandKind.PROBLEM, status=DemandStatus.ACCEPTED,
                        title_zh="晶圆良率提升", title_en="Raising the wafer yield",
                        chain_node_id=fab.id)
    draft = Demand(round_id=round_.id, organisation_id=office.id, district_id=feng.id,
                   kind=DemandKind.POSITION, status=DemandStatus.DRAFT, title_zh="草稿",
                   chain_node_id=fab.id)
    db.session.add_all([demand, fab_demand, draft])
    event = build_event(db.session, office, districts=[gulou, feng])
    gulou_recruiter = make_user(Role.RECRUITER, email="gulou@example.org", locale=recruiter_locale)
    feng_recruiter = make_user(Role.RECRUITER, email="feng@example.org")
    grant_role(db.session, gulou_recruiter, event, Role.RECRUITER, gulou)
    grant_role(db.session, feng_recruiter, event, Role.RECRUITER, feng)
    person = add_person(office, name_en="Li Wei", degree="doctorate",
                        position="RF chip design lead", employer="NXP Semiconductors",
                        email="li.wei@example.org", residence_country="NL")
    person.industries = [field]
    applicant = make_user(Role.APPLICANT, email="founder@example.org", name="Anna de Vries")
    db.session.add(ApplicantProfile(user_id=applicant.id, highest_degree="phd"))
    application = Application(event_id=event.id, applicant_id=applicant.id,
                              status=ApplicationStatus.SUBMITTED, country="NL",
                              title_en="RF front-end chips for 5G", title_zh="射频前端芯片",
                              summary="Low-power RF front-end chip design for IoT")
    db.session.add(application)
    db.session.flush()
    application.districts = [gulou]
    db.session.commit()
    return World(office, organizer, gulou, feng, gulou_recruiter, feng_recruiter, chain, design,
                 fab, demand, fab_demand, person, application, applicant)
