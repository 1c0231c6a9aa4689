"""Signed, expiring tokens for the links we email (pure: no Flask, no database).

Each purpose has its own salt, so a token made for one purpose never opens another. The
password-reset token carries a fingerprint of the current password hash: once the password
changes the token no longer matches, which makes it single use. Invitation tokens carry the
invitation's nonce, which a resend replaces, so an older link stops working.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

VERIFY_EMAIL = "roadshow.verify-email"
PASSWORD_RESET = "roadshow.password-reset"  # noqa: S105 - a salt, not a password
INVITATION = "roadshow.invitation"

VERIFY_MAX_AGE = 3 * 24 * 3600
RESET_MAX_AGE = 2 * 3600


class LinkError(Exception):
    """Why a token does not open its link: ``expired``, ``invalid``, ``used``, ``revoked`` or ``replaced``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Tokens:
    secret_key: str

    def _serializer(self, purpose: str) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret_key, salt=purpose)

    def make(self, purpose: str, payload: dict[str, Any]) -> str:
        return str(self._serializer(purpose).dumps(payload))

    def read(self, purpose: str, token: str, max_age: int) -> dict[str, Any]:
        try:
            payload = self._serializer(purpose).loads(token, max_age=max_age)
        except SignatureExpired as error:
            raise LinkError("expired") from error
        except BadSignature as error:
            raise LinkError("invalid") from error
        if not isinstance(payload, dict):
            raise LinkError("invalid")
        return payload


def password_fingerprint(password_hash: str) -> str:
    """A short digest of the stored hash: changes whenever the password does."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]
