"""Every route, walked with anonymous and each of the four roles, answers as ``PERMISSIONS`` says.

For each rule in ``app.url_map`` (except static files and the Bootstrap assets) and each actor:

* anonymous on a non-public route is sent to the sign-in page, with ``next``;
* a role without the route's permission gets 403;
* a role with it gets neither 401/403 nor a server error (404, 400, 410 or a redirect elsewhere
  are fine: the sample object may not suit every role).

GET rules are requested with GET; POST-only rules with POST and an empty form. URL parameters
take their values from :data:`SAMPLE_ARGS`, built from a small world of factories: a domain that
adds a parameter name adds a sample for it here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask, url_for

from roadshow.access import EXEMPT_ENDPOINT_PREFIXES, PUBLIC, permission_of, role_may
from roadshow.accounts.models import Invitation, User
from roadshow.accounts.roles import Role
from roadshow.db import utcnow
from roadshow.mail.models import OutboxMessage, OutboxStatus
from tests.conftest import Auth


@dataclass
class World:
    """The objects sample URL values point at; ``cache`` keeps what samples create."""

    app: Flask
    session: Any
    users: dict[Role, User]
    spare: User  # a user other than the actors, for routes that act on someone
    district: Any
    make_user: Callable[..., User]
    make_district: Callable[..., Any]
    cache: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, build: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]


def _invitation(world: World) -> int:
    invitation = Invitation(email="invitee@example.org", name="Invitee", role=Role.JUDGE,
                            invited_by=world.users[Role.ORGANIZER],
                            expires_at=utcnow() + timedelta(days=3))
    world.session.add(invitation)
    world.session.commit()
    return invitation.id


def _message(world: World) -> int:
    message = OutboxMessage(to_address="someone@example.org", locale="en", subject="Hello",
                            body_text="Hello", raw=b"Subject: Hello\r\n\r\nHello\r\n",
                            template="accounts/mail/verify_email", status=OutboxStatus.SENT)
    world.session.add(message)
    world.session.commit()
    return message.id


def _live_world(world: World) -> dict[str, int]:
    """A published pitch session where the applicant pitches, and a district's docking request."""
    from roadshow.applications.models import Application, ApplicationStatus
    from roadshow.events.models import Event
    from roadshow.live.models import DockingKind, DockingRequest
    from roadshow.scheduling.models import PitchSession, SessionStatus, Slot, SlotKind

    event = Event(slug="matrix-live", title_zh="路演", title_en="Roadshow")
    world.session.add(event)
    world.session.flush()
    application = Application(event_id=event.id, applicant_id=world.users[Role.APPLICANT].id,
                              status=ApplicationStatus.FINALIST, title_en="IoT", title_zh="物联网")
    starts = utcnow() + timedelta(days=1)
    pitch_session = PitchSession(event_id=event.id, title_zh="上午场", title_en="Morning",
                                 starts_at=starts, ends_at=starts + timedelta(hours=1),
                                 status=SessionStatus.PUBLISHED)
    world.session.add_all([application, pitch_session])
    world.session.flush()
    world.session.add(Slot(session_id=pitch_session.id, kind=SlotKind.PITCH,
                           application_id=application.id, starts_at=starts,
                           ends_at=starts + timedelta(minutes=20)))
    request = DockingRequest(event_id=event.id, application_id=application.id,
                             district_id=world.district.id, kind=DockingKind.TALK)
    world.session.add(request)
    world.session.commit()
    return {"session": pitch_session.id, "application": application.id, "request": request.id}


def _event_world(world: World) -> dict[str, int]:
    """An event whose call is open, with one custom question."""
    from roadshow.events.models import Event, EventPhase, EventQuestion, PhaseKind, QuestionKind

    now = utcnow()
    event = Event(slug="matrix-call", title_zh="征集", title_en="Call", timezone="America/New_York")
    event.phases = [EventPhase(kind=PhaseKind.CALL, starts_at=now - timedelta(days=1),
                               ends_at=now + timedelta(days=5))]
    event.questions = [EventQuestion(kind=QuestionKind.TEXT, prompt_zh="问题", prompt_en="Question")]
    world.session.add(event)
    world.session.commit()
    return {"event": event.id, "question": event.questions[0].id}


