"""Outcomes factories: sealed intents (signing's own factories), their projects, and helpers to
walk a milestone through evidence and confirmation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.applications.demo import deck_pdf
from roadshow.db import utcnow
from roadshow.extensions import db as _db
from roadshow.outcomes import milestones as work
from roadshow.outcomes import projects
from roadshow.outcomes.models import Milestone, Project
from roadshow.scoping import unscoped
from roadshow.signing.models import Intent
from tests.signing.conftest import (  # noqa: F401 - signing's fixtures, reused here
    INFO,
    Parties,
    _request,
    completed_intent,
    draft_intent,
    parties,
    sent_intent,
)

#: a real one-page PDF, as a unit would upload a registration certificate
PDF = deck_pdf("Business licence", "营业执照", 1)


class Grant:
    """What ``current_grant()`` gives a view, for calling the services directly."""

    def __init__(self, roles: set[Any], district_ids: set[int] = frozenset()) -> None:  # type: ignore[assignment]
        self.roles = frozenset(roles)
        self.district_ids = frozenset(district_ids)


def organizer_grant() -> Grant:
    return Grant({Role.ORGANIZER})


def unit_grant(district_id: int) -> Grant:
    return Grant({Role.RECRUITER}, {district_id})


def project_of(intent: Intent) -> Project:
    _db.session.expire_all()
    return _db.session.scalars(unscoped(select(Project).where(Project.intent_id == intent.id),
                                        "the test reads the project it made")).one()


@pytest.fixture
def sealed(request: pytest.FixtureRequest) -> Callable[..., tuple[Intent, Parties, Project]]:
    """A sealed intent, its parties and the project signing's announcement opened."""
    complete = request.getfixturevalue("completed_intent")
    make_parties = request.getfixturevalue("parties")

    def make(district: Any = None) -> tuple[Intent, Parties, Project]:
        p = make_parties(district=district) if district is not None else make_parties()
        intent = complete(p)
        return intent, p, project_of(intent)

    return make


def walk(milestone: Milestone, p: Parties, *, amount: int | None = None, people: int | None = None,
         note: str = "Business licence issued", when: Any = None) -> Milestone:
    """The unit sends evidence, the organizer confirms it."""
    work.submit_evidence(_db.session, milestone, p.recruiter, unit_grant(milestone.responsible_district_id),
                         work.Evidence(note=note, amount_cny=amount, people_on_site=people,
                                       uploads=(("licence.pdf", PDF),)), now=when)
    work.confirm(_db.session, milestone, p.organizer, organizer_grant(), INFO,
                 now=when or utcnow())
    _db.session.commit()
    return milestone


def late_day(project: Project, days: int = 2) -> Any:
    """A moment ``days`` after the first milestone's deadline (Shanghai noon)."""
    first = project.milestones[0].due_on
    return utcnow().replace(year=first.year, month=first.month, day=first.day, hour=4) + timedelta(
        days=days)


__all__ = ["PDF", "late_day", "project_of", "projects", "walk"]
