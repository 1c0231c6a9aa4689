"""Factories for the application tests: an open event, applicants with profiles, real PDFs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from roadshow.applications.demo import deck_pdf
from roadshow.applications.models import ApplicantProfile
from tests.events.factories import build_event


def pdf_bytes(title: str = "Pitch deck") -> bytes:
    return deck_pdf(title, "Test project", 2)


@pytest.fixture
def event(db, make_district):
    return build_event(db.session, districts=[make_district("gulou"), make_district("pei", "沛县", "Pei County")])


@pytest.fixture
def make_applicant(db, make_user) -> Callable[..., Any]:
    def make(**fields: Any) -> Any:
        user = make_user("applicant", **fields)
        db.session.add(ApplicantProfile(
            user_id=user.id, name_latin=user.name, nationality="CN", country_of_residence="US",
            institution="Stanford University", position="Research Scientist",
            highest_degree="phd", research_field="Low-power IoT"))
        db.session.commit()
        return user

    return make


@pytest.fixture
def applicant_client(app, make_applicant):
    """A client signed in as an applicant who has a complete profile."""
    from tests.conftest import Auth

    user = make_applicant()
    client = app.test_client()
    Auth(client).login(user)
    return client, user


def project_form(event: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "title_en": "Low-power IoT for industry and smart cities",
        "title_zh": "低功耗物联网技术在工业和智慧城市领域的应用",
        "summary": "Sensors that run ten years on one battery.",
        "track": str(event.tracks[0].id),
        "stage": "prototype",
        "team_size": "6",
        "funding_sought_cny": "5,000,000",
        "districts": [str(d.id) for d in event.districts],
        "support_sought": "Premises and a pilot customer.",
        "video_url": "",
        "form_token": overrides.pop("form_token", "token-1"),
        "action": overrides.pop("action", "save"),
    }
    data.update(overrides)
    return data