def _signing_world(world: World) -> dict[str, Any]:
    """An intent sent for signing: the sample applicant signs first, the matrix district next."""
    from roadshow.applications.models import Application
    from roadshow.signing import audit_trail, drafting

    application = world.session.get(Application, world.once("live", lambda: _live_world(world))["application"])
    organizer, recruiter = world.users[Role.ORGANIZER], world.users[Role.RECRUITER]
    info = audit_trail.RequestInfo("127.0.0.1", "matrix")
    with world.app.test_request_context():
        intent = drafting.create_intent(
            world.session, organizer, application, world.district,
            drafting.default_draft(application, world.district), "sequential",
            {"district": recruiter.id, "city": organizer.id}, info)
        drafting.send_for_signing(world.session, organizer, intent, info)
        world.session.commit()
    return {"intent": intent.id, "signer": intent.signers[0].id, "public": intent.public_id}


#: URL parameter name -> sample value, built from the world. Add yours here.
SAMPLE_ARGS: dict[str, Callable[[World], Any]] = {
    "token": lambda w: "not-a-valid-token",
    "user_id": lambda w: w.spare.id,
    "district_id": lambda w: w.district.id,
    "invitation_id": lambda w: w.once("invitation", lambda: _invitation(w)),
    "message_id": lambda w: w.once("message", lambda: _message(w)),
    "criterion_id": lambda w: 999_999,
    "judge_id": lambda w: w.users[Role.JUDGE].id,
    "conflict_id": lambda w: 999_999,
    "action": lambda w: "dismiss",
    "assignment_id": lambda w: 999_999,
    "decision_id": lambda w: 999_999,
    "sheet": lambda w: "ranking",
    "session_id": lambda w: w.once("live", lambda: _live_world(w))["session"],
    "application_id": lambda w: w.once("live", lambda: _live_world(w))["application"],
    "page": lambda w: 1,
    "request_id": lambda w: w.once("live", lambda: _live_world(w))["request"],
    "event_id": lambda w: w.once("event", lambda: _event_world(w))["event"],
    "question_id": lambda w: w.once("event", lambda: _event_world(w))["question"],
    "intent_id": lambda w: w.once("signing", lambda: _signing_world(w))["intent"],
    "signer_id": lambda w: w.once("signing", lambda: _signing_world(w))["signer"],
    "public_id": lambda w: w.once("signing", lambda: _signing_world(w))["public"],
    "slot_id": lambda w: 999_999,
    "background_job_id": lambda w: 999_999,
}

#: endpoint -> roles that hold the permission but are refused (403) by an object-level rule for
#: the sample object. Keep it short and say why next to each entry.
OBJECT_LEVEL_REFUSALS: dict[str, frozenset[Role]] = {
    # judges and recruiters read a deck only when the review domain says they are assigned
    "applications.deck": frozenset({Role.JUDGE, Role.RECRUITER}),
    "applications.deck_preview": frozenset({Role.JUDGE, Role.RECRUITER}),
    "applications.answer_file": frozenset({Role.JUDGE, Role.RECRUITER}),
    # judges take no part in an intent, so its pages refuse them
    **{f"signing.{name}": frozenset({Role.JUDGE}) for name in (
        "view_intent", "sign_intent", "send_code", "decline_intent", "download_pdf",
        "preview_pdf", "signature_image")},
}

ACTORS = [None, *Role]


def walked_rules(app: Flask) -> list[Any]:
    rules = [rule for rule in app.url_map.iter_rules()
             if not rule.endpoint.startswith(EXEMPT_ENDPOINT_PREFIXES)]
    # reads first, then writes, so a write cannot remove what a later read needs
    return sorted(rules, key=lambda rule: ("GET" not in rule.methods, rule.rule))


