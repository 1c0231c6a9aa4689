"""Writing to a group and sending it: what the organizer wrote is checked field by field, the
group's people are fixed when they confirm the preview, and :func:`deliver` (run by the job)
gives each their language by mail and, when they have an account, in the app.

Services take the session and the actors explicitly and never read the request."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.db import utcnow
from roadshow.events.models import Event
from roadshow.group_messages import groups, notices
from roadshow.group_messages.models import GroupMessage, GroupMessageRecipient
from roadshow.i18n import ZH
from roadshow.jobs.models import Job, JobStatus
from roadshow.mail.outbox import Recipient, queue_email
from roadshow.notifications.services import notify, page
from roadshow.scoping import scoped

KIND = "group_messages.send"
TEMPLATE = "group_messages/mail/message"
SUBJECT_MAX = 200
BODY_MAX = 20_000
#: recipients sent per committed batch
BATCH = 25
LANGUAGES = (ZH, "en")

PROBLEMS: dict[str, Any] = {
    "group_unknown": _l("Choose who receives the message."),
    "value_session": _l("Choose one of the event's sessions."),
    "value_status": _l("Choose the status of the applications."),
    "value_search": _l("Choose one of your saved searches of the talent pool."),
    "group_empty": _l("Nobody is in this group now; choose another."),
    "only_unknown": _l("Choose the languages the message is written in."),
    "subject_missing": _l("Write the subject, or send the message in the other language only."),
    "body_missing": _l("Write the message, or send it in the other language only."),
    "subject_long": _l("A subject has at most 200 characters."),
    "body_long": _l("A message has at most 20,000 characters."),
}


@dataclass(frozen=True)
class Draft:
    """What the organizer wrote; ``only`` is ``""`` (both languages) or the one written."""

    group: str = ""
    value: str = ""
    subject_zh: str = ""
    subject_en: str = ""
    body_zh: str = ""
    body_en: str = ""
    only: str = ""

    @classmethod
    def from_form(cls, form: Mapping[str, Any]) -> Draft:
        def text(name: str) -> str:
            return str(form.get(name, "") or "").strip()

        group = text("group")
        # the form has a choice beside each group (value_<group>); the preview sends it back
        # as ``value``
        value = text(f"value_{group}") if group else ""
        return cls(group=group, value=value or text("value"), subject_zh=text("subject_zh"),
                   subject_en=text("subject_en"), body_zh=str(form.get("body_zh", "") or "").strip(),
                   body_en=str(form.get("body_en", "") or "").strip(), only=text("only"))

    def languages(self) -> tuple[str, ...]:
        return (self.only,) if self.only else LANGUAGES


class DraftError(ValueError):
    """What is wrong, by the form's field: {field: key of PROBLEMS}."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(", ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


def check(session: Session, sender: Any, event: Event, draft: Draft) -> list[groups.Recipient]:
    """The group's people if the draft can be sent; raises :class:`DraftError` with every
    problem at once."""
    problems: dict[str, str] = {}
    if draft.only not in ("", *LANGUAGES):
        problems["only"] = "only_unknown"
    for language in draft.languages() if "only" not in problems else LANGUAGES:
        suffix = "zh" if language == ZH else "en"
        subject, body = getattr(draft, f"subject_{suffix}"), getattr(draft, f"body_{suffix}")
        if not subject:
            problems[f"subject_{suffix}"] = "subject_missing"
        elif len(subject) > SUBJECT_MAX:
            problems[f"subject_{suffix}"] = "subject_long"
        if not body:
            problems[f"body_{suffix}"] = "body_missing"
        elif len(body) > BODY_MAX:
            problems[f"body_{suffix}"] = "body_long"
    found: list[groups.Recipient] = []
    if draft.group not in groups.KINDS:
        problems["group"] = "group_unknown"
    else:
        try:
            found = groups.recipients(session, sender, event, draft.group, draft.value)
        except groups.GroupError as wrong:
            problems[wrong.field] = f"{wrong.field}_{wrong.key}"
        else:
            if not found:
                problems["group"] = "group_empty"
    if problems:
        raise DraftError(problems)
    return found


def fingerprint(found: list[groups.Recipient]) -> str:
    """What the preview showed, to tell whether the group changed before sending."""
    return hashlib.sha256("\n".join(sorted(r.email.lower() for r in found)).encode()).hexdigest()[:32]


