"""Industry-chain talent maps (issue 15): each link's figures are the rows they count (demands on
the link, people and applications on it, gaps with no good match), on the page, in its chart
and in the workbook; a district's recruiters count their own districts' demands."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from sqlalchemy import func, or_, select

from roadshow.demands import chains
from roadshow.demands.candidates import MATCHED_DEMANDS
from roadshow.demands.models import Demand, demand_chain_node_industries
from roadshow.extensions import db
from roadshow.talent.models import person_industries
from tests.demands.match_world import build_world

pytestmark = pytest.mark.no_default_organisation


def _demands_on(node) -> int:
    """Accepted or published demands naming the link, or filed under a field it covers."""
    covered = select(demand_chain_node_industries.c.industry_id).where(
        demand_chain_node_industries.c.node_id == node.id)
    return db.session.scalar(select(func.count(Demand.id)).where(
        Demand.status.in_(MATCHED_DEMANDS), or_(
            Demand.chain_node_id == node.id,
            Demand.chain_node_id.is_(None) & Demand.industry_id.in_(covered))))


def _people_on(node) -> int:
    covered = select(demand_chain_node_industries.c.industry_id).where(
        demand_chain_node_industries.c.node_id == node.id)
    return db.session.scalar(select(func.count(func.distinct(person_industries.c.person_id)))
                             .where(person_industries.c.industry_id.in_(covered)))


def test_the_chain_maps_figures_are_the_rows_they_count(make_user, login_as):
    world = build_world(make_user)
    [found] = chains.chain_maps(db.session, world.office.id)
    design, fab = found.nodes
    assert [n.code for n in found.nodes] == ["design", "fab"]  # upstream first
    for node, row in ((design, world.design), (fab, world.fab)):
        assert node.demands == _demands_on(row)
        assert node.people == _people_on(row)
    assert (design.demands, design.gaps, design.people) == (1, 0, 1)
    assert (fab.demands, fab.gaps, fab.people, fab.applications) == (1, 1, 0, 0)  # not the draft
    assert found.gap_ids == [world.fab_demand.id]
    assert found.demands == design.demands + fab.demands

    client, _ = login_as(world.organizer)
    overview = client.get(world.url("/chains"))
    assert overview.status_code == 200
    assert "<svg" in overview.text
    assert "Demands: 1" in overview.text
    assert "2 demands, 1 gaps, 1 people, 0 applications" in overview.text
    page = client.get(world.url(f"/chains/{world.chain.id}"))
    shown = dict(re.findall(
        r'<tr data-node="(\d+)">.*?data-figure="demands">(\d+)<', page.text, re.S))
    assert shown == {str(world.design.id): "1", str(world.fab.id): "1"}
    start = page.text.index('id="chain-gaps"')
    gaps = page.text[start:page.text.index("</ul>", start)]
    assert "Raising the wafer yield" in gaps
    assert "射频芯片设计总监" not in gaps
    # every demand on the chain leads to its matches
    assert f'href="/o/xiao/demands/{world.demand.id}/matches"' in page.text

    book = client.get(world.url("/chains.xlsx"))
    assert book.status_code == 200
    sheets = openpyxl.load_workbook(io.BytesIO(book.data), read_only=True)
    nodes_sheet, gaps_sheet = sheets.worksheets
    rows = list(nodes_sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Industry chain", "Position", "Link of the chain")
    assert [r[2:8] for r in rows[1:]] == [
        ("Chip design", 1, 1, 0, 1, 0), ("Wafer fabrication", 1, 0, 1, 0, 0)]
    assert [r[1] for r in list(gaps_sheet.iter_rows(values_only=True))[1:]] == [
        "Raising the wafer yield"]


def test_a_districts_recruiter_counts_their_own_demands(make_user, login_as):
    world = build_world(make_user)
    feng, _ = login_as(world.feng_recruiter)
    page = feng.get(world.url(f"/chains/{world.chain.id}"))
    assert page.status_code == 200
    shown = dict(re.findall(
        r'<tr data-node="(\d+)">.*?data-figure="demands">(\d+)<', page.text, re.S))
    assert shown == {str(world.design.id): "0", str(world.fab.id): "1"}
    assert feng.get(world.url("/chains/999999")).status_code == 404
