"""Signing factories: a finalist project, its district with a recruiter, the city office."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from roadshow.accounts.models import User
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.events.models import Event
from roadshow.extensions import db as _db
from roadshow.signing import audit_trail, drafting, signatures
from roadshow.signing.models import Intent
from tests.conftest import TEST_PASSWORD

INFO = audit_trail.RequestInfo("203.0.113.7", "pytest-browser/1.0")


@pytest.fixture(autouse=True)
def _request(app):
    """Services speak the user's language: give them a request to read it from."""
    with app.test_request_context():
        yield


@dataclass
class Parties:
    event: Event
    application: Application
    district: Any
    applicant: User
    recruiter: User
    organizer: User


@pytest.fixture
def parties(make_user, make_district) -> Callable[..., Parties]:
    counter = {"n": 0}

    def make(district: Any = None, organizer: User | None = None, **applicant_fields: Any) -> Parties:
        counter["n"] += 1
        n = counter["n"]
        event = _db.session.query(Event).first()
        if event is None:
            event = Event(slug="xz", title_zh="徐州市高层次人才“云创荟”",
                          title_en="Xuzhou High-level Talent Cloud Roadshow",
                          organizer_name_zh="徐州市人才办", organizer_name_en="Xuzhou Talent Office")
            _db.session.add(event)
        district = district or make_district(code=f"sd{n}", name_zh="鼓楼区", name_en="Gulou District")
        organizer = organizer or make_user("organizer", name="City Office", name_native="市人才办")
        recruiter = make_user("recruiter", district=district, name=f"Recruiter {n}",
                              name_native="张伟")
        applicant = make_user("applicant", name=f"Wei Wang {n}", **applicant_fields)
        application = Application(event=event, applicant=applicant,
                                  status=ApplicationStatus.FINALIST,
                                  title_en="Low-power IoT for industry and smart cities",
                                  title_zh="低功耗物联网技术在工业和智慧城市领域的应用")
        _db.session.add(application)
        _db.session.commit()
        return Parties(event, application, district, applicant, recruiter, organizer)

    return make


@pytest.fixture
def draft_intent(parties) -> Callable[..., Intent]:
    def make(p: Parties | None = None, ordering: str = "sequential") -> Intent:
        p = p or parties()
        draft = drafting.default_draft(p.application, p.district)
        intent = drafting.create_intent(_db.session, p.organizer, p.application, p.district, draft,
                                        ordering, {"district": p.recruiter.id,
                                                   "city": p.organizer.id}, INFO)
        _db.session.commit()
        return intent

    return make


@pytest.fixture
def sent_intent(draft_intent) -> Callable[..., Intent]:
    def make(p: Parties | None = None, ordering: str = "sequential") -> Intent:
        intent = draft_intent(p, ordering)
        drafting.send_for_signing(_db.session, intent.created_by, intent, INFO)
        _db.session.commit()
        return intent

    return make


def code_from(mailbox, user: User) -> str:
    """The latest confirmation code emailed to ``user``."""
    for message in reversed(mailbox.to(user.email)):
        body = message.get_body(("plain",)).get_content()
        found = re.search(r"^\s+(\d{6})\s*$", body, re.MULTILINE)
        if found:
            return found.group(1)
    raise AssertionError(f"no code emailed to {user.email}")


def sign_as(user: User, intent: Intent, mailbox, *, password: str = TEST_PASSWORD,
            typed_name: str | None = None, drawing: bytes | None = None) -> None:
    """Ask for a code and sign with it, through the services (the views are tested apart)."""
    signatures.send_code(_db.session, intent, user, INFO)
    _db.session.commit()
    signatures.sign(_db.session, intent, user, INFO, password=password,
                  code=code_from(mailbox, user), typed_name=typed_name or user.name, consent=True,
                  signature_png=drawing)
    _db.session.commit()


@pytest.fixture
def completed_intent(sent_intent, mailbox) -> Callable[..., Intent]:
    def make(p: Parties | None = None) -> Intent:
        intent = sent_intent(p)
        for signer in list(intent.signers):
            sign_as(signer.user, intent, mailbox)
        assert intent.sealed_sha256
        return intent

    return make
