"""Demo step: what each person of the demo finds waiting in their notification centre, at the
moments it would have come, and the messages the offices wrote to groups.

The steps before tell people in the app only where their services do (a judge's assignments,
a district's follow-up requests) and at the moment the demo loads; this step dates those to
when they happened, reads the ones a person has long since read, and adds what each role would
have been told: an applicant their receipt, decisions and the intent waiting for them, a
district's recruiters the new applications to the joint roadshow and their intents to sign,
the office's messages to a session's finalists, the judges, the districts' recruiters, the
symposium's guests and the liaison stations; their senders that they went out. Everything goes
through ``notify()`` and the group messages' own services; the demo mails nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from roadshow.applications.models import Application, ApplicationStatus
from roadshow.applications.notices import NEW_APPLICATION, RECEIVED
from roadshow.demo.context import CALL, DemoContext, DemoEvent
from roadshow.events.models import Event, PhaseKind
from roadshow.group_messages import groups, services
from roadshow.jobs.models import Job, JobStatus
from roadshow.notifications import job_failures
from roadshow.notifications.models import Notification
from roadshow.notifications.services import notify, page
from roadshow.organisations.models import EventRole, EventRoleKind
from roadshow.outcomes import notices as outcome_notices
from roadshow.outcomes.models import Milestone, MilestoneState, Project
from roadshow.outcomes.projects import local_today
from roadshow.review.notices import ASSIGNED, DECISION
from roadshow.scheduling import queries
from roadshow.scoping import across, scoped
from roadshow.signing.flow import IntentState, Ordering, SignerState
from roadshow.signing.models import Intent
from roadshow.signing.notices import WAITING
from roadshow.talent.services import search as talent_search

TITLE = "Notifications waiting"


@dataclass(frozen=True)
class Letter:
    """A message an office wrote to a group, ``hours`` before the demo's moment."""

    event: str  # the key of the demo's event in the context's data
    sender: str  # the key of the sender in the event's data
    group: str
    hours: int
    subject_zh: str
    subject_en: str
    body_zh: str
    body_en: str
    only: str = ""


LETTERS = (
    Letter("event", "organizer", groups.FINALISTS, 20,
           "路演前设备调试提醒", "Device check before your pitch",
           "各位项目负责人：\n\n您的路演场次即将开始。请在开场前 30 分钟打开路演直播页面，完成摄像头、"
           "麦克风和网络测试。每个项目路演 12 分钟，问答 8 分钟。\n\n如有问题，请直接回复或致电市人才办。",
           "Dear project leaders,\n\nYour pitch session starts soon. Please open the live page 30 "
           "minutes before it starts and test your camera, microphone and connection. Each "
           "project pitches for 12 minutes, then answers questions for 8.\n\nReply or call the "
           "city talent office with any question."),
    Letter("event", "organizer", groups.ALL_JUDGES, 26,
           "路演现场评分说明", "Scoring live during the pitches",
           "各位评审专家：\n\n路演期间请在直播页面为每个项目打分，问答环节可以直接提问。"
           "请在每场结束后 15 分钟内提交评分。",
           "Dear judges,\n\nDuring the pitches, please score each project on the live page; you "
           "may ask questions in the Q&A. Submit your scores within 15 minutes of each session's "
           "end."),
    Letter("event", "organizer", groups.RECRUITERS, 5,
           "意向书签约窗口提醒", "The signing window for intents of cooperation",
           "各板块：\n\n路演结束后 30 天内可在线签署合作意向书。请尽早与感兴趣的项目对接，起草意向书"
           "并发出签署。",
           "Dear districts,\n\nIntents of cooperation can be signed online for 30 days after the "
           "roadshow. Dock the projects you are interested in early, draft the intent and send it "
           "for signing."),
    Letter("xiao_roadshow", "organizer", groups.JUDGES, 3,
           "初评进行中：请按时完成评审", "The preliminary review is under way",
           "各位评审专家：\n\n初评仍在进行中，请在截止日期前完成分配给您的项目评审；如与申报人相识，"
           "请在项目页面申报回避。",
           "Dear judges,\n\nThe preliminary review is under way: please finish the reviews "
           "assigned to you before it closes, and declare a conflict on the application's page if "
           "you know an applicant."),
    Letter("joint", "organizer", groups.ALL_JUDGES, 96,
           "联合路演评审安排", "The review of the joint roadshow",
           "各位评审专家：\n\n淮海联合路演的申报仍在进行中。申报截止后将为您分配项目，届时您会收到通知。",
           "Dear judges,\n\nThe call of the Huaihai joint roadshow is still open. Once it closes "
           "you will be assigned applications, and told so here."),
)
#: the symposium's guests and the liaison stations, in one language each
SYMPOSIUM_LETTER = Letter(
    "symposium", "organizer", groups.APPLICANTS, 48,
    "上海人才恳谈会：地点与议程", "",
    "感谢您报名参加徐州—上海人才恳谈会。活动当天下午两点开始，地点和议程已在活动页面公布，"
    "请携带身份证件入场。", "", only="zh_Hans_CN")
