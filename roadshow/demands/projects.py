"""The project list (项目清单, issue 15): a match between a demand and a person of the pool or an
application, accepted by the office into an entry with a lead unit (a district), a deadline, a
note and a status; a rejected match is remembered so it is not suggested again.

Accepting introduces the people concerned by mail (the demand's district recruiters through the
notifications, in each one's language; the person too when the record has an email) and sends
``entry_accepted``: the outcomes layer listens and opens a task of its plan for the lead unit,
answering the task's id, which the entry keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from blinker import Namespace
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.demands import follow_up
from roadshow.demands.models import (
    ENDED,
    Demand,
    EntryStatus,
    ProjectEntry,
    RejectedMatch,
    RestoredMatch,
)
from roadshow.districts.models import District
from roadshow.events.models import Event
from roadshow.mail.outbox import Recipient, queue_email
from roadshow.notifications import kinds
from roadshow.notifications.services import notify, page
from roadshow.organisations.models import EventRole, EventRoleKind
from roadshow.scoping import across
from roadshow.talent.models import Person

if TYPE_CHECKING:
    from roadshow.organisations.models import Organisation

KINDS = ("person", "application")
REASON_MAX = 500

signals = Namespace()
#: sent with the session as sender and ``entry=`` the new entry, after it is flushed; a
#: receiver may answer the id of the task it opened for the entry
entry_accepted = signals.signal("demand-project-entry-accepted")

INTRODUCED = kinds.register(kinds.NotificationKind(
    "demand_match_introduced", _l("A demand of my district matched with a talent"),
    _l("“%(demand)s” is matched with %(candidate)s in the project list."),
    audience="district"))


class ProjectError(Exception):
    """A refused change, with a message in the user's language; ``field`` names the input."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class ProjectForbiddenError(Exception):
    """The actor may not see or change this row."""


@dataclass(frozen=True)
class EntryData:
    lead_district_id: int | None
    due_on: date | None
    note: str = ""


def is_organizer(grant: Any) -> bool:
    return Role.ORGANIZER in grant.roles


def may_match(grant: Any, demand: Demand) -> bool:
    """Organizers match every demand of the office; a district's recruiters their own."""
    return is_organizer(grant) or demand.district_id in grant.district_ids


def office_event_ids(session: Session, organisation_id: int) -> list[int]:
    return list(session.scalars(select(Event.id).where(Event.organisation_id == organisation_id)))


def office_application(session: Session, organisation_id: int,
                       application_id: int) -> Application | None:
    return session.scalar(across(select(Application).where(Application.id == application_id),
                                 office_event_ids(session, organisation_id)))


def rejected_keys(session: Session, demand_ids: list[int] | None = None, *,
                  organisation_id: int) -> set[tuple[int, str, int]]:
    """(demand, kind, candidate) of every match the office turned down."""
    query = select(RejectedMatch.demand_id, RejectedMatch.candidate_kind,
                   RejectedMatch.candidate_id).where(
        RejectedMatch.organisation_id == organisation_id)
    if demand_ids is not None:
        query = query.where(RejectedMatch.demand_id.in_(demand_ids))
    return {(d, k, c) for d, k, c in session.execute(query)}


def accepted_keys(session: Session, *, organisation_id: int,
                  demand_ids: list[int] | None = None) -> dict[tuple[int, str, int], int]:
    """(demand, kind, candidate) -> the entry of every match already in the project list."""
    query = select(ProjectEntry.id, ProjectEntry.demand_id, ProjectEntry.person_id,
                   ProjectEntry.application_id).where(
        ProjectEntry.organisation_id == organisation_id)
    if demand_ids is not None:
        query = query.where(ProjectEntry.demand_id.in_(demand_ids))
    found = {}
    for entry_id, demand_id, person_id, application_id in session.execute(query):
        if person_id is not None:
            found[(demand_id, "person", person_id)] = entry_id
        if application_id is not None:
            found[(demand_id, "application", application_id)] = entry_id
    return found


def _check_candidate(kind: str, candidate: Any) -> None:
    if kind not in KINDS or candidate is None:
        raise ProjectError(_("Choose a person of the pool or an application of the office."),
                           "candidate")


