"""A symposium's or a promotion event's call is a registration: it asks the applicant's profile
and the event's questions, never a project or a pitch deck (issue 13)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from roadshow.applications.policy import PROJECT_PARTS, is_registration, required_fields


@pytest.mark.parametrize("kind", ["symposium", "promotion"])
def test_registration_kinds_ask_only_the_profile_and_the_questions(kind):
    event = SimpleNamespace(kind=kind)
    assert is_registration(event)
    assert required_fields(event) == ("profile", "questions")
    assert not set(PROJECT_PARTS) & set(required_fields(event))


def test_a_roadshow_asks_the_project_and_its_deck():
    event = SimpleNamespace(kind="roadshow")
    assert not is_registration(event)
    assert {"title", "summary", "track", "stage", "team_size", "deck"} <= set(required_fields(event))
    assert {"profile", "questions"} <= set(required_fields(event))


def test_an_event_without_a_kind_is_a_roadshow():
    assert not is_registration(SimpleNamespace())
    assert "deck" in required_fields(SimpleNamespace(kind=None))
