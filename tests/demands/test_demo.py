"""The demo's demand catalogue: a collecting round of about 900 bilingual demands across the
office's districts and chains, last year's published round, chains with ordered nodes, resources."""

from __future__ import annotations

from sqlalchemy import func, select

from roadshow.demands import catalogue
from roadshow.demands.demo import DEMANDS, OLD_DEMANDS
from roadshow.demands.models import ChainNode, Demand, DemandRound, Resource, RoundStatus
from roadshow.extensions import db
from roadshow.scoping import unscoped
from tests.demo.pages import walk

PASSWORD = "Roadshow-demo-2026"  # noqa: S105 - the demo's printed password


def _count(query):
    return db.session.scalar(unscoped(query, "the test counts the demo's rows"))


def test_the_demo_catalogue(loaded_demo):
    rounds = db.session.scalars(unscoped(select(DemandRound).order_by(DemandRound.id),
                                         "the demo's rounds")).all()
    assert [r.status for r in rounds] == [RoundStatus.PUBLISHED, RoundStatus.COLLECTING]
    old, current = rounds
    assert _count(select(func.count()).select_from(Demand).where(Demand.round_id == current.id)) \
        == DEMANDS
    published = db.session.scalars(catalogue.catalogue_query(old)).all()
    assert len(published) == OLD_DEMANDS
    assert all(d.title_zh and d.title_en and d.industry_id and d.chain_node_id for d in published)
    assert _count(select(func.count(func.distinct(Demand.district_id)))) == 12
    assert _count(select(func.count(func.distinct(Demand.title_en)))) > 100
    assert _count(select(func.count()).select_from(ChainNode)) > 5
    assert _count(select(func.count()).select_from(Resource)) == 4


def test_the_demo_logins_reach_the_demand_pages_by_links(app, loaded_demo):
    organizer = _login(app, "organizer@example.org")
    pages = walk(organizer, "/dashboard", follow=lambda path: path == "/dashboard"
                 or "/demands" in path, limit=12)
    assert "/o/xuzhou/demands/" in pages
    recruiter = _login(app, "recruiter-gulou@example.org")
    reached = walk(recruiter, "/dashboard", follow=lambda path: path == "/dashboard"
                   or "/districts/" in path or "/demands" in path, limit=30)
    assert "/o/xuzhou/demands/" in reached
    assert "/o/xuzhou/demands/projects" in reached


def _login(app, email: str):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client
