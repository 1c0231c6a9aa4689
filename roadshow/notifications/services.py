"""Telling people: :func:`notify` stores a notification for the centre and sends its mail, as
the person chose for that kind; the centre's queries; the choices themselves.

Services take the session and the person explicitly and never read the request."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from roadshow.db import utcnow
from roadshow.mail.outbox import Attachment, CalendarPart, queue_email
from roadshow.notifications import kinds, unsubscribe
from roadshow.notifications.models import Channel, Notification, Preference

#: the unsubscribe link of the daily digest names this instead of a kind
DIGEST = "digest"

#: the centre shows this many at a time
PAGE_SIZE = 50


class PreferenceError(ValueError):
    """A choice that cannot be made (an essential kind turned off, an unknown kind)."""


def channel_for(session: Session, user: Any, kind: kinds.NotificationKind) -> Channel:
    """How ``user`` gets ``kind``: their choice, else the kind's default; essential kinds
    always come both ways."""
    if kind.essential:
        return Channel.BOTH
    chosen = session.scalar(select(Preference.channel).where(
        Preference.user_id == user.id, Preference.kind == kind.name))
    return chosen or kind.default


def notify(
    session: Session,
    user: Any,
    kind: str,
    *,
    url: str,
    params: Mapping[str, Any] | None = None,
    organisation_id: int | None = None,
    event_id: int | None = None,
    dedupe_key: str | None = None,
    email_template: str | None = None,
    email_context: Mapping[str, Any] | None = None,
    attachments: Sequence[Attachment] = (),
    calendar: CalendarPart | None = None,
    now: datetime | None = None,
) -> Notification | None:
    """Tell ``user`` about something at ``url`` (a path inside Roadshow).

    Stores the notification (shown in the centre unless the person chose mail only) and, when
    ``email_template`` is given, queues that mail in their language as they chose: at once, in
    their daily digest, or not at all. A non-essential mail carries RFC 8058's one-click
    unsubscribe. With ``dedupe_key``, a second call with the same key for the same person does
    nothing and returns ``None``: a reminder goes out once whatever runs it again."""
    declared = kinds.get(kind)
    if declared is None:
        raise KeyError(f"unknown notification kind {kind!r}: register it in its domain")
    if dedupe_key is not None and session.scalar(select(Notification.id).where(
            Notification.user_id == user.id, Notification.dedupe_key == dedupe_key)):
        return None
    channel = channel_for(session, user, declared)
    row = Notification(
        user_id=user.id, kind=kind, params=dict(params or {}), url=url,
        organisation_id=organisation_id, event_id=event_id, dedupe_key=dedupe_key,
        in_app=channel != Channel.EMAIL,
        digest_pending=channel == Channel.DIGEST and email_template is not None,
        created_at=now or utcnow(),
    )
    session.add(row)
    if email_template is not None and channel in (Channel.BOTH, Channel.EMAIL):
        context = dict(email_context or {})
        headers: dict[str, str] = {}
        footer = None
        if not declared.essential:
            link = unsubscribe.link(user.id, kind)
            context["unsubscribe_url"] = link
            context["notification_kind_label"] = declared.label
            headers = {"List-Unsubscribe": f"<{link}>",
                       "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
            footer = "notifications/mail/_footer"
        queue_email(user, email_template, context, attachments=attachments, calendar=calendar,
                    session=session, headers=headers, footer=footer)
    session.flush()
    return row


def unread_count(session: Session, user: Any) -> int:
    return session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.in_app.is_(True),
        Notification.read_at.is_(None))) or 0


def centre(session: Session, user: Any, *, page: int = 1) -> tuple[list[Notification], int]:
    """A page of the person's notifications, unread first, newest first; and how many in all."""
    where = (Notification.user_id == user.id, Notification.in_app.is_(True))
    total = session.scalar(select(func.count(Notification.id)).where(*where)) or 0
    rows = session.scalars(
        select(Notification).where(*where)
        .order_by(Notification.read_at.is_not(None), Notification.created_at.desc(),
                  Notification.id.desc())
        .limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE)).all()
    return list(rows), total


def own_notification(session: Session, user: Any, notification_id: int) -> Notification | None:
    row = session.get(Notification, notification_id)
    return row if row is not None and row.user_id == user.id else None


def mark_read(session: Session, notification: Notification, now: datetime | None = None) -> None:
    if notification.read_at is None:
        notification.read_at = now or utcnow()


def mark_all_read(session: Session, user: Any, now: datetime | None = None) -> int:
    result = session.execute(
        update(Notification).where(Notification.user_id == user.id,
                                   Notification.read_at.is_(None))
        .values(read_at=now or utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)


def choices(session: Session, user: Any) -> dict[str, Channel]:
    """Every registered kind's channel for ``user``."""
    chosen: dict[str, Channel] = {kind: channel for kind, channel in session.execute(
        select(Preference.kind, Preference.channel).where(Preference.user_id == user.id))}
    return {kind.name: (Channel.BOTH if kind.essential else chosen.get(kind.name, kind.default))
            for kind in kinds.all_kinds()}


def choose(session: Session, user: Any, kind_name: str, channel: Channel | str) -> None:
    kind = kinds.get(kind_name)
    if kind is None:
        raise PreferenceError("unknown")
    channel = Channel(channel)
    if kind.essential and channel != Channel.BOTH:
        raise PreferenceError("essential")
    row = session.scalar(select(Preference).where(Preference.user_id == user.id,
                                                  Preference.kind == kind_name))
    if row is None:
        session.add(Preference(user_id=user.id, kind=kind_name, channel=channel))
    else:
        row.channel = channel


def stop_mail(session: Session, user: Any, kind_name: str) -> bool:
    """What an unsubscribe link does: this kind stays in the app and sends no more mail.
    Returns whether anything changed (an essential kind cannot be stopped)."""
    if kind_name == DIGEST:
        rows = session.scalars(select(Preference).where(
            Preference.user_id == user.id, Preference.channel == Channel.DIGEST)).all()
        for row in rows:
            row.channel = Channel.APP
        for pending in session.scalars(select(Notification).where(
                Notification.user_id == user.id, Notification.digest_pending.is_(True))):
            pending.digest_pending = False
        return bool(rows)
    kind = kinds.get(kind_name)
    if kind is None or kind.essential:
        return False
    current = channel_for(session, user, kind)
    if current == Channel.APP:
        return False
    choose(session, user, kind_name, Channel.APP)
    return True


def page(endpoint: str, **values: Any) -> str:
    """The path of a page, for a notification's link: inside a request or outside (a job)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context("/"):
        return url_for(endpoint, **values)
