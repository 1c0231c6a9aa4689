"""The live room's stage machine: pure, server-authoritative, serialisable.

The stage walks through the session's slots in schedule order (or any order the host picks):

``waiting`` -> ``district`` (a district presents) | ``pitch`` (project k, timer) -> ``qa`` ->
``scoring`` -> ... ``break`` ... -> ``closed``.

A timer is an absolute UTC deadline while it runs, or the seconds left while it is paused, so
clients count down from the deadline themselves and the server never sends ticks. Every
transition is a function ``(state, ..., now) -> new state`` that raises :class:`StageError`
when the host asks for something the stage cannot do; the state itself is never mutated.

This module imports neither Flask nor SQLAlchemy (see tests/core/test_layers.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any


class Phase(StrEnum):
    WAITING = "waiting"
    DISTRICT = "district"
    PITCH = "pitch"
    QA = "qa"
    SCORING = "scoring"
    BREAK = "break"
    CLOSED = "closed"


class ItemKind(StrEnum):
    PITCH = "pitch"
    DISTRICT = "district"
    BREAK = "break"


#: the phase an item opens in when the host calls it
OPENING_PHASE = {ItemKind.PITCH: Phase.PITCH, ItemKind.DISTRICT: Phase.DISTRICT,
                 ItemKind.BREAK: Phase.BREAK}

MAX_EXTENSION_SECONDS = 30 * 60
MAX_BREAK_SECONDS = 2 * 3600

#: every phase but the last: where the room is live
LIVE_PHASES = frozenset(Phase) - {Phase.CLOSED}
#: the phases with a countdown the host can start, pause and extend
TIMED_PHASES = frozenset({Phase.DISTRICT, Phase.PITCH, Phase.QA, Phase.BREAK})


@dataclass(frozen=True)
class Rule:
    """One host command: the phases it may be given in, the phase it leads to (None: the phase
    stays, or comes from the item called) and the refusal's code in any other phase."""

    allowed: frozenset[Phase]
    leads_to: Phase | None
    refusal: str


#: the stage machine's allowed transitions, as data: the commands below check against it and
#: tests/live/test_stage_spec.py reads it (the host's command names, as in live/stage_commands.py)
TRANSITIONS: dict[str, Rule] = {
    "open": Rule(frozenset({Phase.WAITING}), Phase.WAITING, "already_open"),
    "call": Rule(LIVE_PHASES, None, "closed"),
    "next": Rule(LIVE_PHASES, None, "closed"),
    "start": Rule(TIMED_PHASES, None, "wrong_phase"),
    "pause": Rule(TIMED_PHASES, None, "timer_not_running"),
    "extend": Rule(TIMED_PHASES, None, "wrong_phase"),
    "qa": Rule(frozenset({Phase.PITCH, Phase.SCORING}), Phase.QA, "wrong_phase"),
    "scoring": Rule(frozenset({Phase.PITCH, Phase.QA}), Phase.SCORING, "wrong_phase"),
    "break": Rule(LIVE_PHASES, Phase.BREAK, "closed"),
    "flip": Rule(frozenset({Phase.PITCH, Phase.QA}), None, "not_presenting"),
    "reveal": Rule(LIVE_PHASES, None, "closed"),
    "close": Rule(LIVE_PHASES, Phase.CLOSED, "closed"),
}


