"""Demo step: the talent pool (issue 14). Xuzhou's office keeps about 3,000 people (the
applicants of its events among them, linked to their accounts), two liaison stations (Shanghai,
Tianjin) with heads, deputies and officers, a year of contact logs with call-backs due; Xiao
County keeps a smaller pool of its own and shares its high-level talents (not its contact log)
with the Huaihai alliance, so Xuzhou's organizer finds them under "Shared with us". The
Shanghai symposium is the Shanghai station's event, and about 40 of the station's people were
invited to it. A few people withdrew their consent: they stay only as withdrawn rows that no
page shows.

Rows go in with Core inserts of lists (thousands of people in a few statements); the search
index is filled by the database's own triggers on insert.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace

from sqlalchemy import func, insert, select, text

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import ApplicantProfile, Application
from roadshow.demo.context import SEED, DemoContext
from roadshow.demo.organisations import user as _account
from roadshow.events.models import Event
from roadshow.talent import names
from roadshow.talent.consent import VIA_APPLICATION, VIA_JOIN_FORM, VIA_OFFICER, pool_wording
from roadshow.talent.models import (
    Category,
    Change,
    Consent,
    Contact,
    ContactKind,
    Industry,
    Invitation,
    Person,
    Share,
    Station,
    StationMember,
    StationRole,
    person_industries,
    station_events,
)
from roadshow.talent.services import invitations

TITLE = "Talent pool"
XUZHOU_POOL = 3000
XIAO_POOL = 300
WITHDRAWN = 6
#: people of the Shanghai station invited to its symposium
SYMPOSIUM_INVITED = 40

XUZHOU_COUNTIES = ["320302", "320303", "320305", "320311", "320312", "320321", "320322",
                   "320324", "320381", "320382"]
JIANGSU_ELSEWHERE = ["320102", "320104", "320105", "320106", "320205", "320506", "320612",
                     "320803", "320902", "321002", "321302"]
XIAO_NATIVE = ["341322"]
XIAO_NEARBY = ["341302", "341321", "341323", "341324"]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
GIVEN = "伟芳敏静磊燕军勇涛明超秀慧鹏浩宇欣睿凯玲建国华志强文平海东亮晨阳博雪丽娟婷杰斌琳萍刚健飞帆雷辉俊鑫洁晓红霞云峰波宁毅嘉怡欢楠泽思远"

#: (country, city zh, city en, weight); Shanghai and Tianjin people belong to the stations
PLACES = [("CN", "上海", "Shanghai", 26), ("CN", "天津", "Tianjin", 12),
          ("CN", "北京", "Beijing", 16), ("CN", "深圳", "Shenzhen", 10),
          ("US", "旧金山", "San Francisco", 5), ("US", "波士顿", "Boston", 4),
          ("US", "纽约", "New York", 3), ("CA", "多伦多", "Toronto", 3),
          ("CA", "温哥华", "Vancouver", 2), ("AU", "悉尼", "Sydney", 3),
          ("AU", "墨尔本", "Melbourne", 2), ("NL", "埃因霍温", "Eindhoven", 2),
          ("NL", "阿姆斯特丹", "Amsterdam", 1), ("GB", "伦敦", "London", 3),
          ("GB", "剑桥", "Cambridge", 1), ("DE", "慕尼黑", "Munich", 2),
          ("DE", "柏林", "Berlin", 1), ("JP", "东京", "Tokyo", 3), ("JP", "大阪", "Osaka", 1),
          ("SG", "新加坡", "Singapore", 3)]

EMPLOYERS = {
    "CN": ["复旦大学", "上海交通大学", "同济大学", "南开大学", "天津大学", "清华大学",
           "北京大学", "中国科学院", "华为技术有限公司", "腾讯科技", "比亚迪股份有限公司",
           "上海电气集团", "中芯国际", "宁德时代", "徐工集团", "中国石化", "国家电网",
           "上海市浦东新区人民政府", "天津市滨海新区管委会", "北京字节跳动科技有限公司"],
    "abroad": ["Stanford University", "MIT", "University of Toronto", "University of Sydney",
               "TU Eindhoven", "ASML", "Imperial College London", "University of Cambridge",
               "Siemens AG", "Technical University of Munich", "University of Tokyo",
               "Toyota Motor Corporation", "National University of Singapore",
               "Genentech", "Intel Corporation", "Google", "Pfizer", "Philips"],
}
POSITIONS = {
    "official": [("处长", "Division Director"), ("副处长", "Deputy Division Director"),
                 ("科长", "Section Chief"), ("主任", "Director")],
    "high_level": [("教授", "Professor"), ("研究员", "Research Fellow"),
                   ("首席科学家", "Chief Scientist"), ("高级工程师", "Senior Engineer"),
                   ("副教授", "Associate Professor")],
    "business": [("董事长", "Chairman"), ("总经理", "General Manager"),
                 ("创始人", "Founder"), ("副总裁", "Vice President"),
                 ("技术总监", "CTO")],
    "student": [("博士研究生", "PhD candidate"), ("硕士研究生", "Master's student"),
                ("博士后", "Postdoctoral Fellow")],
    "returnee": [("总工程师", "Chief Engineer"), ("项目负责人", "Project Lead"),
                 ("研究员", "Research Fellow"), ("创始人", "Founder")],
}
TITLES = ["教授 Professor", "研究员 Research Fellow", "高级工程师 Senior Engineer",
          "正高级经济师 Senior Economist", "", "", ""]
SCHOOLS = ["中国矿业大学", "江苏师范大学", "徐州医科大学", "南京大学", "东南大学",
           "复旦大学", "上海交通大学", "天津大学", "清华大学", "北京大学",
           "Stanford University", "University of Toronto", "University of Melbourne",
           "Delft University of Technology", "University of Manchester", "RWTH Aachen",
           "Kyoto University", "Nanyang Technological University"]
CATEGORIES = [("official", 10), ("high_level", 35), ("business", 25), ("student", 15),
              ("returnee", 15)]
SOURCES = [("import", 30), ("recommendation", 20), ("self_nomination", 15), ("visit", 15),
           ("station", 20)]
DEGREES = [("doctorate", 35), ("master", 35), ("bachelor", 25), ("other", 5)]

#: the office's taxonomy: chain (code, zh, en) and its fields
TAXONOMY = [
    (("equipment", "高端装备制造", "High-end equipment"),
     [("equipment.construction", "工程机械", "Construction machinery"),
      ("equipment.robotics", "工业机器人", "Industrial robotics"),
      ("equipment.aerospace", "航空航天装备", "Aerospace equipment")]),
    (("energy", "新能源", "New energy"),
     [("energy.solar", "光伏", "Photovoltaics"),
      ("energy.storage", "储能与电池", "Energy storage and batteries"),
      ("energy.hydrogen", "氢能", "Hydrogen")]),
    (("biomed", "生物医药", "Biomedicine"),
     [("biomed.drugs", "创新药", "Innovative drugs"),
      ("biomed.devices", "医疗器械", "Medical devices"),
      ("biomed.diagnostics", "体外诊断", "In-vitro diagnostics")]),
    (("ic", "集成电路", "Integrated circuits"),
     [("ic.design", "芯片设计", "Chip design"),
      ("ic.materials", "半导体材料", "Semiconductor materials"),
      ("ic.packaging", "封装测试", "Packaging and testing")]),
    (("digital", "数字经济", "Digital economy"),
     [("digital.ai", "人工智能", "Artificial intelligence"),
      ("digital.software", "工业软件", "Industrial software"),
      ("digital.data", "大数据与云计算", "Big data and cloud computing")]),
    (("materials", "新材料", "New materials"),
     [("materials.metals", "先进金属材料", "Advanced metals"),
      ("materials.composites", "复合材料", "Composites"),
      ("materials.polymers", "高分子材料", "Polymers")]),
]

#: the stations' staff besides the Shanghai head (who runs the symposium already)
STATIONS = [
    dict(slug="shanghai", name_zh="徐州市人才办上海联络站", name_en="Shanghai Liaison Station",
         city_zh="上海", city_en="Shanghai", opened_days=900,
         staff=[("deputy", "shanghai-deputy@example.org", "Liu Qiang", "刘强", 700),
                ("officer", "shanghai-officer@example.org", "Sun Li", "孙丽", 400)]),
    dict(slug="tianjin", name_zh="徐州市人才办天津联络站", name_en="Tianjin Liaison Station",
         city_zh="天津", city_en="Tianjin", opened_days=600,
         staff=[("head", "tianjin-head@example.org", "Wang Jianguo", "王建国", 600),
                ("deputy", "tianjin-deputy@example.org", "Zhao Min", "赵敏", 500),
                ("officer", "tianjin@example.org", "Chen Lei", "陈磊", 300)]),
]

CONTACT_TEXTS = {
    "call": [("电话回访，了解近况，对家乡新能源项目有兴趣。",
              "Called back: interested in the home region's new-energy projects."),
             ("电话沟通，确认联系方式和工作单位未变。",
              "Call: contact details and employer unchanged.")],
    "visit": [("上门拜访，介绍徐州人才政策。", "Visited: presented Xuzhou's talent policies."),
              ("走访其单位，洽谈产学研合作。", "Visited their institution about joint research.")],
    "message": [("微信发送座谈会邀请。", "Sent the symposium invitation by WeChat."),
                ("发送春节问候及家乡发展简报。",
                 "Sent new-year greetings and the home region's newsletter.")],
    "event": [("参加上海座谈会，交流返乡创业意向。",
               "Attended the Shanghai symposium; talked about starting a business at home."),
              ("参加云路演观摩。", "Watched the cloud roadshow.")],
}
NEXT_STEPS = ["再次电话回访 Call back", "寄送项目资料 Send project materials",
              "邀请参加座谈会 Invite to the symposium", "对接区县招商部门 Pass to a district",
              "确认回乡考察时间 Fix a date for a visit home"]


def _weighted(rng: random.Random, items: list[tuple]) -> tuple:
    return rng.choices(items, weights=[item[-1] for item in items])[0]


def _name(rng: random.Random) -> tuple[str, str, str]:
    """(name in characters, pinyin, name in Latin letters, given name first)."""
    zh = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    syllables = names.pinyin(zh).split()
    latin = f"{''.join(syllables[1:]).capitalize()} {syllables[0].capitalize()}"
    return zh, " ".join(syllables), latin


def _moment(ctx: DemoContext, rng: random.Random, days: int) -> datetime:
    """A moment in the last ``days`` days (UTC)."""
    now = ctx.now.astimezone(UTC)
    return now - timedelta(days=rng.uniform(0, days))


def _taxonomy(ctx: DemoContext, office) -> list[tuple[int, list[int]]]:  # type: ignore[no-untyped-def]
    """The office's chains with their fields' ids (created when the office has none)."""
    session = ctx.session
    if session.scalar(select(func.count()).select_from(Industry)
                      .where(Industry.organisation_id == office.id)) == 0:
        for (code, zh, en), fields in TAXONOMY:
            chain = Industry(organisation_id=office.id, code=code, name_zh=zh, name_en=en)
            session.add(chain)
            session.flush()
            session.add_all([Industry(organisation_id=office.id, code=c, name_zh=z, name_en=e,
                                      parent_id=chain.id) for c, z, e in fields])
        session.flush()
    rows = session.execute(select(Industry.id, Industry.parent_id)
                           .where(Industry.organisation_id == office.id)).all()
    chains = {row.id: [] for row in rows if row.parent_id is None}
    for row in rows:
        if row.parent_id is not None and row.parent_id in chains:
            chains[row.parent_id].append(row.id)
    return sorted(chains.items())


def _stations(ctx: DemoContext, office) -> dict[str, tuple[Station, list[User]]]:  # type: ignore[no-untyped-def]
    session = ctx.session
    out = {}
    for spec in STATIONS:
        station = Station(organisation_id=office.id, slug=spec["slug"], name_zh=spec["name_zh"],
                          name_en=spec["name_en"], city_zh=spec["city_zh"],
                          city_en=spec["city_en"], country="CN",
                          opened_on=ctx.today - timedelta(days=spec["opened_days"]))
        session.add(station)
        staff: list[User] = []
        if spec["slug"] == "shanghai":
            head = ctx.data["shanghai"]
            session.add(StationMember(station=station, user=head, role=StationRole.HEAD,
                                      appointed_on=station.opened_on))
            staff.append(head)
        for role, email, name, native, days in spec["staff"]:
            account = _account(ctx, email=email, role=Role.STATION, name=name,
                               name_native=native, locale="zh_Hans_CN", timezone="Asia/Shanghai")
            session.add(StationMember(station=station, user=account, role=StationRole(role),
                                      appointed_on=ctx.today - timedelta(days=days)))
            staff.append(account)
            if email == "tianjin@example.org":
                ctx.login("tianjin", email)
        out[spec["slug"]] = (station, staff)
    session.flush()
    return out


def _xuzhou_applicants(ctx: DemoContext, office) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Every applicant of the office's events, once: (user, profile) rows."""
    ids = select(Application.applicant_id).join(Event, Event.id == Application.event_id).where(
        Event.organisation_id == office.id).distinct()
    connection = ctx.session.connection()
    applicant_ids = sorted(connection.execute(ids).scalars())
    users = {u.id: u for u in connection.execute(
        select(User.__table__).where(User.__table__.c.id.in_(applicant_ids)))}
    profiles = {p.user_id: p for p in connection.execute(
        select(ApplicantProfile.__table__).where(
            ApplicantProfile.__table__.c.user_id.in_(applicant_ids)))}
    return [(users[i], profiles.get(i)) for i in applicant_ids if i in users]


