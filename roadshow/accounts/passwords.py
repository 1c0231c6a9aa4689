"""Password strength rules (pure): what makes a password too weak, without its wording
(roadshow.accounts.services.password_problem says it in the reader's language)."""

from __future__ import annotations

from enum import Enum

MIN_LENGTH = 10
COMMON = {"password", "12345678", "123456789", "1234567890", "qwertyuiop", "iloveyou",
          "password1", "roadshow", "11111111", "abc12345", "admin123", "welcome1"}


class Weakness(Enum):
    TOO_SHORT = "too short"
    EASY_TO_GUESS = "easy to guess"
    CONTAINS_EMAIL = "contains the email address"
    ONE_KIND = "only letters or only digits"


def weakness(password: str, email: str = "") -> Weakness | None:
    """Why the password is too weak, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return Weakness.TOO_SHORT
    lowered = password.lower()
    if lowered in COMMON or len(set(password)) < 5:
        return Weakness.EASY_TO_GUESS
    local_part = email.split("@")[0].lower()
    if local_part and len(local_part) >= 4 and local_part in lowered:
        return Weakness.CONTAINS_EMAIL
    if password.isdigit() or password.isalpha():
        return Weakness.ONE_KIND
    return None
