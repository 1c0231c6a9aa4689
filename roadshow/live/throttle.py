"""Text hygiene for live chat, questions and notes (pure).

Text is kept as plain text (clients insert it with ``textContent``); control characters are
dropped and length is bounded here, before anything is stored. (Rate limits are per user and
room, in :mod:`roadshow.live.ratelimit`.)
"""

from __future__ import annotations

import unicodedata

CHAT_MAX_CHARS = 500
QUESTION_MAX_CHARS = 300
NOTE_MAX_CHARS = 500
#: a district's interest note, which gathers the notes of every live request (as the review's
#: docking form allows)
INTEREST_NOTE_MAX_CHARS = 2000


class TextError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def clean_text(value: object, max_chars: int) -> str:
    """Plain text without control characters, trimmed; refuses empty or too long text."""
    if not isinstance(value, str):
        raise TextError("empty")
    kept = "".join(
        ch for ch in value
        if ch in "\n\t" or not unicodedata.category(ch).startswith("C")
    ).strip()
    if not kept:
        raise TextError("empty")
    if len(kept) > max_chars:
        raise TextError("too_long")
    return kept


def merge_note(existing: str, note: str, max_chars: int = INTEREST_NOTE_MAX_CHARS) -> str:
    """``existing`` with ``note`` added as its last line, never longer than ``max_chars``: the
    oldest lines give way to newer ones, and a note already there is not added again."""
    lines = [line for line in existing.split("\n") if line.strip()]
    note = note.strip()
    if note and note not in lines:
        lines.append(note)
    while lines and len("\n".join(lines)) > max_chars:
        if len(lines) == 1:
            return lines[0][:max_chars]
        lines.pop(0)
    return "\n".join(lines)
