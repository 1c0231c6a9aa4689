"""Who a group of an event is: its finalists pitching in one session, its judges with reviews
still open, the recruiters of its districts that have no signed intent yet, its applicants by
status, or the people of the office's talent pool that one of the sender's saved searches finds.

Every query is scoped to the one event (or the event's office, for the pool), so a group never
reaches another event's or another office's people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.events.models import Event
from roadshow.organisations import grants
from roadshow.organisations.models import EventRole, EventRoleKind
from roadshow.review.models import Assignment, Review, ReviewStatus
from roadshow.scheduling.models import PitchSession, Slot
from roadshow.scoping import scoped
from roadshow.signing.flow import IntentState
from roadshow.signing.models import Intent
from roadshow.talent.models import Person, SavedSearch, Station, StationMember
from roadshow.talent.services import invitations as talent_invitations
from roadshow.talent.services import search as talent_search

FINALISTS = "finalists_session"
JUDGES = "judges_open"
ALL_JUDGES = "judges_all"
RECRUITERS = "recruiters_unsigned"
APPLICANTS = "applicants_status"
TALENT = "talent_search"
STATIONS = "station_officers"

#: the groups an organizer chooses from, in the form's order, with what the choice beside it is
KINDS: dict[str, Any] = {
    FINALISTS: _l("Finalists pitching in a session"),
    ALL_JUDGES: _l("All judges of the event"),
    JUDGES: _l("Judges with reviews still open"),
    RECRUITERS: _l("District recruiters without a signed intent"),
    APPLICANTS: _l("Applicants by the status of their application"),
    TALENT: _l("People of the talent pool found by a saved search"),
    STATIONS: _l("Officers of the office's liaison stations"),
}
#: the kinds that need a choice beside them
NEEDS_VALUE = frozenset({FINALISTS, APPLICANTS, TALENT})

STATUS_LABELS: dict[str, Any] = {
    ApplicationStatus.SUBMITTED.value: _l("Submitted, not yet decided"),
    ApplicationStatus.FINALIST.value: _l("Finalists"),
    ApplicationStatus.NOT_SELECTED.value: _l("Not selected"),
    ApplicationStatus.DRAFT.value: _l("Drafts not yet submitted"),
    ApplicationStatus.WITHDRAWN.value: _l("Withdrawn"),
}


class GroupError(ValueError):
    """A group that cannot be chosen: ``field`` names the form's field, ``key`` the reason."""

    def __init__(self, field: str, key: str) -> None:
        super().__init__(f"{field}: {key}")
        self.field = field
        self.key = key


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    locale: str
    timezone: str
    user_id: int | None = None
    person_id: int | None = None


def _of_user(user: User) -> Recipient:
    return Recipient(email=user.email, name=user.display_name, locale=user.locale or "en",
                     timezone=user.timezone or "Asia/Shanghai", user_id=user.id)


def sessions(session: Session, event: Event) -> list[PitchSession]:
    return list(session.scalars(scoped(
        select(PitchSession).where(PitchSession.event_id == event.id)
        .order_by(PitchSession.starts_at, PitchSession.id), event.id)))


def may_use_pool(session: Session, sender: Any, event: Event) -> bool:
    """Only the office's own organizers write to its talent pool."""
    grant = grants.in_organisation(session, sender, event.organisation)
    return grant.has(Role.ORGANIZER)


def saved_searches(session: Session, sender: Any, event: Event) -> list[SavedSearch]:
    if not may_use_pool(session, sender, event):
        return []
    return talent_search.saved_searches(session, sender, event.organisation_id)


def _users(session: Session, statement: Any, event: Event) -> list[Recipient]:
    users = session.scalars(scoped(statement.where(User.active.is_(True)).distinct(), event.id))
    return sorted((_of_user(u) for u in users), key=lambda r: (r.name.lower(), r.email))


def _finalists(session: Session, event: Event, value: str) -> list[Recipient]:
    chosen = next((s for s in sessions(session, event) if str(s.id) == value), None)
    if chosen is None:
        raise GroupError("value", "session")
    return _users(session, select(User)
                  .join(Application, Application.applicant_id == User.id)
                  .join(Slot, Slot.application_id == Application.id)
                  .where(Slot.session_id == chosen.id, Application.event_id == event.id,
                         Application.status == ApplicationStatus.FINALIST), event)


def _judges(session: Session, event: Event) -> list[Recipient]:
    submitted = scoped(select(Review.id).where(
        Review.application_id == Assignment.application_id, Review.judge_id == Assignment.judge_id,
        Review.round == Assignment.round, Review.status == ReviewStatus.SUBMITTED), event.id)
    return _users(session, select(User)
                  .join(Assignment, Assignment.judge_id == User.id)
                  .join(EventRole, and_(EventRole.user_id == User.id,
                                        EventRole.event_id == event.id,
                                        EventRole.role == EventRoleKind.JUDGE))
                  .where(Assignment.event_id == event.id, ~exists(submitted.correlate(Assignment))),
                  event)


