"""Every route, walked by every actor of two offices, answers as the roles they hold there say
(issue 13, docs/design/many-events.md §2).

The world: office A runs event A1 (call open) and A2 (roadshow days); office B runs B1; A and B
form an alliance that shares the joint event J (hosted by A). The actors: anonymous, a platform
admin, organizer-A, organizer-B, judge-A1, judge-B1, recruiter-A1, applicant-A1, applicant-B1.

Each route is requested in each scope it has: an event route under A1, A2, B1 and J; an office
route under A and B; an alliance route under the alliance; any other route once. What an actor
holds there is written out by hand below (:data:`ROLES_IN` and friends), not computed by
``organisations.grants``, so a grant that widens fails here. Then, for the route's permission:

* anonymous on a non-public route is sent to the sign-in page, with ``next``;
* an actor whose roles there lack the permission gets 403;
* an actor holding it gets neither 401/403 nor a server error (404, 400, 410 or a redirect
  elsewhere are fine: the sample object may not suit every actor), unless an object-level rule
  refuses them (:data:`OBJECT_LEVEL_REFUSALS`, each entry says why).

GET rules are requested with GET; POST-only rules with POST and an empty form. URL parameters
take their values from :data:`SAMPLE_ARGS`, built per event from a small world: a domain that
adds a parameter name adds a sample for it here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask, url_for

from roadshow.access import EXEMPT_ENDPOINT_PREFIXES, PUBLIC, permission_of, roles_may
from roadshow.accounts.models import Invitation, User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.events.models import EventQuestion, QuestionKind
from roadshow.live.models import DockingKind, DockingRequest
from roadshow.mail.models import OutboxMessage, OutboxStatus
from roadshow.organisations.models import OrganisationMember, OrganisationRole
from roadshow.review.models import Assignment
from roadshow.scheduling.models import PitchSession, SessionStatus, Slot, SlotKind
from roadshow.signing import audit_trail, drafting
from tests.conftest import Auth
from tests.many_events_fixtures import (
    build_alliance,
    build_event,
    build_organisation,
    grant_role,
)

pytestmark = pytest.mark.no_default_organisation

ORGANIZER, JUDGE, RECRUITER, APPLICANT, ADMIN = (Role.ORGANIZER, Role.JUDGE, Role.RECRUITER,
                                                 Role.APPLICANT, Role.ADMIN)
NOTHING: frozenset[Role] = frozenset()

EVENTS = ("a1", "a2", "b1", "j")
OFFICES = ("office-a", "office-b")
ALLIANCE = "a-and-b"
ACTORS = ("anonymous", "admin", "organizer-a", "organizer-b", "judge-a1", "judge-b1",
          "recruiter-a1", "applicant-a1", "applicant-b1")
#: the event of each event's objects' applicant; A2 and J have one of their own
APPLICANT_OF = {"a1": "applicant-a1", "b1": "applicant-b1", "a2": "applicant-a2",
                "j": "applicant-j"}
#: the office whose district each event's samples use
OFFICE_OF = {"a1": "office-a", "a2": "office-a", "b1": "office-b", "j": "office-a"}


def _in_events(**roles: frozenset[Role]) -> dict[str, frozenset[Role]]:
    """Roles per event; an event not named gives APPLICANT (signed in, no staff role there)."""
    return {event: roles.get(event, frozenset({APPLICANT})) for event in EVENTS}


#: (actor, event) -> the roles the actor holds in that event, by hand
ROLES_IN: dict[tuple[str, str], frozenset[Role]] = {
    (actor, event): roles
    for actor, by_event in {
        "anonymous": dict.fromkeys(EVENTS, NOTHING),
        "admin": dict.fromkeys(EVENTS, frozenset({APPLICANT, ADMIN})),
        "organizer-a": _in_events(a1=frozenset({ORGANIZER}), a2=frozenset({ORGANIZER}),
                                  j=frozenset({ORGANIZER})),
        "organizer-b": _in_events(b1=frozenset({ORGANIZER}), j=frozenset({ORGANIZER})),
        "judge-a1": _in_events(a1=frozenset({JUDGE})),
        "judge-b1": _in_events(b1=frozenset({JUDGE})),
        "recruiter-a1": _in_events(a1=frozenset({RECRUITER})),
        "applicant-a1": _in_events(),
        "applicant-b1": _in_events(),
    }.items()
    for event, roles in by_event.items()
}

#: (actor, office) -> roles on the office's pages
ROLES_ON_OFFICE: dict[tuple[str, str], frozenset[Role]] = {
    **{(actor, office): NOTHING for actor in ACTORS for office in OFFICES},
    ("admin", "office-a"): frozenset({ADMIN}),
    ("admin", "office-b"): frozenset({ADMIN}),
    ("organizer-a", "office-a"): frozenset({ORGANIZER}),
    ("organizer-b", "office-b"): frozenset({ORGANIZER}),
    ("recruiter-a1", "office-a"): frozenset({RECRUITER}),
}

#: actor -> roles on the alliance's pages
ROLES_IN_ALLIANCE: dict[str, frozenset[Role]] = {
    **dict.fromkeys(ACTORS, NOTHING),
    "admin": frozenset({ADMIN}),
    "organizer-a": frozenset({ORGANIZER}),
    "organizer-b": frozenset({ORGANIZER}),
}

#: actor -> roles on pages outside any event, office or alliance (everything they hold anywhere)
ROLES_ON_ACCOUNT: dict[str, frozenset[Role]] = {
    "anonymous": NOTHING,
    "admin": frozenset({APPLICANT, ADMIN}),
    "organizer-a": frozenset({ORGANIZER}),
    "organizer-b": frozenset({ORGANIZER}),
    "judge-a1": frozenset({JUDGE}),
    "judge-b1": frozenset({JUDGE}),
    "recruiter-a1": frozenset({RECRUITER}),
    "applicant-a1": frozenset({APPLICANT}),
    "applicant-b1": frozenset({APPLICANT}),
}

#: who signs an intent of each event for its district
RECRUITER_OF = {"a1": "recruiter-a1", "b1": "recruiter-b1", "a2": "recruiter-aj", "j": "recruiter-aj"}


def _owner(actor: str, roles: frozenset[Role], event: str) -> bool:
    return actor == APPLICANT_OF.get(event)


def _organizer_or_owner(actor: str, roles: frozenset[Role], event: str) -> bool:
    return ORGANIZER in roles or _owner(actor, roles, event)


def _party(actor: str, roles: frozenset[Role], event: str) -> bool:
    return _organizer_or_owner(actor, roles, event) or actor == RECRUITER_OF.get(event)


#: the city's signer of each event's intent
CITY_SIGNER_OF = {"a1": "organizer-a", "a2": "organizer-a", "j": "organizer-a", "b1": "organizer-b"}


def _signer(actor: str, roles: frozenset[Role], event: str) -> bool:
    return actor in (APPLICANT_OF.get(event), RECRUITER_OF.get(event), CITY_SIGNER_OF.get(event))


def _nobody(actor: str, roles: frozenset[Role], event: str) -> bool:
    return False


#: endpoint -> who, holding the permission where the sample object lives, may still open it; an
#: object-level rule refuses (403) everyone else. Keep it short and say why next to each entry.
OBJECT_LEVEL_RULES: dict[str, Callable[[str, frozenset[Role], str], bool]] = {
    # a deck or a file answer: its applicant and the event's organizers (judges and recruiters
    # only when review assigns them, which the sample does not)
    **dict.fromkeys(("applications.deck", "applications.deck_preview",
                     "applications.answer_file"), _organizer_or_owner),
    # an application's status page and withdrawal are its applicant's
    **dict.fromkeys(("applications.status", "applications.withdraw"), _owner),
    # an intent's pages: its parties (applicant, district recruiter, city organizers)
    **dict.fromkeys((f"signing.{name}" for name in (
        "view_intent", "download_pdf", "preview_pdf", "signature_image", "cancel_intent",
        "edit_intent", "remind_signers", "send_intent")), _party),
    # signing itself: its signers only (another organizer of the event does not sign for them)
    **dict.fromkeys((f"signing.{name}" for name in (
        "sign_intent", "send_code", "decline_intent")), _signer),
    # a job's page is its starter's (the sample job does not exist: 404 is fine, 403 too)
    **dict.fromkeys(("jobs.status", "jobs.progress"), _nobody),
    # a live room admits its session's audience and the event's organizers
    **dict.fromkeys(("live.room", "live.deck_page"), _organizer_or_owner),
}


# --- the world ---------------------------------------------------------------------------------

@dataclass
class World:
    app: Flask
    session: Any
    users: dict[str, User]
    events: dict[str, Any]
    offices: dict[str, Any]
    districts: dict[str, District]
    alliance: Any
    cache: dict[Any, Any] = field(default_factory=dict)

    def once(self, key: Any, build: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]


def build_world(app: Flask, session: Any, make_user: Callable[..., User]) -> World:
    office_a = build_organisation(session, "office-a", name_en="Office A")
    office_b = build_organisation(session, "office-b", name_en="Office B")
    offices = {"office-a": office_a, "office-b": office_b}
    districts = {}
    for key, office in offices.items():
        district = District(code=f"district-{key}", name_zh=f"{key}板块", name_en=f"{key} district",
                            organisation=office)
        session.add(district)
        districts[key] = district
    session.commit()
    alliance = build_alliance(session, office_a, office_b, slug=ALLIANCE)
    events = {
        "a1": build_event(session, office_a, phase="call", slug="a1",
                          districts=[districts["office-a"]]),
        "a2": build_event(session, office_a, phase="roadshow", slug="a2",
                          districts=[districts["office-a"]]),
        "b1": build_event(session, office_b, phase="call", slug="b1",
                          districts=[districts["office-b"]]),
        "j": build_event(session, office_a, phase="call", slug="j", alliance=alliance,
                         districts=[districts["office-a"], districts["office-b"]]),
    }
    kinds = {"admin": APPLICANT, "organizer-a": ORGANIZER, "organizer-b": ORGANIZER,
             "judge-a1": JUDGE, "judge-b1": JUDGE, "recruiter-a1": RECRUITER,
             "applicant-a1": APPLICANT, "applicant-b1": APPLICANT, "applicant-a2": APPLICANT,
             "applicant-j": APPLICANT, "spare": APPLICANT, "recruiter-b1": RECRUITER,
             "recruiter-aj": RECRUITER}
    users = {name: make_user(kind, email=f"{name}@example.org", name=f"{name} person",
                             is_platform_admin=name == "admin")
             for name, kind in kinds.items()}
    session.add_all([
        OrganisationMember(organisation=office_a, user=users["organizer-a"],
                           role=OrganisationRole.ORGANIZER),
        OrganisationMember(organisation=office_b, user=users["organizer-b"],
                           role=OrganisationRole.ORGANIZER),
    ])
    session.commit()
    grant_role(session, users["judge-a1"], events["a1"], JUDGE)
    grant_role(session, users["judge-b1"], events["b1"], JUDGE)
    grant_role(session, users["recruiter-a1"], events["a1"], RECRUITER, districts["office-a"])
    grant_role(session, users["recruiter-b1"], events["b1"], RECRUITER, districts["office-b"])
    for key in ("a2", "j"):  # someone signs for the district in A2's and J's intents
        grant_role(session, users["recruiter-aj"], events[key], RECRUITER, districts["office-a"])
    return World(app=app, session=session, users=users, events=events, offices=offices,
                 districts=districts, alliance=alliance)


def marker(event_key: str, what: str) -> str:
    return f"LEAK-{event_key.upper()}-{what}"


def _event_objects(world: World, key: str) -> dict[str, int]:
    """In event ``key``: a custom question, its applicant's finalist application, a published
    session pitching it and a district's docking request; private texts carry LEAK markers."""
    event = world.events[key]
    question = EventQuestion(event_id=event.id, kind=QuestionKind.TEXT,
                             prompt_zh=marker(key, "问题"), prompt_en=marker(key, "question"))
    application = Application(event_id=event.id, applicant_id=world.users[APPLICANT_OF[key]].id,
                              status=ApplicationStatus.FINALIST, title_en=marker(key, "project"),
                              title_zh=marker(key, "项目"))
    starts = utcnow() + timedelta(days=1)
    pitch_session = PitchSession(event_id=event.id, title_zh="上午场", title_en="Morning",
                                 starts_at=starts, ends_at=starts + timedelta(hours=1),
                                 status=SessionStatus.PUBLISHED)
    world.session.add_all([question, application, pitch_session])
    world.session.flush()
    slot = Slot(session_id=pitch_session.id, kind=SlotKind.PITCH, application_id=application.id,
                starts_at=starts, ends_at=starts + timedelta(minutes=20))
    docking = DockingRequest(event_id=event.id, application_id=application.id,
                             district_id=world.districts[OFFICE_OF[key]].id, kind=DockingKind.TALK)
    judge = {"a1": "judge-a1", "b1": "judge-b1"}.get(key)
    if judge is not None:  # the event's judge is assigned its application
        world.session.add(Assignment(event_id=event.id, application_id=application.id,
                                     judge_id=world.users[judge].id))
    world.session.add_all([slot, docking])
    world.session.commit()
    return {"question": question.id, "application": application.id, "session": pitch_session.id,
            "slot": slot.id, "request": docking.id}


