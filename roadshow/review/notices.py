"""What the review tells people (issue 17): judges their new assignments, applicants the
decision about them (essential: always by mail and in the app)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.applications.models import Application
from roadshow.events.models import Event
from roadshow.notifications import kinds
from roadshow.notifications.services import notify, page

ASSIGNED = kinds.register(kinds.NotificationKind(
    "judge_assigned", _l("Applications assigned to me for review"),
    _l("Applications newly assigned to you in %(event)s: %(num)s."), audience="judge"))
DECISION = kinds.register(kinds.NotificationKind(
    "review_decision", _l("The decision about my application"),
    _l("The decision about “%(project)s” in %(event)s is ready."), audience="applicant",
    essential=True))


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
