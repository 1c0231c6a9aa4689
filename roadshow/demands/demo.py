"""Demo step: the demand catalogue of the Xuzhou office (issue 15). Its taxonomy's chains become
industry chains whose nodes are their fields in order (upstream first); a half-year round
collecting about 900 demands of the office's districts (positions and problems, titles built
from each field and a set of roles, bilingual), last year's round published, a few resources of
partner universities. Rows go in by bulk insert so the step stays fast.

Then the office's project list: the best matches of a few accepted demands taken on through the
services (so each opens its task on the plan, when the outcomes layer is loaded), moved along
since: done, cancelled, in progress, on time and late. The demo emails nobody."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select

from roadshow.accounts.roles import Role
from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.demands import match_services, projects
from roadshow.demands.models import (
    ChainNode,
    Demand,
    DemandRound,
    DemandStatus,
    IndustryChain,
    Resource,
    RoundStatus,
)
from roadshow.districts.models import District
from roadshow.talent.models import Industry, Person

TITLE = "Demand catalogue"
DEMANDS = 900
OLD_DEMANDS = 120

#: the project list: (kind of candidate, days since taken on, deadline in days from today,
#: status now, note); a negative deadline with an open status is late
ENTRIES = (
    ("person", 75, -20, "done", "已签订引进协议，佐证材料已归档。Agreement signed; the records are filed."),
    ("person", 60, 25, "in_progress", "已安排与企业负责人视频面谈。A video call with the company is set."),
    ("application", 55, -12, "open", "待鼓楼区联系申报人。The district is to contact the applicant."),
    ("person", 50, -5, "in_progress", "企业在等候候选人答复。The company awaits the talent's answer."),
    ("person", 40, 45, "open", "本周发出邀请函。The invitation goes out this week."),
    ("application", 35, 20, "cancelled", "申报人已落户其他城市。The applicant settled elsewhere."),
    ("person", 20, 60, "open", "拟邀请参加六月路演。To be invited to the June roadshow."),
    ("person", 10, 80, "done", "人才已到岗。The talent is on site."),
)


@dataclass(frozen=True)
class _Grant:
    """What the project services read of the actor's grant: an organizer of the office."""

    roles: frozenset[Role] = frozenset({Role.ORGANIZER})
    district_ids: frozenset[int] = frozenset()


#: (title zh, title en, degree, years) of a position, with the field's name put in
ROLES = (
    ("{f}高级工程师", "Senior {f} engineer", "master", 5),
    ("{f}研发工程师", "{f} R&D engineer", "bachelor", 3),
    ("{f}首席科学家", "Chief scientist, {f}", "doctorate", 10),
    ("{f}技术总监", "Technical director, {f}", "master", 8),
    ("{f}博士后研究员", "Postdoctoral researcher, {f}", "doctorate", 0),
    ("{f}工艺工程师", "{f} process engineer", "bachelor", 2),
)
#: (title zh, title en) of a problem
PROBLEMS = (
    ("{f}关键技术攻关", "Key technology breakthrough in {f}"),
    ("{f}产线良率提升", "Raising the production yield in {f}"),
    ("{f}国产化替代方案", "A domestic alternative in {f}"),
    ("{f}成本优化", "Cutting the cost of {f}"),
)
COMPANIES = (("徐工", "XCMG"), ("协鑫", "GCL"), ("天能", "Tianneng"), ("中煤", "China Coal"),
             ("恒瑞", "Hengrui"), ("维维", "Vivi"), ("卡特", "Carter"), ("海伦", "Helen"))
SUFFIXES = (("科技有限公司", "Technology Co., Ltd."), ("新材料有限公司", "New Materials Co., Ltd."),
            ("智能装备有限公司", "Intelligent Equipment Co., Ltd."))
