"""What the review tells people (issue 17): judges their new assignments and each settling of
a conflict of interest concerning them, the organizers a conflict a judge declared, applicants
the decision about them (essential: always by mail and in the app)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.applications.models import Application
from roadshow.events.models import Event
from roadshow.notifications import kinds
from roadshow.notifications.services import notify, page
from roadshow.organisations.models import (
    EventRole,
    EventRoleKind,
    OrganisationMember,
    OrganisationRole,
)
from roadshow.review.models import Conflict

ASSIGNED = kinds.register(kinds.NotificationKind(
    "judge_assigned", _l("Applications assigned to me for review"),
    _l("Applications newly assigned to you in %(event)s: %(num)s."), audience="judge"))
DECISION = kinds.register(kinds.NotificationKind(
    "review_decision", _l("The decision about my application"),
    _l("The decision about “%(project)s” in %(event)s is ready."), audience="applicant",
    essential=True))
CONFLICT = kinds.register(kinds.NotificationKind(
    "review_conflict", _l("Conflicts of interest concerning me (declared, recorded, dismissed)"),
    _l("Conflict of interest with “%(project)s” in %(event)s: %(change)s"), audience="judge"))
CONFLICT_DECLARED = kinds.register(kinds.NotificationKind(
    "review_conflict_declared", _l("Conflicts of interest the judges declare"),
    _l("%(judge)s declared a conflict of interest with “%(project)s” in %(event)s."),
    audience="organizer"))

#: what became of a conflict, as the judge's notification line says it (after the colon)
CHANGES = {
    "declared": _l("your declaration is recorded; the application is out of your review list "
                   "and the organizers were told."),
    "recorded": _l("recorded by the organizers; the application is out of your review list."),
    "recorded_unassigned": _l("recorded by the organizers; the application will not be "
                              "assigned to you."),
    "dismissed": _l("dismissed by the organizers; the application may be assigned to you again."),
    "restored": _l("restored by the organizers; the application is out of your review list "
                   "again."),
}
_LANGUAGES = (("zh_Hans_CN", "zh"), ("en", "en"))


def _event_names(event: Event) -> dict[str, Any]:
    return {"event_zh": event.title_zh, "event_en": event.title_en}


def tell_judges(session: Session, event: Event, judge_ids: Iterable[int]) -> int:
    """One notification per judge for the applications just assigned to them (a run assigns
    many at once: one message says how many); returns how many judges were told."""
    counts = Counter(judge_ids)
    queue = page("review.queue", event_slug=event.slug)
    for judge_id, count in counts.items():
        judge = session.get(User, judge_id)
        if judge is None or not judge.active:
            continue
        notify(session, judge, ASSIGNED.name, url=queue,
               params={"num": count, **_event_names(event)},
               organisation_id=event.organisation_id, event_id=event.id,
               email_template="review/mail/assigned",
               email_context={"event": event, "person": judge, "count": count,
                              "queue_path": queue})
    return len(counts)


def tell_decision(session: Session, application: Application, event: Event, template: str,
                  context: dict[str, Any], email: bool) -> None:
    notify(session, application.applicant, DECISION.name,
           url=page("applications.status", event_slug=event.slug, application_id=application.id),
           params={"project_zh": application.title_zh, "project_en": application.title_en,
                   **_event_names(event)},
           organisation_id=event.organisation_id, event_id=event.id,
           email_template=template if email else None, email_context=context)


def event_organizers(session: Session, event: Event) -> list[User]:
    """The active people who organise ``event``: its office's organizers and its own."""
    office = select(OrganisationMember.user_id).where(
        OrganisationMember.organisation_id == event.organisation_id,
        OrganisationMember.role == OrganisationRole.ORGANIZER)
    own = select(EventRole.user_id).where(EventRole.event_id == event.id,
                                          EventRole.role == EventRoleKind.ORGANIZER)
    return list(session.scalars(select(User).where(
        or_(User.id.in_(office), User.id.in_(own)), User.active.is_(True)).order_by(User.id)))


def _in_both(text: Any, name: str) -> dict[str, str]:
    """``<name>_zh`` and ``<name>_en``: a lazy string in each language (the centre shows the
    reader's)."""
    shown = {}
    for locale, suffix in _LANGUAGES:
        with force_locale(locale):
            shown[f"{name}_{suffix}"] = str(text)
    return shown


def tell_conflict(session: Session, conflict: Conflict, judge: User, application: Application,
                  change: str) -> None:
    """Tell the judge what became of a conflict of interest concerning them (``change``: a key
    of :data:`CHANGES`), with a link to their review list."""
    if not judge.active:
        return
    event = application.event
    queue = page("review.queue", event_slug=event.slug)
    notify(session, judge, CONFLICT.name, url=queue,
           params={"project_zh": application.title_zh or application.title_en,
                   "project_en": application.title_en or application.title_zh,
                   **_event_names(event), **_in_both(CHANGES[change], "change")},
           organisation_id=event.organisation_id, event_id=event.id,
           email_template="review/mail/conflict",
           email_context={"event": event, "person": judge, "application": application,
                          "change": change, "reason": conflict.reason or "",
                          "url_path": queue})


def tell_organizers_declared(session: Session, conflict: Conflict, judge: User,
                             application: Application) -> int:
    """Tell the event's organizers that a judge declared a conflict (the application needs
    another judge); returns how many were told."""
    event = application.event
    url = page("review.conflicts", event_slug=event.slug)
    told = 0
    for organizer in event_organizers(session, event):
        if organizer.id == judge.id:
            continue
        notify(session, organizer, CONFLICT_DECLARED.name, url=url,
               params={"judge": judge.display_name,
                       "project_zh": application.title_zh or application.title_en,
                       "project_en": application.title_en or application.title_zh,
                       **_event_names(event)},
               organisation_id=event.organisation_id, event_id=event.id,
               email_template="review/mail/conflict_declared",
               email_context={"event": event, "person": organizer, "judge": judge,
                              "application": application, "reason": conflict.reason or "",
                              "url_path": url})
        told += 1
    return told
