"""Storing, checking, previewing and test-sending the wording an office or an event writes.

:func:`lookup` is what roadshow.mail.wording asks when a mail is rendered: the overrides of the
mail's office and event for its template and language. A preview or a test mail carries its own
answer in the context (:data:`SCOPE_KEY`), so what an organiser sees is what the mail says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.events.models import Event
from roadshow.extensions import db
from roadshow.i18n import ZH, localized
from roadshow.mail.outbox import Recipient, queue_email, render_email
from roadshow.mail.wording import (
    MailKind,
    Override,
    WordingProblem,
    WordingRefusedError,
    check_source,
    choose,
    render_source,
)
from roadshow.organisations.models import Organisation
from roadshow.wording import kinds
from roadshow.wording.models import MailWording

LOCALES = (ZH, "en")
#: a preview's or a test mail's own answer to the lookup: an Override, or DEFAULT (the file's)
SCOPE_KEY = "wording_scope"
DEFAULT = "default"


def locale_of(locale: str) -> str:
    return ZH if locale.startswith("zh") else "en"


@dataclass(frozen=True)
class Draft:
    subject: str = ""
    body: str = ""

    @property
    def empty(self) -> bool:
        return not self.subject.strip() and not self.body.strip()


def _override(row: MailWording) -> Override:
    return Override("event" if row.event_id else "organisation",
                    subject=row.subject or None, body=row.body or None)


def _rows(session: Session, organisation_id: int, event_id: int | None, template: str,
          locale: str) -> list[MailWording]:
    scope = MailWording.event_id.is_(None)
    if event_id is not None:
        scope = or_(scope, MailWording.event_id == event_id)
    return list(session.scalars(select(MailWording).where(
        MailWording.organisation_id == organisation_id, MailWording.template == template,
        MailWording.locale == locale_of(locale), scope)))


def lookup(template: str, locale: str, context: Mapping[str, Any]) -> Override | None:
    """The override a mail of ``template`` in ``locale`` uses: its event's beats its office's."""
    if SCOPE_KEY in context:
        chosen = context[SCOPE_KEY]
        return chosen if isinstance(chosen, Override) else None
    event = kinds.event_of(context)
    if event is not None:
        # the sign-up mail brings a row of a few of the event's columns, not an Event
        organisation_id, event_id = getattr(event, "organisation_id", None), event.id
        if organisation_id is None:
            return None
    elif isinstance(context.get("organisation"), Organisation):
        organisation_id, event_id = context["organisation"].id, None
    else:
        return None
    # a mail is queued in the middle of its service's work: reading must not flush that work
    with db.session.no_autoflush:
        rows = _rows(db.session, organisation_id, event_id, template, locale)
    return choose(_override(row) for row in rows)


def saved(session: Session, organisation: Organisation, event: Event | None, kind: MailKind,
          locale: str) -> MailWording | None:
    return session.scalars(select(MailWording).where(
        MailWording.organisation_id == organisation.id,
        MailWording.event_id == event.id if event is not None else MailWording.event_id.is_(None),
        MailWording.template == kind.template, MailWording.locale == locale_of(locale))).first()


def written(session: Session, organisation: Organisation, event: Event | None,
            ) -> dict[tuple[str, str], MailWording]:
    """The overrides of this scope, by (template, locale)."""
    rows = session.scalars(select(MailWording).where(
        MailWording.organisation_id == organisation.id,
        MailWording.event_id == event.id if event is not None else MailWording.event_id.is_(None)))
    return {(row.template, row.locale): row for row in rows}


def problems(kind: MailKind, draft: Draft) -> dict[str, WordingProblem]:
    """Why each part (``subject``, ``body``) of ``draft`` cannot be saved: it does not parse,
    names something that is no placeholder of the kind, reaches beyond them (the sandbox
    stops it) or fails on the sample values."""
    found: dict[str, WordingProblem] = {}
    for part in ("subject", "body"):
        source = getattr(draft, part)
        if not source.strip():
            continue
        problem = check_source(source, kind.names)
        if problem is None:
            try:
                render_source(source, kind.samples(), kind.names)
            except WordingRefusedError as refused:
                problem = refused.problem
        if problem is not None:
            found[part] = problem
    return found


class WordingInvalidError(ValueError):
    def __init__(self, found: dict[str, WordingProblem]) -> None:
        super().__init__(", ".join(f"{part}: {p.code}" for part, p in found.items()))
        self.problems = found


def save(session: Session, organisation: Organisation, event: Event | None, kind: MailKind,
         locale: str, draft: Draft, actor: Any) -> MailWording | None:
    """Store ``draft`` as this scope's wording (an empty draft restores the default)."""
    found = problems(kind, draft)
    if found:
        raise WordingInvalidError(found)
    if draft.empty:
        restore(session, organisation, event, kind, locale)
        return None
    row = saved(session, organisation, event, kind, locale)
    if row is None:
        row = MailWording(organisation_id=organisation.id,
                          event_id=event.id if event is not None else None,
                          template=kind.template, locale=locale_of(locale))
        session.add(row)
    row.subject = draft.subject.strip()
    row.body = draft.body.replace("\r\n", "\n")
    row.updated_by_id = actor.id
    row.updated_at = utcnow()
    session.flush()
    return row


