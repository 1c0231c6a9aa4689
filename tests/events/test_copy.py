"""New event from an old one (issue 13, §4): texts, kind, stages, tracks, questions, districts
and phases moved to the new dates at the same local times; review and scheduling copy their
set-up through events.signals.event_copied (scheduling's receiver checked here); nothing personal comes along."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.events import signals
from roadshow.events.copying import CopyData, copy_event
from roadshow.events.models import Event, EventPhase, EventQuestion, PhaseKind, QuestionKind
from roadshow.extensions import db as _db
from roadshow.organisations.models import EventRole
from roadshow.scheduling import copying as scheduling_copying
from roadshow.scheduling.models import PitchSession
from tests.many_events_fixtures import event_url

BERLIN = "Europe/Berlin"

#: the receivers of event_copied this test counts on (their blueprints load them in the app)
RECEIVERS = (scheduling_copying,)


def _finished_source(make_event, make_district, organisation=None):
    district = make_district("pei", "沛县", "Pei County")
    event = make_event(organisation, phase="finished", title_en="Roadshow 2026", timezone=BERLIN,
                       districts=[district])
    # the roadshow days began at 09:00 Berlin summer time on 10 June 2026
    roadshow = event.phase(PhaseKind.ROADSHOW)
    roadshow.starts_at = datetime(2026, 6, 10, 7, 0, tzinfo=UTC)
    roadshow.ends_at = datetime(2026, 6, 12, 16, 0, tzinfo=UTC)
    # the call opened at 10:00 Berlin winter time on 1 February 2026
    call = event.phase(PhaseKind.CALL)
    call.starts_at = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
    call.ends_at = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    event.phase(PhaseKind.REVIEW).starts_at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    event.phase(PhaseKind.REVIEW).ends_at = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    event.phase(PhaseKind.SIGNING).starts_at = datetime(2026, 6, 13, 9, 0, tzinfo=UTC)
    event.phase(PhaseKind.SIGNING).ends_at = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    event.questions = [EventQuestion(kind=QuestionKind.TEXT, prompt_zh="来源", prompt_en="Where from?",
                                     required=True, position=0)]
    event.description_en = "The city's yearly roadshow."
    _db.session.add(PitchSession(event_id=event.id, title_zh="第一场", title_en="Session one",
                                 starts_at=datetime(2026, 6, 10, 7, 0, tzinfo=UTC),
                                 ends_at=datetime(2026, 6, 10, 10, 0, tzinfo=UTC)))
    _db.session.commit()
    return event


def _wall(moment: datetime, zone: str) -> datetime:
    from zoneinfo import ZoneInfo
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def test_copy_of_a_finished_event_moves_every_phase_to_the_same_local_times(
        login_as, make_event, make_district, make_user):
    client, organizer = login_as("organizer")
    source = _finished_source(make_event, make_district)
    response = client.post(event_url(source, "/copy"), data={
        "title_zh": "路演2027", "title_en": "Roadshow 2027", "slug": "roadshow-2027",
        "kind": "roadshow", "main_day": "2027-06-09", "timezone": BERLIN})
    assert response.status_code == 302
    assert response.headers["Location"] == "/e/roadshow-2027/manage"
    copy = _db.session.scalar(select(Event).where(Event.slug == "roadshow-2027"))
    assert copy.copied_from_id == source.id
    assert copy.organisation_id == source.organisation_id
    assert not copy.published
    assert copy.description_en == "The city's yearly roadshow."
    assert [t.code for t in copy.tracks] == [t.code for t in source.tracks]
    assert [q.prompt_en for q in copy.questions] == ["Where from?"]
    assert [d.code for d in copy.districts] == ["pei"]
    # 364 days on: the roadshow still starts at 09:00 and the call at 10:00 local time, whatever DST
    assert _wall(copy.phase(PhaseKind.ROADSHOW).starts_at, BERLIN) == datetime(2027, 6, 9, 9, 0)  # noqa: DTZ001
    assert _wall(copy.phase(PhaseKind.CALL).starts_at, BERLIN) == datetime(2027, 1, 31, 10, 0)  # noqa: DTZ001
    assert len(copy.phases) == 4
    # scheduling's session layout comes along through event_copied
    sessions = _db.session.scalars(select(PitchSession).where(PitchSession.event_id == copy.id)).all()
    assert [_wall(s.starts_at, BERLIN) for s in sessions] == [datetime(2027, 6, 9, 9, 0)]  # noqa: DTZ001


def test_the_copy_holds_no_person_of_the_source(app, make_event, make_district, make_user, grant):
    source = _finished_source(make_event, make_district)
    organizer = make_user("organizer")
    judge, applicant = make_user("applicant"), make_user("applicant", email="daniel@example.org")
    grant(judge, source, Role.JUDGE)
    _db.session.add(Application(event_id=source.id, applicant_id=applicant.id, status=ApplicationStatus.SUBMITTED))
    _db.session.commit()
    with app.test_request_context():
        result = copy_event(_db.session, organizer, source, CopyData(
            title_zh="新", title_en="New", slug="new-one", kind="roadshow", main_day=date(2027, 6, 9),
            timezone=BERLIN))
        _db.session.commit()
    target = result.event
    assert _db.session.scalar(select(func.count()).select_from(EventRole).where(EventRole.event_id == target.id)) == 0
    applications = select(func.count()).select_from(Application).where(Application.event_id == target.id)
    assert _db.session.scalar(applications) == 0
    assert target.archived_at is None


def test_event_copied_is_sent_with_the_source_the_target_and_the_shift(app, make_event, make_user):
    source = make_event(phase="finished")
    received = []

    def receiver(sender, **kwargs):
        received.append((sender, kwargs))

    signals.event_copied.connect(receiver)
    try:
        with app.test_request_context():
            result = copy_event(_db.session, make_user("organizer"), source, CopyData(
                title_zh="新", title_en="New", slug="", kind="symposium",
                main_day=date(2030, 6, 1), timezone="Asia/Shanghai"))
    finally:
        signals.event_copied.disconnect(receiver)
    [(sender, kwargs)] = received
    assert sender == "events"
    assert kwargs["source"] is source
    assert kwargs["target"] is result.event
    assert kwargs["session"] is _db.session
    assert kwargs["shift"].days == result.shift.days
    assert result.event.slug == "new"
    assert result.event.kind.value == "symposium"


def test_a_slug_already_taken_is_refused_and_the_form_kept(login_as, make_event):
    client, _ = login_as("organizer")
    source = make_event(phase="finished", slug="roadshow-2026")
    make_event(slug="roadshow-2027")
    page = client.post(event_url(source, "/copy"), data={
        "title_zh": "路演2027", "title_en": "Roadshow Next", "slug": "roadshow-2027", "kind": "roadshow",
        "main_day": "2027-06-09", "timezone": "Asia/Shanghai"}).get_data(as_text=True)
    assert "Another event already uses this web address" in page
    assert "Roadshow Next" in page
    assert _db.session.scalar(select(func.count()).select_from(Event)) == 2


def test_the_copy_form_proposes_next_year_in_both_languages(login_as, make_event):
    client, _ = login_as("organizer", locale="zh_Hans_CN")
    source = make_event(phase="finished", slug="roadshow-2026")
    page = client.get(event_url(source, "/copy")).get_data(as_text=True)
    assert "以此活动为模板新建" in page
    assert 'value="roadshow-2026-' in page


def test_a_skipped_local_time_moves_forward_and_the_organizer_is_told(login_as, make_event):
    client, _ = login_as("organizer")
    source = make_event(phase="finished", timezone=BERLIN)
    for phase in source.phases:
        _db.session.delete(phase)
    _db.session.flush()
    # the call opened at 02:30 Berlin on 28 March 2026; the copy puts it on 29 March 2026, whose
    # 02:30 does not exist
    source.phases = [EventPhase(kind=PhaseKind.CALL, starts_at=datetime(2026, 3, 28, 1, 30, tzinfo=UTC),
                                ends_at=datetime(2026, 3, 30, 1, 30, tzinfo=UTC))]
    _db.session.commit()
    page = client.post(event_url(source, "/copy"), data={
        "title_zh": "新", "title_en": "New", "slug": "moved", "kind": "roadshow", "main_day": "2026-03-29",
        "timezone": BERLIN}, follow_redirects=True).get_data(as_text=True)
    assert "moved forward: Call for projects" in page
    copy = _db.session.scalar(select(Event).where(Event.slug == "moved"))
    assert _wall(copy.phase(PhaseKind.CALL).starts_at, BERLIN) == datetime(2026, 3, 29, 3, 30)  # noqa: DTZ001