RESOURCES = (
    ("中国矿业大学", "China University of Mining and Technology", "lab",
     "深部岩土力学与地下工程国家重点实验室", "State Key Laboratory for Geomechanics and Deep Underground Engineering"),
    ("江苏师范大学", "Jiangsu Normal University", "expert",
     "新能源材料专家团队", "Team of experts in new energy materials"),
    ("徐州医科大学", "Xuzhou Medical University", "platform",
     "生物医药公共技术服务平台", "Public technology platform for biomedicine"),
    ("江苏建筑职业技术学院", "Jiangsu Vocational Institute of Architectural Technology", "platform",
     "智能建造实训基地", "Training base for intelligent construction"),
)


def _chains(session: Any, office_id: int) -> list[tuple[Industry, list[tuple[Industry, int]]]]:
    """The taxonomy's chains, each with its fields and the chain node made for each field."""
    industries = session.scalars(select(Industry).where(Industry.organisation_id == office_id)
                                 .order_by(Industry.id)).all()
    tops = [i for i in industries if i.parent_id is None]
    result = []
    for position, top in enumerate(tops):
        fields = [i for i in industries if i.parent_id == top.id]
        chain = IndustryChain(organisation_id=office_id, code=top.code, name_zh=top.name_zh,
                              name_en=top.name_en, industry_id=top.id, position=position)
        chain.nodes = [ChainNode(code=f.code, name_zh=f.name_zh, name_en=f.name_en, position=n,
                                 industries=[f]) for n, f in enumerate(fields)]
        session.add(chain)
        session.flush()
        result.append((top, [(f, node.id) for f, node in zip(fields, chain.nodes, strict=True)]))
    return [(top, fields) for top, fields in result if fields]


def _rows(rng: random.Random, round_id: int, office_id: int, districts: list[District],
          chains: list[Any], count: int, status: str, now: Any, deadline: date) -> list[dict]:
    rows = []
    for n in range(count):
        district = districts[n % len(districts)]
        _top, fields = chains[rng.randrange(len(chains))]
        field, node_id = fields[rng.randrange(len(fields))]
        company, suffix = rng.choice(COMPANIES), rng.choice(SUFFIXES)
        row: dict[str, Any] = {
            "round_id": round_id, "organisation_id": office_id, "district_id": district.id,
            "company_zh": company[0] + suffix[0], "company_en": f"{company[1]} {suffix[1]}",
            "industry_id": field.id, "chain_node_id": node_id, "status": status,
            "keywords_zh": field.name_zh, "keywords_en": field.name_en.lower(),
            "created_at": now, "updated_at": now, "deadline": deadline, "headcount": 1,
            "degree": None, "experience_years": None, "salary_min_cny": None,
            "salary_max_cny": None, "funding_cny": None, "housing": False, "lab_space_m2": None,
            "en_machine_translated": n % 5 == 0, "review_note": "",
            "description_zh": f"{district.name_zh}{field.name_zh}企业需求。",
            "description_en": f"A {field.name_en} company's demand in {district.name_en}.",
        }
        if rng.random() < 0.75:
            zh, en, degree, years = rng.choice(ROLES)
            low = rng.choice((200_000, 300_000, 400_000, 600_000))
            row.update(kind="position", degree=degree, experience_years=years,
                       headcount=rng.randint(1, 5), salary_min_cny=low,
                       salary_max_cny=low + rng.choice((100_000, 200_000, 400_000)),
                       housing=rng.random() < 0.4)
        else:
            zh, en = rng.choice(PROBLEMS)
            row.update(kind="problem", funding_cny=rng.choice((500_000, 1_000_000, 3_000_000)),
                       lab_space_m2=rng.choice((None, 200, 500, 1000)))
        row["title_zh"] = zh.format(f=field.name_zh)
        row["title_en"] = en.format(f=field.name_en)
        rows.append(row)
    return rows


