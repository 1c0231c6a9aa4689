"""What the outcomes tell people (issue 17): the office's organizers, in the app, that
milestones of its projects became overdue (the responsible unit is mailed by the reminder
run itself)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.notifications import kinds
from roadshow.notifications.services import notify, page
from roadshow.organisations.models import Organisation, OrganisationMember, OrganisationRole

OVERDUE = kinds.register(kinds.NotificationKind(
    "milestones_overdue", _l("Milestones of my office's projects that became overdue"),
    _l("Milestones newly overdue in the projects of %(office)s: %(num)s. Oldest: “%(milestone)s” "
       "of “%(project)s”."), audience="organizer"))


def tell_office(session: Session, organisation: Organisation, count: int, oldest: dict[str, str],
                day: date, now: datetime | None = None) -> int:
    """Tell the office's organizers, once a day, how many of its milestones became overdue;
    ``oldest`` names the one overdue longest (``milestone_zh/_en``, ``project_zh/_en``)."""
    organizers = session.scalars(select(User).join(
        OrganisationMember, OrganisationMember.user_id == User.id).where(
        OrganisationMember.organisation_id == organisation.id,
        OrganisationMember.role == OrganisationRole.ORGANIZER, User.active.is_(True))).all()
    url = page("outcomes.board", org_slug=organisation.slug)
    told = 0
    for person in organizers:
        made = notify(session, person, OVERDUE.name, url=url,
                      params={"num": count, "office_zh": organisation.name_zh,
                              "office_en": organisation.name_en, **oldest},
                      organisation_id=organisation.id,
                      dedupe_key=f"{OVERDUE.name}:{organisation.id}:{day.isoformat()}", now=now)
        told += made is not None
    return told