def restore(session: Session, organisation: Organisation, event: Event | None, kind: MailKind,
            locale: str) -> bool:
    """Forget this scope's wording: the mail says the wider scope's, else the file's."""
    result = session.execute(delete(MailWording).where(
        MailWording.organisation_id == organisation.id,
        MailWording.event_id == event.id if event is not None else MailWording.event_id.is_(None),
        MailWording.template == kind.template, MailWording.locale == locale_of(locale)))
    return bool(getattr(result, "rowcount", 0))


def effective(session: Session, organisation: Organisation, event: Event | None,
              kind: MailKind, locale: str, draft: Draft | None = None) -> Override | None:
    """What a mail of this scope says, with ``draft`` in place of this scope's saved wording."""
    rows = _rows(session, organisation.id, event.id if event is not None else None,
                 kind.template, locale)
    this_scope = "event" if event is not None else "organisation"
    candidates = [_override(row) for row in rows]
    if draft is not None:
        candidates = [o for o in candidates if o.scope != this_scope]
        candidates.append(Override(this_scope, subject=draft.subject.strip() or None,
                                   body=draft.body.replace("\r\n", "\n") or None))
    return choose(candidates)


# --- previews with the office's data -----------------------------------------------------------

def _sample_event(organisation: Organisation) -> Any:
    return SimpleNamespace(
        id=None, slug="sample", organisation_id=organisation.id, organisation=organisation,
        title_zh="徐州市高层次人才“云创荟”", title_en="Xuzhou High-level Talent Cloud Roadshow",
        organizer_name_zh=organisation.name_zh, organizer_name_en=organisation.name_en,
        venue_zh="金龙湖书院", venue_en="Jinlong Lake Academy", timezone=organisation.timezone)


class _InReadersLanguage:
    """A name given as words, in the language of the mail being rendered."""

    def __init__(self, obj: Any, field: str) -> None:
        self.obj, self.field = obj, field

    def __str__(self) -> str:
        return localized(self.obj, self.field)


_SAMPLE_REASON = "The terms changed. / 条款有变。"


