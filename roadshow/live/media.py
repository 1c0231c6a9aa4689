"""Who may send video and sound on the live stage (pure): the rule the signalling server
enforces (roadshow.live.signalling) and the page mirrors to show its buttons.

The stage machine (roadshow.live.state) decides it:

- the host may publish whenever the room is open (to introduce, to moderate);
- the finalist whose project is on stage, while it is pitched, questioned and scored;
- the recruiters of the district on stage while the district presents itself (板块推介);
- a judge or a district the host brought on stage for the item on stage (``StageState.guests``,
  cleared when the host calls the next item);
- everyone else watches.

When the stage moves on, :func:`stopped` names who could publish before and no longer can:
the server tells them (and every viewer) to stop.

This module imports neither Flask nor SQLAlchemy (see tests/core/test_layers.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from roadshow.live.state import ItemKind, Phase, StageError, StageState, presenter_on_stage

#: how many viewers one browser sends its picture to when no media server is configured
#: (each viewer is a separate upload from the presenter's browser)
MESH_LIMIT = 8
#: how many people the host may have on stage besides the presenter
MAX_GUESTS = 4
#: the live room's page may use the camera, the microphone and screen capture
PERMISSIONS_POLICY = "camera=(self), microphone=(self), display-capture=(self), geolocation=()"
HOST, JUDGE, DISTRICT, PRESENTER = "host", "judge", "district", "presenter"
#: the parts the host may bring on stage for a question
GUEST_ROLES = frozenset({JUDGE, DISTRICT})


class Participant(Protocol):
    """What the rule reads of a room member (roadshow.live.membership.Member has it)."""

    user_id: int
    role: str
    presents: frozenset[int]
    district_id: int | None
    read_only: bool


def room_live(state: StageState) -> bool:
    return state.opened and state.phase != Phase.CLOSED


def district_on_stage(state: StageState) -> int | None:
    """The district presenting itself now, else None."""
    item = state.item
    if item is None or item.kind != ItemKind.DISTRICT or state.phase != Phase.DISTRICT:
        return None
    return item.district_id


def may_publish(state: StageState, member: Participant) -> bool:
    """May ``member`` send camera, microphone or screen to the room now?"""
    if member.read_only or not room_live(state):
        return False
    if member.role == HOST:
        return True
    if member.user_id in state.guests:
        return True
    if member.role == PRESENTER:
        presenting = presenter_on_stage(state)
        return presenting is not None and presenting in member.presents
    if member.role == DISTRICT:
        district = district_on_stage(state)
        return district is not None and district == member.district_id
    return False


@dataclass(frozen=True)
class OnStage:
    """Who the stage lets publish, by what they are: the project presented, the district
    presenting, the guests (the host always may while the room is live)."""

    application_id: int | None = None
    district_id: int | None = None
    guests: frozenset[int] = frozenset()
    live: bool = False


def on_stage(state: StageState) -> OnStage:
    return OnStage(application_id=presenter_on_stage(state), district_id=district_on_stage(state),
                   guests=state.guests, live=room_live(state))


@dataclass(frozen=True)
class Stopped:
    """Who must stop publishing after a stage change: the presenters of these projects, the
    recruiters of these districts, these users (guests; everyone when the room closed)."""

    application_ids: frozenset[int] = frozenset()
    district_ids: frozenset[int] = frozenset()
    user_ids: frozenset[int] = frozenset()
    everyone: bool = False

    def __bool__(self) -> bool:
        return bool(self.application_ids or self.district_ids or self.user_ids or self.everyone)


def stopped(before: StageState, after: StageState) -> Stopped:
    """Who could publish in ``before`` and cannot in ``after``."""
    was, now = on_stage(before), on_stage(after)
    if was.live and not now.live:
        return Stopped(everyone=True)
    apps = frozenset({was.application_id} - {now.application_id, None})
    districts = frozenset({was.district_id} - {now.district_id, None})
    return Stopped(application_ids=apps, district_ids=districts, user_ids=was.guests - now.guests)


def bring_on(state: StageState, user_id: int, role: str) -> StageState:
    """The host brings a judge or a district on stage for the item on stage."""
    if not room_live(state):
        raise StageError("not_open" if not state.opened else "closed")
    if state.item is None or state.phase == Phase.WAITING:
        raise StageError("nothing_on_stage")
    if role not in GUEST_ROLES:
        raise StageError("not_a_guest")
    if user_id in state.guests:
        return state
    if len(state.guests) >= MAX_GUESTS:
        raise StageError("too_many_guests")
    return replace(state, guests=state.guests | {user_id})


def take_off(state: StageState, user_id: int) -> StageState:
    return replace(state, guests=state.guests - {user_id})


def with_connect_sources(policy: str, urls: list[str]) -> str:
    """``policy`` (a Content-Security-Policy) letting the page also connect to the origins of
    ``urls`` (the media servers)."""
    origins = []
    for url in urls:
        scheme, _, rest = url.strip().partition("://")
        origins.append(f"{scheme}://{rest.split('/', 1)[0]}")
    directives = []
    for directive in policy.split("; "):
        if directive.startswith("connect-src "):
            directive = " ".join([directive, *origins])
        directives.append(directive)
    return "; ".join(directives)
