"""Sending the calendar invitation of a follow-up talk to the applicant and the district."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.db import utcnow
from roadshow.live.meeting_invite import Attendee, Meeting, build_invite
from roadshow.live.models import DockingRequest
from roadshow.mail.outbox import CalendarPart, queue_email


def meeting_recipients(session: Session, docking: DockingRequest, actor: User) -> list[User]:
    people = [docking.application.applicant]
    if docking.recruiter is not None:
        people.append(docking.recruiter)
    else:
        people.extend(session.scalars(select(User).where(
            User.role == Role.RECRUITER, User.district_id == docking.district_id, User.active)))
    people.append(actor)
    unique: dict[int, User] = {}
    for person in people:
        unique.setdefault(person.id, person)
    return list(unique.values())


def send_meeting_invites(session: Session, docking: DockingRequest, actor: User) -> int:
    """Queue one email per participant, in their language, with the .ics attached."""
    if docking.meeting_starts_at is None or docking.meeting_ends_at is None:
        raise ValueError("arrange the meeting first")
    people = meeting_recipients(session, docking, actor)
    application = docking.application
    district = docking.district
    for person in people:
        with force_locale(person.locale):
            zh = person.locale.startswith("zh")
            project = (application.title_zh if zh else application.title_en) or application.title_en or application.title_zh
            place = district.name_zh if zh else district.name_en
            summary = _("Follow-up talk: %(project)s with %(district)s", project=project, district=place)
            description = _("Arranged after the live roadshow. Project: %(project)s. District: %(district)s.",
                            project=project, district=place)
        ics = build_invite(Meeting(
            uid=docking.meeting_uid, sequence=docking.meeting_sequence, summary=summary,
            description=(description + ("\n" + docking.meeting_url if docking.meeting_url else "")),
            starts_at=docking.meeting_starts_at, ends_at=docking.meeting_ends_at,
            url=docking.meeting_url, organizer=Attendee(actor.email, actor.name),
            attendees=tuple(Attendee(p.email, p.name) for p in people), stamp=utcnow()))
        queue_email(person, "live/mail/meeting", {
            "docking": docking, "project": project, "district": place, "person": person,
            "starts_at": docking.meeting_starts_at, "ends_at": docking.meeting_ends_at,
            "url": docking.meeting_url, "arranged_by": actor,
        }, calendar=CalendarPart("REQUEST", ics, filename="follow-up-talk.ics"), session=session)
    return len(people)