def accept(session: Session, organisation: Organisation, actor: Any, grant: Any, demand: Demand,
           kind: str, candidate: Person | Application | None, data: EntryData, *,
           score: float = 0.0, now: datetime | None = None) -> ProjectEntry:
    """Takes a match into the project list, introduces the people and announces the entry."""
    entry = take_on(session, organisation, actor, grant, demand, kind, candidate, data,
                    score=score, now=now)
    introduce(session, organisation, entry, demand, kind, candidate)
    session.flush()
    return entry


def take_on(session: Session, organisation: Organisation, actor: Any, grant: Any, demand: Demand,
            kind: str, candidate: Person | Application | None, data: EntryData, *,
            score: float = 0.0, now: datetime | None = None) -> ProjectEntry:
    """The entry and its task (``entry_accepted``), without the introductions."""
    if not may_match(grant, demand):
        raise ProjectForbiddenError("the demand is no district's of the actor")
    _check_candidate(kind, candidate)
    if data.lead_district_id is None:
        raise ProjectError(_("Choose the lead unit."), "lead")
    lead = session.scalar(select(District).where(District.id == data.lead_district_id,
                                                 District.organisation_id == organisation.id))
    if lead is None:
        raise ProjectError(_("Choose the lead unit among the office's districts."), "lead")
    if not is_organizer(grant) and lead.id not in grant.district_ids:
        raise ProjectError(_("Choose your own district as the lead unit."), "lead")
    if data.due_on is None:
        raise ProjectError(_("Enter the deadline as a date."), "due_on")
    key = (demand.id, kind, candidate.id)  # type: ignore[union-attr]
    if key in accepted_keys(session, organisation_id=organisation.id, demand_ids=[demand.id]):
        raise ProjectError(_("This match is already in the project list."), "candidate")
    now = now or utcnow()
    entry = ProjectEntry(
        organisation_id=organisation.id, demand=demand, lead_district=lead, due_on=data.due_on,
        note=(data.note or "").strip(), score=score, created_by_id=actor.id, created_at=now,
        updated_at=now, status=EntryStatus.OPEN,
        person_id=candidate.id if kind == "person" else None,  # type: ignore[union-attr]
        application_id=candidate.id if kind == "application" else None)  # type: ignore[union-attr]
    session.add(entry)
    session.flush()
    for _receiver, answer in entry_accepted.send(session, entry=entry, demand=demand,
                                                 candidate=candidate, actor=actor):
        if isinstance(answer, int) and not isinstance(answer, bool):
            entry.task_id = answer
    session.flush()
    return entry


def reject(session: Session, organisation: Organisation, actor: Any, grant: Any, demand: Demand,
           kind: str, candidate_id: int, reason: str = "",
           now: datetime | None = None) -> RejectedMatch:
    """Turns a match down with the officer's reason; it is not suggested again."""
    if not may_match(grant, demand):
        raise ProjectForbiddenError("the demand is no district's of the actor")
    if kind not in KINDS:
        raise ProjectError(_("Choose a person of the pool or an application of the office."),
                           "candidate")
    reason = (reason or "").strip()
    if not reason:
        raise ProjectError(_("Say why the match is turned down: a colleague may restore it."),
                           "reason")
    if len(reason) > REASON_MAX:
        raise ProjectError(_("Keep the reason under %(num)d characters.", num=REASON_MAX),
                           "reason")
    found = session.scalar(select(RejectedMatch).where(
        RejectedMatch.demand_id == demand.id, RejectedMatch.candidate_kind == kind,
        RejectedMatch.candidate_id == candidate_id))
    if found is not None:
        return found
    row = RejectedMatch(organisation_id=organisation.id, demand_id=demand.id,
                        candidate_kind=kind, candidate_id=candidate_id, rejected_by_id=actor.id,
                        rejected_at=now or utcnow(), reason=reason)
    session.add(row)
    session.flush()
    return row


