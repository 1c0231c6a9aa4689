"""What every participant's calendar should hold: one entry per pitch, session and district
presentation, with stable UIDs and a SEQUENCE never below what was sent.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.applications.models import Application
from roadshow.events.models import Event
from roadshow.organisations.models import (
    EventRole,
    EventRoleKind,
    OrganisationMember,
    OrganisationRole,
)
from roadshow.review.models import DistrictInterest, InterestLevel
from roadshow.scheduling import invites
from roadshow.scheduling.models import (
    AttendanceRole,
    CalendarInvite,
    InviteMethod,
    PitchSession,
    Rsvp,
    SessionAttendance,
    Slot,
    SlotKind,
)
from roadshow.scheduling.queries import sessions_of
from roadshow.scoping import scoped, unscoped


def organizer_of(session: Session, event: Event) -> User | None:
    """Who chairs the event's calendar entries: the first organizer of its office, else the
    first organizer of the event alone (a liaison station's officer running a symposium)."""
    member = session.scalar(
        select(User).join(OrganisationMember, OrganisationMember.user_id == User.id)
        .where(OrganisationMember.organisation_id == event.organisation_id,
               OrganisationMember.role == OrganisationRole.ORGANIZER, User.active.is_(True))
        .order_by(User.id))
    if member is not None:
        return member
    return session.scalar(
        select(User).join(EventRole, EventRole.user_id == User.id)
        .where(EventRole.event_id == event.id, EventRole.role == EventRoleKind.ORGANIZER,
               User.active.is_(True))
        .order_by(User.id))


def recruiters_by_district(session: Session, event: Event) -> dict[int, list[User]]:
    """district id -> the active recruiters of that district in ``event``."""
    out: dict[int, list[User]] = defaultdict(list)
    for user, district_id in session.execute(
            select(User, EventRole.district_id).join(EventRole, EventRole.user_id == User.id)
            .where(EventRole.event_id == event.id, EventRole.role == EventRoleKind.RECRUITER,
                   EventRole.district_id.is_not(None), User.active.is_(True))
            .order_by(User.id)):
        out[district_id].append(user)
    return out


def _person(user: User, role: str, rsvps: dict[tuple[int, str], Rsvp], uid: str,
            *, rsvp: bool = True) -> invites.Person:
    answer = rsvps.get((user.id, uid))
    partstat = answer.status.value.upper() if answer else "NEEDS-ACTION"
    return invites.Person(user.email, user.name, role=role, partstat=partstat, rsvp=rsvp)


def pitch_uid(application_id: int, event: Event | int) -> str:
    """One UID per finalist's pitch, whichever slot it moves to: moves update, never duplicate."""
    event_id = event if isinstance(event, int) else event.id
    return f"pitch-{event_id}-{application_id}@roadshow"


def slot_uid(slot: Slot, event: Event) -> str:
    if slot.kind == SlotKind.PITCH and slot.application_id:
        return pitch_uid(slot.application_id, event)
    return f"{slot.uid}@roadshow"


def session_uid(pitch_session: PitchSession | str) -> str:
    """The calendar UID of a session (or of the session whose ``uid`` column is given)."""
    uid = pitch_session if isinstance(pitch_session, str) else pitch_session.uid
    return f"{uid}@roadshow"


def interested_districts(session: Session, app_ids: Iterable[int],
                         event: Event | None = None) -> dict[int, set[int]]:
    """application id -> districts interested (review marks, or chosen by the applicant);
    within ``event`` when given (always, inside a request)."""
    ids = list(app_ids)
    out: dict[int, set[int]] = defaultdict(set)
    if not ids:
        return out
    interests = select(DistrictInterest).where(DistrictInterest.application_id.in_(ids))
    applications = (select(Application).where(Application.id.in_(ids))
                    .options(selectinload(Application.districts)))
    if event is not None:
        interests, applications = scoped(interests, event), scoped(applications, event)
    for row in session.scalars(interests):
        if row.level != InterestLevel.NONE:
            out[row.application_id].add(row.district_id)
    for app in session.scalars(applications):
        out[app.id].update(d.id for d in app.districts)
    return out


@dataclass
class Delivery:
    """One calendar entry for one person."""

    user: User
    occurrence: invites.Occurrence
    slot_id: int | None = None
    session_id: int | None = None

    @property
    def uid(self) -> str:
        return self.occurrence.uid


def entry_fingerprint(occ: invites.Occurrence) -> str:
    text = "|".join([occ.starts_at.isoformat(), occ.ends_at.isoformat(), occ.join_url,
                     occ.summary_en, occ.summary_zh])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def deliveries(session: Session, event: Event, *, published_only: bool = True) -> list[Delivery]:
    """What every participant's calendar should hold now, from the published schedule.

    Applicants: their pitch. Recruiters: each pitch their district is interested in (and that
    they attend the session of, if they chose sessions), and their district's presentation.
    Judges and recruiters: each session they attend. Organizer: every session, as chair.
    """
    sessions = sessions_of(session, event, published_only=published_only)
    organizer = organizer_of(session, event)
    app_ids = [s.application_id for ps in sessions for s in ps.slots if s.application_id]
    apps = {a.id: a for a in session.scalars(scoped(
        select(Application).where(Application.id.in_(app_ids))
        .options(selectinload(Application.applicant)), event))}
    interested = interested_districts(session, app_ids, event)
    recruiters = recruiters_by_district(session, event)
    attendees: dict[int, list[User]] = defaultdict(list)
    judges: set[tuple[int, int]] = set()  # (session, user) attending as a judge
    for row in session.scalars(scoped(select(SessionAttendance).join(PitchSession)
                                      .where(PitchSession.event_id == event.id)
                                      .options(selectinload(SessionAttendance.user)), event)):
        if row.user.active:
            attendees[row.session_id].append(row.user)
            if row.role == AttendanceRole.JUDGE:
                judges.add((row.session_id, row.user_id))
    rsvps = {(r.user_id, r.uid): r for r in session.scalars(scoped(
        select(Rsvp).join(PitchSession, PitchSession.id == Rsvp.session_id)
        .where(PitchSession.event_id == event.id), event))}
    chair = invites.Person(organizer.email, organizer.name, role=invites.CHAIR) if organizer else None
    title_en, title_zh = event.title_en, event.title_zh
    out: list[Delivery] = []
    for ps in sessions:
        attending = attendees.get(ps.id, [])
        attending_ids = {u.id for u in attending}
        # the whole session for its judges, recruiters and the organizer
        uid = session_uid(ps)
        people = [_person(u, invites.REQUIRED if (ps.id, u.id) in judges else invites.OPTIONAL,
                          rsvps, uid) for u in attending]
        occ = invites.Occurrence(
            uid=uid, sequence=ps.sequence, starts_at=ps.starts_at, ends_at=ps.ends_at,
            summary_en=f"{title_en}: {ps.title_en}", summary_zh=f"{title_zh}：{ps.title_zh}",
            description_en=_session_text(ps, apps, "en", event.timezone),
            description_zh=_session_text(ps, apps, "zh", event.timezone),
            join_url=ps.join_url, event_zone=event.timezone, organizer=chair,
            attendees=tuple(people), categories=("Roadshow",))
        for user in attending:
            out.append(Delivery(user, occ, session_id=ps.id))
        if organizer is not None and organizer.id not in attending_ids:
            out.append(Delivery(organizer, occ, session_id=ps.id))
        for s in ps.slots:
            if s.kind == SlotKind.PITCH and s.application_id in apps:
                app = apps[s.application_id]
                uid = pitch_uid(app.id, event)
                district_people = [r for d in sorted(interested.get(app.id, ()))
                                   for r in recruiters.get(d, [])]
                people = [_person(app.applicant, invites.REQUIRED, rsvps, uid)]
                people += [_person(r, invites.OPTIONAL, rsvps, uid) for r in district_people]
                occ = invites.Occurrence(
                    uid=uid, sequence=s.sequence, starts_at=s.starts_at, ends_at=s.ends_at,
                    summary_en=f"Pitch: {app.title_en or app.title_zh}",
                    summary_zh=f"路演：{app.title_zh or app.title_en}",
                    description_en=(f"{title_en}, session \"{ps.title_en}\". Pitch {ps.pitch_minutes} min, "
                                    f"questions {ps.qa_minutes} min. Presenter: {app.applicant.name}."),
                    description_zh=(f"{title_zh}「{ps.title_zh}」场次。项目陈述 {ps.pitch_minutes} 分钟，"
                                    f"问答 {ps.qa_minutes} 分钟。路演人：{app.applicant.name_native or app.applicant.name}。"),
                    join_url=ps.join_url, event_zone=event.timezone, organizer=chair,
                    attendees=tuple(people), categories=("Roadshow", "Pitch"))
                out.append(Delivery(app.applicant, occ, slot_id=s.id, session_id=ps.id))
                for r in district_people:
                    out.append(Delivery(r, occ, slot_id=s.id, session_id=ps.id))
            elif s.kind == SlotKind.DISTRICT and s.district_id:
                uid = slot_uid(s, event)
                district = s.district
                people = [_person(r, invites.REQUIRED, rsvps, uid) for r in recruiters.get(s.district_id, [])]
                occ = invites.Occurrence(
                    uid=uid, sequence=s.sequence, starts_at=s.starts_at, ends_at=s.ends_at,
                    summary_en=f"District presentation: {district.name_en if district else ''}",
                    summary_zh=f"板块推介：{district.name_zh if district else ''}",
                    description_en=f"{title_en}, session \"{ps.title_en}\".",
                    description_zh=f"{title_zh}「{ps.title_zh}」场次。",
                    join_url=ps.join_url, event_zone=event.timezone, organizer=chair,
                    attendees=tuple(people), categories=("Roadshow", "District"))
                for r in recruiters.get(s.district_id, []):
                    out.append(Delivery(r, occ, slot_id=s.id, session_id=ps.id))
    _raise_to_sent(session, out)
    return out


def sent_floor(session: Session, wanted: Sequence[Delivery]) -> dict[str, int]:
    """uid -> the lowest SEQUENCE a download or feed of the entry may carry.

    It is the highest SEQUENCE any email carried for the entry, one more if the entry changed
    since (the next sending will announce it at that number) or if the latest email was a
    CANCEL (the entry is back): a calendar never sees a download as older than what it holds.
    """
    fingerprints = {d.uid: entry_fingerprint(d.occurrence) for d in wanted}
    if not fingerprints:
        return {}
    rows: dict[str, list[tuple[int, InviteMethod, str]]] = defaultdict(list)
    # by UID, which names one event's entry (an invite of a deleted session keeps its UID but
    # loses its session, through which scoping would look for its event)
    for uid, sequence, method, fingerprint in session.execute(unscoped(
            select(CalendarInvite.uid, CalendarInvite.sequence, CalendarInvite.method,
                   CalendarInvite.fingerprint).where(CalendarInvite.uid.in_(list(fingerprints))),
            "calendar entry UIDs are unique to their event")):
        rows[uid].append((sequence, method, fingerprint))
    floor = {}
    for uid, sent in rows.items():
        top = max(sequence for sequence, _m, _f in sent)
        changed = any(method == InviteMethod.REQUEST and fingerprint != fingerprints[uid]
                      for _s, method, fingerprint in sent)
        cancelled_last = any(method == InviteMethod.CANCEL and sequence == top for sequence, method, _f in sent)
        floor[uid] = top + 1 if changed or cancelled_last else top
    return floor


def _raise_to_sent(session: Session, out: list[Delivery]) -> None:
    """Give every entry at least the SEQUENCE of :func:`sent_floor` (emails raise it above the
    slot's own counter after a cancellation and a new invitation)."""
    floor = sent_floor(session, out)
    raised: dict[str, invites.Occurrence] = {}  # one occurrence per uid, shared by its people
    for d in out:
        low = floor.get(d.uid)
        if low is None or d.occurrence.sequence >= low:
            continue
        if d.uid not in raised:
            raised[d.uid] = with_sequence(d.occurrence, low)
        d.occurrence = raised[d.uid]


def _session_text(ps: PitchSession, apps: dict[int, Application], lang: str, zone: str) -> str:
    """The session's running order in the event's zone, which the heading names (the same
    text goes to everyone invited, as the invite's "Event time" does)."""
    tz = ZoneInfo(zone)
    lines = []
    for s in ps.slots:
        at = f"{s.starts_at.astimezone(tz):%H:%M}"
        if s.kind == SlotKind.PITCH and s.application_id in apps:
            app = apps[s.application_id]
            title = (app.title_zh or app.title_en) if lang == "zh" else (app.title_en or app.title_zh)
            lines.append(f"{at} {title}")
        elif s.kind == SlotKind.DISTRICT and s.district:
            name = s.district.name_zh if lang == "zh" else s.district.name_en
            lines.append(f"{at} " + (f"板块推介：{name}" if lang == "zh" else f"District: {name}"))
        elif s.kind == SlotKind.BREAK:
            lines.append(f"{at} " + ("休息" if lang == "zh" else "Break"))
    offset = f"UTC{ps.starts_at.astimezone(tz):%z}"
    head = f"路演顺序（{zone}，{offset}）：" if lang == "zh" else f"Running order ({zone}, {offset}):"
    return head + "\n" + "\n".join(lines)


def with_sequence(occ: invites.Occurrence, sequence: int) -> invites.Occurrence:
    from dataclasses import replace

    return replace(occ, sequence=sequence)