class _Pool:
    """The rows of one office's pool, built in memory and inserted in a few statements."""

    def __init__(self, ctx: DemoContext, office, first_id: int) -> None:  # type: ignore[no-untyped-def]
        self.ctx, self.office, self.next_id = ctx, office, first_id
        self.people: list[dict] = []
        self.consents: list[dict] = []
        self.links: list[dict] = []
        self.wording = pool_wording(office.name_zh, office.name_en)

    def add(self, rng: random.Random, chains, natives: list[str], elsewhere: list[str],  # type: ignore[no-untyped-def]
            stations: dict[str, int], *, source: str | None = None, user=None,
            profile=None, via: str | None = None) -> dict:
        ctx = self.ctx
        zh, pinyin, latin = _name(rng)
        email = f"talent{self.next_id:05d}@example.net"
        if user is not None:
            zh = user.name_native or None
            pinyin = names.pinyin(zh) if zh else ""
            latin = user.name or latin
            email = user.email
        country, city_zh, city_en, _weight = _weighted(rng, PLACES)
        if profile is not None and profile.country_of_residence:
            if profile.country_of_residence == "CN" and country != "CN":
                country, city_zh, city_en, _weight = _weighted(rng, PLACES[:4])
            elif profile.country_of_residence != "CN":
                country, city_zh, city_en = profile.country_of_residence, "", ""
        category = _weighted(rng, CATEGORIES)[0]
        if country != "CN" and category == "official":
            category = "high_level"
        position_zh, position_en = rng.choice(POSITIONS[category])
        position = f"{position_zh} {position_en}"
        if profile is not None and profile.position:
            position = profile.position
        employer = rng.choice(EMPLOYERS["CN" if country == "CN" else "abroad"])
        if profile is not None and profile.institution:
            employer = profile.institution
        degree = _weighted(rng, DEGREES)[0]
        chain_id, fields = rng.choice(chains)
        field_id = rng.choice(fields)
        created = _moment(ctx, rng, 730)
        now = ctx.now.astimezone(UTC)
        confirmed = max(created, now - timedelta(days=rng.uniform(0, 548)))
        source = source or _weighted(rng, SOURCES)[0]
        station_id = stations.get(city_en)
        if source == "station" and station_id is None:
            source = "recommendation"
        person_id = self.next_id
        self.next_id += 1
        row = dict(
            id=person_id, organisation_id=self.office.id, name_zh=zh, name_en=latin,
            name_pinyin=pinyin, gender=rng.choice(("male", "female")),
            birth_year=rng.randint(1962, 2001) if category != "student" else rng.randint(1995, 2003),
            native_code=rng.choice(natives) if rng.random() < 0.85 else rng.choice(elsewhere),
            residence_country=country, residence_city=city_en or city_zh,
            employer=employer, position=position,
            title=rng.choice(TITLES) if category in ("high_level", "returnee") else "",
            degree=degree, school=rng.choice(SCHOOLS),
            field=rng.choice(["机械工程 Mechanical engineering", "材料科学 Materials science",
                              "计算机科学 Computer science", "生物医学 Biomedicine",
                              "电子工程 Electrical engineering", "工商管理 Business administration",
                              "化学工程 Chemical engineering", "公共管理 Public administration"]),
            category=category, source=source,
            recommended_by=(rng.choice(["徐州商会 Xuzhou Chamber of Commerce",
                                        "村委会 Village committee", "校友会 Alumni association"])
                            if source == "recommendation" else None),
            station_id=station_id, user_id=user.id if user is not None else None,
            email=email, phone=f"+86 139 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
            languages=rng.choice(["zh, en", "zh", "zh, en, ja", "zh, en, de", "zh, en, nl"]),
            notes="", confirmed_at=confirmed, created_at=created, updated_at=confirmed,
            withdrawn_at=None, erased_at=None, retained_reason=None)
        self.people.append(row)
        self.consents.append(dict(
            person_id=person_id, purpose=self.wording.purpose, version=self.wording.version,
            wording_zh=self.wording.zh, wording_en=self.wording.en, given_at=created,
            given_via=via or (VIA_JOIN_FORM if source == "self_nomination" else VIA_OFFICER),
            withdrawn_at=None))
        self.links.append(dict(person_id=person_id, industry_id=chain_id))
        self.links.append(dict(person_id=person_id, industry_id=field_id))
        return row

    def withdraw(self, rows: list[dict]) -> list[dict]:
        """Withdraw the consent of ``rows``; the history rows of the withdrawal."""
        now = self.ctx.now.astimezone(UTC)
        changes = []
        ids = {row["id"] for row in rows}
        for row in rows:
            row["withdrawn_at"] = now - timedelta(days=3)
            changes.append(dict(person_id=row["id"], changed_by_id=None,
                                changed_at=row["withdrawn_at"], field="consent",
                                old_value="given", new_value="withdrawn", reason="withdrawal"))
        for consent in self.consents:
            if consent["person_id"] in ids:
                consent["withdrawn_at"] = now - timedelta(days=3)
        return changes

    def insert(self) -> None:
        session = self.ctx.session
        for start in range(0, len(self.people), 1000):
            session.execute(insert(Person.__table__), self.people[start:start + 1000])
        session.execute(insert(Consent.__table__), self.consents)
        session.execute(insert(person_industries), self.links)


