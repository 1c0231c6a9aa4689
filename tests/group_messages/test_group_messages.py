"""Messages to groups (issue 17): an organizer writes to a filtered group of an event, sees who
receives it, and one background job gives each their language by mail and in the app, once.

The world holds people of the same kinds in another event of the office and in another office,
so a group that leaked would show them."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.group_messages import groups, services
from roadshow.group_messages.models import GroupMessage
from roadshow.jobs.models import Job, JobStatus
from roadshow.jobs.queue import job_queue
from roadshow.mail.models import OutboxMessage
from roadshow.notifications.models import Notification
from roadshow.review.models import Assignment, Review, ReviewStatus
from roadshow.scheduling.models import PitchSession, Slot, SlotKind
from roadshow.signing.flow import IntentState
from roadshow.signing.models import Intent
from roadshow.talent.models import SavedSearch
from tests.talent.records import add_person

pytestmark = pytest.mark.no_default_organisation


@dataclass
class World:
    event: Any
    other_event: Any  # the same office's
    foreign_event: Any  # another office's
    organizer: Any
    people: dict[str, Any] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)


def _application(db, event, user, status, title):
    application = Application(event_id=event.id, applicant_id=user.id, status=status,
                              title_zh=f"{title}项目", title_en=f"{title} project")
    db.session.add(application)
    db.session.flush()
    return application


def _session(db, event, title, applications, days):
    starts = utcnow() + timedelta(days=days)
    pitch = PitchSession(event_id=event.id, title_zh=f"{title}场", title_en=f"{title} session",
                         starts_at=starts, ends_at=starts + timedelta(hours=2))
    db.session.add(pitch)
    db.session.flush()
    for n, application in enumerate(applications):
        at = starts + timedelta(minutes=20 * n)
        db.session.add(Slot(session_id=pitch.id, kind=SlotKind.PITCH, application_id=application.id,
                            starts_at=at, ends_at=at + timedelta(minutes=20), position=n))
    return pitch


def _populate(db, make_user, grant, event, tag, *, office_districts):
    """Finalists in two sessions, an applicant still in review, an open and a finished
    judge, a recruiter whose district signed and one whose district did not."""
    people = {
        "finalist_zh": make_user("applicant", email=f"finalist-zh-{tag}@example.org",
                                 name=f"张{tag}", locale="zh_Hans_CN"),
        "finalist_en": make_user("applicant", email=f"finalist-en-{tag}@example.org",
                                 name=f"Finalist {tag}", locale="en", timezone="Australia/Sydney"),
        "finalist_later": make_user("applicant", email=f"later-{tag}@example.org"),
        "submitted": make_user("applicant", email=f"submitted-{tag}@example.org"),
        "judge_open": make_user("judge", email=f"judge-open-{tag}@example.org"),
        "judge_done": make_user("judge", email=f"judge-done-{tag}@example.org"),
        "recruiter_unsigned": make_user("recruiter", email=f"recruiter-unsigned-{tag}@example.org"),
        "recruiter_signed": make_user("recruiter", email=f"recruiter-signed-{tag}@example.org"),
    }
    a_zh = _application(db, event, people["finalist_zh"], ApplicationStatus.FINALIST, "甲")
    a_en = _application(db, event, people["finalist_en"], ApplicationStatus.FINALIST, "Alpha")
    a_later = _application(db, event, people["finalist_later"], ApplicationStatus.FINALIST, "Beta")
    a_sub = _application(db, event, people["submitted"], ApplicationStatus.SUBMITTED, "Gamma")
    first = _session(db, event, "上午", [a_zh, a_en], 1)
    _session(db, event, "下午", [a_later], 2)
    for judge in ("judge_open", "judge_done"):
        grant(people[judge], event, "judge")
        db.session.add(Assignment(event_id=event.id, application_id=a_sub.id,
                                  judge_id=people[judge].id))
    db.session.add(Review(application_id=a_sub.id, judge_id=people["judge_done"].id,
                          status=ReviewStatus.SUBMITTED, submitted_at=utcnow()))
    unsigned, signed = office_districts
    grant(people["recruiter_unsigned"], event, "recruiter", district=unsigned)
    grant(people["recruiter_signed"], event, "recruiter", district=signed)
    db.session.add(Intent(reference=f"INT-{tag}", application_id=a_zh.id, district_id=signed.id,
                          state=IntentState.COMPLETED))
    db.session.commit()
    return people, first


@pytest.fixture
def world(db, make_user, make_organisation, make_event, grant) -> World:
    organizer = make_user("organizer", email="organizer-a@example.org", name="王主任",
                          locale="zh_Hans_CN")
    office = make_organisation(slug="office-a", organizers=(organizer,))
    other_office = make_organisation(slug="office-b",
                                     organizers=(make_user("organizer", email="organizer-b@example.org"),))
    districts = {}
    for office_row, codes in ((office, ("a-gulou", "a-pei")), (other_office, ("b-xiao", "b-feng"))):
        for code in codes:
            districts[code] = District(code=code, name_zh=code, name_en=code,
                                       organisation_id=office_row.id)
            db.session.add(districts[code])
    db.session.commit()
    event = make_event(office, phase="roadshow", slug="a-roadshow",
                       districts=[districts["a-gulou"], districts["a-pei"]])
    other_event = make_event(office, phase="roadshow", slug="a-other",
                             districts=[districts["a-gulou"], districts["a-pei"]])
    foreign_event = make_event(other_office, phase="roadshow", slug="b-roadshow",
                               districts=[districts["b-xiao"], districts["b-feng"]])
    grant(organizer, event, "organizer")
    people, first = _populate(db, make_user, grant, event, "a",
                              office_districts=(districts["a-gulou"], districts["a-pei"]))
    # the same kinds of people in the office's other event and in another office's event
    _populate(db, make_user, grant, other_event, "other",
              office_districts=(districts["a-pei"], districts["a-gulou"]))
    _populate(db, make_user, grant, foreign_event, "foreign",
              office_districts=(districts["b-xiao"], districts["b-feng"]))
    return World(event=event, other_event=other_event, foreign_event=foreign_event,
                 organizer=organizer, people=people, ids={"session": first.id})


def emails(found):
    return sorted(r.email for r in found)


def test_each_group_holds_its_event_s_people_and_nobody_of_another_event_or_office(app, db, world):
    event, organizer = world.event, world.organizer
    # what could leak is there: the other events have each kind of person
    assert db.session.scalar(select(Application.id).where(
        Application.event_id == world.foreign_event.id,
        Application.status == ApplicationStatus.FINALIST)) is not None
    with app.test_request_context():
        def group(kind, value=""):
            return emails(groups.recipients(db.session, organizer, event, kind, value))

        assert group(groups.FINALISTS, str(world.ids["session"])) == [
            "finalist-en-a@example.org", "finalist-zh-a@example.org"]
        assert group(groups.JUDGES) == ["judge-open-a@example.org"]
        # Pei signed an intent in this event; Gulou did not (it signed in the other event)
        assert group(groups.RECRUITERS) == ["recruiter-unsigned-a@example.org"]
        assert group(groups.APPLICANTS, "finalist") == [
            "finalist-en-a@example.org", "finalist-zh-a@example.org", "later-a@example.org"]
        assert group(groups.APPLICANTS, "submitted") == ["submitted-a@example.org"]
        # another event's session is no choice here
        foreign_session = db.session.scalar(select(PitchSession.id).where(
            PitchSession.event_id == world.foreign_event.id))
        with pytest.raises(groups.GroupError):
            groups.recipients(db.session, organizer, event, groups.FINALISTS, str(foreign_session))


def _draft(**fields):
    return {"group": "finalists_session", "only": "", "subject_zh": "路演时间提醒",
            "subject_en": "Your pitch time", "body_zh": "请提前十分钟进入会议室。",
            "body_en": "Please join ten minutes early.", "action": "preview", **fields}


def test_the_organizer_previews_then_one_job_sends_each_their_language_once(app, db, world, login_as):
    client, _ = login_as(world.organizer)
    base = f"/e/{world.event.slug}/messages"
    page = client.get(f"/e/{world.event.slug}").get_data(as_text=True)
    assert f'href="{base}"' in page  # linked from the event's pages
    assert 'href="/e/a-roadshow/messages/new"' in client.get(base).get_data(as_text=True)
    session_id = str(world.ids["session"])
    preview = client.post(f"{base}/new", data=_draft(value_finalists_session=session_id))
    assert preview.status_code == 200
    shown = preview.get_data(as_text=True)
    assert 'data-count="2"' in shown
    assert "张a" in shown
    assert "Finalist a" in shown
    assert "later-a@example.org" not in shown
    assert db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.to_address == "finalist-zh-a@example.org")) is None  # nothing sent yet

    confirm = _hidden(shown)
    sent = client.post(f"{base}/new", data={**confirm, "action": "send"})
    assert sent.status_code == 302
    assert "/jobs/" in sent.headers["Location"]
    job = db.session.scalar(select(Job).where(Job.kind == "group_messages.send"))
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 2, 2)
    mails = {m.to_address: m for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.template == "group_messages/mail/message"))}
    assert set(mails) == {"finalist-zh-a@example.org", "finalist-en-a@example.org"}
    assert mails["finalist-zh-a@example.org"].subject == "路演时间提醒"
    assert "请提前十分钟进入会议室。" in mails["finalist-zh-a@example.org"].body_text
    assert mails["finalist-en-a@example.org"].subject == "Your pitch time"
    assert "Please join ten minutes early." in mails["finalist-en-a@example.org"].body_text
    assert "请提前" not in mails["finalist-en-a@example.org"].body_text
    # in the app too, with a link to the message as each reads it
    notes = db.session.scalars(select(Notification).where(Notification.kind == "group_message")).all()
    assert sorted(n.user_id for n in notes) == sorted(
        world.people[k].id for k in ("finalist_zh", "finalist_en"))
    reader, _ = login_as(world.people["finalist_en"])
    read = reader.get(notes[0].url if notes[0].user_id == world.people["finalist_en"].id
                      else notes[1].url)
    assert read.status_code == 200
    assert "Please join ten minutes early." in read.get_data(as_text=True)
    outsider, _ = login_as(world.people["finalist_later"])
    assert outsider.get(notes[0].url).status_code == 404
    # the sender is told it went out, and the history keeps it
    assert db.session.scalar(select(Notification).where(
        Notification.kind == "group_message_sent", Notification.user_id == world.organizer.id))
    history = client.get(base).get_data(as_text=True)
    assert "路演时间提醒" in history
    assert "2 / 2" in history

    # the same confirmation posted again sends nothing more
    again = client.post(f"{base}/new", data={**confirm, "action": "send"})
    assert again.status_code == 302
    assert db.session.scalar(select(GroupMessage.id).where(GroupMessage.id > 0).offset(1)) is None
    count = len(db.session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.template == "group_messages/mail/message")).all())
    assert count == 2


def _hidden(page: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in re.findall(
        r'<input type="hidden" name="([\w]+)" value="([^"]*)">', page) if name != "csrf_token"}


def test_bad_input_is_refused_beside_the_field_and_one_language_goes_to_everyone(app, db, world,
                                                                                   login_as):
    client, _ = login_as(world.organizer)
    base = f"/e/{world.event.slug}/messages/new"
    refused = client.post(base, data=_draft(subject_en="", value_finalists_session=""))
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'id="subject_en-error"' in page
    assert 'id="value-error"' in page
    assert "请提前十分钟进入会议室。" in page  # what was written is kept
    chinese, _ = login_as(world.organizer)
    chinese.post("/language", data={"locale": "zh_Hans_CN"})
    nobody = chinese.post(base, data=_draft(group="applicants_status", value_applicants_status="withdrawn"))
    assert nobody.status_code == 422
    assert "这个群组目前没有人" in nobody.get_data(as_text=True)

    # English only: the Chinese fields may stay empty, and the Chinese reader gets English
    only = client.post(base, data=_draft(group="judges_open", only="en", subject_zh="", body_zh=""))
    assert only.status_code == 200
    client.post(base, data={**_hidden(only.get_data(as_text=True)), "action": "send"})
    mail = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.to_address == "judge-open-a@example.org"))
    assert mail.subject == "Your pitch time"


def test_a_judge_may_not_write_to_groups(world, login_as):
    judge, _ = login_as(world.people["judge_open"])
    assert judge.get(f"/e/{world.event.slug}/messages/new").status_code == 403


def test_a_saved_search_of_the_office_s_pool_reaches_its_people_by_mail(app, db, world, login_as):
    office, other = world.event.organisation, world.foreign_event.organisation
    chemist = add_person(office, name_en="Li Wei", name_zh="李伟", residence_country="CN",
                         email="li.wei@example.org", field="chemistry")
    add_person(office, name_en="Anna Berg", residence_country="SE", email="anna@example.org",
               field="chemistry")
    add_person(office, name_en="No Mail", residence_country="SE", field="chemistry")
    add_person(office, name_en="Bo Physics", residence_country="SE", email="bo@example.org",
               field="physics")
    add_person(other, name_en="Other Office", residence_country="SE",
               email="other-office@example.org", field="chemistry")
    saved = SavedSearch(owner_id=world.organizer.id, organisation_id=office.id,
                        name="Chemists", query={"q": "chemistry"})
    db.session.add(saved)
    db.session.commit()
    with app.test_request_context():
        found = groups.recipients(db.session, world.organizer, world.event, groups.TALENT,
                                  str(saved.id))
        assert emails(found) == ["anna@example.org", "li.wei@example.org"]
        assert {r.email: r.locale for r in found} == {"anna@example.org": "en",
                                                      "li.wei@example.org": "zh_Hans_CN"}
        # someone else's saved search is no choice
        with pytest.raises(groups.GroupError):
            groups.recipients(db.session, world.people["judge_open"], world.event, groups.TALENT,
                              str(saved.id))
    client, _ = login_as(world.organizer)
    preview = client.post(f"/e/{world.event.slug}/messages/new",
                          data=_draft(group="talent_search", value_talent_search=str(saved.id)))
    client.post(f"/e/{world.event.slug}/messages/new",
                data={**_hidden(preview.get_data(as_text=True)), "action": "send"})
    subjects = {m.to_address: m.subject for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.template == "group_messages/mail/message"))}
    assert subjects == {"li.wei@example.org": "路演时间提醒", "anna@example.org": "Your pitch time"}
    assert chemist.id


def test_a_resumed_job_sends_only_to_those_not_yet_sent(app, db, world):
    """A worker that stopped after a committed batch: the job run again sends the rest, and a
    third run sends nothing."""
    draft = services.Draft(group="applicants_status", value="finalist", subject_zh="通知",
                           subject_en="Notice", body_zh="正文", body_en="Body")
    with app.test_request_context():
        found = services.check(db.session, world.organizer, world.event, draft)
        message, made = services.create(db.session, world.organizer, world.event, draft, found,
                                         token="resume-test")
        assert made
        first = message.recipients[0]
        first.sent_at = utcnow()  # the batch the stopped worker committed
        db.session.commit()
        job = message.job
    job_queue().enqueue(job)
    job_queue().enqueue(job)
    mails = [m.to_address for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.template == "group_messages/mail/message"))]
    assert sorted(mails) == sorted(r.email for r in found if r.email != first.email)
    db.session.refresh(message)
    assert message.sent_count == message.recipient_count == 3
