"""Demo step: the projects of the sealed intents. Last year's 14 have followed their milestones
for a year: some landed, some on their way, some late (their unit not yet reminded); this
year's have just opened theirs. The office's plan has tasks for its units, a few late.

Confirmations go through the services, so each is an entry of its intent's audit trail and
``verify-chain`` passes on the demo. The demo emails nobody.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.applications.demo import deck_pdf
from roadshow.demo.context import FINISHED, DemoContext, DemoEvent, recruiters_with_districts
from roadshow.outcomes import milestones as work
from roadshow.outcomes import projects, tasks
from roadshow.outcomes.models import Project, TaskStatus
from roadshow.scoping import across
from roadshow.signing.audit_trail import RequestInfo

TITLE = "Projects after the intents"
#: of last year's projects: landed, on their way (deadlines extended), late (in this order)
LANDED, ON_THEIR_WAY = 5, 5
FUNDS = (2_000_000, 5_000_000, 10_000_000, 20_000_000, 3_000_000, 8_000_000, 1_500_000)
CAPITAL = (1_000_000, 3_000_000, 5_000_000, 10_000_000, 2_000_000)
INFO = RequestInfo("198.51.100.20", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0")

#: the office's plan (title, lead unit index, member unit indexes, days from the event, status)
TASKS = (
    ("建立在外人才数据库 / Build the database of natives working elsewhere", 0, (1, 2), 60, "done"),
    ("在上海设立人才工作站 / Open the talent station in Shanghai", 3, (4,), 120, "done"),
    ("绘制新能源新材料产业链人才图谱 / Map the new energy and materials chain", 5, (6, 7), 150,
     "in_progress"),
    ("收集企业人才需求清单 / Collect the companies' talent demands", 1, (0, 2, 3), 90, "done"),
    ("与中国矿业大学共建资源清单 / Draw up the resource list with CUMT", 11, (10,), 200,
     "in_progress"),
    ("落实人才住房与子女入学政策 / Housing and schooling for the talents", 2, (8,), 240, "open"),
    ("举办海外人才恳谈会 / Hold an overseas talent symposium", 10, (3, 9), 300, "open"),
)


@dataclass(frozen=True)
class _Grant:
    """What the services read of an actor's grant: their roles and units."""

    roles: frozenset[Role]
    district_ids: frozenset[int] = field(default_factory=frozenset)