STATIONS_LETTER = Letter(
    "next_year", "organizer", groups.STATIONS, 72,
    "请向在外人才推送明年“云创荟”申报通知", "",
    "各联络站：\n\n明年的“云创荟”已开放申报。请通过工作站的微信群和恳谈会，把申报链接推送给您联系的"
    "在外人才，并在人才库中记录联系情况。", "", only="zh_Hans_CN")


def load(ctx: DemoContext) -> None:
    session = ctx.session
    events = ctx.events()
    _date_assignments(ctx, events)
    _failed_job(ctx)
    _milestones_overdue(ctx, events)
    _saved_search(ctx)
    ctx.progress(TITLE, 1, 5)
    for demo_event in events:
        _applicant_trail(ctx, demo_event)
    ctx.progress(TITLE, 2, 5)
    _signatures_waiting(ctx, events)
    for demo_event in ctx.events(CALL):
        _new_applications(ctx, demo_event)
    ctx.progress(TITLE, 3, 5)
    by_event = {e.event.id: e for e in events if e.event is not None}
    for n, letter in enumerate((*LETTERS, SYMPOSIUM_LETTER, STATIONS_LETTER)):
        event = ctx.data.get(letter.event)
        if event is not None and event.id in by_event:
            _write(ctx, by_event[event.id], letter, n,
                   value=ApplicationStatus.SUBMITTED.value if letter is SYMPOSIUM_LETTER else "")
    ctx.progress(TITLE, 4, 5)
    session.flush()
    ctx.progress(TITLE, 5, 5)


def _read_after(row: Notification | None, delay: timedelta, now: datetime) -> None:
    """The person read it ``delay`` after it came, if that moment has passed."""
    if row is not None and row.created_at + delay < now:
        row.read_at = row.created_at + delay


def _phase_start(event: Event, kind: PhaseKind, fallback: datetime) -> datetime:
    phase = event.phase(kind)
    return phase.starts_at if phase is not None else fallback


def _date_assignments(ctx: DemoContext, events: list[DemoEvent]) -> None:
    """A judge's assignments came at the start of the event's review; read the next morning
    once the review is over."""
    for demo_event in events:
        event = demo_event.event
        review = event.phase(PhaseKind.REVIEW)
        if review is None or review.starts_at > ctx.now:
            continue
        came = review.starts_at + timedelta(hours=2)
        ctx.session.execute(update(Notification).where(
            Notification.kind == ASSIGNED.name, Notification.event_id == event.id)
            .values(created_at=came, read_at=came + timedelta(hours=18)
                    if review.ends_at <= ctx.now else None))


def _failed_job(ctx: DemoContext) -> None:
    """The invitations to the symposium sent to the talent pool stopped yesterday evening when
    the mail server was away: the organizer who started them and the platform's administrator
    are told (the job's page offers what to do)."""
    organizer, symposium = ctx.data.get("organizer"), ctx.data.get("symposium")
    if organizer is None or symposium is None:
        return
    started = ctx.now - timedelta(hours=16)
    job = Job(kind="talent.invite", actor_id=organizer.id, event_id=None,
              status=JobStatus.FAILED, total=120, done=75, attempts=4, error_key="mail_server",
              error_detail="SMTPServerDisconnected: Connection unexpectedly closed",
              params={"org_slug": symposium.organisation.slug, "event_id": symposium.id},
              created_at=started, started_at=started,
              finished_at=started + timedelta(minutes=52),
              heartbeat_at=started + timedelta(minutes=52))
    ctx.session.add(job)
    ctx.session.flush()
    admins = [ctx.data.get("admin"), organizer]
    for person in [p for p in admins if p is not None]:
        notify(ctx.session, person, job_failures.FAILED.name,
               url=page("jobs.status", background_job_id=job.id),
               params=job_failures.words_of(job), dedupe_key=f"job_failed:{job.id}",
               now=job.finished_at)


