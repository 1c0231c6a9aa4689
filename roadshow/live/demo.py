"""Demo step: the session that is live now is open, its first items already given (questions,
chat, revealed live scores, the districts' docking requests, follow-up meetings arranged) and
the next finalist on stage with the timer running. A session already over (none in the demo,
whose first session is always live) is run to its end and closed.

It goes through the same services the socket handlers use, so the numbered event log is what a
real session leaves behind. Nobody is emailed.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from sqlalchemy import select

from roadshow.accounts.models import User
from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.demo.context import (
    FINISHED,
    ROADSHOW,
    DemoContext,
    DemoEvent,
    recruiters_with_districts,
)
from roadshow.live import (
    chat,
    district_docking,
    live_scoring,
    questions,
    room_events,
    stage_commands,
)
from roadshow.live.exceptions import LiveError
from roadshow.live.membership import DISTRICT, HOST, JUDGE, VIEWER, Member
from roadshow.live.models import DockingKind, DockingRequest, QuestionStatus
from roadshow.organisations import grants
from roadshow.scheduling.models import PitchSession, Slot, SlotKind

TITLE = "Live roadshow rooms"

QUESTIONS = [
    ("How will you manufacture the first batch in Xuzhou?", "首批产品打算在徐州如何生产？"),
    ("What funding do you need in the first two years?", "前两年需要多少资金？"),
    ("Which local partner would you work with first?", "您最希望先与哪家本地企业合作？"),
    ("Can the technology work at -30 °C?", "这项技术能在零下30度工作吗？"),
]
CHAT = [
    "Great demo!", "声音有点小，能大一点吗？", "The slides are very clear.", "我们板块有现成的厂房。",
    "Is the prototype available for testing?", "期待后续对接！", "Good luck from Yunlong District!",
]


def _member(user: User, role: str, district_of: dict[int, int]) -> Member:
    """``user`` in the room as ``role``; a district's member for the district they recruit for in
    this event (``district_of``: user id -> district id)."""
    return Member(user.id, role, district_id=district_of.get(user.id) if role == DISTRICT else None)


def load(ctx: DemoContext) -> None:
    """The rooms of every roadshow with a schedule: this year's first session live now (and
    any session already over run to its end); every session of last year's held and closed."""
    for demo_event in ctx.events(FINISHED, ROADSHOW, stage="live"):
        load_event(ctx, demo_event)


def load_event(ctx: DemoContext, demo_event: DemoEvent) -> None:
    session, data = ctx.session, demo_event.data
    sessions: list[PitchSession] = data.get("sessions") or list(session.scalars(
        select(PitchSession).where(PitchSession.event_id == demo_event.event.id)
        .order_by(PitchSession.starts_at)))
    if not sessions:
        ctx.progress(TITLE, 1, 1)
        return
    organizer: User = data["organizer"]
    judges: list[User] = data["judges"]
    pairs = recruiters_with_districts(data)
    district_of = {r.id: d.id for r, d in pairs}
    recruiters: list[User] = [r for r, _d in pairs]
    rng = demo_event.rng or ctx.rng
    host = _member(organizer, HOST, district_of)
    now = utcnow()
    past = [s for s in sessions if s.ends_at < now]
    current = next((s for s in sessions if s.starts_at <= now < s.ends_at), None) or next(
        (s for s in sessions if s.starts_at > now), None)
    steps = 2
    docked = False
    # this year's roadshow runs the one session over (none, as its first is live); a finished
    # roadshow every session it held
    for ps in past if demo_event.state == FINISHED else past[:1]:
        docked = _run_finished_session(ctx, ps, host, judges, recruiters, district_of, rng) or docked
    ctx.progress(TITLE, 1, steps)
    if current is not None and demo_event.state != FINISHED:
        _open_current_session(ctx, current, host, judges, recruiters, district_of, rng, docked)
    ctx.progress(TITLE, 2, steps)


def _audience(ps: PitchSession, judges: list[User], recruiters: list[User]) -> tuple[list[User], list[User]]:
    attending = {a.user_id for a in ps.attendances}
    return ([j for j in judges if j.id in attending] or judges[:3],
            [r for r in recruiters if r.id in attending] or recruiters[:3])


def _run_finished_session(ctx: DemoContext, ps: PitchSession, host: Member, judges: list[User],
                          recruiters: list[User], district_of: dict[int, int], rng) -> bool:  # type: ignore[no-untyped-def]
    """Run every item of a session that is over, then close its room."""
    session = ctx.session
    room = room_events.get_room(session, ps)
    stage_commands.stage_command(session, room, host, "open", {}, ps.starts_at)
    items = room_events.load_stage(room).items
    docked = _run_items(ctx, room, ps, range(len(items)), host, judges, recruiters, district_of, rng, False)
    stage_commands.stage_command(session, room, host, "close", {}, ps.ends_at)
    session.flush()
    return docked


def _slot_times(ctx: DemoContext, slot_id: int) -> tuple[datetime, datetime] | None:
    slot = ctx.session.get(Slot, slot_id)
    return (slot.starts_at, slot.ends_at) if slot is not None else None


