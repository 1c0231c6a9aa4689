"""Coalescing of frequent room updates into a few emits per second (pure).

Chat messages, question changes and vote counts arrive many times a second in a full room.
They are persisted at once, each with its sequence number, but sent to the room in batches:
the server flushes each room's batch a few times a second. Within a batch only the newest vote
count per question matters, so older ones are dropped; everything else keeps its order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: event kinds whose newer instance makes an older one of the same key redundant
COALESCED = {"votes": "question_id"}


@dataclass
class RoomBatch:
    events: list[dict[str, Any]] = field(default_factory=list)

    def add(self, event: dict[str, Any]) -> None:
        key_name = COALESCED.get(event.get("kind", ""))
        if key_name is not None:
            key = event.get("data", {}).get(key_name)
            self.events = [
                e for e in self.events
                if not (e.get("kind") == event["kind"] and e.get("data", {}).get(key_name) == key)
            ]
        self.events.append(event)

    def take(self) -> list[dict[str, Any]]:
        taken, self.events = sorted(self.events, key=lambda e: e.get("seq", 0)), []
        return taken

    def __len__(self) -> int:
        return len(self.events)
