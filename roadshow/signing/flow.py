"""Who may sign now: the order of signers, sequential or parallel (pure).

A signer's turn depends only on the intent's state, the ordering mode and the other signers'
states, never on how the signer reached the page: a forwarded link changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class IntentState(StrEnum):
    DRAFT = "draft"
    OUT_FOR_SIGNATURE = "out_for_signature"
    COMPLETED = "completed"
    DECLINED = "declined"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class SignerState(StrEnum):
    WAITING = "waiting"
    SIGNED = "signed"
    DECLINED = "declined"


class Ordering(StrEnum):
    SEQUENTIAL = "sequential"
    PARALLEL = "parallel"


class SignerRole(StrEnum):
    APPLICANT = "applicant"
    DISTRICT = "district"
    CITY = "city"


#: the usual order: the talent first, then the district, then the city office
DEFAULT_ORDER = (SignerRole.APPLICANT, SignerRole.DISTRICT, SignerRole.CITY)
OPEN_STATES = frozenset({IntentState.OUT_FOR_SIGNATURE})
FINAL_STATES = frozenset({IntentState.COMPLETED, IntentState.DECLINED, IntentState.EXPIRED,
                          IntentState.CANCELLED})


@dataclass(frozen=True)
class SignerSlot:
    position: int
    user_id: int
    state: SignerState


class NotYourTurn(Exception):  # noqa: N818 - reads as the reason
    """The signer exists but may not act now; ``reason`` is a stable code."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def current_positions(ordering: Ordering, slots: Sequence[SignerSlot]) -> list[int]:
    """Positions whose turn it is: the first waiting one, or every waiting one in parallel."""
    if any(s.state == SignerState.DECLINED for s in slots):
        return []
    waiting = sorted(s.position for s in slots if s.state == SignerState.WAITING)
    if not waiting:
        return []
    return waiting if ordering == Ordering.PARALLEL else waiting[:1]


def check_turn(state: IntentState, ordering: Ordering, slots: Sequence[SignerSlot],
               user_id: int) -> SignerSlot:
    """The user's slot if they may sign or decline now; raises :class:`NotYourTurn` otherwise."""
    if state == IntentState.DRAFT:
        raise NotYourTurn("draft")
    if state != IntentState.OUT_FOR_SIGNATURE:
        raise NotYourTurn("closed")
    mine = [s for s in slots if s.user_id == user_id]
    if not mine:
        raise NotYourTurn("not_a_signer")
    positions = current_positions(ordering, slots)
    for slot in mine:
        if slot.position in positions:
            return slot
    if all(s.state != SignerState.WAITING for s in mine):
        raise NotYourTurn("already_done")
    raise NotYourTurn("waiting_for_others")


def outcome(slots: Sequence[SignerSlot]) -> IntentState:
    """The intent's state once signers have acted: declined, completed, or still out."""
    if any(s.state == SignerState.DECLINED for s in slots):
        return IntentState.DECLINED
    if slots and all(s.state == SignerState.SIGNED for s in slots):
        return IntentState.COMPLETED
    return IntentState.OUT_FOR_SIGNATURE