def restore(session: Session, organisation: Organisation, actor: Any, grant: Any, demand: Demand,
            kind: str, candidate_id: int, now: datetime | None = None) -> RestoredMatch:
    """Undoes a turn-down: the match is suggested again, and a ``RestoredMatch`` records who
    turned it down when and why, and who restored it when."""
    if not may_match(grant, demand):
        raise ProjectForbiddenError("the demand is no district's of the actor")
    found = session.scalar(select(RejectedMatch).where(
        RejectedMatch.organisation_id == organisation.id, RejectedMatch.demand_id == demand.id,
        RejectedMatch.candidate_kind == kind, RejectedMatch.candidate_id == candidate_id))
    if found is None:
        raise ProjectError(_("This match is not turned down (any more): it is already suggested."),
                           "candidate")
    record = RestoredMatch(
        organisation_id=organisation.id, demand_id=demand.id, candidate_kind=kind,
        candidate_id=candidate_id, rejected_by_id=found.rejected_by_id,
        rejected_at=found.rejected_at, reason=found.reason, restored_by_id=actor.id,
        restored_at=now or utcnow())
    session.add(record)
    session.delete(found)
    session.flush()
    return record


def turned_down(session: Session, organisation_id: int, *, demand_id: int | None = None,
                kind: str | None = None, candidate_id: int | None = None) -> list[RejectedMatch]:
    """The matches turned down, of one demand or of one candidate, the latest first."""
    query = (select(RejectedMatch).where(RejectedMatch.organisation_id == organisation_id)
             .options(selectinload(RejectedMatch.rejected_by))
             .order_by(RejectedMatch.rejected_at.desc(), RejectedMatch.id.desc()))
    if demand_id is not None:
        query = query.where(RejectedMatch.demand_id == demand_id)
    if kind is not None and candidate_id is not None:
        query = query.where(RejectedMatch.candidate_kind == kind,
                            RejectedMatch.candidate_id == candidate_id)
    return list(session.scalars(query))


def restorations(session: Session, organisation_id: int, *, demand_id: int | None = None,
                 kind: str | None = None, candidate_id: int | None = None,
                 limit: int = 20) -> list[RestoredMatch]:
    """The record of restored matches, of one demand or of one candidate, the latest first."""
    query = (select(RestoredMatch).where(RestoredMatch.organisation_id == organisation_id)
             .options(selectinload(RestoredMatch.rejected_by),
                      selectinload(RestoredMatch.restored_by))
             .order_by(RestoredMatch.restored_at.desc(), RestoredMatch.id.desc()).limit(limit))
    if demand_id is not None:
        query = query.where(RestoredMatch.demand_id == demand_id)
    if kind is not None and candidate_id is not None:
        query = query.where(RestoredMatch.candidate_kind == kind,
                            RestoredMatch.candidate_id == candidate_id)
    return list(session.scalars(query))


def set_status(session: Session, entry: ProjectEntry, grant: Any, status: str, note: str | None,
               now: datetime | None = None, *, actor: Any = None) -> ProjectEntry:
    """The office or the lead unit moves an entry along (open, in progress, done, cancelled);
    its task follows (``entry_status_changed``)."""
    if not (is_organizer(grant) or entry.lead_district_id in grant.district_ids
            or entry.demand.district_id in grant.district_ids):
        raise ProjectForbiddenError("the entry is no unit's of the actor")
    try:
        wanted = EntryStatus(status)
    except ValueError:
        raise ProjectError(_("Choose a status."), "status") from None
    if note is not None:
        entry.note = note.strip()
    follow_up.mark(entry, wanted, now or utcnow())
    session.flush()
    follow_up.announce(session, entry, actor)
    return entry


def entries_of(session: Session, organisation_id: int, grant: Any, *,
               status: str | None = None) -> list[ProjectEntry]:
    """The office's entries the actor sees (a district: those it leads or whose demand is its
    own), by deadline."""
    query = (select(ProjectEntry).where(ProjectEntry.organisation_id == organisation_id)
             .order_by(ProjectEntry.due_on, ProjectEntry.id))
    if status in {s.value for s in EntryStatus}:
        query = query.where(ProjectEntry.status == status)
    if not is_organizer(grant):
        ids = sorted(grant.district_ids)
        query = query.join(Demand, Demand.id == ProjectEntry.demand_id).where(
            (ProjectEntry.lead_district_id.in_(ids)) | (Demand.district_id.in_(ids)))
    return list(session.scalars(query))


