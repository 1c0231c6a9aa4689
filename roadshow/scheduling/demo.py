"""Demo step: the roadshow schedule of the 32 finalists over the two roadshow days, published.

Six sessions in the rhythm of the model event (see ``roadshow.demo.timeline``): the first is
live when the demo is loaded, the other five follow over the next day and a half, so every
time zone is awake for some of them. Each session opens with two districts presenting their
offers, has a break and a video link. Some finalists can only pitch on the second day; the
applicant whose login the demo prints can pitch only in a session still to come, and has not
answered their invitation yet. The solver places everyone inside their availability.
Judges and recruiters attend sessions; a few finalists have already accepted their invitation.
The calendar invites are left for the organizer to send from the schedule editor, so the demo
emails nobody.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from roadshow.demo import timeline
from roadshow.demo.context import (
    FINISHED,
    ROADSHOW,
    DemoContext,
    DemoEvent,
    recruiters_with_districts,
)
from roadshow.scheduling import (
    availability_and_attendance,
    calendar_entries,
    feeds,
    pitch_sessions,
    proposals,
    queries,
    timeutil,
)
from roadshow.scheduling.models import RsvpStatus, SlotKind

TITLE = "Roadshow schedule and calendar invites"

#: the track each session is for, by position (None: every track)
TRACKS = [None, 1, None, 0, None, None]
MEETING_URL = "https://meeting.tencent.com/dm/xz2026{code}"
#: how long before a session starts it still counts as one to come for the printed applicant
UPCOMING_MARGIN = timedelta(hours=1)


def _clip(windows: list[tuple[datetime, datetime]],
          allowed: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """The parts of ``windows`` inside one of the ``allowed`` intervals."""
    out = []
    for a, b in windows:
        for c, d in allowed:
            lo, hi = max(a, c), min(b, d)
            if lo < hi:
                out.append((lo, hi))
    return timeutil.merge(out)


def _restrict(session, applicant, event, allowed) -> None:  # type: ignore[no-untyped-def]
    """State the applicant's availability: their default hours inside ``allowed``."""
    zone = applicant.timezone
    windows = _clip(timeutil.default_windows(*queries.schedule_span(session, event), zone),
                    allowed)
    availability_and_attendance.save_availability(session, applicant, event,
                               timeutil.local_rows(windows, zone), zone)


def load(ctx: DemoContext) -> None:
    """The schedule of every roadshow past its review: this year's under way, last year's held."""
    for demo_event in ctx.events(FINISHED, ROADSHOW, stage="schedule"):
        load_event(ctx, demo_event)


def load_event(ctx: DemoContext, demo_event: DemoEvent) -> None:
    session, data = ctx.session, demo_event.data
    event = demo_event.event
    organizer = data["organizer"]
    districts = data["districts"]
    judges = data["judges"]
    recruiters = recruiters_with_districts(data)
    rng = demo_event.rng or ctx.rng
    steps = 5
    sessions = []
    planned = timeline.plan(ctx.now - demo_event.shift, event.timezone)
    for i, plan in enumerate(planned):
        presenting = [districts[(2 * i) % len(districts)], districts[(2 * i + 1) % len(districts)]]
        track = TRACKS[i % len(TRACKS)]
        planned_session = pitch_sessions.SessionData(
            title_zh=plan.title_zh, title_en=plan.title_en, day=plan.day,
            start=plan.start, end=plan.end,
            track_id=event.tracks[track].id if track is not None and track < len(event.tracks) else None,
            join_url=MEETING_URL.format(code=f"s{i + 1}{rng.randrange(100000, 999999)}"),
            pitch_minutes=12, qa_minutes=8, breaks=[plan.break_] if plan.break_ else [],
            district_ids=[d.id for d in presenting], district_minutes=10,
        )
        sessions.append(pitch_sessions.save_session(session, organizer, event, planned_session))
    ctx.progress(TITLE, 1, steps)

    # a few finalists can only pitch on the second day (the rest keep the default 07:00-23:00
    # local); the printed applicant only in a session still to come
    finalists = queries.finalists(session, event)
    printed = data.get("printed", (data.get("applicants") or [None])[0])
    printed_id = getattr(printed, "id", None)
    second_day = [(s.starts_at, s.ends_at) for s in sessions[len(sessions) // 2:]]
    upcoming = [(s.starts_at, s.ends_at) for s in sessions
                if s.starts_at >= ctx.now + UPCOMING_MARGIN]
    for app in finalists:
        if app.applicant_id == printed_id:
            _restrict(session, app.applicant, event, upcoming)
    for app in [a for a in finalists if a.applicant_id != printed_id][::5]:
        _restrict(session, app.applicant, event, second_day)
    ctx.progress(TITLE, 2, steps)

    # the first session is under way: its slots already past are filled as pitches given
    result = proposals.propose(session, organizer, event, record_started=True)
    ctx.progress(TITLE, 3, steps)

    # judges: four per session, each attending two sessions; recruiters: the sessions where
    # their district presents or a finalist their district is interested in pitches
    for i, judge in enumerate(judges):
        chosen = {sessions[i % len(sessions)].id, sessions[(i + 3) % len(sessions)].id}
        availability_and_attendance.set_attendance(session, judge, event, chosen)
    interested = calendar_entries.interested_districts(
        session, [s.application_id for ps in sessions for s in ps.slots if s.application_id])
    for recruiter, district in recruiters:
        chosen = set()
        for ps in sessions:
            for s in ps.slots:
                if s.kind == SlotKind.DISTRICT and s.district_id == district.id:
                    chosen.add(ps.id)
                if s.application_id and district.id in interested.get(s.application_id, ()):
                    chosen.add(ps.id)
        availability_and_attendance.set_attendance(session, recruiter, event, chosen)
    ctx.progress(TITLE, 4, steps)

    pitch_sessions.publish(session, organizer, event)
    # some finalists and judges have answered in the app already (a roadshow held: its answers
    # are past and no longer shown)
    others = [a for a in finalists if a.applicant_id != printed_id]
    answering = demo_event.state != FINISHED
    for app in others[:12] if answering else []:
        if app.id in result.assignment:
            status = RsvpStatus.DECLINED if app.id == others[7].id else RsvpStatus.ACCEPTED
            feeds.set_rsvp(session, app.applicant, event, calendar_entries.pitch_uid(app.id, event), status,
                              "" if status == RsvpStatus.ACCEPTED else
                              "Teaching clash, could we move to day 2?")
    for judge in judges[:4] if answering else []:
        for ps in sessions:
            if any(a.user_id == judge.id for a in ps.attendances):
                feeds.set_rsvp(session, judge, event, calendar_entries.session_uid(ps), RsvpStatus.ACCEPTED)
    session.flush()
    data["sessions"] = sessions
    data["schedule_result"] = result
    ctx.progress(TITLE, 5, steps)