def _all_judges(session: Session, event: Event) -> list[Recipient]:
    return _users(session, select(User)
                  .join(EventRole, EventRole.user_id == User.id)
                  .where(EventRole.event_id == event.id, EventRole.role == EventRoleKind.JUDGE),
                  event)


def _recruiters(session: Session, event: Event) -> list[Recipient]:
    signed = scoped(select(Intent.district_id).join(Application, Application.id == Intent.application_id)
                    .where(Application.event_id == event.id,
                           Intent.state == IntentState.COMPLETED), event.id)
    return _users(session, select(User)
                  .join(EventRole, EventRole.user_id == User.id)
                  .where(EventRole.event_id == event.id, EventRole.role == EventRoleKind.RECRUITER,
                         EventRole.district_id.is_not(None),
                         EventRole.district_id.not_in(signed)), event)


def _applicants(session: Session, event: Event, value: str) -> list[Recipient]:
    if value not in STATUS_LABELS:
        raise GroupError("value", "status")
    return _users(session, select(User)
                  .join(Application, Application.applicant_id == User.id)
                  .where(Application.event_id == event.id,
                         Application.status == ApplicationStatus(value)), event)


def _talent(session: Session, sender: Any, event: Event, value: str) -> list[Recipient]:
    saved = next((s for s in saved_searches(session, sender, event) if str(s.id) == value), None)
    if saved is None:
        raise GroupError("value", "search")
    query = talent_search.Query.from_args(saved.query)
    ids = talent_invitations.person_ids(session, event.organisation_id, query, None)
    people = session.scalars(select(Person).where(Person.id.in_(ids))).all() if ids else []
    found = []
    for person in people:
        user = person.user
        name = person.name_zh or person.name_en or person.email or ""
        if person.name_zh and person.name_en:
            name = f"{person.name_en} ({person.name_zh})"
        found.append(Recipient(
            email=str(person.email), name=name,
            locale=user.locale if user is not None and user.locale
            else talent_invitations.language_of(person),
            timezone=talent_invitations.zone_of(person, event),
            user_id=user.id if user is not None and user.active else None, person_id=person.id))
    return sorted(found, key=lambda r: (r.name.lower(), r.email))


def _station_officers(session: Session, sender: Any, event: Event) -> list[Recipient]:
    """The current officers of the office's liaison stations (to spread an event's call among
    the natives they look after): only the office's organizers write to them."""
    if not may_use_pool(session, sender, event):
        raise GroupError("group", "unknown")
    today = datetime.now(UTC).date()
    return _users(session, select(User)
                  .join(StationMember, StationMember.user_id == User.id)
                  .join(Station, Station.id == StationMember.station_id)
                  .where(Station.organisation_id == event.organisation_id,
                         or_(StationMember.ended_on.is_(None), StationMember.ended_on > today)),
                  event)


def recipients(session: Session, sender: Any, event: Event, kind: str,
               value: str = "") -> list[Recipient]:
    """The group's people, one per address, sorted by name; raises :class:`GroupError`."""
    if kind == FINALISTS:
        found = _finalists(session, event, value)
    elif kind == JUDGES:
        found = _judges(session, event)
    elif kind == ALL_JUDGES:
        found = _all_judges(session, event)
    elif kind == RECRUITERS:
        found = _recruiters(session, event)
    elif kind == APPLICANTS:
        found = _applicants(session, event, value)
    elif kind == TALENT:
        found = _talent(session, sender, event, value)
    elif kind == STATIONS:
        found = _station_officers(session, sender, event)
    else:
        raise GroupError("group", "unknown")
    seen: set[str] = set()
    unique = []
    for recipient in found:
        key = recipient.email.strip().lower()
        if key and key not in seen:
            seen.add(key)
            unique.append(recipient)
    return unique


def label(session: Session, sender: Any, event: Event, kind: str, value: str,
          locale: str) -> str:
    """The group's name in ``locale``, for the history (a session's title, the status)."""
    with force_locale(locale):
        chinese = locale.startswith("zh")
        base = str(KINDS.get(kind, kind))
        if kind == FINALISTS:
            chosen = next((s for s in sessions(session, event) if str(s.id) == value), None)
            if chosen is not None:
                return f"{base}: {chosen.title_zh if chinese else chosen.title_en}"
        elif kind == APPLICANTS and value in STATUS_LABELS:
            return f"{base}: {STATUS_LABELS[value]}"
        elif kind == TALENT:
            saved = next((s for s in saved_searches(session, sender, event)
                          if str(s.id) == value), None)
            if saved is not None:
                return f"{base}: {saved.name}"
        return base
