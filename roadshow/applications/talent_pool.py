"""Applicants and the office's talent pool (issue 14).

- An applicant who ticks "Add me to <office>'s talent pool" on the application form joins that
  office's pool when they submit: their record there (linked to their account, or kept under
  their verified e-mail address) is linked and their consent recorded, or a record is made from
  their applicant profile, with the consent given ``via application``. Joining never fails the
  application: :func:`join_after_submission` runs after the application is committed, and a
  failure is logged and undone alone.
- A person's page in the pool lists their applications to the office's events: the provider
  registered with ``roadshow.talent.activity`` when this module loads (form_views imports it).

Applications is a later layer than talent: it calls talent's services; talent imports nothing
of it.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.applications.forms import STATUS_LABELS
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.applications.profiles import profile_of
from roadshow.events.models import Event
from roadshow.i18n import localized
from roadshow.scoping import unscoped
from roadshow.talent import activity
from roadshow.talent.consent import VIA_APPLICATION
from roadshow.talent.models import Person, Source
from roadshow.talent.services import consent, people

log = logging.getLogger("roadshow.applications")

#: the applicant profile's degrees as the pool's
DEGREES = {"phd": "doctorate", "md": "doctorate", "master": "master", "bachelor": "bachelor",
           "other": "other"}
#: the category an applicant joins as (the office may change it)
APPLICANT_CATEGORY = "high_level"
ONE_OFFICE = "a person's applications to one office's events (the talent pool's person page)"


def record_in_pool(session: Session, user: User, organisation_id: int) -> Person | None:
    """``user``'s record in the office's pool (not erased): linked to their account first, else
    kept under their verified e-mail address and linked to no account."""
    mine = [Person.user_id == user.id]
    if user.email_verified_at is not None:
        mine.append(and_(Person.user_id.is_(None),
                         func.lower(Person.email) == user.email.lower()))
    return session.scalars(select(Person).where(
        Person.organisation_id == organisation_id, Person.erased_at.is_(None), or_(*mine))
        .order_by(Person.user_id.is_(None), Person.id)).first()


def _new_record(session: Session, user: User, office: Any) -> Person:
    profile = profile_of(session, user)
    data = people.PersonData(category=APPLICANT_CATEGORY, email=user.email,
                             name_en=user.name or "")
    if profile is not None:
        data.name_en = profile.name_latin or data.name_en
        data.name_zh = profile.name_chinese or ""
        data.residence_country = profile.country_of_residence or ""
        data.employer = profile.institution or ""
        data.position = profile.position or ""
        data.degree = DEGREES.get(profile.highest_degree or "", "")
        data.field = profile.research_field or ""
    person = people.create_person(session, user, office, data, Source.APPLICATION)
    person.user_id = user.id
    return person


def join_pool(session: Session, user: User, event: Event) -> Person:
    """``user`` joins the pool of ``event``'s office with consent given via the application:
    their record there is linked (and taken back into the pool if they had withdrawn), else
    made from their profile. Flushes; the caller commits."""
    office = event.organisation
    person = record_in_pool(session, user, office.id)
    if person is None:
        person = _new_record(session, user, office)
    else:
        person.user_id = user.id
        consent.rejoin(session, user, person)
    consent.give(session, person, office, VIA_APPLICATION)
    return person


def join_after_submission(session: Session, user: User, event: Event) -> bool:
    """:func:`join_pool` in its own transaction, after the application is committed; False
    (logged, undone) when it fails: the application stays submitted all the same."""
    try:
        join_pool(session, user, event)
        session.commit()
    except (SQLAlchemyError, ValueError):
        session.rollback()
        log.exception("applicant %s could not join the talent pool of event %s", user.id,
                      event.id)
        return False
    return True


def applications_in_office(session: Session, user_id: int,
                           organisation_id: int) -> list[activity.Row]:
    """The account's applications (not drafts) to the office's events, newest first."""
    found = session.execute(unscoped(
        select(Application, Event).join(Event, Event.id == Application.event_id)
        .where(Application.applicant_id == user_id, Event.organisation_id == organisation_id,
               Application.status != ApplicationStatus.DRAFT)
        .order_by(Application.submitted_at.desc(), Application.id.desc()), ONE_OFFICE)).all()
    rows = []
    for application, event in found:
        project = localized(application, "title")
        title = localized(event, "title") + (f": {project}" if project else "")
        rows.append(activity.Row(
            kind=str(_l("Application")), title=title,
            status=str(STATUS_LABELS[application.status.value]),
            url=url_for("applications.detail", event_slug=event.slug,
                        application_id=application.id),
            when=application.submitted_at,
            done=application.status == ApplicationStatus.FINALIST))
    return rows


activity.register("applications", applications_in_office)