def _saved_search(ctx: DemoContext) -> None:
    """The office's organizer keeps a search of the natives in the United States, to write to
    them (the talent pool's group on the messages page)."""
    office, organizer = ctx.data.get("xuzhou"), ctx.data.get("organizer")
    if office is not None and organizer is not None:
        talent_search.save_search(ctx.session, organizer, office.id,
                                  "在美国的在外人才 · Natives in the United States",
                                  talent_search.Query(country="US"))


def _milestones_overdue(ctx: DemoContext, events: list[DemoEvent]) -> None:
    """This morning's run found last year's late milestones: the office's organizers were told
    (the units' mails are the reminder run's, which the demo does not send)."""
    office = ctx.data.get("xuzhou")
    if office is None:
        return
    ids = [e.event.id for e in events if e.event is not None
           and e.event.organisation_id == office.id]
    today = local_today(office.timezone, ctx.now)
    late = ctx.session.scalars(across(
        select(Milestone).join(Project, Project.id == Milestone.project_id)
        .where(Project.event_id.in_(ids), Milestone.state != MilestoneState.CONFIRMED,
               Milestone.due_on < today).order_by(Milestone.due_on, Milestone.id), ids)).all()
    if not late:
        return
    morning = datetime.combine(today, time(9), ZoneInfo(office.timezone)).astimezone(
        ZoneInfo("UTC"))
    if morning > ctx.now:
        morning -= timedelta(days=1)
    application = late[0].project.intent.application
    outcome_notices.tell_office(ctx.session, office, len(late), {
        "milestone_zh": late[0].name_zh, "milestone_en": late[0].name_en,
        "project_zh": application.title_zh, "project_en": application.title_en},
        today, now=morning)


def _applicant_trail(ctx: DemoContext, demo_event: DemoEvent) -> None:
    """The printed applicant's receipts and decisions (read long since), in each event they
    applied to."""
    printed = ctx.data.get("events", [demo_event])[0].data.get("printed")
    event = demo_event.event
    if printed is None or event is None:
        return
    application = ctx.session.scalar(scoped(select(Application).where(
        Application.event_id == event.id, Application.applicant_id == printed.id,
        Application.submitted_at.is_not(None)), event.id))
    if application is None:
        return
    names = {"project_zh": application.title_zh, "project_en": application.title_en,
             "event_zh": event.title_zh, "event_en": event.title_en}
    status = page("applications.status", event_slug=event.slug, application_id=application.id)
    receipt = notify(ctx.session, printed, RECEIVED.name, url=status, params=names,
                     organisation_id=event.organisation_id, event_id=event.id,
                     dedupe_key=f"{RECEIVED.name}:{application.id}", now=application.submitted_at)
    _read_after(receipt, timedelta(minutes=12), ctx.now)
    review = event.phase(PhaseKind.REVIEW)
    if application.status in (ApplicationStatus.FINALIST, ApplicationStatus.NOT_SELECTED) \
            and review is not None and review.ends_at <= ctx.now:
        decided = review.ends_at + timedelta(hours=3)
        decision = notify(ctx.session, printed, DECISION.name, url=status, params=names,
                          organisation_id=event.organisation_id, event_id=event.id,
                          dedupe_key=f"{DECISION.name}:{application.id}", now=decided)
        _read_after(decision, timedelta(hours=9), ctx.now)