def _intent(world: World, key: str) -> dict[str, Any]:
    """An intent of event ``key``'s application sent for signing (its applicant signs first)."""
    objects = world.once(("objects", key), lambda: _event_objects(world, key))
    application = world.session.get(Application, objects["application"])
    district = world.districts[OFFICE_OF[key]]
    organizer = world.users["organizer-b" if key == "b1" else "organizer-a"]
    recruiter = world.users[{"a1": "recruiter-a1", "b1": "recruiter-b1"}.get(key, "recruiter-aj")]
    info = audit_trail.RequestInfo("127.0.0.1", "matrix")
    with world.app.test_request_context():
        intent = drafting.create_intent(
            world.session, organizer, application, district,
            drafting.default_draft(application, district), "sequential",
            {"district": recruiter.id, "city": organizer.id}, info)
        drafting.send_for_signing(world.session, organizer, intent, info)
        world.session.commit()
    return {"intent": intent.id, "signer": intent.signers[0].id, "public": intent.public_id}


def _invitation(world: World) -> int:
    invitation = Invitation(email="invitee@example.org", name="Invitee", role=JUDGE,
                            invited_by=world.users["organizer-a"], event_id=world.events["a1"].id,
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


def _objects(world: World, key: str) -> dict[str, int]:
    return world.once(("objects", key), lambda: _event_objects(world, key))


def _signing(world: World, key: str) -> dict[str, Any]:
    return world.once(("signing", key), lambda: _intent(world, key))


#: URL parameter name -> sample value in event ``key`` (the URL's event, or the office's
#: first event, or A1 outside any scope). Add yours here.
SAMPLE_ARGS: dict[str, Callable[[World, str], Any]] = {
    "token": lambda w, k: "not-a-valid-token",
    "user_id": lambda w, k: w.users["spare"].id,
    "member_id": lambda w, k: 999_999,
    # an admin who joined an office by POST would hold more for the rest of the walk: none exists
    "organisation_id": lambda w, k: 999_999,
    "share_id": lambda w, k: 999_999,
    "district_id": lambda w, k: w.districts[OFFICE_OF[k]].id,
    "invitation_id": lambda w, k: w.once("invitation", lambda: _invitation(w)),
    "message_id": lambda w, k: w.once("message", lambda: _message(w)),
    "criterion_id": lambda w, k: 999_999,
    "judge_id": lambda w, k: w.users["judge-b1" if k == "b1" else "judge-a1"].id,
    "conflict_id": lambda w, k: 999_999,
    "action": lambda w, k: "dismiss",
    "assignment_id": lambda w, k: 999_999,
    "decision_id": lambda w, k: 999_999,
    "sheet": lambda w, k: "ranking",
    "session_id": lambda w, k: _objects(w, k)["session"],
    "application_id": lambda w, k: _objects(w, k)["application"],
    # nobody's notification: the centre answers 404 for another person's, as for none
    "notification_id": lambda w, k: 999_999,
    "page": lambda w, k: 1,
    "request_id": lambda w, k: _objects(w, k)["request"],
    "event_id": lambda w, k: w.events[k].id,
    "question_id": lambda w, k: _objects(w, k)["question"],
    "intent_id": lambda w, k: _signing(w, k)["intent"],
    "signer_id": lambda w, k: _signing(w, k)["signer"],
    "public_id": lambda w, k: _signing(w, k)["public"],
    "slot_id": lambda w, k: _objects(w, k)["slot"],
    "background_job_id": lambda w, k: 999_999,
    "rest": lambda w, k: "queue",
    # the talent pool (issue 14): no person or station in the walk's world
    "person_id": lambda w, k: 999_999,
    "station_slug": lambda w, k: "no-such-station",
    "fmt": lambda w, k: "csv",
    "search_id": lambda w, k: 999_999,
    # outcomes (issue 15): no project, milestone, document or task in the walk's world
    "milestone_id": lambda w, k: 999_999,
    "document_id": lambda w, k: 999_999,
    "task_id": lambda w, k: 999_999,
    # the demand catalogue (issue 15): no round, demand or resource in the walk's world
    "round_id": lambda w, k: 999_999,
    "demand_id": lambda w, k: 999_999,
    "resource_id": lambda w, k: 999_999,
    # the project list and the chain maps (issue 15): no entry or chain in the walk's world
    "entry_id": lambda w, k: 999_999,
    "chain_id": lambda w, k: 999_999,
    # messages to groups (issue 17): none sent in the walk's world
    "group_message_id": lambda w, k: 999_999,
    # the mail wording editor (issue 17): a mail kind and a language
    "kind_key": lambda w, k: "review-finalist",
    "locale": lambda w, k: "en",
    # recordings of pitches (issue 16): none recorded in the walk's world
    "recording_id": lambda w, k: 999_999,
    "name": lambda w, k: "pitch-video.webm",
    "language": lambda w, k: "zh",  # a recording's captions track
}

#: parameters that name the scope, not an object
SCOPE_PARAMETERS = {"event_slug", "org_slug", "alliance_slug"}


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
    return sorted(rule.arguments - set(rule.defaults or {}) - SCOPE_PARAMETERS)


@dataclass(frozen=True)
class Visit:
    """One request of the walk: a rule in one scope, and what the actor holds there."""

    rule: Any
    scope: str  # "e:<event>", "o:<office>", "a:<alliance>" or "account"
    sample_event: str
    values: tuple[tuple[str, str], ...]


def visits(rule: Any, events: tuple[str, ...] = EVENTS,
           offices: tuple[str, ...] = OFFICES) -> list[Visit]:
    if "event_slug" in rule.arguments:
        return [Visit(rule, f"e:{e}", e, (("event_slug", e),)) for e in events]
    if "org_slug" in rule.arguments:
        first = {"office-a": "a1", "office-b": "b1"}
        return [Visit(rule, f"o:{o}", first[o], (("org_slug", o),)) for o in offices]
    if "alliance_slug" in rule.arguments:
        return [Visit(rule, f"a:{ALLIANCE}", "j", (("alliance_slug", ALLIANCE),))]
    return [Visit(rule, "account", events[0] if events else "a1", ())]


def roles_there(actor: str, visit: Visit) -> frozenset[Role]:
    kind, _, name = visit.scope.partition(":")
    if kind == "e":
        return ROLES_IN[(actor, name)]
    if kind == "o":
        return ROLES_ON_OFFICE[(actor, name)]
    if kind == "a":
        return ROLES_IN_ALLIANCE[actor]
    return ROLES_ON_ACCOUNT[actor]


def build_url(app: Flask, world: World, visit: Visit, object_event: str | None = None) -> str:
    values: dict[str, Any] = dict(visit.values)
    for name in parameters(visit.rule):
        if name not in SAMPLE_ARGS:
            pytest.fail(f"route {visit.rule.rule} ({visit.rule.endpoint}) has the URL parameter "
                        f"{name!r} with no sample value: add it to SAMPLE_ARGS in "
                        "tests/core/test_access_matrix.py")
        values[name] = SAMPLE_ARGS[name](world, object_event or visit.sample_event)
    # this rule's own path: an endpoint with several rules (legacy.old_link) is walked rule by rule
    _domain, path = visit.rule.build(values, append_unknown=False)
    return path


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "RATELIMIT_ENABLED": False}


