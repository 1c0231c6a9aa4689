"""Intents of cooperation, their draft versions, signers, one-time codes and audit trail."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from roadshow.db import utcnow, value_enum
from roadshow.extensions import db
from roadshow.scoping import EventOwned, via
from roadshow.signing.flow import IntentState, Ordering, SignerRole, SignerState

if TYPE_CHECKING:
    from roadshow.accounts.models import User
    from roadshow.applications.models import Application
    from roadshow.districts.models import District


def new_public_id() -> str:
    return secrets.token_urlsafe(12)


class Intent(EventOwned, db.Model):
    """An intent of cooperation between an applicant's project and a district."""

    __tablename__ = "signing_intents"
    __table_args__ = (Index("ix_signing_intents_district_state", "district_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: in the verification link and QR code; reveals nothing else
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    state: Mapped[IntentState] = mapped_column(value_enum(IntentState, "intent_state"),
                                               default=IntentState.DRAFT)
    ordering: Mapped[Ordering] = mapped_column(value_enum(Ordering, "intent_ordering"),
                                               default=Ordering.SEQUENTIAL)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: frozen when sent for signing: the canonical JSON and its SHA-256
    frozen_content: Mapped[str | None] = deferred(mapped_column(Text))
    content_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    sent_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    close_reason: Mapped[str] = mapped_column(Text, default="")
    last_reminded_at: Mapped[datetime | None]
    #: the sealed PDF and its SHA-256, kept for verification by hash
    sealed_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    sealed_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    sealed_at: Mapped[datetime | None]
    #: head of the audit chain: the last entry's hash and how many entries there are
    audit_head: Mapped[str] = mapped_column(String(64), default="0" * 64)
    audit_count: Mapped[int] = mapped_column(default=0)
    #: the platform's signature of the head (see ``chain.head_message``): the database alone
    #: cannot rewrite the trail and its head without the seal key, kept outside it
    audit_head_signature: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[Application] = relationship()
    district: Mapped[District] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    versions: Mapped[list[IntentVersion]] = relationship(
        back_populates="intent", cascade="all, delete-orphan", order_by="IntentVersion.number"
    )
    signers: Mapped[list[Signer]] = relationship(
        back_populates="intent", cascade="all, delete-orphan", order_by="Signer.position"
    )
    audit_entries: Mapped[list[AuditEntry]] = relationship(
        back_populates="intent", cascade="all, delete-orphan", order_by="AuditEntry.seq",
        passive_deletes=True,
    )

    @property
    def latest_version(self) -> IntentVersion | None:
        return self.versions[-1] if self.versions else None

    def __repr__(self) -> str:
        return f"<Intent {self.reference} {self.state}>"

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.application_id, "applications", event_ids)


class IntentVersion(EventOwned, db.Model):
    """One saved draft; drafts are never overwritten, each save adds a version."""

    __tablename__ = "signing_intent_versions"
    __table_args__ = (UniqueConstraint("intent_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intent_id: Mapped[int] = mapped_column(ForeignKey("signing_intents.id", ondelete="CASCADE"))
    number: Mapped[int]
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_sha256: Mapped[str] = mapped_column(String(64))
    #: the drafter's inputs, to reopen the form as it was
    draft_fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    intent: Mapped[Intent] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.intent_id, "signing_intents", event_ids)


class Signer(EventOwned, db.Model):
    __tablename__ = "signing_signers"
    __table_args__ = (UniqueConstraint("intent_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intent_id: Mapped[int] = mapped_column(ForeignKey("signing_intents.id", ondelete="CASCADE"))
    position: Mapped[int]
    role: Mapped[SignerRole] = mapped_column(value_enum(SignerRole, "signer_role"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[SignerState] = mapped_column(value_enum(SignerState, "signer_state"),
                                               default=SignerState.WAITING)
    first_viewed_at: Mapped[datetime | None]
    notified_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    acted_at: Mapped[datetime | None]
    typed_name: Mapped[str] = mapped_column(String(200), default="")
    signature_png: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    consent_version: Mapped[str] = mapped_column(String(20), default="")
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(400), default="")
    locale: Mapped[str] = mapped_column(String(16), default="")

    intent: Mapped[Intent] = relationship(back_populates="signers")
    user: Mapped[User] = relationship()
    codes: Mapped[list[OneTimeCode]] = relationship(
        back_populates="signer", cascade="all, delete-orphan", order_by="OneTimeCode.created_at"
    )

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.intent_id, "signing_intents", event_ids)


class OneTimeCode(EventOwned, db.Model):
    """A code sent by email to confirm a signature: stored hashed, expiring, few attempts."""

    __tablename__ = "signing_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    signer_id: Mapped[int] = mapped_column(ForeignKey("signing_signers.id", ondelete="CASCADE"),
                                           index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    signer: Mapped[Signer] = relationship(back_populates="codes")

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.signer_id, "signing_signers", event_ids)


class AuditEntry(EventOwned, db.Model):
    """One event in an intent's hash-chained audit trail; appended, never updated."""

    __tablename__ = "signing_audit"
    __table_args__ = (UniqueConstraint("intent_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intent_id: Mapped[int] = mapped_column(ForeignKey("signing_intents.id", ondelete="CASCADE"))
    seq: Mapped[int]
    action: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(200), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(400), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))

    intent: Mapped[Intent] = relationship(back_populates="audit_entries")

    @classmethod
    def event_clause(cls, event_ids: Iterable[int]) -> ColumnElement[bool]:
        return via(cls.intent_id, "signing_intents", event_ids)
