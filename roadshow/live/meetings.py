"""Sending the calendar invitation of a follow-up talk to the applicant and the district, built
with the scheduling domain's invite builder (stable UID, SEQUENCE on every change, the times in
each recipient's zone, both languages)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.db import utcnow
from roadshow.live import notices
from roadshow.live.followup import board_path, district_recruiters
from roadshow.live.models import DockingRequest
from roadshow.mail.outbox import CalendarPart
from roadshow.scheduling.invites import OPTIONAL, REQUEST, REQUIRED, Occurrence, Person, invite


def meeting_recipients(session: Session, docking: DockingRequest, actor: User) -> list[User]:
    people = [docking.application.applicant]
    if docking.recruiter is not None:
        people.append(docking.recruiter)
    else:
        people.extend(district_recruiters(session, docking))
    people.append(actor)
    unique: dict[int, User] = {}
    for person in people:
        unique.setdefault(person.id, person)
    return list(unique.values())


def meeting_occurrence(docking: DockingRequest, actor: User, people: list[User]) -> Occurrence:
    if docking.meeting_starts_at is None or docking.meeting_ends_at is None:
        raise ValueError("arrange the meeting first")
    application, district = docking.application, docking.district
    project_en = application.title_en or application.title_zh
    project_zh = application.title_zh or application.title_en
    base_url = current_app.config["PUBLIC_BASE_URL"]
    return Occurrence(
        uid=docking.meeting_uid, sequence=docking.meeting_sequence,
        starts_at=docking.meeting_starts_at, ends_at=docking.meeting_ends_at,
        summary_en=f"Follow-up talk: {project_en} with {district.name_en}",
        summary_zh=f"后续洽谈：{project_zh} 与 {district.name_zh}",
        description_en=f"Arranged after the live roadshow. Project: {project_en} "
                       f"({application.applicant.name}). District: {district.name_en}.",
        description_zh=f"在线路演后安排的后续洽谈。项目：{project_zh}（{application.applicant.name_native or application.applicant.name}）。"
                       f"板块：{district.name_zh}。",
        join_url=docking.meeting_url,
        event_zone=application.event.timezone if application.event else "Asia/Shanghai",
        organizer=Person(actor.email, actor.name),
        attendees=tuple(Person(p.email, p.name, role=OPTIONAL if p.id == actor.id else REQUIRED)
                        for p in people),
        url=f"{base_url}{board_path(docking)}" if application.event else f"{base_url}/live/",
    )


def send_meeting_invites(session: Session, docking: DockingRequest, actor: User) -> int:
    """Queue one email per participant, in their language and zone, with the .ics attached."""
    people = meeting_recipients(session, docking, actor)
    occurrence = meeting_occurrence(docking, actor, people)
    application = docking.application
    stamp = utcnow()
    for person in people:
        zh = person.locale.startswith("zh")
        ics = invite(occurrence, method=REQUEST, zone=person.timezone, locale=person.locale,
                     stamp=stamp)
        notices.tell_meeting(session, docking, person, board_path(docking), {
            "docking": docking, "person": person, "board_path": board_path(docking),
            "project": (application.title_zh if zh else application.title_en) or application.title_en,
            "district": docking.district.name_zh if zh else docking.district.name_en,
            "starts_at": docking.meeting_starts_at, "ends_at": docking.meeting_ends_at,
            "url": docking.meeting_url, "arranged_by": actor,
        }, CalendarPart(REQUEST, ics, filename="follow-up-talk.ics"))
    return len(people)