def _contacts(ctx: DemoContext, rng: random.Random, people: list[dict],
              officers_of: dict[int | None, list[User]]) -> list[dict]:
    """A year of contacts: one to three per person contacted; the last may set a next step,
    earlier next steps are done. Each officer gets call-backs overdue and due this week."""
    now = ctx.now.astimezone(UTC)
    rows = []
    due_by_officer: dict[int, int] = {}
    for person in people:
        if person["withdrawn_at"] is not None or rng.random() > 0.45:
            continue
        officers = officers_of.get(person["station_id"]) or officers_of[None]
        officer = rng.choice(officers)
        moments = sorted(now - timedelta(days=rng.uniform(1, 365))
                         for _ in range(rng.randint(1, 3)))
        for index, moment in enumerate(moments):
            kind = rng.choice(["call", "call", "message", "visit", "event"])
            summary_zh, summary_en = rng.choice(CONTACT_TEXTS[kind])
            last = index == len(moments) - 1
            next_step = due = done = None
            if not last or rng.random() < 0.5:
                next_step = rng.choice(NEXT_STEPS)
                due = (moment + timedelta(days=rng.randint(7, 60))).date()
                if not last:
                    done = moments[index + 1]
                elif due < ctx.today - timedelta(days=21) and rng.random() < 0.85:
                    # most older next steps were taken; a few stay overdue
                    done = datetime.combine(due, time(10), tzinfo=UTC)
                else:
                    count = due_by_officer.get(officer.id, 0)
                    due_by_officer[officer.id] = count + 1
                    if count < 2:  # every officer: one overdue, one due this week
                        due = ctx.today - timedelta(days=3) if count == 0 else ctx.today + timedelta(days=2)
            rows.append(dict(person_id=person["id"], officer_id=officer.id, kind=kind,
                             happened_at=moment, summary=f"{summary_zh}\n{summary_en}",
                             next_step=next_step, next_due_on=due, done_at=done,
                             shared=rng.random() < 0.2))
    return rows