@pytest.fixture
def world(app, db, make_user) -> World:
    return build_world(app, db.session, make_user)


def _client_of(app: Flask, world: World, actor: str) -> Any:
    client = app.test_client()
    if actor != "anonymous":
        Auth(client).login(world.users[actor])
    return client


def _signed_in(client: Any) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def _expectation_failure(actor: str, roles: frozenset[Role], endpoint: str, permission: str,
                         response: Any, event: str) -> str | None:
    status = response.status_code
    location = response.headers.get("Location", "")
    if actor == "anonymous":
        if permission == PUBLIC:
            return f"anonymous on a public page: got {status}" if status >= 500 else None
        if status != 302 or not location.startswith("/login") or "next=" not in location:
            return f"anonymous should be sent to /login?next=..., got {status} {location}"
        return None
    if not roles_may(roles, permission):
        return None if status == 403 else f"{actor} lacks {permission}: expected 403, got {status}"
    rule = OBJECT_LEVEL_RULES.get(endpoint)
    if rule is not None and status == 403 and not rule(actor, roles, event):
        return None
    if status in (401, 403) or status >= 500:
        return f"{actor} holds {permission} there: got {status}"
    if status == 302 and location.startswith("/login") and endpoint != "accounts.logout":
        return f"{actor} holds {permission} there but was sent to sign in: {location}"
    return None