def _signatures_waiting(ctx: DemoContext, events: list[DemoEvent]) -> None:
    """Each signer whose turn it is on an intent out for signature, since it reached them."""
    ids = [e.event.id for e in events if e.event is not None]
    intents = ctx.session.scalars(across(select(Intent).where(
        Intent.state == IntentState.OUT_FOR_SIGNATURE).order_by(Intent.id), ids)).all()
    for intent in intents:
        signers = sorted(intent.signers, key=lambda s: s.position)
        event = intent.application.event
        for signer in signers:
            if signer.state != SignerState.WAITING:
                continue
            before = [s for s in signers if s.position < signer.position]
            if intent.ordering == Ordering.SEQUENTIAL and any(
                    s.state != SignerState.SIGNED for s in before):
                continue
            reached = max([s.acted_at for s in before if s.acted_at] + [
                intent.sent_at or ctx.now - timedelta(hours=6)])
            notify(ctx.session, signer.user, WAITING.name,
                   url=page("signing.sign_intent", event_slug=event.slug, intent_id=intent.id),
                   params={"ref": intent.reference, "project_zh": intent.application.title_zh,
                           "project_en": intent.application.title_en},
                   organisation_id=event.organisation_id, event_id=event.id,
                   dedupe_key=f"{WAITING.name}:{intent.id}:{signer.id}",
                   now=min(reached, ctx.now - timedelta(minutes=5)))


def _new_applications(ctx: DemoContext, demo_event: DemoEvent) -> None:
    """Each district's recruiters in an open call: the applications that chose them (in their
    digest); the older ones read."""
    event = demo_event.event
    if event is None or not event.has_stage("review"):
        return
    recruiters: dict[int, list[Any]] = {}
    for role in ctx.session.scalars(select(EventRole).where(
            EventRole.event_id == event.id, EventRole.role == EventRoleKind.RECRUITER)):
        if role.district_id is not None:
            recruiters.setdefault(role.district_id, []).append(role.user)
    applications = ctx.session.scalars(scoped(select(Application).where(
        Application.event_id == event.id, Application.submitted_at.is_not(None))
        .order_by(Application.submitted_at), event.id)).all()
    for application in applications:
        for district in application.districts:
            for recruiter in recruiters.get(district.id, []):
                row = notify(
                    ctx.session, recruiter, NEW_APPLICATION.name,
                    url=page("review.docking_application", event_slug=event.slug,
                             application_id=application.id),
                    params={"project_zh": application.title_zh,
                            "project_en": application.title_en, "event_zh": event.title_zh,
                            "event_en": event.title_en, "district_zh": district.name_zh,
                            "district_en": district.name_en},
                    organisation_id=event.organisation_id, event_id=event.id,
                    dedupe_key=f"{NEW_APPLICATION.name}:{application.id}:{district.id}",
                    now=application.submitted_at)
                _read_after(row, timedelta(days=3), ctx.now)


def _write(ctx: DemoContext, demo_event: DemoEvent, letter: Letter, n: int,
           value: str = "") -> None:
    """The letter sent to its group of the event through the group messages' services, told
    in the app only; its sender read that it went out unless it is today's."""
    session: Session = ctx.session
    event = demo_event.event
    sender = demo_event.data.get(letter.sender)
    if event is None or sender is None:
        return
    if letter.group == groups.FINALISTS:
        printed = demo_event.data.get("printed")
        application = session.scalar(scoped(select(Application).where(
            Application.event_id == event.id, Application.applicant_id == printed.id), event.id)) \
            if printed is not None else None
        slot = queries.slot_of_application(session, application) if application else None
        if slot is None:
            return
        value = str(slot.session_id)
    draft = services.Draft(group=letter.group, value=value, subject_zh=letter.subject_zh,
                           subject_en=letter.subject_en, body_zh=letter.body_zh,
                           body_en=letter.body_en, only=letter.only)
    try:
        found = services.check(session, sender, event, draft)
    except services.DraftError:
        return  # nobody in this group of the demo's event
    written = ctx.now - timedelta(hours=letter.hours)
    message, _made = services.create(session, sender, event, draft, found,
                                     token=f"demo-{event.slug}-{n}", now=written)
    services.deliver(session, message, now=written + timedelta(minutes=2), email=False)
    if message.job is not None:  # sent: its job is done
        message.job.status = message.job.status.DONE
        message.job.done = message.job.total
        message.job.summary = {"sent": message.sent_count, "total": message.recipient_count,
                               "subject_zh": message.subject_zh, "subject_en": message.subject_en}
        message.job.created_at = message.job.started_at = written
        message.job.finished_at = message.job.heartbeat_at = written + timedelta(minutes=2)
    sent = session.scalar(select(Notification).where(
        Notification.user_id == sender.id,
        Notification.dedupe_key == f"group_message_sent:{message.id}"))
    _read_after(sent, timedelta(hours=1), ctx.now if letter.hours >= 24 else ctx.now - timedelta(
        days=1))
