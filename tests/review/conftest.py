"""Factories for the review tests: an event with tracks and districts, submitted applications,
a rubric, assignments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import ApplicantProfile, Application, ApplicationStatus
from roadshow.events.models import Event, Track
from roadshow.extensions import db as _db
from roadshow.review import settings_and_rubric
from roadshow.review.models import Assignment


@pytest.fixture
def event(app: Any, make_district: Callable[..., Any]) -> Event:
    districts = [make_district(code="gulou", name_zh="鼓楼区", name_en="Gulou District"),
                 make_district(code="peixian", name_zh="沛县", name_en="Pei County")]
    event = Event(slug="review-test", title_zh="测试路演", title_en="Test roadshow", timezone="Asia/Shanghai")
    event.districts = districts
    event.tracks = [Track(code="ict", name_zh="信息通信", name_en="ICT", position=0),
                    Track(code="bio", name_zh="生物医药", name_en="Biomedicine", position=1)]
    _db.session.add(event)
    _db.session.commit()
    return event


@pytest.fixture
def organizer(make_user: Callable[..., User]) -> User:
    return make_user(Role.ORGANIZER, name="Organizer")


@pytest.fixture
def make_application(event: Event, make_user: Callable[..., User]) -> Callable[..., Application]:
    counter = {"n": 0}

    def make(*, title: str | None = None, institution: str = "Delft University of Technology",
             districts: list[Any] | None = None, track: Track | None = None, locale: str = "en",
             name: str | None = None, **fields: Any) -> Application:
        counter["n"] += 1
        n = counter["n"]
        applicant = make_user(Role.APPLICANT, name=name or f"Applicant Person {n}", locale=locale)
        _db.session.add(ApplicantProfile(user_id=applicant.id, name_latin=applicant.name,
                                         institution=institution, country_of_residence="NL"))
        application = Application(
            event_id=event.id, applicant_id=applicant.id, status=ApplicationStatus.SUBMITTED,
            title_en=title or f"Project number {n}", title_zh=f"项目{n}", summary=f"Summary of project {n}.",
            country="NL", track=track or event.tracks[n % len(event.tracks)], **fields,
        )
        application.districts = list(districts if districts is not None else event.districts[:1])
        _db.session.add(application)
        _db.session.commit()
        return application

    return make


@pytest.fixture
def rubric(event: Event, organizer: User) -> list[Any]:
    settings_and_rubric.add_standard_rubric(_db.session, organizer, event)
    _db.session.commit()
    return settings_and_rubric.rubric(_db.session, event.id)


@pytest.fixture
def assign(event: Event) -> Callable[[Application, User], Assignment]:
    def make(application: Application, judge: User) -> Assignment:
        assignment = Assignment(event_id=event.id, application_id=application.id, judge_id=judge.id)
        _db.session.add(assignment)
        _db.session.commit()
        return assignment

    return make


def scores_of(rubric: list[Any], value: float) -> dict[str, float]:
    return {c.code: value for c in rubric}