def create(session: Session, sender: User, event: Event, draft: Draft,
           found: list[groups.Recipient], *, token: str, now: datetime | None = None
           ) -> tuple[GroupMessage, bool]:
    """The message with its recipients fixed and its job queued (the caller commits, then
    enqueues the job); a token already sent answers that message and ``False``, so a
    confirmation posted twice sends once."""
    earlier = session.scalar(scoped(select(GroupMessage).where(
        GroupMessage.event_id == event.id, GroupMessage.token == token), event.id))
    if earlier is not None:
        return earlier, False
    only = draft.only or None
    message = GroupMessage(
        event_id=event.id, organisation_id=event.organisation_id, sender_id=sender.id,
        token=token, group=draft.group, group_value=draft.value,
        group_label_zh=groups.label(session, sender, event, draft.group, draft.value, ZH),
        group_label_en=groups.label(session, sender, event, draft.group, draft.value, "en"),
        subject_zh=draft.subject_zh if only in (None, ZH) else "",
        subject_en=draft.subject_en if only in (None, "en") else "",
        body_zh=draft.body_zh if only in (None, ZH) else "",
        body_en=draft.body_en if only in (None, "en") else "",
        only_language=only, recipient_count=len(found), created_at=now or utcnow())
    message.recipients = [GroupMessageRecipient(
        user_id=r.user_id, person_id=r.person_id, name=r.name[:200], email=r.email,
        locale=r.locale, timezone=r.timezone) for r in found]
    session.add(message)
    session.flush()
    job = Job(kind=KIND, actor_id=sender.id, event_id=event.id, total=len(found),
              status=JobStatus.QUEUED, params={"message_id": message.id})
    session.add(job)
    session.flush()
    message.job_id = job.id
    return message, True


def texts(message: GroupMessage, locale: str) -> tuple[str, str]:
    """The subject and body a reader of ``locale`` gets: their language, else the one written."""
    chinese = (message.only_language or locale).startswith("zh")
    if chinese:
        return message.subject_zh or message.subject_en, message.body_zh or message.body_en
    return message.subject_en or message.subject_zh, message.body_en or message.body_zh


def history(session: Session, event: Event) -> list[GroupMessage]:
    return list(session.scalars(scoped(select(GroupMessage).where(
        GroupMessage.event_id == event.id).order_by(GroupMessage.created_at.desc(),
                                                    GroupMessage.id.desc()), event.id)))


def find(session: Session, event: Event, message_id: int) -> GroupMessage | None:
    return session.scalar(scoped(select(GroupMessage).where(
        GroupMessage.id == message_id, GroupMessage.event_id == event.id), event.id))


def received(session: Session, user: Any, message_id: int) -> GroupMessage | None:
    """A message as one of its recipients reads it (``None`` for anyone else)."""
    row = session.scalar(select(GroupMessageRecipient).where(
        GroupMessageRecipient.message_id == message_id, GroupMessageRecipient.user_id == user.id,
        GroupMessageRecipient.sent_at.is_not(None)))
    return row.message if row is not None else None


def _sender_name(message: GroupMessage, event: Event) -> dict[str, str]:
    sender = message.sender
    name = sender.display_name if sender is not None else ""
    return {"sender_zh": name or event.organisation.name_zh,
            "sender_en": name or event.organisation.name_en}


def deliver(session: Session, message: GroupMessage, *, step: Callable[[int], None] | None = None,
            now: datetime | None = None, email: bool = True) -> int:
    """Send the message to each recipient not yet sent, a batch at a time (``step(done)`` after
    each batch commits the position); returns how many were sent in this run. ``email=False``
    (the demo, which mails nobody) tells people in the app only."""
    event = message.event
    read_path = page("group_messages.read", group_message_id=message.id)
    pending = [r for r in message.recipients if r.sent_at is None]
    done = len(message.recipients) - len(pending)
    sent = 0
    names = _sender_name(message, event)
    for recipient in pending:
        subject, body = texts(message, recipient.locale)
        context = {"message": message, "event": event, "subject": subject, "body": body,
                   "name": recipient.name, "sender": names, "read_path": read_path,
                   "has_account": recipient.user_id is not None}
        user = session.get(User, recipient.user_id) if recipient.user_id else None
        if user is not None and user.active:
            notify(session, user, notices.RECEIVED.name, url=read_path,
                   params={"subject_zh": message.subject_zh, "subject_en": message.subject_en,
                           **names},
                   organisation_id=event.organisation_id, event_id=event.id,
                   dedupe_key=f"group_message:{message.id}",
                   email_template=TEMPLATE if email else None, email_context=context, now=now)
        elif email:
            queue_email(Recipient(recipient.email, recipient.locale, recipient.timezone),
                        TEMPLATE, {**context, "has_account": False}, session=session)
        recipient.sent_at = now or utcnow()
        sent += 1
        done += 1
        if step is not None and (sent % BATCH == 0 or done == len(message.recipients)):
            message.sent_count = done
            step(done)
    message.sent_count = done
    if message.finished_at is None:
        message.finished_at = now or utcnow()
        if message.sender is not None:
            notify(session, message.sender, notices.SENT.name,
                   url=page("group_messages.message", event_slug=event.slug,
                            group_message_id=message.id),
                   params={"subject_zh": message.subject_zh, "subject_en": message.subject_en,
                           "num": done},
                   organisation_id=event.organisation_id, event_id=event.id,
                   dedupe_key=f"group_message_sent:{message.id}", now=now)
    session.flush()
    return sent
