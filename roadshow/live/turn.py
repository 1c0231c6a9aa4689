"""Time-limited TURN credentials (pure), the "TURN REST API" shared-secret scheme that coturn
implements with ``use-auth-secret`` and ``static-auth-secret``.

The username is the expiry as a Unix timestamp, a colon and the user's id; the password is
base64(HMAC-SHA1(shared secret, username)). coturn recomputes the password from the same secret
and refuses a username whose timestamp has passed, so nothing is stored per user and a leaked
credential lapses by itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

#: how long a handed-out credential works (a session and some)
DEFAULT_TTL_SECONDS = 6 * 3600


@dataclass(frozen=True)
class TurnCredential:
    username: str
    credential: str
    expires: int


def turn_credential(secret: str, user_id: int, now: datetime,
                    ttl_seconds: int = DEFAULT_TTL_SECONDS) -> TurnCredential:
    if not secret:
        raise ValueError("a TURN shared secret is required")
    expires = int(now.timestamp()) + int(ttl_seconds)
    username = f"{expires}:{user_id}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return TurnCredential(username, base64.b64encode(digest).decode("ascii"), expires)


def ice_servers(turn_urls: list[str], secret: str | None, user_id: int, now: datetime,
                stun_urls: list[str] | None = None,
                ttl_seconds: int = DEFAULT_TTL_SECONDS) -> list[dict[str, object]]:
    """The ``iceServers`` of an RTCPeerConnection for ``user_id``: STUN as given, TURN with a
    fresh credential when a secret and TURN URLs are configured (none: host candidates only)."""
    servers: list[dict[str, object]] = []
    if stun_urls:
        servers.append({"urls": list(stun_urls)})
    if turn_urls and secret:
        credential = turn_credential(secret, user_id, now, ttl_seconds)
        servers.append({"urls": list(turn_urls), "username": credential.username,
                        "credential": credential.credential})
    return servers
