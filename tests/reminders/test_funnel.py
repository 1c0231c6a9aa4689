"""The organizers' daily digest of their events' funnel: at 08:00 in each organizer's zone, once
a day, each figure counted from the rows it names and linked to the page that lists them; nothing
when there is nothing to report; the person's choice of channel honoured."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.jobs.models import Job, JobStatus
from roadshow.notifications import services
from roadshow.notifications.digest import send_digests
from roadshow.notifications.models import Channel, Notification
from roadshow.outcomes.models import Milestone, MilestoneState, Project
from roadshow.reminders.funnel import send_funnel_digests
from roadshow.review.models import Assignment, Review, ReviewStatus, SelectionDecision
from roadshow.scheduling.models import PitchSession, SessionStatus
from roadshow.signing.flow import IntentState
from roadshow.signing.models import Intent
from tests.many_events_fixtures import build_event, build_organisation, grant_role

MINUTE = timedelta(minutes=1)
#: 00:00 UTC of the next day: 08:00 in Shanghai (the events' phases are placed around today)
MORNING = (utcnow() + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
#: 08:00 in Toronto that same day (standard time, UTC-5)
TORONTO_MORNING = MORNING + timedelta(hours=13)


def digests(now):
    sent = send_funnel_digests(db.session, now)
    db.session.commit()
    return sent


def digest_rows(person):
    return db.session.scalars(select(Notification).where(
        Notification.user_id == person.id, Notification.kind == "funnel_digest")).all()


def application(event, applicant, *, status=ApplicationStatus.SUBMITTED, submitted_at=None):
    row = Application(event_id=event.id, applicant_id=applicant.id, status=status,
                      title_en="Quantum sensors", title_zh="量子传感器", submitted_at=submitted_at)
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def funnel(app, make_user, make_district):
    """An event of the default office with one or more of each figure since yesterday's 08:00
    (Shanghai), and rows just outside each figure that must not be counted."""
    event = build_event(db.session, phase="review", title_en="Cloud Roadshow 2026",
                        title_zh="云端路演 2026")
    since = MORNING - timedelta(days=1)
    people = [make_user(Role.APPLICANT) for _ in range(5)]
    judge = make_user(Role.JUDGE)
    new = [application(event, people[i], submitted_at=MORNING - timedelta(hours=3 + i))
           for i in range(2)]
    old = application(event, people[2], submitted_at=since - MINUTE)  # the day before: not new
    application(event, people[3], status=ApplicationStatus.DRAFT)  # a draft: not new
    finalist = application(event, people[4], status=ApplicationStatus.FINALIST,
                           submitted_at=since - timedelta(days=3))
    # three assignments: one submitted in the window, one submitted before it, one open
    for row in (new[0], old, finalist):
        db.session.add(Assignment(event_id=event.id, application_id=row.id, judge_id=judge.id))
    db.session.add_all([
        Review(application_id=new[0].id, judge_id=judge.id, status=ReviewStatus.SUBMITTED,
               submitted_at=MORNING - timedelta(hours=1)),
        Review(application_id=old.id, judge_id=judge.id, status=ReviewStatus.SUBMITTED,
               submitted_at=since - timedelta(hours=1)),
        SelectionDecision(event_id=event.id, application_id=finalist.id, selected=True,
                          decided_at=MORNING - timedelta(hours=5)),
        SelectionDecision(event_id=event.id, application_id=old.id, selected=False,
                          decided_at=MORNING - timedelta(hours=5)),
        PitchSession(event_id=event.id, title_zh="上午场", title_en="Morning",
                     starts_at=MORNING + timedelta(hours=30), ends_at=MORNING + timedelta(hours=32),
                     status=SessionStatus.PUBLISHED),
        PitchSession(event_id=event.id, title_zh="下周", title_en="Next week",  # too far
                     starts_at=MORNING + timedelta(days=6), ends_at=MORNING + timedelta(days=6, hours=2),
                     status=SessionStatus.PUBLISHED),
        PitchSession(event_id=event.id, title_zh="草稿", title_en="Draft",  # not published
                     starts_at=MORNING + timedelta(hours=5), ends_at=MORNING + timedelta(hours=6),
                     status=SessionStatus.DRAFT),
        Job(kind="mail.bulk", event_id=event.id, status=JobStatus.FAILED,
            finished_at=MORNING - timedelta(hours=2)),
        Job(kind="mail.bulk", event_id=event.id, status=JobStatus.FAILED,
            finished_at=since - timedelta(hours=2)),  # the day before
        Job(kind="mail.bulk", event_id=event.id, status=JobStatus.DONE,
            finished_at=MORNING - timedelta(hours=2)),
    ])
    district = make_district()
    sealed = Intent(application_id=finalist.id, district_id=district.id, reference="XZ-T-1",
                    state=IntentState.COMPLETED, sealed_at=MORNING - timedelta(hours=4))
    waiting = Intent(application_id=new[1].id, district_id=district.id, reference="XZ-T-2",
                     state=IntentState.OUT_FOR_SIGNATURE, expires_at=MORNING + timedelta(days=9))
    lapsed = Intent(application_id=old.id, district_id=district.id, reference="XZ-T-3",
                    state=IntentState.OUT_FOR_SIGNATURE, expires_at=MORNING - timedelta(days=1))
    db.session.add_all([sealed, waiting, lapsed])
    db.session.flush()
    project = Project(event_id=event.id, intent_id=sealed.id, district_id=district.id)
    db.session.add(project)
    db.session.flush()
    today = MORNING.date()  # Shanghai's day at 08:00
    for code, due, state in (("a", today - timedelta(days=2), MilestoneState.OPEN),
                             ("b", today - timedelta(days=1), MilestoneState.SUBMITTED),
                             ("c", today - timedelta(days=9), MilestoneState.CONFIRMED),
                             ("d", today, MilestoneState.OPEN)):  # due today: not late yet
        db.session.add(Milestone(event_id=event.id, project_id=project.id, code=code,
                                 name_zh="里程碑", name_en="Milestone",
                                 responsible_district_id=district.id, due_on=due, state=state))
    db.session.commit()
    return event


def test_the_digest_counts_each_figure_from_its_rows_and_links_its_page(funnel, make_user,
                                                                         mailbox):
    organizer = make_user(Role.ORGANIZER, timezone="Asia/Shanghai")
    assert digests(MORNING - MINUTE) == 0  # 07:59 in Shanghai
    assert digests(MORNING) == 1
    [mail] = mailbox.to(organizer.email)
    assert "Your events' funnel since yesterday" in mail["Subject"]
    body = mail.get_body(("plain",)).get_content()
    slug = funnel.slug
    office = funnel.organisation.slug
    expected = [
        ("New applications: 2", f"/e/{slug}/organizer/applications"),
        ("Reviews submitted: 1", f"/e/{slug}/review/"),
        ("Reviews still open: 1", f"/e/{slug}/review/assignment"),
        ("New finalists: 1", f"/e/{slug}/review/selection"),
        ("Pitch sessions in the next two days: 1", f"/e/{slug}/schedule/manage"),
        ("Intents sealed: 1", f"/e/{slug}/signing/?state=completed"),
        ("Intents waiting for signatures: 1", f"/e/{slug}/signing/?state=out_for_signature"),
        ("Milestones overdue: 2", f"/o/{office}/outcomes/projects"),
        ("Background jobs that failed: 1", "/jobs/"),
    ]
    lines = body.splitlines()
    for figure, url in expected:
        at = lines.index(f"- {figure}")
        assert lines[at + 1].strip().endswith(url), (figure, lines[at + 1])
    assert "Cloud Roadshow 2026" in body
    assert "List-Unsubscribe" in mail
    [row] = digest_rows(organizer)
    assert row.params["applications"] == 2
    assert row.params["overdue"] == 2
    assert row.url == "/dashboard"
    assert services.unread_count(db.session, organizer) == 1  # in the centre too
    # once a day: the rest of the hour and the next run send nothing more
    assert digests(MORNING + MINUTE) == 0
    assert digests(MORNING + 59 * MINUTE) == 0
    assert len(mailbox.to(organizer.email)) == 1


def test_the_digest_goes_out_at_eight_in_each_organizers_zone_in_their_language(
        funnel, make_user, mailbox):
    shanghai = make_user(Role.ORGANIZER, timezone="Asia/Shanghai", locale="zh_Hans_CN")
    toronto = make_user(Role.ORGANIZER, timezone="America/Toronto")
    assert digests(MORNING) == 1
    assert mailbox.to(toronto.email) == []
    [chinese] = mailbox.to(shanghai.email)
    body = chinese.get_body(("plain",)).get_content()
    assert "云端路演 2026" in body
    assert "新申请：2" in body
    assert digests(TORONTO_MORNING - MINUTE) == 0
    assert digests(TORONTO_MORNING) == 1  # 08:00 in Toronto
    [english] = mailbox.to(toronto.email)
    text = english.get_body(("plain",)).get_content()
    # Toronto's day began 13 hours later: the applications of the Shanghai night are still
    # within it, the sessions coming up are counted from its own morning
    assert "- New applications: 2" in text
    assert "America/Toronto" in text  # since when, in their zone
    assert digests(TORONTO_MORNING + timedelta(days=1) - timedelta(hours=13)) == 1  # Shanghai, next day
    assert len(digest_rows(shanghai)) == 2  # one per day, each its own key
    assert len(mailbox.to(shanghai.email)) == 2


def test_nothing_to_report_sends_nothing(app, make_user, mailbox):
    build_event(db.session, phase="call")  # an office event where nothing happened
    organizer = make_user(Role.ORGANIZER)
    assert digests(MORNING) == 0
    assert digest_rows(organizer) == []
    assert mailbox.to(organizer.email) == []


def test_only_the_organizers_own_events_are_counted(funnel, make_user, mailbox):
    other_office = build_organisation(db.session)
    elsewhere = build_event(db.session, other_office, phase="review")
    stranger = make_user(Role.ORGANIZER)  # the default office's organizer
    single = make_user(Role.JUDGE, email="lone@example.org")  # organizes that one event only
    grant_role(db.session, single, elsewhere, Role.ORGANIZER)
    application(elsewhere, make_user(Role.APPLICANT), submitted_at=MORNING - timedelta(hours=1))
    db.session.commit()
    assert digests(MORNING) == 2
    [mine] = mailbox.to(stranger.email)
    assert "- New applications: 2" in mine.get_body(("plain",)).get_content()
    [theirs] = mailbox.to(single.email)
    body = theirs.get_body(("plain",)).get_content()
    assert "- New applications: 1" in body
    assert funnel.title_en not in body


def test_the_organizers_choice_of_channel_is_honoured(funnel, make_user, mailbox):
    app_only = make_user(Role.ORGANIZER)
    in_digest = make_user(Role.ORGANIZER)
    unsubscribed = make_user(Role.ORGANIZER)
    services.choose(db.session, app_only, "funnel_digest", Channel.APP)
    services.choose(db.session, in_digest, "funnel_digest", Channel.DIGEST)
    assert services.stop_mail(db.session, unsubscribed, "funnel_digest")  # the mail's link
    db.session.commit()
    assert digests(MORNING) == 3
    assert mailbox.to(app_only.email) == []
    assert mailbox.to(unsubscribed.email) == []
    assert services.unread_count(db.session, app_only) == 1
    assert services.unread_count(db.session, unsubscribed) == 1
    assert mailbox.to(in_digest.email) == []  # waits for the notifications' digest
    assert send_digests(db.session, MORNING + timedelta(hours=1), any_hour=True) == 1
    db.session.commit()
    [digest] = mailbox.to(in_digest.email)
    assert "new applications: 2" in digest.get_body(("plain",)).get_content()


def test_the_office_may_rewrite_the_digest_with_its_figures(funnel, make_user, login_as,
                                                            mailbox):
    organizer = make_user(Role.ORGANIZER, locale="zh_Hans_CN")
    client, _user = login_as(organizer)
    url = f"/o/{funnel.organisation.slug}/mail-wording/reminders-funnel_digest/zh_Hans_CN"
    response = client.post(url, data={"subject": "{{ name }}：今日漏斗",
                                       "body": "{{ figures }}\n{{ link }}\n", "action": "save"})
    assert response.status_code == 302
    refused = client.post(url, data={"subject": "x", "body": "{{ funnel.__class__ }}",
                                     "action": "save"})
    assert refused.status_code == 400  # an unknown name is refused; the saved wording stays
    assert digests(MORNING) == 1
    [mail] = mailbox.to(organizer.email)
    assert mail["Subject"].endswith("：今日漏斗")
    body = mail.get_content().replace("\r\n", "\n")
    assert "云端路演 2026\n- 新申请：2\n" in body
    assert f"/e/{funnel.slug}/organizer/applications" in body
    assert "/dashboard\n" in body  # {{ link }}: the organizer's dashboard


def test_work_the_organizer_started_outside_any_event_that_failed_is_told_too(app, make_user,
                                                                              mailbox):
    build_event(db.session, phase="call")  # their office's event, where nothing happened
    organizer = make_user(Role.ORGANIZER)
    colleague = make_user(Role.ORGANIZER)
    db.session.add_all([
        Job(kind="talent.invite", actor_id=organizer.id, status=JobStatus.FAILED,
            finished_at=MORNING - timedelta(hours=6)),
        Job(kind="talent.invite", actor_id=colleague.id, status=JobStatus.FAILED,
            finished_at=MORNING - timedelta(days=2)),  # before the window
    ])
    db.session.commit()
    assert digests(MORNING) == 1
    [mail] = mailbox.to(organizer.email)
    body = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Your own work outside the events\n- Background jobs that failed: 1\n" in body
    assert mailbox.to(colleague.email) == []
