"""The office's board checked against the rows it counts, and its Excel workbook."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import event as sa_event
from sqlalchemy import select

from roadshow.db import utcnow
from roadshow.extensions import db as _db
from roadshow.outcomes import board as figures
from roadshow.outcomes import projects
from roadshow.outcomes.models import Milestone, MilestoneState, Project
from roadshow.reports.funnel import funnel_by_event
from roadshow.scoping import unscoped
from tests.many_events_fixtures import default_organisation
from tests.reports.conftest import fill  # noqa: F401 - the reports' row-by-row factory

STATUSES = ["finalist", "finalist", "finalist", "finalist", "submitted", "not_selected", "draft"]
COUNTRIES = ["US", "CA", "AU", "NL", "US", "DE", "JP"]


def _world(make_event, make_district, fill):  # noqa: F811 - the fixture imported above
    gulou = make_district(code="gulou")
    pei = make_district(code="pei", name_zh="沛县", name_en="Pei County")
    last_year = make_event(phase="finished")
    this_year = make_event(phase="call")
    fill(last_year, STATUSES, COUNTRIES, district=gulou, signed=3, drafted=1,
         track=("ic", "集成电路与信息通信", "Integrated circuits and ICT"))
    fill(this_year, ["finalist", "submitted"], ["US", "GB"], district=pei, signed=1)
    now = utcnow()
    projects.open_missing(_db.session, now)
    _db.session.commit()
    rows = _db.session.scalars(unscoped(select(Project).order_by(Project.id), "test")).all()
    landed, started = rows[0], rows[1]
    for n, milestone in enumerate(landed.milestones):
        _confirm(milestone, amount=1_000_000 * (n + 1), people=[None, None, None, 3, 5][n])
    landed.landed_at = now
    _confirm(started.milestones[0], amount=500_000, people=2)
    started.milestones[1].due_on = (now - timedelta(days=10)).date()  # late
    rows[2].milestones[0].due_on = (now - timedelta(days=1)).date()
    _confirm(rows[2].milestones[0], amount=None, people=None)  # done, so not late
    _db.session.commit()
    return default_organisation(), now


def _confirm(milestone: Milestone, *, amount: int | None, people: int | None) -> None:
    milestone.state = MilestoneState.CONFIRMED
    milestone.amount_cny = amount
    milestone.people_on_site = people
    milestone.confirmed_at = utcnow()


def _expected(now) -> dict[str, int]:
    """The figures, counted row by row in Python."""
    milestones = _db.session.scalars(unscoped(select(Milestone), "test")).all()
    today = projects.local_today("Asia/Shanghai", now)
    people: dict[int, int] = defaultdict(int)
    for m in milestones:
        if m.state == MilestoneState.CONFIRMED and m.people_on_site is not None:
            people[m.project_id] = max(people[m.project_id], m.people_on_site)
    all_projects = _db.session.scalars(unscoped(select(Project), "test")).all()
    return {
        "projects": len(all_projects),
        "landed": sum(1 for p in all_projects if p.landed_at is not None),
        "milestones_done": sum(1 for m in milestones if m.state == MilestoneState.CONFIRMED),
        "milestones_late": sum(1 for m in milestones
                               if m.state != MilestoneState.CONFIRMED and m.due_on < today),
        "investment_cny": sum(m.amount_cny or 0 for m in milestones
                              if m.state == MilestoneState.CONFIRMED),
        "people_on_site": sum(people.values()),
    }


def test_the_boards_figures_are_the_rows_they_count(make_event, make_district, fill):  # noqa: F811
    office, now = _world(make_event, make_district, fill)
    board = figures.build(_db.session, office, now=now)
    expected = _expected(now)
    assert expected == {"projects": 4, "landed": 1, "milestones_done": 7, "milestones_late": 1,
                        "investment_cny": 15_500_000, "people_on_site": 7}
    for name, value in expected.items():
        assert board.total[name] == value, name
    assert board.total.intents == 4
    assert board.total.applications == 8  # sent: six last year (not the draft), two this year
    assert board.total.finalists == 5
    by_district = {row.name_en: row.outcome for row in board.districts}
    assert by_district["Gulou District"].intents == 3
    assert by_district["Gulou District"].landed == 1
    assert by_district["Pei County"].intents == 1
    assert by_district["Pei County"].applications is None
    chain = {row.key: row.outcome for row in board.tracks}
    assert chain["ic"].intents == 3
    assert chain["ic"].applications == 6
    assert sum(row.outcome.intents for row in board.years) == 4
    assert [m.code for m in board.late] == ["premises_provided"]
    # the reports' funnel counts the same landed projects
    funnels = funnel_by_event(_db.session, [row.key for row in board.events], now)
    assert sum(f.landed for f in funnels.values()) == board.total.landed == 1


def test_the_board_page_and_its_workbook_show_the_figures(make_event, make_district, fill,  # noqa: F811
                                                          login_as, make_user):
    office, now = _world(make_event, make_district, fill)
    board = figures.build(_db.session, office, now=now)
    client, _ = login_as("organizer")
    page = client.get(f"/o/{office.slug}/outcomes/")
    assert page.status_code == 200
    assert "15,500,000" in page.text
    assert "Office or lab provided" in page.text  # the late milestone
    response = client.get(f"/o/{office.slug}/outcomes/board.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[:5] == ["By event", "By district", "By chain", "By year", "Total"]
    total = list(book["Total"].iter_rows(values_only=True))
    header, values = total[0], total[1]
    figures_by_header = dict(zip(header, values, strict=True))
    assert figures_by_header["Investment (yuan)"] == 15_500_000
    assert figures_by_header["Landed"] == 1
    assert figures_by_header["People on site"] == 7
    events = list(book["By event"].iter_rows(values_only=True))
    assert len(events) == 1 + len(board.events)
    assert sum(row[events[0].index("Intents signed")] for row in events[1:]) == 4
    # in Chinese, for a leader who reads Chinese
    zh, _ = login_as(make_user("organizer", locale="zh_Hans_CN"))
    book = load_workbook(io.BytesIO(zh.get(f"/o/{office.slug}/outcomes/board.xlsx").data))
    assert "按活动" in book.sheetnames
    assert "投资额（元）" in next(book.worksheets[4].iter_rows(values_only=True))


def test_the_board_takes_as_many_queries_for_many_events_as_for_few(make_event, make_district,
                                                                    fill):  # noqa: F811
    office, now = _world(make_event, make_district, fill)
    statements: list[str] = []

    def count(*args) -> None:
        statements.append(args[2])

    def queries() -> int:
        statements.clear()
        sa_event.listen(_db.engine, "before_cursor_execute", count)
        try:
            figures.build(_db.session, office, now=now)
        finally:
            sa_event.remove(_db.engine, "before_cursor_execute", count)
        _db.session.expire_all()
        return len(statements)

    queries()  # warm: the same objects expired before each count
    few = queries()
    district = make_district(code="jiawang", name_zh="贾汪区", name_en="Jiawang District")
    for _ in range(3):
        fill(make_event(phase="finished"), ["finalist", "finalist"], ["US", "DE"],
             district=district, signed=2)
    projects.open_missing(_db.session, now)
    _db.session.commit()
    assert figures.build(_db.session, office, now=now).total.projects == 10
    queries()
    assert queries() == few
