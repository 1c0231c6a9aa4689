"""The demand catalogue (需求清单) and the partners' resources (资源清单), issue 15.

An organisation opens a ``DemandRound``; district recruiters and organizers enter ``Demand`` rows
(a position to fill or a problem to solve) that the office reviews and publishes as a bilingual
catalogue. Industry chains (``IndustryChain``) order their ``ChainNode`` rows upstream to
downstream; each node names the codes of the talent pool's taxonomy (``talent.Industry``) it
covers, so a demand filed under a field sits on a node and a chain (the chain maps read this).
``Resource`` rows are the experts, labs and platforms of partner universities and institutes.
A match the office takes on becomes a ``ProjectEntry`` of its project list (项目清单) with a lead
unit, a deadline and a status; a ``RejectedMatch`` is not suggested again.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roadshow.db import utcnow, value_enum
from roadshow.extensions import db
from roadshow.talent.models import Degree

if TYPE_CHECKING:
    from roadshow.accounts.models import User
    from roadshow.districts.models import District
    from roadshow.talent.models import Industry, Person


class RoundStatus(StrEnum):
    COLLECTING = "collecting"  # districts enter demands
    REVIEWING = "reviewing"  # entry closed, the office reviews
    PUBLISHED = "published"  # the accepted demands are the public catalogue
    CLOSED = "closed"  # archived


class DemandKind(StrEnum):
    POSITION = "position"  # a post to fill (岗位需求)
    PROBLEM = "problem"  # a technical problem to solve (技术难题)


class DemandStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"  # sent back with a review note
    ACCEPTED = "accepted"
    PUBLISHED = "published"
    FILLED = "filled"
    WITHDRAWN = "withdrawn"


class ResourceKind(StrEnum):
    EXPERT = "expert"
    LAB = "lab"
    PLATFORM = "platform"


class IndustryChain(db.Model):
    """An industry chain of an office (e.g. 集成电路), its nodes ordered upstream to downstream."""

    __tablename__ = "demand_chains"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    #: the taxonomy's chain entry (a top-level ``talent.Industry``) this chain stands for, if any
    industry_id: Mapped[int | None] = mapped_column(
        ForeignKey("talent_industries.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0)

    nodes: Mapped[list[ChainNode]] = relationship(
        back_populates="chain", cascade="all, delete-orphan", order_by="ChainNode.position")


class ChainNode(db.Model):
    """One link of a chain (e.g. 设计 → 制造 → 封测); ``position`` 0 is the most upstream."""

    __tablename__ = "demand_chain_nodes"
    __table_args__ = (UniqueConstraint("chain_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = mapped_column(ForeignKey("demand_chains.id", ondelete="CASCADE"),
                                          index=True)
    code: Mapped[str] = mapped_column(String(40))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)

    chain: Mapped[IndustryChain] = relationship(back_populates="nodes")
    industries: Mapped[list[Industry]] = relationship(secondary="demand_chain_node_industries")


demand_chain_node_industries = Table(
    "demand_chain_node_industries", db.Model.metadata,
    Column("node_id", ForeignKey("demand_chain_nodes.id", ondelete="CASCADE"), primary_key=True),
    Column("industry_id", ForeignKey("talent_industries.id", ondelete="CASCADE"),
           primary_key=True),
)


class DemandRound(db.Model):
    """A collection round of an office (e.g. 2027 上半年需求征集)."""

    __tablename__ = "demand_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    status: Mapped[RoundStatus] = mapped_column(value_enum(RoundStatus, "demand_round_status"),
                                                default=RoundStatus.COLLECTING)
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    demands: Mapped[list[Demand]] = relationship(back_populates="round")


class Demand(db.Model):
    """A district's demand: a position or a problem, with what it offers."""

    __tablename__ = "demands"
    __table_args__ = (
        Index("ix_demands_round_status", "round_id", "status"),
        Index("ix_demands_org_district", "organisation_id", "district_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("demand_rounds.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"))
    company_zh: Mapped[str] = mapped_column(String(200), default="")
    company_en: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[DemandKind] = mapped_column(value_enum(DemandKind, "demand_kind"))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    #: free keywords for matching, comma or space separated
    keywords_zh: Mapped[str] = mapped_column(String(400), default="")
    keywords_en: Mapped[str] = mapped_column(String(400), default="")
    #: a field (or chain) of the talent pool's taxonomy
    industry_id: Mapped[int | None] = mapped_column(
        ForeignKey("talent_industries.id", ondelete="SET NULL"), index=True)
    #: the chain node it sits on, when the field is on several nodes or none
    chain_node_id: Mapped[int | None] = mapped_column(
        ForeignKey("demand_chain_nodes.id", ondelete="SET NULL"))
    degree: Mapped[Degree | None] = mapped_column(value_enum(Degree, "demand_degree"))
    experience_years: Mapped[int | None]
    headcount: Mapped[int] = mapped_column(default=1)
    salary_min_cny: Mapped[int | None] = mapped_column(BigInteger)  # yearly
    salary_max_cny: Mapped[int | None] = mapped_column(BigInteger)
    funding_cny: Mapped[int | None] = mapped_column(BigInteger)
    housing: Mapped[bool] = mapped_column(default=False)
    lab_space_m2: Mapped[int | None]
    deadline: Mapped[date | None]
    en_machine_translated: Mapped[bool] = mapped_column(default=False)
    status: Mapped[DemandStatus] = mapped_column(value_enum(DemandStatus, "demand_status"),
                                                 default=DemandStatus.DRAFT)
    review_note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    reviewed_at: Mapped[datetime | None]

    round: Mapped[DemandRound] = relationship(back_populates="demands")
    district: Mapped[District] = relationship()
    industry: Mapped[Industry | None] = relationship()
    chain_node: Mapped[ChainNode | None] = relationship()


#: demands attached to an event's call for projects
demand_events = Table(
    "demand_events", db.Model.metadata,
    Column("demand_id", ForeignKey("demands.id", ondelete="CASCADE"), primary_key=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Resource(db.Model):
    """An expert, lab or platform a partner university or institute offers."""

    __tablename__ = "demand_resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    partner_zh: Mapped[str] = mapped_column(String(200))
    partner_en: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[ResourceKind] = mapped_column(value_enum(ResourceKind, "demand_resource_kind"))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    industry_id: Mapped[int | None] = mapped_column(
        ForeignKey("talent_industries.id", ondelete="SET NULL"))
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    industry: Mapped[Industry | None] = relationship()


# --- the project list (项目清单): matches the office took on or turned down ---------------------

class EntryStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"  # the match fell through; kept on the list as a record


#: the statuses that end an entry (and its task): neither is overdue any more
ENDED = frozenset({EntryStatus.DONE, EntryStatus.CANCELLED})


class ProjectEntry(db.Model):
    """A match the office took on: a demand and a person or an application, a lead unit, a
    deadline, a note and a status."""

    __tablename__ = "demand_project_entries"
    __table_args__ = (Index("ix_demand_project_entries_org_status", "organisation_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    demand_id: Mapped[int] = mapped_column(ForeignKey("demands.id", ondelete="CASCADE"),
                                           index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("talent_people.id", ondelete="SET NULL"))
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"))
    lead_district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"))
    due_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[EntryStatus] = mapped_column(value_enum(EntryStatus, "demand_project_status"),
                                                default=EntryStatus.OPEN)
    score: Mapped[float] = mapped_column(default=0.0)
    #: the outcomes task opened for it (outcomes answers ``entry_accepted``)
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("outcome_tasks.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: when it was done or cancelled (its task's date when the task ended it)
    closed_at: Mapped[datetime | None]

    demand: Mapped[Demand] = relationship()
    person: Mapped[Person | None] = relationship()
    lead_district: Mapped[District] = relationship()

    @property
    def candidate_kind(self) -> str:
        return "person" if self.person_id is not None else "application"


class RejectedMatch(db.Model):
    """A match the office turned down, with the officer's reason: not suggested again until
    an officer restores it (a ``RestoredMatch`` then records both decisions)."""

    __tablename__ = "demand_rejected_matches"
    __table_args__ = (UniqueConstraint("demand_id", "candidate_kind", "candidate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demands.id", ondelete="CASCADE"))
    candidate_kind: Mapped[str] = mapped_column(String(20))
    candidate_id: Mapped[int]
    rejected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rejected_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")

    rejected_by: Mapped[User | None] = relationship(foreign_keys=[rejected_by_id])


class RestoredMatch(db.Model):
    """A turned-down match an officer restored: who turned it down, when and why, and who
    restored it when. The match is suggested again."""

    __tablename__ = "demand_restored_matches"
    __table_args__ = (Index("ix_demand_restored_matches_demand", "demand_id", "candidate_kind",
                            "candidate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demands.id", ondelete="CASCADE"))
    candidate_kind: Mapped[str] = mapped_column(String(20))
    candidate_id: Mapped[int]
    rejected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rejected_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text, default="")
    restored_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    restored_at: Mapped[datetime] = mapped_column(default=utcnow)

    rejected_by: Mapped[User | None] = relationship(foreign_keys=[rejected_by_id])
    restored_by: Mapped[User | None] = relationship(foreign_keys=[restored_by_id])
