"""The demand catalogue's flow (issue 15): an organizer opens a round; district recruiters (their
own district only) and organizers enter demands and submit them; the office accepts them or
returns them with a note; publishing the round makes its accepted demands the public catalogue.

Services take the session, the acting user and their grant (``roles``, ``district_ids``); a
refused change raises ``DemandError`` with a message in the user's language and the field it
concerns, so the form shows it beside what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from roadshow.accounts.roles import Role
from roadshow.db import utcnow
from roadshow.demands.models import (
    Demand,
    DemandKind,
    DemandRound,
    DemandStatus,
    RoundStatus,
)
from roadshow.talent.models import Degree

#: the statuses a demand can be edited in by the district that entered it
EDITABLE = frozenset({DemandStatus.DRAFT, DemandStatus.RETURNED})
#: the statuses the public catalogue shows
PUBLIC = (DemandStatus.PUBLISHED, DemandStatus.FILLED)


class DemandError(Exception):
    """A refused change, with a message in the user's language; ``field`` names the input."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class DemandForbiddenError(Exception):
    """The actor may not see or change this row."""


@dataclass(frozen=True)
class DemandData:
    """What the demand form sends, already split into typed values (see ``parse_form``)."""

    district_id: int
    kind: DemandKind
    title_zh: str
    title_en: str = ""
    description_zh: str = ""
    description_en: str = ""
    company_zh: str = ""
    company_en: str = ""
    keywords_zh: str = ""
    keywords_en: str = ""
    industry_id: int | None = None
    degree: Degree | None = None
    experience_years: int | None = None
    headcount: int = 1
    salary_min_cny: int | None = None
    salary_max_cny: int | None = None
    funding_cny: int | None = None
    housing: bool = False
    lab_space_m2: int | None = None
    deadline: date | None = None
    en_machine_translated: bool = False


def is_organizer(grant: Any) -> bool:
    return Role.ORGANIZER in grant.roles


def may_edit_district(grant: Any, district_id: int) -> bool:
    """Organizers enter demands for any district; a recruiter only for their own."""
    return is_organizer(grant) or district_id in grant.district_ids


def _int(form: Any, name: str, *, minimum: int = 0) -> int | None:
    raw = (form.get(name) or "").strip().replace(",", "")
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise DemandError(_("Please enter a whole number."), name) from None
    if value < minimum:
        raise DemandError(_("Please enter a number of at least %(n)s.", n=minimum), name)
    return value


def parse_form(form: Any) -> DemandData:
    """The demand form's fields as ``DemandData``; a bad value raises ``DemandError``."""
    district = _int(form, "district_id", minimum=1)
    if district is None:
        raise DemandError(_("Please choose a district."), "district_id")
    try:
        kind = DemandKind(form.get("kind") or "")
    except ValueError:
        raise DemandError(_("Please choose a position or a problem."), "kind") from None
    degree_raw = form.get("degree") or ""
    try:
        degree = Degree(degree_raw) if degree_raw else None
    except ValueError:
        raise DemandError(_("Please choose a degree from the list."), "degree") from None
    deadline_raw = (form.get("deadline") or "").strip()
    try:
        deadline = date.fromisoformat(deadline_raw) if deadline_raw else None
    except ValueError:
        raise DemandError(_("Please enter the date as YYYY-MM-DD."), "deadline") from None
    headcount = _int(form, "headcount", minimum=1)
    data = DemandData(
        district_id=district, kind=kind,
        title_zh=(form.get("title_zh") or "").strip(), title_en=(form.get("title_en") or "").strip(),
        description_zh=(form.get("description_zh") or "").strip(),
        description_en=(form.get("description_en") or "").strip(),
        company_zh=(form.get("company_zh") or "").strip(),
        company_en=(form.get("company_en") or "").strip(),
        keywords_zh=(form.get("keywords_zh") or "").strip(),
        keywords_en=(form.get("keywords_en") or "").strip(),
        industry_id=_int(form, "industry_id", minimum=1), degree=degree,
        experience_years=_int(form, "experience_years"),
        headcount=headcount if headcount is not None else 1,
        salary_min_cny=_int(form, "salary_min_cny"), salary_max_cny=_int(form, "salary_max_cny"),
        funding_cny=_int(form, "funding_cny"), housing=bool(form.get("housing")),
        lab_space_m2=_int(form, "lab_space_m2"), deadline=deadline,
        en_machine_translated=bool(form.get("en_machine_translated")),
    )
    validate(data)
    return data


def validate(data: DemandData) -> None:
    if not data.title_zh:
        raise DemandError(_("Please enter the Chinese title."), "title_zh")
    if len(data.title_zh) > 200 or len(data.title_en) > 200:
        raise DemandError(_("A title may have at most 200 characters."), "title_zh")
    if (data.salary_min_cny is not None and data.salary_max_cny is not None
            and data.salary_min_cny > data.salary_max_cny):
        raise DemandError(_("The lowest salary is above the highest."), "salary_max_cny")


def open_round(session: Session, organisation_id: int, grant: Any, *, title_zh: str,
               title_en: str, opens_on: date, closes_on: date) -> DemandRound:
    if not is_organizer(grant):
        raise DemandForbiddenError
    if not title_zh.strip() or not title_en.strip():
        raise DemandError(_("Please enter the round's title in both languages."), "title_zh")
    if closes_on < opens_on:
        raise DemandError(_("The round cannot close before it opens."), "closes_on")
    round_ = DemandRound(organisation_id=organisation_id, title_zh=title_zh.strip(),
                         title_en=title_en.strip(), opens_on=opens_on, closes_on=closes_on)
    session.add(round_)
    session.flush()
    return round_