def applications_of(session: Session, organisation_id: int,
                    entries: list[ProjectEntry]) -> dict[int, Application]:
    ids = {e.application_id for e in entries if e.application_id is not None}
    if not ids:
        return {}
    return {a.id: a for a in session.scalars(across(
        select(Application).where(Application.id.in_(ids)),
        office_event_ids(session, organisation_id)))}


def is_overdue(entry: ProjectEntry, today: date) -> bool:
    return entry.status not in ENDED and entry.due_on < today


# --- the introductions -------------------------------------------------------------------------

def district_recruiters(session: Session, organisation_id: int, district_id: int) -> list[User]:
    """The active recruiters of a district in any of the office's events."""
    return list(session.scalars(across(
        select(User).join(EventRole, EventRole.user_id == User.id)
        .where(EventRole.role == EventRoleKind.RECRUITER, EventRole.district_id == district_id,
               User.active.is_(True)).distinct().order_by(User.id),
        office_event_ids(session, organisation_id))))


def candidate_names(kind: str, candidate: Any) -> dict[str, str]:
    """The candidate's name in both languages (a person's names, an applicant's name and the
    project's titles)."""
    if kind == "person":
        return {"candidate_zh": candidate.name_zh or candidate.name_en or "",
                "candidate_en": candidate.name_en or candidate.name_zh or ""}
    name = candidate.applicant.display_name
    return {"candidate_zh": f"{name}（{candidate.title_zh or candidate.title_en}）",
            "candidate_en": f"{name} ({candidate.title_en or candidate.title_zh})"}


def person_locale(person: Person) -> str:
    """A record's language: its account's, else Chinese for someone living in China."""
    if person.user is not None:
        return person.user.locale
    return "zh_Hans_CN" if person.residence_country in ("", "CN") else "en"


def introduce(session: Session, organisation: Organisation, entry: ProjectEntry, demand: Demand,
              kind: str, candidate: Any) -> int:
    """Mails the demand's district recruiters and the person (if they have an email): each reads
    who is matched with what, and whom to contact. Returns how many mails were sent."""
    names = candidate_names(kind, candidate)
    context = {"entry": entry, "demand": demand, "kind": kind, "candidate": candidate,
               "organisation": organisation, "district": demand.district,
               "lead": entry.lead_district, **names}
    path = page("demands.project_list", org_slug=organisation.slug)
    sent = 0
    for recruiter in district_recruiters(session, organisation.id, demand.district_id):
        made = notify(session, recruiter, INTRODUCED.name, url=path,
                      params={"demand_zh": demand.title_zh, "demand_en": demand.title_en,
                              **names},
                      organisation_id=organisation.id,
                      dedupe_key=f"demand_match_introduced:{entry.id}",
                      email_template="demands/project_mail_district",
                      email_context={**context, "person": recruiter, "url_path": path})
        sent += made is not None
    person = candidate if kind == "person" else None
    if kind == "application":
        email, locale, zone, name = (candidate.applicant.email, candidate.applicant.locale,
                                     candidate.applicant.timezone,
                                     candidate.applicant.display_name)
    else:
        email, locale, zone, name = (person.email, person_locale(person),  # type: ignore[union-attr]
                                     "Asia/Shanghai", person.display_name)  # type: ignore[union-attr]
    if email:
        recruiters = district_recruiters(session, organisation.id, demand.district_id)
        queue_email(Recipient(email, locale, zone), "demands/project_mail_talent",
                    {**context, "name": name, "contacts": recruiters}, session=session)
        sent += 1
    return sent


__all__ = ["EntryData", "EntryStatus", "ProjectEntry", "RejectedMatch", "RestoredMatch", "accept",
           "entries_of", "entry_accepted", "reject", "restore", "set_status", "take_on",
           "turned_down"]
