"""Verifying a sealed PDF or a hash on the public page, and looking intents and drawn signatures
up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.applications import rendering
from roadshow.scoping import get_in_event, scoped, unscoped
from roadshow.signing import canonical, seal
from roadshow.signing.audit_trail import seal_identity
from roadshow.signing.flow import IntentState
from roadshow.signing.models import Intent, Signer


@dataclass(frozen=True)
class Verification:
    sha256: str
    intent: Intent | None
    check: seal.SealCheck | None  # None when only a hash was given
    matches_record: bool  # the file is byte for byte the sealed PDF we issued
    content_match: bool = False  # the hash is the signed content's fingerprint, not a file's

    @property
    def genuine(self) -> bool:
        if self.intent is None or self.intent.state != IntentState.COMPLETED:
            return False
        if self.check is None:
            return self.matches_record
        return self.check.genuine and self.matches_record


#: why the public verification reads intents of every event (it is public and global, §2)
PUBLIC = "public verification looks a sealed intent up among every event's"


def normalise_hash(text: str) -> str | None:
    cleaned = "".join((text or "").split()).lower()
    if len(cleaned) == 64 and all(c in "0123456789abcdef" for c in cleaned):
        return cleaned
    return None


def find_by_hash(session: Session, digest: str) -> Intent | None:
    return session.scalar(unscoped(select(Intent).where(Intent.sealed_sha256 == digest), PUBLIC))


def verify_hash(session: Session, digest: str) -> Verification:
    intent = find_by_hash(session, digest)
    if intent is None:
        by_content = session.scalar(unscoped(select(Intent).where(
            Intent.content_sha256 == digest, Intent.state != IntentState.DRAFT), PUBLIC))
        if by_content is not None:
            return Verification(digest, by_content, None, False, content_match=True)
    return Verification(digest, intent, None, intent is not None)


def check_upload(data: bytes, identity: seal.SealIdentity) -> seal.SealCheck:
    """The seal of an uploaded file, checked on the render thread: pyHanko reading a large
    upload takes up to a second of CPU, which on the gevent hub stalled every request and live
    room of the process (the public verify page, 30 uploads a minute per address)."""
    return rendering.off_loop(seal.check_pdf, data, identity)


def verify_pdf(session: Session, data: bytes) -> Verification:
    digest = canonical.sha256_hex(data)
    check = check_upload(data, seal_identity())
    intent = find_by_hash(session, digest)
    if intent is None and check.has_seal:
        # a sealed file that is not byte for byte ours: say which intent it claims to be
        intent = _claimed_intent(session, data)
    return Verification(digest, intent, check, intent is not None and intent.sealed_sha256 == digest)


#: how many verification links in a changed file, and how many distinct ids among them, are
#: looked at to name the intent it claims to be: a forged upload packed with links must not
#: cost a query per link (10,000 links held the public page for seconds)
CLAIM_LINKS_READ = 64
CLAIM_IDS_LOOKED_UP = 8


def _claimed_intent(session: Session, data: bytes) -> Intent | None:
    marker = b"/verify-intent/"
    tokens: list[str] = []
    at, read = data.find(marker), 0
    while at != -1 and read < CLAIM_LINKS_READ and len(tokens) < CLAIM_IDS_LOOKED_UP:
        tail = data[at + len(marker): at + len(marker) + 32]
        token = tail.split(b")")[0].split(b" ")[0].decode("ascii", "ignore")
        if token and token not in tokens:
            tokens.append(token)
        at, read = data.find(marker, at + 1), read + 1
    if not tokens:
        return None
    found = {intent.public_id: intent for intent in session.scalars(
        unscoped(select(Intent).where(Intent.public_id.in_(tokens)), PUBLIC))}
    return next((found[token] for token in tokens if token in found), None)


def by_public_id(session: Session, public_id: str) -> Intent | None:
    return session.scalar(unscoped(select(Intent).where(Intent.public_id == public_id), PUBLIC))


def signature_image(session: Session, signer_id: int,
                    event: Any) -> tuple[Signer | None, bytes | None]:
    """A signer's drawn signature, when the signer's intent belongs to ``event``."""
    signer = get_in_event(session, Signer, signer_id, event)
    if signer is None:
        return None, None
    return signer, session.scalar(scoped(select(Signer.signature_png).where(Signer.id == signer_id),
                                         event))