def enter_demand(session: Session, round_: DemandRound, actor: Any, grant: Any,
                 data: DemandData) -> Demand:
    if not may_edit_district(grant, data.district_id):
        raise DemandForbiddenError
    if round_.status is not RoundStatus.COLLECTING:
        raise DemandError(_("This round no longer takes demands."))
    validate(data)
    demand = Demand(round_id=round_.id, organisation_id=round_.organisation_id,
                    created_by_id=getattr(actor, "id", None), **_columns(data))
    session.add(demand)
    session.flush()
    return demand


def update_demand(session: Session, demand: Demand, grant: Any, data: DemandData) -> Demand:
    if not may_edit_district(grant, demand.district_id) or not may_edit_district(
            grant, data.district_id):
        raise DemandForbiddenError
    if demand.status not in EDITABLE and not is_organizer(grant):
        raise DemandError(_("A submitted demand can no longer be changed."))
    validate(data)
    for name, value in _columns(data).items():
        setattr(demand, name, value)
    session.flush()
    return demand


def round_takes(demand: Demand) -> bool:
    """Whether the demand's round takes it now: any while it collects, one returned to its
    district while the office reviews."""
    return demand.round.status is RoundStatus.COLLECTING or (
        demand.status is DemandStatus.RETURNED and demand.round.status is RoundStatus.REVIEWING)


def submit(session: Session, demand: Demand, grant: Any) -> Demand:
    """A district submits its draft while the round collects; a demand the office returned may
    come back while the office reviews too."""
    if not may_edit_district(grant, demand.district_id):
        raise DemandForbiddenError
    if demand.status not in EDITABLE:
        raise DemandError(_("This demand has already been submitted."))
    if not round_takes(demand):
        raise DemandError(_("Entry to this round is closed: ask the office to reopen it."))
    demand.status = DemandStatus.SUBMITTED
    demand.submitted_at = utcnow()
    session.flush()
    return demand


def review(session: Session, demand: Demand, grant: Any, *, accept: bool, note: str = "") -> Demand:
    """The office accepts a submitted demand or returns it with a note saying what to fix."""
    if not is_organizer(grant):
        raise DemandForbiddenError
    if demand.status is not DemandStatus.SUBMITTED:
        raise DemandError(_("Only a submitted demand can be reviewed."))
    if not accept and not note.strip():
        raise DemandError(_("Please say what the district should change."), "review_note")
    demand.status = DemandStatus.ACCEPTED if accept else DemandStatus.RETURNED
    demand.review_note = note.strip()
    demand.reviewed_at = utcnow()
    session.flush()
    return demand


def withdraw(session: Session, demand: Demand, grant: Any) -> Demand:
    if not may_edit_district(grant, demand.district_id):
        raise DemandForbiddenError
    demand.status = DemandStatus.WITHDRAWN
    session.flush()
    return demand


def close_entry(session: Session, round_: DemandRound, grant: Any, *,
                reopen: bool = False) -> DemandRound:
    """The office closes entry to a collecting round to review it (districts then add and submit
    nothing new, and answer only what was returned to them), or opens it again."""
    if not is_organizer(grant):
        raise DemandForbiddenError
    if reopen:
        if round_.status is not RoundStatus.REVIEWING:
            raise DemandError(_("Only a round in review can take demands again."))
        round_.status = RoundStatus.COLLECTING
    else:
        if round_.status is not RoundStatus.COLLECTING:
            raise DemandError(_("Entry to this round is closed already."))
        round_.status = RoundStatus.REVIEWING
    session.flush()
    return round_


def publish(session: Session, round_: DemandRound, grant: Any) -> int:
    """Publish the round: its accepted demands become the public catalogue; returns how many."""
    if not is_organizer(grant):
        raise DemandForbiddenError
    if round_.status in (RoundStatus.PUBLISHED, RoundStatus.CLOSED):
        raise DemandError(_("This round has already been published."))
    accepted = session.scalars(select(Demand).where(
        Demand.round_id == round_.id, Demand.status == DemandStatus.ACCEPTED)).all()
    for demand in accepted:
        demand.status = DemandStatus.PUBLISHED
    round_.status = RoundStatus.PUBLISHED
    round_.published_at = utcnow()
    session.flush()
    return len(accepted)


def catalogue_query(round_: DemandRound, *, district_id: int | None = None,
                    kind: DemandKind | None = None,
                    industry_ids: tuple[int, ...] = ()) -> Select[tuple[Demand]]:
    """The public catalogue of a published round, filtered by district, kind and fields."""
    query = select(Demand).where(Demand.round_id == round_.id, Demand.status.in_(PUBLIC))
    if district_id is not None:
        query = query.where(Demand.district_id == district_id)
    if kind is not None:
        query = query.where(Demand.kind == kind)
    if industry_ids:
        query = query.where(Demand.industry_id.in_(industry_ids))
    return query.order_by(Demand.district_id, Demand.id)


def visible_to_public(round_: DemandRound) -> bool:
    return round_.status is RoundStatus.PUBLISHED


def _columns(data: DemandData) -> dict[str, Any]:
    return {name: getattr(data, name) for name in DemandData.__dataclass_fields__}