def _moment(day: date, zone: str, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


def load(ctx: DemoContext) -> None:
    for demo_event in ctx.events(stage="signing"):
        load_event(ctx, demo_event)


def load_event(ctx: DemoContext, demo_event: DemoEvent) -> None:
    session = ctx.session
    event = demo_event.event
    if event is None:
        return
    data = demo_event.data
    organizer = data.get("organizer")
    recruiter_of = {d.id: r for r, d in recruiters_with_districts(data)}
    projects.open_missing(session, ctx.now, event_ids=[event.id])
    rows = list(session.scalars(across(select(Project).where(Project.event_id == event.id)
                                       .order_by(Project.id), [event.id])))
    if demo_event.state == FINISHED and organizer is not None:
        _last_year(ctx, demo_event, rows, organizer, recruiter_of)
    if organizer is not None and data.get("districts"):
        _plan(ctx, demo_event, organizer)
    ctx.progress(TITLE, 1, 1)
    session.flush()


def _last_year(ctx: DemoContext, demo_event: DemoEvent, rows: list[Project], organizer: Any,
               recruiter_of: dict[int, Any]) -> None:
    """A year of work on last year's projects, dated from the event."""
    session = ctx.session
    zone = demo_event.event.organisation.timezone
    start = (ctx.now - demo_event.shift).astimezone(ZoneInfo(zone)).date() + timedelta(days=7)
    today = projects.local_today(zone, ctx.now)
    office = _Grant(frozenset({Role.ORGANIZER}))
    licence = deck_pdf("营业执照 Business licence", "Demo", 1)
    for n, project in enumerate(rows):
        days = [60, 120, 180, 240, 365]
        for milestone, offset in zip(project.milestones, days, strict=False):
            milestone.due_on = start + timedelta(days=offset)
        if n < LANDED:
            done = len(project.milestones)
        elif n < LANDED + ON_THEIR_WAY:
            done = 2 + n % 2
        else:
            done = 1 + n % 2
        recruiter = recruiter_of.get(project.district_id) or organizer
        unit = _Grant(frozenset({Role.RECRUITER}), frozenset({project.district_id}))
        for k, milestone in enumerate(project.milestones[:done]):
            confirmed_on = min(milestone.due_on - timedelta(days=(n + k) % 9), today)
            evidence = work.Evidence(
                note=_note(milestone.code),
                amount_cny=FUNDS[(n + k) % len(FUNDS)] if milestone.code == "first_funds_paid" else None,
                registered_capital_cny=CAPITAL[n % len(CAPITAL)]
                if milestone.code == "company_registered" else None,
                people_on_site=3 + (n * 2 + k) % 11 if milestone.code in ("talent_on_site", "landed")
                else None,
                uploads=(("营业执照.pdf", licence),) if milestone.code == "company_registered" else ())
            work.submit_evidence(session, milestone, recruiter, unit, evidence,
                                 now=_moment(confirmed_on - timedelta(days=2), zone))
            work.confirm(session, milestone, organizer, office, INFO,
                         now=_moment(confirmed_on, zone, 15))
        following = project.milestones[done:]
        if LANDED <= n < LANDED + ON_THEIR_WAY:
            # on their way: the office extended the rest of the deadlines
            for k, milestone in enumerate(following):
                milestone.due_on = today + timedelta(days=30 + 45 * k)
            if following and n % 2:
                work.submit_evidence(session, following[0], recruiter, unit, work.Evidence(
                    note=_note(following[0].code)), now=_moment(today - timedelta(days=1), zone))
        # the late ones keep last year's deadlines: overdue, flagged on the board
    session.flush()


def _note(code: str) -> str:
    return {
        "company_registered": "公司已在区市场监管局登记注册。The company is registered.",
        "premises_provided": "孵化器提供 500 平方米办公及实验场地。500 m² of office and lab space.",
        "first_funds_paid": "首笔项目扶持资金已拨付到账。The first project funds are paid.",
        "talent_on_site": "项目负责人及团队已到岗。The team leader and team are on site.",
        "landed": "项目投产运营，正式落地。The project operates: landed.",
    }.get(code, "已完成。Done.")


def _plan(ctx: DemoContext, demo_event: DemoEvent, organizer: Any) -> None:
    """The office's plan for the event: tasks across its units, a few late."""
    session = ctx.session
    event = demo_event.event
    districts = [d for d in demo_event.data["districts"]
                 if d.organisation_id == event.organisation_id]
    if not districts:
        return
    zone = event.organisation.timezone
    start = (ctx.now - demo_event.shift).astimezone(ZoneInfo(zone)).date()
    office = _Grant(frozenset({Role.ORGANIZER}))
    finished = demo_event.state == FINISHED
    for title, lead, members, days, status in TASKS:
        due = start + timedelta(days=days if finished else days // 3)
        data = tasks.TaskData(
            title=title, lead_district_id=districts[lead % len(districts)].id,
            member_ids=tuple(districts[m % len(districts)].id for m in members), due_on=due,
            event_id=event.id, year=start.year)
        task = tasks.save_task(session, event.organisation, organizer, office, None, data,
                               now=ctx.now)
        if finished or status == "done":
            task.status = TaskStatus(status if finished else "in_progress")
            task.evidence_note = "按计划推进。On schedule." if task.status != TaskStatus.DONE \
                else "已完成，材料已归档。Done; the records are filed."
    session.flush()

