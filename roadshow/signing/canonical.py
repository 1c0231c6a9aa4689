"""The canonical form of an intent's content and its SHA-256 (pure).

The same content always gives the same bytes, whatever the order of keys or the Unicode
normalisation the browser used: JSON with sorted keys, no insignificant whitespace, UTF-8, every
string in NFC, floats refused (amounts are integers or strings). The hash of these bytes is
what the signers see and what the sealed PDF names.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping
from typing import Any

CANONICAL_FORM = "roadshow-intent-json-v1"


class CanonicalFormError(ValueError):
    """The content holds something the canonical form does not allow (floats, odd types)."""


def _normalise(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        raise CanonicalFormError("floats are not allowed in the canonical form; use integers")
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalFormError(f"keys must be strings, not {type(key).__name__}")
            out[unicodedata.normalize("NFC", key)] = _normalise(item)
        return out
    if isinstance(value, list | tuple):
        return [_normalise(item) for item in value]
    raise CanonicalFormError(f"{type(value).__name__} is not allowed in the canonical form")


def canonical_bytes(content: Mapping[str, Any]) -> bytes:
    return json.dumps(
        _normalise(content), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")


def content_hash(content: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical bytes."""
    return hashlib.sha256(canonical_bytes(content)).hexdigest()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def group_hash(digest: str, size: int = 8) -> str:
    """``1a2b3c4d 5e6f...``: a long hex digest in groups, easier to read aloud and compare."""
    return " ".join(digest[i:i + size] for i in range(0, len(digest), size))