def _run_items(ctx: DemoContext, room, ps: PitchSession, indexes, host: Member,  # type: ignore[no-untyped-def]
               judges: list[User], recruiters: list[User], district_of: dict[int, int], rng,
               docked: bool) -> bool:
    """Give the items at ``indexes`` as a host would have, at their slots' times: calls, chat,
    questions, live scores revealed, docking requests, and two follow-up meetings arranged.
    Returns whether the printed recruiter has a docking request."""
    session = ctx.session
    items = room_events.load_stage(room).items
    panel, districts = _audience(ps, judges, recruiters)
    criteria = live_scoring.rubric(session, ps.event_id)
    for index in indexes:
        item = items[index]
        times = _slot_times(ctx, item.slot_id)
        at = times[0] if times else ps.starts_at + timedelta(minutes=10 * index)
        stage_commands.stage_command(session, room, host, "call", {"index": index}, at)
        if item.kind.value != SlotKind.PITCH.value or item.application_id is None:
            continue
        stage_commands.stage_command(session, room, host, "start", {}, at)
        for n in range(rng.randrange(2, 5)):
            talker = rng.choice(panel + districts)
            role = JUDGE if talker in panel else DISTRICT
            chat.send_chat(session, room, _member(talker, role, district_of), CHAT[(index + n) % len(CHAT)])
        stage_commands.stage_command(session, room, host, "qa", {}, at)
        asked = rng.sample(QUESTIONS, 2)
        for en, zh in asked:
            asker = rng.choice(districts + panel)
            role = DISTRICT if asker in districts else JUDGE
            event = questions.ask_question(session, room, _member(asker, role, district_of),
                                          zh if asker.locale.startswith("zh") else en)
            qid = event.data["question"]["id"]
            questions.moderate_question(session, room, host, qid, QuestionStatus.APPROVED.value)
            for voter in rng.sample(panel + districts, min(3, len(panel + districts))):
                role = JUDGE if voter in panel else DISTRICT
                questions.vote(session, room, _member(voter, role, district_of), qid, True)
            questions.moderate_question(session, room, host, qid, QuestionStatus.ANSWERED.value)
        stage_commands.stage_command(session, room, host, "scoring", {}, at)
        application = session.get(Application, item.application_id)
        for judge in panel:
            if criteria and not live_scoring.judge_conflicted(session, judge, application):
                scores = {str(c.id): rng.randint(max(c.scale_min, c.scale_max - 4), c.scale_max)
                          for c in criteria}
                with contextlib.suppress(LiveError):  # e.g. a required criterion the demo skips
                    live_scoring.submit_score(session, room, _member(judge, JUDGE, district_of), judge, scores, "")
        stage_commands.stage_command(session, room, host, "reveal", {"slot_id": item.slot_id}, at)
        docking = rng.sample(districts, min(2, len(districts)))
        if not docked and recruiters:
            # the recruiter whose login the demo prints finds a request on their docking board
            docked = True
            docking = [recruiters[0], *[r for r in docking if r is not recruiters[0]][:1]]
        for recruiter in docking:
            kind = DockingKind.TALK if rng.random() < 0.5 else DockingKind.INTEREST
            event = district_docking.dock(session, room, _member(recruiter, DISTRICT, district_of), recruiter, kind.value,
                                  "我们的产业园很适合这个项目。" if kind == DockingKind.TALK else "")
            request = session.get(DockingRequest, event.data["request"]["id"])
            if request is not None:
                request.created_at = min(utcnow(), at + timedelta(minutes=15))  # when asked, live
    talks = session.scalars(select(DockingRequest).where(
        DockingRequest.room_id == room.id, DockingRequest.kind == DockingKind.TALK)).all()
    for arranged, request in enumerate(talks[:2]):
        actor = request.recruiter or ctx.data["organizer"]
        district_docking.arrange_meeting(session, request, actor,
                                 grants.in_event(session, actor, ps.event), ps.ends_at + timedelta(days=3 + arranged, hours=1), 45,
                                 f"https://meeting.tencent.com/dm/xz2026follow{request.id}")
    session.flush()
    return docked


def _open_current_session(ctx: DemoContext, ps: PitchSession, host: Member, judges: list[User],
                          recruiters: list[User], district_of: dict[int, int], rng,
                          docked: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Open the room, give the items already over, and put the next finalist on stage."""
    session = ctx.session
    room = room_events.get_room(session, ps)
    now = utcnow()
    stage_commands.stage_command(session, room, host, "open", {}, min(now, ps.starts_at))
    items = room_events.load_stage(room).items
    done = []
    for index, item in enumerate(items):
        times = _slot_times(ctx, item.slot_id)
        if times is None or times[1] > now:
            break
        done.append(index)
    if any(items[i].kind.value == "pitch" for i in done):
        _run_items(ctx, room, ps, done, host, judges, recruiters, district_of, rng, docked)
    pitch = next((i for i, item in enumerate(items) if item.kind.value == "pitch" and i not in done),
                 None)
    if pitch is None:
        return
    times = _slot_times(ctx, items[pitch].slot_id)
    started = times[0] if times and times[0] < now else now - timedelta(minutes=3)
    stage_commands.stage_command(session, room, host, "call", {"index": pitch}, started)
    stage_commands.stage_command(session, room, host, "start", {}, started)
    panel, districts = _audience(ps, judges, recruiters)
    for n, talker in enumerate((panel + districts)[:4]):
        role = JUDGE if talker in panel else DISTRICT
        chat.send_chat(session, room, _member(talker, role, district_of), CHAT[n % len(CHAT)])
    if districts:
        asker = districts[0]
        event = questions.ask_question(session, room, _member(asker, DISTRICT, district_of), QUESTIONS[0][1])
        questions.moderate_question(session, room, host, event.data["question"]["id"],
                                   QuestionStatus.APPROVED.value)
        questions.ask_question(session, room, _member(panel[0], JUDGE, district_of) if panel else
                              _member(asker, VIEWER, district_of), QUESTIONS[1][0])
    session.flush()
