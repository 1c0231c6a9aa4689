"""Which applications take part in an event's review: submitted ones, and those already decided."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.applications.models import (
    Application,
    ApplicationStatus,
)

#: applications that take part in the review (submitted, and those already decided)
IN_REVIEW = (ApplicationStatus.SUBMITTED, ApplicationStatus.FINALIST, ApplicationStatus.NOT_SELECTED)


def review_applications(session: Session, event_id: int) -> list[Application]:
    return list(session.scalars(
        select(Application).where(Application.event_id == event_id, Application.status.in_(IN_REVIEW))
        .order_by(Application.id)
    ))
