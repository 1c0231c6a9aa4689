"""Password strength rules (pure)."""

from __future__ import annotations

from flask_babel import gettext as _

MIN_LENGTH = 10
COMMON = {"password", "12345678", "123456789", "1234567890", "qwertyuiop", "iloveyou",
          "password1", "roadshow", "11111111", "abc12345", "admin123", "welcome1"}


def password_problem(password: str, email: str = "") -> str | None:
    """A translated reason the password is too weak, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(n)d characters for your password.", n=MIN_LENGTH)
    lowered = password.lower()
    if lowered in COMMON or len(set(password)) < 5:
        return _("This password is too easy to guess. Please choose another.")
    local_part = email.split("@")[0].lower()
    if local_part and len(local_part) >= 4 and local_part in lowered:
        return _("Your password must not contain your email address.")
    if password.isdigit() or password.isalpha():
        return _("Mix letters with digits or symbols in your password.")
    return None