def _symposium_invitations(ctx: DemoContext, rng: random.Random, station: Station,
                           staff: list[User], people: list[dict]) -> None:
    """The symposium is the Shanghai station's event; about 40 of its people were invited to it
    by mail two weeks ago (each invitation is in their contact log)."""
    symposium = ctx.data["symposium"]
    session = ctx.session
    session.execute(insert(station_events).values(station_id=station.id, event_id=symposium.id,
                                                  created_at=ctx.now.astimezone(UTC)))
    ours = [row for row in people if row["station_id"] == station.id
            and row["withdrawn_at"] is None and row["email"]]
    sent_at = ctx.now.astimezone(UTC) - timedelta(days=14)
    for row in rng.sample(ours, min(SYMPOSIUM_INVITED, len(ours))):
        contact = Contact(person_id=row["id"], officer_id=staff[0].id, kind=ContactKind.MESSAGE,
                          happened_at=sent_at, summary=invitations.summary_of(symposium))
        session.add(contact)
        session.flush()
        session.add(Invitation(person_id=row["id"], event_id=symposium.id, contact_id=contact.id,
                               sent_by_id=staff[0].id, sent_at=sent_at,
                               locale=invitations.language_of(SimpleNamespace(**row))))
    session.flush()


def _advance_sequence(ctx: DemoContext) -> None:
    """On PostgreSQL the people's ids were given here: move the sequence past them."""
    if ctx.session.get_bind().dialect.name == "postgresql":
        ctx.session.execute(text("SELECT setval(pg_get_serial_sequence('talent_people', 'id'), "
                                 "(SELECT max(id) FROM talent_people))"))