class StageError(ValueError):
    """A transition the stage refuses; ``code`` names the reason for the user's message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class StageItem:
    """One slot of the session as the stage sees it."""

    slot_id: int
    kind: ItemKind
    application_id: int | None = None
    district_id: int | None = None
    #: the slot's length; a pitch slot splits it into pitch and Q&A
    seconds: int = 0
    pitch_seconds: int = 0
    qa_seconds: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"slot_id": self.slot_id, "kind": self.kind.value,
                "application_id": self.application_id, "district_id": self.district_id,
                "seconds": self.seconds, "pitch_seconds": self.pitch_seconds,
                "qa_seconds": self.qa_seconds}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StageItem:
        return cls(slot_id=int(data["slot_id"]), kind=ItemKind(data["kind"]),
                   application_id=data.get("application_id"),
                   district_id=data.get("district_id"), seconds=int(data.get("seconds", 0)),
                   pitch_seconds=int(data.get("pitch_seconds", 0)),
                   qa_seconds=int(data.get("qa_seconds", 0)))


@dataclass(frozen=True)
class Timer:
    """Either running (``deadline`` set) or paused with ``remaining`` seconds left."""

    remaining: float = 0.0
    deadline: datetime | None = None

    @property
    def running(self) -> bool:
        return self.deadline is not None

    def seconds_left(self, now: datetime) -> float:
        if self.deadline is not None:
            return max(0.0, (self.deadline - now).total_seconds())
        return max(0.0, self.remaining)

    def to_dict(self) -> dict[str, Any]:
        return {"remaining": round(self.remaining, 3),
                "deadline": self.deadline.astimezone(UTC).isoformat().replace("+00:00", "Z")
                if self.deadline else None,
                "running": self.running}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Timer:
        if not data:
            return cls()
        deadline = data.get("deadline")
        parsed = datetime.fromisoformat(deadline.replace("Z", "+00:00")) if deadline else None
        return cls(remaining=float(data.get("remaining", 0.0)), deadline=parsed)


@dataclass(frozen=True)
class StageState:
    items: tuple[StageItem, ...] = ()
    phase: Phase = Phase.WAITING
    #: index into ``items`` of the item on stage (None while waiting or closed)
    current: int | None = None
    timer: Timer = field(default_factory=Timer)
    opened: bool = False
    #: the deck page (1-based) shown for the pitch on stage
    deck_page: int = 1
    #: slot ids whose live scores the host has revealed
    revealed: frozenset[int] = frozenset()
    #: users the host brought on stage for the item (a judge's or a district's question); the
    #: next item starts without them (roadshow.live.media decides who may publish video)
    guests: frozenset[int] = frozenset()

    # --- reading -----------------------------------------------------------------------
    @property
    def item(self) -> StageItem | None:
        if self.current is None or not (0 <= self.current < len(self.items)):
            return None
        return self.items[self.current]

    @property
    def next_index(self) -> int | None:
        following = 0 if self.current is None else self.current + 1
        return following if following < len(self.items) else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": [item.to_dict() for item in self.items],
            "phase": self.phase.value,
            "current": self.current,
            "timer": self.timer.to_dict(),
            "opened": self.opened,
            "deck_page": self.deck_page,
            "revealed": sorted(self.revealed),
            "guests": sorted(self.guests),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> StageState:
        if not data:
            return cls()
        return cls(
            items=tuple(StageItem.from_dict(i) for i in data.get("items", [])),
            phase=Phase(data.get("phase", Phase.WAITING.value)),
            current=data.get("current"),
            timer=Timer.from_dict(data.get("timer")),
            opened=bool(data.get("opened", False)),
            deck_page=int(data.get("deck_page", 1)),
            revealed=frozenset(int(s) for s in data.get("revealed", [])),
            guests=frozenset(int(u) for u in data.get("guests", [])),
        )


def _require_open(state: StageState) -> None:
    if state.phase == Phase.CLOSED:
        raise StageError("closed")
    if not state.opened:
        raise StageError("not_open")


def _require_phase(state: StageState, command: str) -> None:
    rule = TRANSITIONS[command]
    if state.phase not in rule.allowed:
        raise StageError(rule.refusal)


def _require_timer(state: StageState, command: str) -> None:
    """Something on stage with a countdown: an item, or an unscheduled break."""
    _require_open(state)
    if state.item is None and state.phase != Phase.BREAK:
        raise StageError("nothing_on_stage")
    _require_phase(state, command)


def with_items(state: StageState, items: list[StageItem] | tuple[StageItem, ...]) -> StageState:
    """Refresh the schedule (slots may move before the room opens); keeps the item on stage."""
    items = tuple(items)
    current = state.current
    if state.item is not None:
        slot_ids = [i.slot_id for i in items]
        current = slot_ids.index(state.item.slot_id) if state.item.slot_id in slot_ids else None
    return replace(state, items=items, current=current)


def follow_schedule(state: StageState, items: list[StageItem] | tuple[StageItem, ...]) -> StageState:
    """The stage after the schedule changed under an open room (items added, moved, refilled
    or removed): the item on stage stays on stage wherever it moved, with its phase and timer.
    When the item on stage left the schedule, the stage waits (timer cleared) just after the
    last item that came before it, so "next" calls the one that followed it, not the first."""
    items = tuple(items)
    on_stage = state.item
    if on_stage is None:
        if state.current is None:
            return replace(state, items=items)
        return replace(state, items=items, current=_resume_at(state, items))
    slot_ids = [i.slot_id for i in items]
    if on_stage.slot_id in slot_ids:
        return replace(state, items=items, current=slot_ids.index(on_stage.slot_id))
    if state.phase == Phase.CLOSED:
        return replace(state, items=items, current=None)
    return replace(state, items=items, current=_resume_at(state, items), phase=Phase.WAITING,
                   timer=Timer(), deck_page=1, guests=frozenset())


def _resume_at(state: StageState, items: tuple[StageItem, ...]) -> int | None:
    """The index in ``items`` of the last item that came before the one at ``state.current``."""
    kept = {item.slot_id: index for index, item in enumerate(items)}
    before = state.items[:state.current] if state.current is not None else ()
    for item in reversed(before):
        if item.slot_id in kept:
            return kept[item.slot_id]
    return None


def open_room(state: StageState) -> StageState:
    if state.phase == Phase.CLOSED:
        raise StageError("closed")
    if state.opened:
        raise StageError("already_open")
    return replace(state, opened=True, phase=Phase.WAITING)


def call_item(state: StageState, index: int) -> StageState:
    """Put item ``index`` on stage; its timer is armed but waits for the host's start."""
    _require_open(state)
    if not (0 <= index < len(state.items)):
        raise StageError("no_such_item")
    item = state.items[index]
    seconds = item.pitch_seconds if item.kind == ItemKind.PITCH else item.seconds
    return replace(state, current=index, phase=OPENING_PHASE[item.kind],
                   timer=Timer(remaining=float(seconds)), deck_page=1, guests=frozenset())


