"""Demo step: the roadshow schedule of the 32 finalists over the two roadshow days, published.

Three sessions a day in Beijing time, placed where someone is awake: 08:00 (evening in the
Americas, noon in Australia), 14:00 (morning in Europe, evening in Australia) and 19:00 (midday
in Europe, morning on the US east coast is too early so the Americas go to the morning
sessions). Each session opens with two districts presenting their offers, has a break and a
video link. Some finalists state narrower availability; the solver places everyone inside it.
Judges and recruiters attend sessions; a few finalists have already accepted their invitation.
The calendar invites are left for the organizer to send from the schedule editor, so the demo
emails nobody.
"""

from __future__ import annotations

from datetime import time, timedelta

from roadshow.demo.context import DemoContext
from roadshow.scheduling import services
from roadshow.scheduling.models import RsvpStatus, SlotKind

TITLE = "Roadshow schedule and calendar invites"

#: (day offset from today, start, end, break, title zh, title en, track index or None)
SESSIONS = [
    (-1, "08:00", "11:40", "10:00-10:10", "第一天 上午场", "Day 1 · Morning", 0),
    (-1, "14:00", "17:40", "15:40-15:50", "第一天 下午场", "Day 1 · Afternoon", 1),
    (-1, "19:00", "22:20", "20:40-20:50", "第一天 晚场", "Day 1 · Evening", 2),
    (0, "08:00", "11:40", "10:00-10:10", "第二天 上午场", "Day 2 · Morning", 3),
    (0, "14:00", "17:40", "15:40-15:50", "第二天 下午场", "Day 2 · Afternoon", None),
    (0, "19:00", "22:20", "20:40-20:50", "第二天 晚场", "Day 2 · Evening", None),
]
MEETING_URL = "https://meeting.tencent.com/dm/xz2026{code}"


def load(ctx: DemoContext) -> None:
    session = ctx.session
    event = ctx.data["event"]
    organizer = ctx.data["organizer"]
    districts = ctx.data["districts"]
    judges = ctx.data["judges"]
    recruiters = ctx.data["recruiters"]
    rng = ctx.rng
    steps = 5
    sessions = []
    for i, (offset, start, end, brk, title_zh, title_en, track) in enumerate(SESSIONS):
        presenting = [districts[(2 * i) % len(districts)], districts[(2 * i + 1) % len(districts)]]
        data = services.SessionData(
            title_zh=title_zh, title_en=title_en, day=ctx.today + timedelta(days=offset),
            start=time.fromisoformat(start), end=time.fromisoformat(end),
            track_id=event.tracks[track].id if track is not None and track < len(event.tracks) else None,
            join_url=MEETING_URL.format(code=f"d{offset + 2}s{i % 3 + 1}{rng.randrange(100000, 999999)}"),
            pitch_minutes=12, qa_minutes=8, breaks=services.parse_breaks(brk),
            district_ids=[d.id for d in presenting], district_minutes=10,
        )
        sessions.append(services.save_session(session, organizer, event, data))
    ctx.progress(TITLE, 1, steps)

    # a few finalists state their own hours (the rest keep the default 07:00-23:00 local)
    finalists = services.finalists(session, event)
    span = services.schedule_span(session, event)
    for app in finalists[::5]:
        zone = app.applicant.timezone
        days = services.timeutil.local_days(*span, zone)
        rows = [(day, time(8, 0), time(12, 0)) for day in days] + \
               [(day, time(17, 30), time(22, 30)) for day in days]
        services.save_availability(session, app.applicant, event, rows, zone)
    ctx.progress(TITLE, 2, steps)

    result = services.propose(session, organizer, event)
    ctx.progress(TITLE, 3, steps)

    # judges: four per session, each attending two sessions; recruiters: the sessions where
    # their district presents or a finalist their district is interested in pitches
    for i, judge in enumerate(judges):
        chosen = {sessions[i % len(sessions)].id, sessions[(i + 3) % len(sessions)].id}
        services.set_attendance(session, judge, event, chosen)
    interested = services._interested_districts(
        session, [s.application_id for ps in sessions for s in ps.slots if s.application_id])
    for recruiter in recruiters:
        chosen = set()
        for ps in sessions:
            for s in ps.slots:
                if s.kind == SlotKind.DISTRICT and s.district_id == recruiter.district_id:
                    chosen.add(ps.id)
                if s.application_id and recruiter.district_id in interested.get(s.application_id, ()):
                    chosen.add(ps.id)
        services.set_attendance(session, recruiter, event, chosen)
    ctx.progress(TITLE, 4, steps)

    services.publish(session, organizer, event)
    # some finalists and judges have answered in the app already
    for app in finalists[:12]:
        if app.id in result.assignment:
            status = RsvpStatus.DECLINED if app.id == finalists[7].id else RsvpStatus.ACCEPTED
            services.set_rsvp(session, app.applicant, services.pitch_uid(app.id, event), status,
                              "" if status == RsvpStatus.ACCEPTED else
                              "Teaching clash, could we move to day 2?")
    for judge in judges[:4]:
        for ps in sessions:
            if any(a.user_id == judge.id for a in ps.attendances):
                services.set_rsvp(session, judge, services.session_uid(ps), RsvpStatus.ACCEPTED)
    session.flush()
    ctx.data["sessions"] = sessions
    ctx.data["schedule_result"] = result
    ctx.progress(TITLE, 5, steps)