def load(ctx: DemoContext) -> None:
    session = ctx.session
    rng = random.Random(SEED + 14)
    xuzhou, xiao = ctx.data["xuzhou"], ctx.data["xiao"]
    stations = _stations(ctx, xuzhou)
    station_ids = {spec["city_en"]: stations[spec["slug"]][0].id for spec in STATIONS}
    chains = _taxonomy(ctx, xuzhou)
    ctx.progress(TITLE, 1, 4)

    first = (session.scalar(select(func.max(Person.id))) or 0) + 1
    pool = _Pool(ctx, xuzhou, first)
    applicants = _xuzhou_applicants(ctx, xuzhou)
    for account, profile in applicants:
        row = pool.add(rng, chains, XUZHOU_COUNTIES, JIANGSU_ELSEWHERE, station_ids,
                       source="application", user=account, profile=profile, via=VIA_APPLICATION)
        row["category"] = "returnee" if rng.random() < 0.3 else "high_level"
    while len(pool.people) < XUZHOU_POOL + WITHDRAWN:
        pool.add(rng, chains, XUZHOU_COUNTIES, JIANGSU_ELSEWHERE, station_ids)
    # a few who withdrew their consent (the applicants keep theirs: their records link accounts)
    changes = pool.withdraw(pool.people[-WITHDRAWN:])
    pool.insert()
    ctx.progress(TITLE, 2, 4)

    officers_of: dict[int | None, list[User]] = {
        station.id: staff for station, staff in stations.values()}
    officers_of[None] = [ctx.data["organizer"]]
    contacts = _contacts(ctx, rng, pool.people, officers_of)
    session.execute(insert(Contact.__table__), contacts)
    session.execute(insert(Change.__table__), changes)
    shanghai, shanghai_staff = stations["shanghai"]
    _symposium_invitations(ctx, rng, shanghai, shanghai_staff, pool.people)
    ctx.progress(TITLE, 3, 4)

    xiao_chains = _taxonomy(ctx, xiao)
    xiao_pool = _Pool(ctx, xiao, pool.next_id)
    while len(xiao_pool.people) < XIAO_POOL:
        xiao_pool.add(rng, xiao_chains, XIAO_NATIVE, XIAO_NEARBY, {})
    xiao_pool.insert()
    session.execute(insert(Contact.__table__), _contacts(
        ctx, rng, xiao_pool.people, {None: [ctx.data["organizer_xiao"]]}))
    session.add(Share(alliance_id=ctx.data["alliance"].id, organisation_id=xiao.id,
                      category=Category.HIGH_LEVEL, contacts_shared=False))
    _advance_sequence(ctx)
    session.flush()
    ctx.data.update(talent_stations={slug: s for slug, (s, _staff) in stations.items()})
    ctx.progress(TITLE, 4, 4)