def load(ctx: Any) -> None:
    session = ctx.session
    rng = random.Random(15)
    office = ctx.data["xuzhou"]
    districts = session.scalars(select(District).where(District.organisation_id == office.id)
                                .order_by(District.id)).all()[:12]
    chains = _chains(session, office.id)
    if not districts or not chains:
        return
    now = utcnow()
    year = ctx.today.year
    old = DemandRound(organisation_id=office.id, title_zh=f"{year - 1}年下半年人才需求清单",
                      title_en=f"Talent demands, second half of {year - 1}",
                      opens_on=ctx.today - timedelta(days=300),
                      closes_on=ctx.today - timedelta(days=200),
                      status=RoundStatus.PUBLISHED, published_at=now - timedelta(days=190))
    current = DemandRound(organisation_id=office.id, title_zh=f"{year}年人才需求征集",
                          title_en=f"Talent demands, {year}", opens_on=ctx.today - timedelta(days=30),
                          closes_on=ctx.today + timedelta(days=150))
    session.add_all([old, current])
    session.flush()
    ctx.progress(TITLE, 1, 2)
    rows = _rows(rng, old.id, office.id, districts, chains, OLD_DEMANDS, "published", now,
                 ctx.today - timedelta(days=100))
    statuses = ("draft", "submitted", "returned", "accepted")
    for n, row in enumerate(_rows(rng, current.id, office.id, districts, chains, DEMANDS,
                                  "draft", now, ctx.today + timedelta(days=180))):
        row["status"] = statuses[n % len(statuses)]
        if row["status"] == "returned":
            row["review_note"] = "请补充薪酬范围和英文说明。"
        rows.append(row)
    session.execute(insert(Demand), rows)
    session.execute(insert(Resource), [
        {"organisation_id": office.id, "partner_zh": pzh, "partner_en": pen, "kind": kind,
         "title_zh": tzh, "title_en": ten, "description_zh": "", "description_en": "",
         "contact_name": "王老师", "contact_email": f"partner{n}@example.edu.cn",
         "contact_phone": "0516-8388" + f"{n:04d}", "created_at": now}
        for n, (pzh, pen, kind, tzh, ten) in enumerate(RESOURCES)])
    ctx.progress(TITLE, 2, 2)
    session.flush()
    _project_list(ctx, office, current)


def _organizer(ctx: Any, office: Any) -> Any:
    for demo_event in ctx.events():
        event = demo_event.event
        if event is not None and event.organisation_id == office.id \
                and demo_event.data.get("organizer") is not None:
            return demo_event.data["organizer"]
    return None


def _project_list(ctx: Any, office: Any, current: DemandRound) -> None:
    """Takes the best match of a few accepted demands into the project list, then moves each
    entry along to its status of today (its task follows)."""
    session = ctx.session
    organizer = _organizer(ctx, office)
    if organizer is None:
        return
    grant = _Grant()
    now = utcnow()
    match_services.forget(office.id)
    demand_ids = session.scalars(select(Demand.id).where(
        Demand.round_id == current.id, Demand.status == DemandStatus.ACCEPTED)
        .order_by(Demand.id)).all()
    taken: set[tuple[str, int]] = set()
    wanted = list(ENTRIES)
    for demand_id in demand_ids:
        if not wanted:
            break
        kind, started, due_in, status, note = wanted[0]
        found = match_services.for_demand(session, office.id, demand_id, 5)[kind]
        best = next((m for m in found if (kind, m.candidate_key) not in taken), None)
        if best is None:
            continue
        wanted.pop(0)
        taken.add((kind, best.candidate_key))
        demand = session.get(Demand, demand_id)
        candidate = session.get(Person if kind == "person" else Application, best.candidate_key)
        entry = projects.take_on(
            session, office, organizer, grant, demand, kind, candidate,
            projects.EntryData(lead_district_id=demand.district_id,
                               due_on=ctx.today + timedelta(days=due_in), note=note),
            score=best.score, now=now - timedelta(days=started))
        if status != "open":
            projects.set_status(session, entry, grant, status, None,
                                now=now - timedelta(days=max(started // 3, 1)), actor=organizer)
    session.flush()