def preview_context(session: Session, organisation: Organisation, event: Event | None,
                    reader: Any, kind: MailKind) -> dict[str, Any]:
    """A context every kind's file can be rendered with: the office, the event (the page's, else
    the office's latest), one of its districts and the reader; a sample project and intent."""
    if event is None:
        event = session.scalars(select(Event).where(Event.organisation_id == organisation.id)
                                .order_by(Event.id.desc())).first()
    shown: Any = event if event is not None else _sample_event(organisation)
    district: Any = session.scalars(select(District).where(
        District.organisation_id == organisation.id).order_by(District.id)).first()
    if district is None:
        district = SimpleNamespace(id=None, name_zh="鼓楼区", name_en="Gulou District")
    now = utcnow()
    starts = now + timedelta(days=7)
    # the reader stands in for every person the mail names, as if it were written to them
    applicant = SimpleNamespace(display_name=reader.display_name, name=reader.display_name)
    application = SimpleNamespace(
        id=1024, event=shown, applicant=applicant, submitted_at=now - timedelta(days=1),
        title_zh="低功耗物联网技术在工业和智慧城市领域的应用",
        title_en="Low-power IoT for industry and smart cities")
    intent = SimpleNamespace(
        id=7, reference="XZ-2026-0007", application=application, district=district,
        expires_at=now + timedelta(days=14), content_sha256="9f2c" * 16,
        sealed_sha256="4ab1" * 16)
    base_url = current_app.config["PUBLIC_BASE_URL"]
    slug = shown.slug
    return {
        "base_url": base_url, "event": shown, "organisation": organisation,
        "user": reader, "person": reader, "name": reader.display_name, "district": district,
        "application": application, "intent": intent, "signer": SimpleNamespace(user=reader),
        "link": f"{base_url}/verify/sample", "status_link": f"{base_url}/e/{slug}/applications",
        "form_link": f"{base_url}/e/{slug}/apply", "closes_at": starts,
        "call_open_by_hand": False, "call_open": True, "was_finalist": False,
        "count": 3, "queue_path": f"/e/{slug}/review/queue",
        "docking_path": f"/e/{slug}/docking", "answer_path": f"/e/{slug}/live/follow-up",
        "url_path": f"/e/{slug}/signing/intents/7/sign", "updated": False, "session_id": None,
        "occurrence": SimpleNamespace(
            starts_at=starts, ends_at=starts + timedelta(minutes=20), join_url="",
            summary_zh="项目路演：" + application.title_zh,
            summary_en="Pitch: " + application.title_en, description_zh="", description_en=""),
        "docking": SimpleNamespace(kind=SimpleNamespace(value="talk"), note="", created_at=now,
                                   answer=SimpleNamespace(value="accepted"), answer_note="",
                                   application=application, district=district),
        "starts_at": starts, "ends_at": starts + timedelta(hours=8), "note": "",
        "minutes": 10, "code": "123456", "content_sha256": "9f2c" * 16,
        "by": reader, "reason": _SAMPLE_REASON, "verify_url": f"{base_url}/verify/XZ-2026-0007",
        "milestone": SimpleNamespace(
            name_zh="公司注册", name_en="Company registered", responsible_district=district,
            due_on=(now - timedelta(days=3)).date()),
        "days": 3, "url": f"{base_url}/o/{organisation.slug}/outcomes/board",
        "times": [starts, starts + timedelta(days=1)], "arranged_by": reader,
        "arrange_path": f"/e/{slug}/live/docking/1/meeting", "board_path": f"/e/{slug}/live/docking",
        "slots": [SimpleNamespace(id=1, starts_at=starts, ends_at=starts + timedelta(minutes=20),
                                  session=SimpleNamespace(title_zh="项目路演", title_en="Pitches"))],
        "invited": True,
        # the device check and the organizers' funnel digest (roadshow.reminders)
        "pitch_session": SimpleNamespace(title_zh="上午场", title_en="Morning session"),
        "day": now.date(), "since": now - timedelta(days=1),
        "events": [SimpleNamespace(event=shown, figures=[SimpleNamespace(
            label=_l("New applications:"), count=3, url=f"/e/{slug}/organizer/applications")])],
        # the judges' weekly digest of their open reviews
        "reviews_open": [SimpleNamespace(event=shown, count=3, closes_at=starts,
                                         url=f"/e/{slug}/review/queue")],
        # the follow-up talk's mail names the project and the district in words
        **({"project": _InReadersLanguage(application, "title"),
            "district": _InReadersLanguage(district, "name")}
           if kind.template == "live/mail/meeting" else {}),
    }


@dataclass(frozen=True)
class Rendered:
    locale: str
    subject: str
    text: str


def render(kind: MailKind, context: Mapping[str, Any], locale: str, reader: Any,
           override: Override | None) -> Rendered:
    """The mail of ``kind`` as ``reader`` would read it in ``locale`` with ``override``."""
    recipient = Recipient(reader.email, locale, reader.timezone)
    subject, text, _html = render_email(
        kind.template, {**context, SCOPE_KEY: override or DEFAULT}, recipient)
    return Rendered(locale, subject, text)


def previews(session: Session, organisation: Organisation, event: Event | None,
             kind: MailKind, locale: str, reader: Any, draft: Draft | None,
             ) -> tuple[dict[str, Rendered], dict[str, Rendered]]:
    """The file's wording and the wording a mail of this scope says (``draft`` in place of the
    saved one in ``locale``), in both languages."""
    context = preview_context(session, organisation, event, reader, kind)
    default = {code: render(kind, context, code, reader, None) for code in LOCALES}
    current = {code: render(kind, context, code, reader, effective(
        session, organisation, event, kind, code, draft if code == locale else None))
        for code in LOCALES}
    return default, current


def send_test(session: Session, organisation: Organisation, event: Event | None,
              kind: MailKind, locale: str, reader: Any, draft: Draft) -> None:
    """The mail as it would go out with ``draft``, to ``reader`` in ``locale``."""
    found = problems(kind, draft)
    if found:
        raise WordingInvalidError(found)
    context = preview_context(session, organisation, event, reader, kind)
    context[SCOPE_KEY] = effective(session, organisation, event, kind, locale, draft) or DEFAULT
    queue_email(Recipient(reader.email, locale_of(locale), reader.timezone), kind.template,
                context, session=session)


def kinds_with_state(session: Session, organisation: Organisation, event: Event | None,
                     ) -> Iterable[tuple[str, MailKind, dict[str, MailWording | None]]]:
    rows = written(session, organisation, event)
    for key, kind in kinds.BY_KEY.items():
        yield key, kind, {code: rows.get((kind.template, code)) for code in LOCALES}
