"""Industry-chain talent maps (产业链人才图谱, issue 15): for each chain of an office, its nodes from
upstream to downstream with the demands sitting on each, the people of the pool and the
applications that could fill them (those on the node), and the gaps: demands with no good
match, that is no candidate sharing their field (which alone scores ``GOOD_MATCH``) nor one on
their node scoring ``GOOD_MATCH`` with the rest (keywords, degree, experience, interest).

A demand sits on the node it names, else on every node covering its field (as matching reads
it); a chain's figures count each demand once. The candidates come from the office's cached
index (``match_services.candidate_index``); a demand is decided by a set lookup of its fields,
else by scoring the few candidates on its node until one is good (the demo's 345 demands take
some 50 ms, where asking the index for each one's best took seconds).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from roadshow.demands import match_services
from roadshow.demands.candidates import matching_demands
from roadshow.demands.matching import WEIGHT_FIELD, Candidate, MatchIndex, score, tokens
from roadshow.demands.matching import Demand as MatchDemand
from roadshow.demands.models import Demand, IndustryChain

#: the least score a good match has: a shared field, or a shared node with keywords or degree
GOOD_MATCH = WEIGHT_FIELD


@dataclass
class NodeFigures:
    node_id: int
    code: str
    name_zh: str
    name_en: str
    position: int
    demand_ids: list[int] = field(default_factory=list)
    gap_ids: list[int] = field(default_factory=list)
    people: int = 0
    applications: int = 0

    @property
    def demands(self) -> int:
        return len(self.demand_ids)

    @property
    def gaps(self) -> int:
        return len(self.gap_ids)

    @property
    def matched(self) -> int:
        return self.demands - self.gaps


@dataclass
class ChainMap:
    chain_id: int
    code: str
    name_zh: str
    name_en: str
    nodes: list[NodeFigures]
    demand_ids: list[int]
    gap_ids: list[int]
    people: int
    applications: int

    @property
    def demands(self) -> int:
        return len(self.demand_ids)

    @property
    def gaps(self) -> int:
        return len(self.gap_ids)


def chain_maps(session: Session, organisation_id: int, *,
               district_ids: Collection[int] | None = None,
               chain_id: int | None = None) -> list[ChainMap]:
    """The office's chains (or the one of ``chain_id``) with their figures; with
    ``district_ids`` (a district's recruiters), only those districts' demands count."""
    query = (select(IndustryChain).where(IndustryChain.organisation_id == organisation_id)
             .options(selectinload(IndustryChain.nodes))
             .order_by(IndustryChain.position, IndustryChain.id))
    if chain_id is not None:
        query = query.where(IndustryChain.id == chain_id)
    chains = list(session.scalars(query))
    if not chains:
        return []
    demands = [d for d in matching_demands(session, organisation_id)
               if district_ids is None or d.district_id in district_ids]
    index = match_services.candidate_index(session, organisation_id)
    people: dict[str, int] = {}
    applications: dict[str, int] = {}
    holders: dict[str, set[tuple[str, int]]] = {}
    fields: set[str] = set()
    for ident, item in index.items.items():
        assert isinstance(item, Candidate)
        fields.update(item.fields)
        for node in item.nodes:
            holders.setdefault(node, set()).add(ident)
            counter = people if ident[0] == "person" else applications
            counter[node] = counter.get(node, 0) + 1
    gaps: dict[int, bool] = {}
    maps = []
    for chain in chains:
        figures = [NodeFigures(node.id, node.code, node.name_zh, node.name_en, node.position,
                               people=people.get(str(node.id), 0),
                               applications=applications.get(str(node.id), 0))
                   for node in chain.nodes]
        by_key = {str(f.node_id): f for f in figures}
        chain_demands: list[int] = []
        chain_gaps: list[int] = []
        for demand in demands:
            on = [by_key[n] for n in sorted(demand.nodes) if n in by_key]
            if not on:
                continue
            if demand.key not in gaps:
                gaps[demand.key] = not _has_good_match(demand, index, fields, holders)
            chain_demands.append(demand.key)
            if gaps[demand.key]:
                chain_gaps.append(demand.key)
            for node in on:
                node.demand_ids.append(demand.key)
                if gaps[demand.key]:
                    node.gap_ids.append(demand.key)
        on_chain = set().union(*(holders.get(str(f.node_id), set()) for f in figures))
        maps.append(ChainMap(
            chain.id, chain.code, chain.name_zh, chain.name_en, figures, chain_demands,
            chain_gaps, people=sum(1 for kind, _key in on_chain if kind == "person"),
            applications=sum(1 for kind, _key in on_chain if kind == "application")))
    return maps


def _has_good_match(demand: MatchDemand, index: MatchIndex, fields: set[str],
                    holders: dict[str, set[tuple[str, int]]]) -> bool:
    if demand.fields & fields:
        return True  # a shared field scores GOOD_MATCH by itself
    words = tokens(demand.text)
    for node in sorted(demand.nodes):
        for ident in sorted(holders.get(node, ())):
            item = index.items[ident]
            assert isinstance(item, Candidate)
            if score(demand, item, demand_tokens=words,
                     candidate_tokens=index.tokens[ident])[0] >= GOOD_MATCH:
                return True
    return False


def demands_by_id(session: Session, organisation_id: int, ids: Collection[int]) -> dict[int, Demand]:
    if not ids:
        return {}
    return {d.id: d for d in session.scalars(
        select(Demand).where(Demand.organisation_id == organisation_id, Demand.id.in_(ids))
        .options(selectinload(Demand.district)))}