# --- the tests ---------------------------------------------------------------------------------

def test_every_url_parameter_has_a_sample(app):
    missing = sorted({f"{name!r} (in {rule.rule})" for rule in walked_rules(app)
                      for name in parameters(rule) if name not in SAMPLE_ARGS})
    assert not missing, ("add a sample value for these URL parameters to SAMPLE_ARGS in "
                         f"tests/core/test_access_matrix.py: {', '.join(missing)}")


def test_every_endpoint_declares_a_permission(app):
    undeclared = sorted(rule.endpoint for rule in walked_rules(app)
                        if permission_of(rule.endpoint) is None)
    assert not undeclared, (
        "these endpoints declare no permission (add @requires(...) or @public below @bp.route): "
        f"{undeclared}")


@pytest.mark.parametrize("actor", ACTORS)
def test_every_route_answers_as_the_roles_held_there_say(app, world, actor):
    client = _client_of(app, world, actor)
    failures = []
    for rule in walked_rules(app):
        method = method_of(rule)
        permission = permission_of(rule.endpoint)
        if method is None or permission is None:
            continue
        for visit in visits(rule):
            url = build_url(app, world, visit)
            if actor != "anonymous" and not _signed_in(client):
                Auth(client).login(world.users[actor])
            try:
                response = client.open(url, method=method, data={} if method == "POST" else None)
            except Exception as error:  # noqa: BLE001 - a crash is a failure of this route
                failures.append(f"{method} {url} [{rule.endpoint}]: raised {error!r}")
                continue
            problem = _expectation_failure(actor, roles_there(actor, visit), rule.endpoint,
                                           permission, response, visit.sample_event)
            if problem:
                failures.append(f"{method} {url} [{rule.endpoint}, needs {permission}]: {problem}")
    assert not failures, f"{len(failures)} answers differ:\n" + "\n".join(failures)