def method_of(rule: Any) -> str | None:
    if "GET" in rule.methods:
        return "GET"
    if "POST" in rule.methods:
        return "POST"
    return None


def parameters(rule: Any) -> list[str]:
    return sorted(rule.arguments - set(rule.defaults or {}))


def test_every_url_parameter_has_a_sample(app):
    missing = sorted({f"{name!r} (in {rule.rule})" for rule in walked_rules(app)
                      for name in parameters(rule) if name not in SAMPLE_ARGS})
    assert not missing, ("add a sample value for these URL parameters to SAMPLE_ARGS in "
                         f"tests/core/test_access_matrix.py: {', '.join(missing)}")


def build_url(app: Flask, world: World, rule: Any) -> str:
    values = {}
    for name in parameters(rule):
        if name not in SAMPLE_ARGS:
            pytest.fail(f"route {rule.rule} ({rule.endpoint}) has the URL parameter {name!r} with no "
                        f"sample value: add {name!r} to SAMPLE_ARGS in tests/core/test_access_matrix.py")
        values[name] = SAMPLE_ARGS[name](world)
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "RATELIMIT_ENABLED": False}


@pytest.fixture
def world(app, db, make_user, make_district) -> World:
    district = make_district(code="matrix")
    users = {role: make_user(role, district=district if role == Role.RECRUITER else None)
             for role in Role}
    spare = make_user(Role.APPLICANT, email="spare@example.org")
    return World(app=app, session=db.session, users=users, spare=spare, district=district,
                 make_user=make_user, make_district=make_district)


def test_every_endpoint_declares_a_permission(app):
    undeclared = sorted(rule.endpoint for rule in walked_rules(app)
                        if permission_of(rule.endpoint) is None)
    assert not undeclared, (
        "these endpoints declare no permission (add @requires(...) or @public below @bp.route): "
        f"{undeclared}")


def _signed_in(client: Any) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def _expectation_failure(role: Role | None, rule: Any, permission: str, response: Any) -> str | None:
    status = response.status_code
    location = response.headers.get("Location", "")
    if role is None and permission != PUBLIC:
        if status != 302 or not location.startswith("/login") or "next=" not in location:
            return f"anonymous should be sent to /login?next=..., got {status} {location}"
        return None
    if not role_may(role, permission):
        return None if status == 403 else f"{role} lacks {permission}: expected 403, got {status}"
    if role in OBJECT_LEVEL_REFUSALS.get(rule.endpoint, frozenset()) and status == 403:
        return None
    if status in (401, 403) or status >= 500:
        return f"{role or 'anonymous'} holds {permission}: got {status}"
    if status == 302 and location.startswith("/login") and rule.endpoint != "accounts.logout":
        return f"{role or 'anonymous'} holds {permission} but was sent to sign in: {location}"
    return None


@pytest.mark.parametrize("role", ACTORS, ids=lambda r: r.value if r else "anonymous")
def test_every_route_answers_as_permissions_say(app, world, role):
    client = app.test_client()
    actor = world.users[role] if role else None
    failures = []
    for rule in walked_rules(app):
        method = method_of(rule)
        permission = permission_of(rule.endpoint)
        if method is None or permission is None:
            continue
        url = build_url(app, world, rule)
        if actor is not None and not _signed_in(client):
            Auth(client).login(actor)
        try:
            response = client.open(url, method=method, data={} if method == "POST" else None)
        except Exception as error:  # noqa: BLE001 - a crash is a failure of this route, listed below
            failures.append(f"{method} {url} [{rule.endpoint}]: raised {error!r}")
            continue
        problem = _expectation_failure(role, rule, permission, response)
        if problem:
            failures.append(f"{method} {url} [{rule.endpoint}, needs {permission}]: {problem}")
    assert not failures, "\n".join(failures)
