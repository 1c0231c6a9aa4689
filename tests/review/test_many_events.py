"""One office runs two events side by side (issue 13): each has its own review. The same judge
sees two separate queues, conflicts and assignments stay in their event, a recruiter docks only
where they recruit, and an event copied from another takes its rubric and settings, nothing
personal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import ApplicantProfile, Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.events.copying import CopyData, copy_event
from roadshow.events.models import Event, EventPhase, PhaseKind, Track
from roadshow.extensions import db
from roadshow.organisations.grants import in_event
from roadshow.organisations.models import (
    EventRole,
    EventRoleKind,
    Organisation,
    OrganisationKind,
    OrganisationMember,
    OrganisationRole,
)
from roadshow.review import (
    copying,
    district_docking,
    exceptions,
    finalist_selection,
    judge_assignments,
    judges_and_conflicts,
    judging,
    settings_and_rubric,
    todos,
)
from roadshow.review.models import Assignment, Conflict, DistrictInterest, InterestLevel, Review
from tests.many_events_fixtures import event_url

from .conftest import scores_of


class Office:
    """A talent office with two events of its own, A1 and A2, and two districts."""

    def __init__(self, make_user: Callable[..., User]) -> None:
        self.make_user = make_user
        self.organisation = Organisation(slug="many-events-office", kind=OrganisationKind.CITY_OFFICE,
                                         name_zh="多活动人才办", name_en="Many Events Office")
        db.session.add(self.organisation)
        self.gulou = District(organisation=self.organisation, code="me-gulou", name_zh="鼓楼区",
                              name_en="Gulou District")
        self.peixian = District(organisation=self.organisation, code="me-peixian", name_zh="沛县",
                                name_en="Pei County")
        self.a1 = self.event("me-a1", "First roadshow")
        self.a2 = self.event("me-a2", "Second roadshow")
        db.session.commit()
        self.organizer = make_user(Role.ORGANIZER, name="Office Organizer")
        db.session.add(OrganisationMember(organisation=self.organisation, user_id=self.organizer.id,
                                          role=OrganisationRole.ORGANIZER))
        db.session.commit()
        self.counter = 0

    def event(self, slug: str, title: str) -> Event:
        event = Event(slug=slug, title_zh=title, title_en=title, timezone="Asia/Shanghai",
                      organisation=self.organisation)
        event.districts = [self.gulou, self.peixian]
        event.tracks = [Track(code="ict", name_zh="信息通信", name_en="ICT", position=0),
                        Track(code="bio", name_zh="生物医药", name_en="Biomedicine", position=1)]
        db.session.add(event)
        return event

    def grant(self, user: User, event: Event, role: EventRoleKind, district: District | None = None) -> None:
        db.session.add(EventRole(event_id=event.id, user_id=user.id, role=role,
                                 district_id=district.id if district else None))
        db.session.commit()

    def submit(self, event: Event, title: str, *, institution: str = "Delft University of Technology",
               district: District | None = None) -> Application:
        self.counter += 1
        applicant = self.make_user(Role.APPLICANT, name=f"Applicant Many {self.counter}")
        db.session.add(ApplicantProfile(user_id=applicant.id, name_latin=applicant.name,
                                        institution=institution, country_of_residence="NL"))
        application = Application(event_id=event.id, applicant_id=applicant.id, status=ApplicationStatus.SUBMITTED,
                                  title_en=title, title_zh=title, summary=f"Summary of {title}.", country="NL",
                                  track=event.tracks[0])
        application.districts = [district or self.gulou]
        db.session.add(application)
        db.session.commit()
        return application

    def rubric(self, event: Event) -> list[Any]:
        settings_and_rubric.add_standard_rubric(db.session, self.organizer, event)
        db.session.commit()
        return settings_and_rubric.rubric(db.session, event.id)


@pytest.fixture
def office(app: Any, make_user: Callable[..., User]) -> Office:
    return Office(make_user)


def _assign(application: Application, judge: User) -> Assignment:
    assignment = Assignment(event_id=application.event_id, application_id=application.id, judge_id=judge.id)
    db.session.add(assignment)
    db.session.commit()
    return assignment


def test_the_same_judge_in_two_events_sees_two_separate_queues(office: Office, make_user: Any, login_as: Any) -> None:
    judge = make_user(Role.JUDGE, name="Shared Judge")
    office.grant(judge, office.a1, EventRoleKind.JUDGE)
    office.grant(judge, office.a2, EventRoleKind.JUDGE)
    rubric = office.rubric(office.a1)
    office.rubric(office.a2)
    first = office.submit(office.a1, "Graphene membranes")
    second = office.submit(office.a2, "Tidal turbines")
    _assign(first, judge)
    _assign(second, judge)
    client, _user = login_as(judge)

    queue_a1 = client.get(event_url(office.a1, "/review/queue")).get_data(as_text=True)
    queue_a2 = client.get(event_url(office.a2, "/review/queue")).get_data(as_text=True)
    assert "Graphene membranes" in queue_a1
    assert "Tidal turbines" not in queue_a1
    assert "Tidal turbines" in queue_a2
    assert "Graphene membranes" not in queue_a2
    # an application of one event is not found under the other's address, for its own judge too
    assert client.get(event_url(office.a1, f"/review/queue/{second.id}")).status_code == 404
    assert client.get(event_url(office.a2, f"/review/queue/{first.id}")).status_code == 404

    response = client.post(event_url(office.a1, f"/review/queue/{first.id}"),
                           data={**{f"score-{c.code}": "7" for c in rubric}, "action": "submit"})
    assert response.status_code == 302
    assert "1 of 1 application reviewed." in client.get(event_url(office.a1, "/review/queue")).get_data(as_text=True)
    assert "0 of 1 application reviewed." in client.get(event_url(office.a2, "/review/queue")).get_data(as_text=True)

    # the dashboard's to-dos: nothing left in A1, one review to write in A2
    grants = {e.id: in_event(db.session, judge, e) for e in (office.a1, office.a2)}
    waiting = todos.todos(db.session, judge, grants)
    assert office.a1.id not in waiting
    assert [(t.kind, t.count, t.endpoint, t.label) for t in waiting[office.a2.id]] == [
        ("review.open_reviews", 1, "review.queue", "1 review to write")]


def test_a_judge_of_one_event_only_is_neither_assigned_nor_admitted_in_the_other(
        office: Office, make_user: Any, login_as: Any) -> None:
    only_a2 = make_user(Role.JUDGE, name="Second Only")
    office.grant(only_a2, office.a2, EventRoleKind.JUDGE)
    office.rubric(office.a1)
    first = office.submit(office.a1, "Graphene membranes")

    assert judges_and_conflicts.judges(db.session, office.a1) == []
    result = judge_assignments.run_assignment(db.session, office.organizer, office.a1)
    assert result.pairs == []
    with pytest.raises(exceptions.ReviewError) as refused:
        judge_assignments.add_assignment(db.session, office.organizer, first, only_a2)
    assert refused.value.message == "Only judges of this event can be assigned to review."
    with pytest.raises(exceptions.ReviewError):
        judging.save_review(db.session, only_a2, first, {})
    db.session.rollback()
    client, _user = login_as(only_a2)
    assert client.get(event_url(office.a1, "/review/queue")).status_code == 403
    assert client.get(event_url(office.a2, "/review/queue")).status_code == 200


def test_conflicts_and_assignments_do_not_cross_events(office: Office, make_user: Any, login_as: Any) -> None:
    judge = make_user(Role.JUDGE, name="Delft Judge")
    office.grant(judge, office.a1, EventRoleKind.JUDGE)
    office.grant(judge, office.a2, EventRoleKind.JUDGE)
    judges_and_conflicts.judge_profile(db.session, judge).institution = "Delft University of Technology"
    db.session.commit()
    first = office.submit(office.a1, "Graphene membranes")  # from Delft: a likely conflict in A1
    second = office.submit(office.a2, "Tidal turbines", institution="Zhejiang University")
    client, _user = login_as(office.organizer)

    assert client.post(event_url(office.a1, "/review/conflicts"), data={"action": "detect"}).status_code == 302
    conflict = db.session.query(Conflict).one()
    assert (conflict.event_id, conflict.application_id) == (office.a1.id, first.id)
    assert "Graphene membranes" in client.get(event_url(office.a1, "/review/conflicts")).get_data(as_text=True)
    assert "Graphene membranes" not in client.get(event_url(office.a2, "/review/conflicts")).get_data(as_text=True)
    # A1's conflict cannot be dismissed from A2, nor A1's application recorded there
    assert client.post(event_url(office.a2, f"/review/conflicts/{conflict.id}/dismiss")).status_code == 404
    page = client.post(event_url(office.a2, "/review/conflicts"), data={
        "judge_id": str(judge.id), "application_id": str(first.id), "reason": "Former student"}).get_data(as_text=True)
    assert "There is no application with this number in this event." in page
    assert db.session.query(Conflict).count() == 1

    # A2's assignment gives the judge A2's application only; A1's conflict does not hold it back
    assert client.post(event_url(office.a2, "/review/assignment")).status_code == 302
    assert [(a.event_id, a.application_id) for a in db.session.query(Assignment)] == [(office.a2.id, second.id)]
    assignment = db.session.query(Assignment).one()
    assert client.post(event_url(office.a1, f"/review/assignments/{assignment.id}/remove")).status_code == 404
    assert client.get(event_url(office.a1, f"/review/applications/{second.id}")).status_code == 404
    assert db.session.query(Assignment).count() == 1
    # and A1's own run leaves the conflicted application without this judge
    assert client.post(event_url(office.a1, "/review/assignment")).status_code == 302
    assert db.session.query(Assignment).filter_by(event_id=office.a1.id).count() == 0


def test_a_recruiter_docks_only_in_events_where_they_recruit(office: Office, make_user: Any, login_as: Any) -> None:
    recruiter = make_user(Role.RECRUITER, name="Gulou Recruiter")
    office.grant(recruiter, office.a1, EventRoleKind.RECRUITER, office.gulou)
    first = office.submit(office.a1, "Graphene membranes")
    second = office.submit(office.a2, "Tidal turbines")
    client, _user = login_as(recruiter)

    browse = client.get(event_url(office.a1, "/review/docking/browse"))
    assert browse.status_code == 200
    assert "Graphene membranes" in browse.get_data(as_text=True)
    assert "Tidal turbines" not in browse.get_data(as_text=True)
    assert client.get(event_url(office.a2, "/review/docking/browse")).status_code == 403
    assert client.post(event_url(office.a2, f"/review/docking/{second.id}"),
                       data={"level": "strong", "note": ""}).status_code == 403
    assert client.post(event_url(office.a1, f"/review/docking/{second.id}"),
                       data={"level": "strong", "note": ""}).status_code == 404
    with pytest.raises(exceptions.ReviewError) as refused:
        district_docking.set_interest(db.session, recruiter, second, InterestLevel.STRONG, "")
    assert refused.value.message == "Only a district's recruiters can mark its interest."
    assert db.session.query(DistrictInterest).count() == 0

    grants = {e.id: in_event(db.session, recruiter, e) for e in (office.a1, office.a2)}
    assert [(t.kind, t.count) for t in todos.todos(db.session, recruiter, grants)[office.a1.id]] == [
        ("review.applications_to_mark", 1)]
    assert client.post(event_url(office.a1, f"/review/docking/{first.id}"),
                       data={"level": "strong", "note": "Fits our park"}).status_code == 302
    interest = db.session.query(DistrictInterest).one()
    assert (interest.application_id, interest.district_id, interest.recruiter_id) == (
        first.id, office.gulou.id, recruiter.id)
    assert office.a1.id not in todos.todos(db.session, recruiter, grants)
    assert district_docking.district_interests(db.session, office.a2, office.gulou.id) == {}


def test_a_copied_event_takes_the_rubric_and_settings_remapped_and_nothing_personal(
        office: Office, make_user: Any) -> None:
    rubric = office.rubric(office.a1)
    settings_and_rubric.move_criterion(db.session, office.organizer, rubric[2], -2)
    ict, bio = office.a1.tracks
    settings_and_rubric.save_settings(db.session, office.organizer, office.a1, settings_and_rubric.SettingsData(
        judges_per_application=2, blind=True, see_other_reviews=settings_and_rubric.SeeOtherReviews.AFTER_SUBMIT,
        finalist_count=6, recruiters_see_scores=True, recruiters_read_decks=False,
        track_quota={str(ict.id): 2, str(bio.id): 1}))
    judge = make_user(Role.JUDGE)
    office.grant(judge, office.a1, EventRoleKind.JUDGE)
    application = office.submit(office.a1, "Graphene membranes")
    _assign(application, judge)
    judging.save_review(db.session, judge, application, scores_of(rubric, 6))
    settings_and_rubric.get_settings(db.session, office.a1).closed_at = utcnow()
    db.session.commit()
    # the copy holds only the ICT track (matched by code), as events.copying makes it
    target = Event(slug="me-a3", title_zh="第三场", title_en="Third roadshow", timezone="Europe/Berlin",
                   organisation=office.organisation)
    target.tracks = [Track(code="ict", name_zh="信息通信", name_en="ICT", position=0)]
    db.session.add(target)
    db.session.flush()

    copying.copy_review_setup(db.session, office.a1, target)
    db.session.commit()

    source = settings_and_rubric.rubric(db.session, office.a1.id)
    copied = settings_and_rubric.rubric(db.session, target.id)
    fields = ("code", "name_zh", "name_en", "guidance_zh", "guidance_en", "weight", "scale_min", "scale_max",
              "required", "position")
    assert [tuple(getattr(c, f) for f in fields) for c in copied] == [
        tuple(getattr(c, f) for f in fields) for c in source]
    assert {c.id for c in copied}.isdisjoint({c.id for c in source})
    settings = settings_and_rubric.get_settings(db.session, target)
    assert (settings.judges_per_application, settings.blind, settings.see_other_reviews, settings.finalist_count,
            settings.recruiters_see_scores, settings.recruiters_read_decks) == (
        2, True, settings_and_rubric.SeeOtherReviews.AFTER_SUBMIT, 6, True, False)
    assert settings.closed_at is None
    assert settings.track_quota == {str(target.tracks[0].id): 2}
    for model in (Assignment, Review, Conflict, DistrictInterest):
        assert db.session.query(model).filter(model.event_clause([target.id])).count() == 0


def test_a_judge_profile_keeps_the_tracks_of_their_other_events(office: Office, make_user: Any) -> None:
    judge = make_user(Role.JUDGE)
    a1_ict = office.a1.tracks[0]
    a2_bio = office.a2.tracks[1]
    judges_and_conflicts.save_judge_profile(db.session, judge, judge, office.a1, institution=" Delft ",
                                            associates="", track_ids=[a1_ict.id, a2_bio.id], capacity=3)
    judges_and_conflicts.save_judge_profile(db.session, office.organizer, judge, office.a2, institution="Delft",
                                            associates="", track_ids=[a2_bio.id], capacity=4)
    db.session.commit()
    profile = judges_and_conflicts.judge_profile(db.session, judge)
    # A2's track chosen on A1's page is not taken there; the judge's own page does not set the cap
    assert sorted(t.id for t in profile.tracks) == sorted([a1_ict.id, a2_bio.id])
    assert (profile.institution, profile.capacity) == ("Delft", 4)


def test_an_event_without_a_review_stage_has_no_review_pages_and_no_review_to_dos(
        office: Office, make_user: Any, login_as: Any) -> None:
    judge = make_user(Role.JUDGE)
    office.grant(judge, office.a2, EventRoleKind.JUDGE)
    office.rubric(office.a2)
    _assign(office.submit(office.a2, "Tidal turbines"), judge)
    grants = {office.a2.id: in_event(db.session, judge, office.a2)}
    assert [t.count for t in todos.todos(db.session, judge, grants)[office.a2.id]] == [1]
    office.a2.stage_review = False  # a symposium: registration and programme, no review
    db.session.commit()

    assert todos.todos(db.session, judge, grants) == {}
    organizer, _user = login_as(office.organizer)
    judge_client, _user = login_as(judge)
    assert organizer.get(event_url(office.a2, "/review/")).status_code == 404
    assert judge_client.get(event_url(office.a2, "/review/queue")).status_code == 404
    assert organizer.get(event_url(office.a1, "/review/")).status_code == 200


def test_an_archived_events_review_reads_but_changes_nothing(office: Office, make_user: Any, login_as: Any) -> None:
    judge = make_user(Role.JUDGE)
    office.grant(judge, office.a1, EventRoleKind.JUDGE)
    rubric = office.rubric(office.a1)
    application = office.submit(office.a1, "Graphene membranes")
    _assign(application, judge)
    office.a1.archived_at = utcnow()
    db.session.commit()
    organizer, _user = login_as(office.organizer)
    judge_client, _user = login_as(judge)

    assert organizer.get(event_url(office.a1, "/review/ranking")).status_code == 200
    assert organizer.post(event_url(office.a1, "/review/assignment")).status_code == 403
    assert judge_client.post(event_url(office.a1, f"/review/queue/{application.id}"),
                             data={**{f"score-{c.code}": "7" for c in rubric}, "action": "submit"}).status_code == 403
    assert db.session.query(Review).count() == 0
    assert db.session.query(Assignment).count() == 1
    # nothing is asked of anyone in an archived event
    assert todos.todos(db.session, judge, {office.a1.id: in_event(db.session, judge, office.a1)}) == {}


def test_copying_an_event_brings_its_review_setup_through_the_events_signal(office: Office) -> None:
    rubric = office.rubric(office.a1)
    result = copy_event(db.session, office.organizer, office.a1, CopyData(
        title_zh="下一届路演", title_en="Next roadshow", slug="me-next", kind="roadshow",
        main_day=date(2027, 5, 1), timezone="Asia/Shanghai"))
    db.session.commit()
    assert [(c.code, c.weight) for c in settings_and_rubric.rubric(db.session, result.event.id)] == [
        (c.code, c.weight) for c in rubric]


def test_a_judges_to_do_is_due_when_the_events_review_phase_ends(office: Office, make_user: Any) -> None:
    judge = make_user(Role.JUDGE)
    office.grant(judge, office.a1, EventRoleKind.JUDGE)
    office.rubric(office.a1)
    _assign(office.submit(office.a1, "Graphene membranes"), judge)
    now = utcnow().replace(microsecond=0)
    office.a1.phases = [EventPhase(kind=PhaseKind.REVIEW, starts_at=now - timedelta(days=3),
                                   ends_at=now + timedelta(days=4))]
    db.session.commit()
    [todo] = todos.todos(db.session, judge, {office.a1.id: in_event(db.session, judge, office.a1)})[office.a1.id]
    assert todo.due_at == now + timedelta(days=4)


def test_a_finalists_email_links_to_their_application_in_its_event(office: Office, mailbox: Any,
                                                                  login_as: Any) -> None:
    application = office.submit(office.a2, "Tidal turbines")
    finalist_selection.override_decision(db.session, office.organizer, application, True, "Strong fit for Gulou")
    finalist_selection.send_decisions(db.session, office.organizer, office.a2)
    db.session.commit()
    [told] = mailbox.to(application.applicant.email)
    link = event_url(office.a2, f"/applications/{application.id}")
    assert f"Your application: http://localhost{link}" in told.get_body(("plain",)).get_content()
    client, _user = login_as(application.applicant)
    assert client.get(link).status_code == 200