def call_next(state: StageState) -> StageState:
    index = state.next_index
    if index is None:
        raise StageError("no_next_item")
    return call_item(state, index)


def start_timer(state: StageState, now: datetime) -> StageState:
    _require_timer(state, "start")
    if state.timer.running:
        raise StageError("timer_running")
    deadline = now + timedelta(seconds=state.timer.remaining)
    return replace(state, timer=Timer(remaining=state.timer.remaining, deadline=deadline))


def pause_timer(state: StageState, now: datetime) -> StageState:
    _require_open(state)
    _require_phase(state, "pause")
    if not state.timer.running:
        raise StageError("timer_not_running")
    return replace(state, timer=Timer(remaining=state.timer.seconds_left(now)))


def extend_timer(state: StageState, seconds: int, now: datetime) -> StageState:
    """Add (or with a negative number take away) time; the deadline moves, nothing ticks."""
    _require_timer(state, "extend")
    if not -MAX_EXTENSION_SECONDS <= seconds <= MAX_EXTENSION_SECONDS or seconds == 0:
        raise StageError("bad_extension")
    timer = state.timer
    if timer.running and timer.deadline is not None:
        deadline = max(now, timer.deadline + timedelta(seconds=seconds))
        return replace(state, timer=Timer(remaining=timer.remaining, deadline=deadline))
    return replace(state, timer=Timer(remaining=max(0.0, timer.remaining + seconds)))


def start_qa(state: StageState) -> StageState:
    _require_open(state)
    item = state.item
    if item is None or item.kind != ItemKind.PITCH:
        raise StageError("not_a_pitch")
    _require_phase(state, "qa")
    return replace(state, phase=Phase.QA, timer=Timer(remaining=float(item.qa_seconds)))


def start_scoring(state: StageState) -> StageState:
    _require_open(state)
    item = state.item
    if item is None or item.kind != ItemKind.PITCH:
        raise StageError("not_a_pitch")
    _require_phase(state, "scoring")
    return replace(state, phase=Phase.SCORING, timer=Timer())


def start_break(state: StageState, seconds: int) -> StageState:
    """An unscheduled break (the scheduled ones are items); the item on stage stays."""
    _require_open(state)
    if not 0 < seconds <= MAX_BREAK_SECONDS:
        raise StageError("bad_extension")
    return replace(state, phase=Phase.BREAK, timer=Timer(remaining=float(seconds)))


def flip_page(state: StageState, page: int, page_count: int) -> StageState:
    _require_open(state)
    item = state.item
    if item is None or item.kind != ItemKind.PITCH:
        raise StageError("not_presenting")
    _require_phase(state, "flip")
    if not 1 <= page <= max(1, page_count):
        raise StageError("no_such_page")
    return replace(state, deck_page=page)


def reveal_scores(state: StageState, slot_id: int) -> StageState:
    _require_open(state)
    if slot_id not in {i.slot_id for i in state.items if i.kind == ItemKind.PITCH}:
        raise StageError("no_such_item")
    return replace(state, revealed=state.revealed | {slot_id})


def close_room(state: StageState) -> StageState:
    """Close for good; a running timer stops with it."""
    _require_phase(state, "close")
    return replace(state, phase=Phase.CLOSED, current=None, timer=Timer(), guests=frozenset())


def scoring_open_for(state: StageState, application_id: int) -> bool:
    item = state.item
    return (state.phase == Phase.SCORING and item is not None
            and item.application_id == application_id)


def presenter_on_stage(state: StageState) -> int | None:
    """The application id presenting now (pitch or Q&A), else None."""
    item = state.item
    if item is None or item.kind != ItemKind.PITCH:
        return None
    if state.phase in (Phase.PITCH, Phase.QA, Phase.SCORING):
        return item.application_id
    return None


def utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(UTC)
