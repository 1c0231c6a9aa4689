"""Unsubscribe links (RFC 8058 one-click): a signed token names the person and the kind, so the
link works without signing in and stops only that kind."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "roadshow.notifications.unsubscribe"
#: the path the links point to (the notifications blueprint serves it)
PATH = "/notifications/unsubscribe/"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token(user_id: int, kind: str) -> str:
    return _serializer().dumps([user_id, kind])


def link(user_id: int, kind: str) -> str:
    base = str(current_app.config["PUBLIC_BASE_URL"]).rstrip("/")
    return f"{base}{PATH}{token(user_id, kind)}"


def read(value: str) -> tuple[int, str] | None:
    """The person and kind a token names, or ``None`` for a forged or damaged one."""
    try:
        user_id, kind = _serializer().loads(value)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(kind, str):
        return None
    return user_id, kind