def test_objects_of_one_event_answer_404_under_another(app, world):
    """A1's objects named under /e/b1/: B1's organizer and judge (who hold B1's pages) get 404,
    never A1's object; nobody gets a page of it."""
    failures = []
    clients = {actor: _client_of(app, world, actor) for actor in ("organizer-b", "judge-b1")}
    for rule in walked_rules(app):
        if "event_slug" not in rule.arguments or not parameters(rule) or method_of(rule) != "GET":
            continue
        if not set(parameters(rule)) - {"sheet", "action", "page", "kind_key", "locale"}:
            continue
        permission = permission_of(rule.endpoint)
        visit = Visit(rule, "e:b1", "b1", (("event_slug", "b1"),))
        url = build_url(app, world, visit, object_event="a1")
        for actor, client in clients.items():
            response = client.get(url)
            status = response.status_code
            held = roles_may(ROLES_IN[(actor, "b1")], permission or PUBLIC)
            if held and status != 404:
                failures.append(f"{actor} GET {url} [{rule.endpoint}]: expected 404, got {status}")
            if not held and status not in (403, 404):
                failures.append(f"{actor} GET {url} [{rule.endpoint}]: expected 403, got {status}")
    assert not failures, "\n".join(failures)


def test_nothing_of_one_office_shows_in_the_other(app, world):
    """A1's private rows carry LEAK-A1 markers; every GET page that organizer-B, judge-B1 and
    applicant-B1 reach (B1, J, office B, the alliance, their account) is searched for them."""
    _objects(world, "a1")
    _signing(world, "a1")
    failures = []
    for actor in ("organizer-b", "judge-b1", "applicant-b1"):
        client = _client_of(app, world, actor)
        for rule in walked_rules(app):
            if method_of(rule) != "GET" or rule.endpoint == "accounts.logout":
                continue
            for visit in visits(rule, events=("b1", "j"), offices=("office-b",)):
                if visit.scope == "account":
                    visit = Visit(rule, "account", "b1", ())
                url = build_url(app, world, visit)
                try:
                    response = client.get(url)
                except Exception as error:  # noqa: BLE001 - a crash is listed, the walk goes on
                    failures.append(f"{actor} GET {url} [{rule.endpoint}]: raised {error!r}")
                    continue
                if response.status_code == 200 and b"LEAK-A1" in response.get_data():
                    failures.append(f"{actor} GET {url} [{rule.endpoint}] shows A1's rows")
    assert not failures, "\n".join(failures)


def test_joint_event_is_organised_by_both_and_nothing_else_is(app, world):
    organizer_a = _client_of(app, world, "organizer-a")
    organizer_b = _client_of(app, world, "organizer-b")
    with app.test_request_context():
        manage = {key: url_for("events.manage", event_slug=key) for key in EVENTS}
        applications = {key: url_for("applications.manage", event_slug=key)
                        for key in EVENTS} if _expects_event(app, "applications.manage") else {}
    for key, allowed in (("j", True), ("a1", True), ("a2", True), ("b1", False)):
        assert (organizer_a.get(manage[key]).status_code == 200) is allowed, key
    for key, allowed in (("j", True), ("b1", True), ("a1", False), ("a2", False)):
        assert (organizer_b.get(manage[key]).status_code == 200) is allowed, key
        if applications:
            assert (organizer_b.get(applications[key]).status_code == 200) is allowed, key
    assert organizer_b.get(manage["a1"]).status_code == 403


def _expects_event(app: Flask, endpoint: str) -> bool:
    return app.url_map.is_endpoint_expecting(endpoint, "event_slug")
