"""The mail kinds whose wording an office or an event may rewrite, with their placeholders.

An organiser's wording reads plain words (``{{ name }}``, ``{{ event }}``, ``{{ link }}``), not
the objects the file's wording reads: :func:`words` computes them from the mail's context in the
recipient's language and zone (render_email calls it inside the recipient's context), so the
sandbox never hands an organiser a model to walk.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from roadshow.i18n import format_when, format_when_both, is_chinese, localized
from roadshow.mail.wording import MailKind, Placeholder, register_kind

NAME = Placeholder("name", _l("The recipient's name"), "Wang Fang")
EVENT = Placeholder("event", _l("The event's title"), "Xuzhou Cloud Roadshow 2026")
ORGANIZER = Placeholder("organizer", _l("The organizer's name"), "Xuzhou Talent Office")
OFFICE = Placeholder("office", _l("The office's name"), "Xuzhou Talent Office")
PROJECT = Placeholder("project", _l("The project's title"),
                      "Low-power IoT for industry and smart cities")
DISTRICT = Placeholder("district", _l("The district's name"), "Gulou District")
NUMBER = Placeholder("number", _l("The application number"), 1024)
COUNT = Placeholder("count", _l("How many applications"), 3)
WHEN = Placeholder("when", _l("When it starts, in the recipient's time zone"),
                   "Thu, 11 Jun 2026, 09:00 (Asia/Shanghai, GMT+08:00)")
NOTE = Placeholder("note", _l("The note written when sending"), "")
REFERENCE = Placeholder("reference", _l("The intent's reference"), "XZ-2026-0007")
BY = Placeholder("by", _l("Who did it"), "Zhao Lei")
REASON = Placeholder("reason", _l("The reason they gave"), "The terms changed.")
MILESTONE = Placeholder("milestone", _l("The milestone's name"), "Company registered")
DAYS = Placeholder("days", _l("How many days late"), 3)
FIGURES = Placeholder("figures", _l("The figures, event by event, each with the page it counts"),
                      "Xuzhou Cloud Roadshow 2026\n- New applications: 3\n"
                      "  https://roadshow.example.org/e/xuzhou-2026/organizer/applications")
REVIEWS_OPEN = Placeholder(
    "reviews", _l("The open reviews, event by event: how many, when the review closes, the "
                  "judge's review list"),
    "Xuzhou Cloud Roadshow 2026\n- 3 reviews still open\n- The review closes at: Thu, 11 Jun "
    "2026, 18:00 (Asia/Shanghai, GMT+08:00)\n- Your review list: "
    "https://roadshow.example.org/e/xuzhou-2026/review/queue")


def _link(meaning: Any) -> Placeholder:
    return Placeholder("link", meaning, "https://roadshow.example.org/e/xuzhou-2026")


def _get(context: Mapping[str, Any], path: str) -> Any:
    """``context["a"].b.c`` or ``None`` where any step is missing."""
    head, *rest = path.split(".")
    value = context.get(head)
    for step in rest:
        if value is None:
            return None
        value = getattr(value, step, None)
    return value


def _first(context: Mapping[str, Any], *paths: str) -> Any:
    for path in paths:
        value = _get(context, path)
        if value is not None:
            return value
    return None


def event_of(context: Mapping[str, Any]) -> Any:
    """The event a mail speaks of, whichever object brings it."""
    return _first(context, "event", "application.event", "intent.application.event",
                  "docking.application.event", "request.application.event")


def _url(context: Mapping[str, Any], key: str) -> str:
    value = context.get(key) or ""
    if value.startswith("/"):
        return str(context.get("base_url") or "") + value
    return str(value)


def _event_url(suffix: str) -> Callable[[Mapping[str, Any]], str]:
    def link(context: Mapping[str, Any]) -> str:
        event = event_of(context)
        slug = getattr(event, "slug", "")
        return f"{context.get('base_url') or ''}/e/{slug}{suffix}" if slug else ""
    return link


def _key(key: str) -> Callable[[Mapping[str, Any]], str]:
    return lambda context: _url(context, key)


def _finalist_link(context: Mapping[str, Any]) -> str:
    application = context.get("application")
    return _event_url(f"/applications/{getattr(application, 'id', '')}")(context)


def _named(value: Any, field: str) -> str:
    """A name given as words (a mail that chose the language itself) or as an object."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if hasattr(value, f"{field}_en"):
        return localized(value, field)
    return str(value)


def words(context: Mapping[str, Any], link: Callable[[Mapping[str, Any]], str] | None = None,
          ) -> dict[str, Any]:
    """Every placeholder's value this context can give, in the current (the recipient's)
    language and zone."""
    event = event_of(context)
    organisation = _first(context, "organisation") or getattr(event, "organisation", None)
    application = _first(context, "application", "intent.application", "docking.application",
                         "request.application")
    district = _first(context, "district", "milestone.responsible_district", "intent.district",
                      "docking.district", "request.district")
    person = _first(context, "person", "user", "signer.user", "application.applicant")
    name = context.get("name") if isinstance(context.get("name"), str) else None
    starts = _first(context, "occurrence.starts_at", "starts_at")
    project = context.get("project") if isinstance(context.get("project"), str) else None
    values: dict[str, Any] = {
        "name": name or getattr(person, "display_name", "") or "",
        "event": _named(event, "title"),
        "organizer": _named(event, "organizer_name") or _named(organisation, "name"),
        "office": _named(organisation, "name"),
        "project": project or _named(application, "title"),
        "district": _named(district, "name"),
        "number": getattr(application, "id", "") if application is not None else "",
        "count": context.get("count", 0),
        "when": format_when(starts) if starts is not None else "",
        "note": context.get("note") or "",
        "reference": _first(context, "intent.reference") or "",
        "by": getattr(context.get("by"), "display_name", "") or "",
        "reason": context.get("reason") or "",
        "milestone": _named(context.get("milestone"), "name"),
        "days": context.get("days", 0),
    }
    if link is not None:
        values["link"] = link(context)
    return values


_OWN_WORK = _l("Your own work outside the events")


def _figures(context: Mapping[str, Any]) -> str:
    """The funnel digest's figures as lines (roadshow.reminders.funnel), labels in the
    recipient's language."""
    lines = []
    for item in context.get("events") or ():
        lines.append(_named(getattr(item, "event", None), "title") or str(_OWN_WORK))
        for figure in getattr(item, "figures", ()):
            lines += [f"- {figure.label}{'' if is_chinese() else ' '}{figure.count}",
                      f"  {context.get('base_url') or ''}{figure.url}"]
    return "\n".join(lines)


def _reviews_open(context: Mapping[str, Any]) -> str:
    """The judges' weekly digest's events as lines (roadshow.reminders.judge_digest), in the
    recipient's language and zone."""
    lines = []
    for item in context.get("reviews_open") or ():
        event = getattr(item, "event", None)
        closes = getattr(item, "closes_at", None)
        count = getattr(item, "count", 0)
        lines += [_named(event, "title"),
                  "- " + ngettext("%(num)d review still open", "%(num)d reviews still open",
                                  count),
                  "- " + (f"{_('The review closes at:')} "
                          f"{format_when_both(closes, getattr(event, 'timezone', 'UTC'))}"
                          if closes is not None else _("The review has no closing date yet.")),
                  f"- {_('Your review list:')} {context.get('base_url') or ''}"
                  f"{getattr(item, 'url', '')}"]
    return "\n".join(lines)


def _kind(template: str, title: Any, placeholders: tuple[Placeholder, ...],
          link: Callable[[Mapping[str, Any]], str] | None = None) -> MailKind:
    return register_kind(MailKind(template, title, placeholders,
                                  values=lambda context: words(context, link)))


APPLICATION_WORDS = (NAME, EVENT, ORGANIZER, PROJECT, NUMBER)

KINDS = (
    _kind("accounts/mail/verify_email", _l("Email confirmation"),
          (NAME, EVENT, ORGANIZER, _link(_l("The confirmation link"))), _key("link")),
    _kind("applications/mail/submitted", _l("Application received"),
          (*APPLICATION_WORDS, _link(_l("Where the applicant sees the application"))),
          _key("status_link")),
    _kind("applications/mail/updated", _l("Application updated"),
          (*APPLICATION_WORDS, _link(_l("Where the applicant sees the application"))),
          _key("status_link")),
    _kind("applications/mail/withdrawn", _l("Application withdrawn"),
          (*APPLICATION_WORDS, _link(_l("The application form, to submit again"))),
          _key("form_link")),
    _kind("applications/mail/district_new", _l("New application for a district"),
          (NAME, EVENT, PROJECT, DISTRICT, _link(_l("The district's docking page"))),
          _key("docking_path")),
    _kind("review/mail/assigned", _l("Applications to review"),
          (NAME, EVENT, COUNT, _link(_l("The judge's review list"))), _key("queue_path")),
    _kind("review/mail/finalist", _l("Selected as a finalist"),
          (*APPLICATION_WORDS, _link(_l("Where the applicant sees the application"))),
          _finalist_link),
    _kind("review/mail/not_selected", _l("Not selected"), APPLICATION_WORDS),
    _kind("scheduling/mail/invite", _l("Calendar invitation"),
          (NAME, EVENT, ORGANIZER, WHEN, _link(_l("The person's programme"))),
          _event_url("/schedule/#mine")),
    _kind("scheduling/mail/cancel", _l("Appointment cancelled"),
          (NAME, EVENT, ORGANIZER, WHEN, _link(_l("The person's programme"))),
          _event_url("/schedule/#mine")),
    _kind("talent/mail/invitation", _l("Invitation from the talent pool"),
          (NAME, EVENT, OFFICE, WHEN, NOTE, _link(_l("The event's page"))), _event_url("")),
    _kind("live/mail/follow_up", _l("Follow-up request from a district"),
          (NAME, EVENT, PROJECT, DISTRICT, _link(_l("Where the applicant answers"))),
          _key("answer_path")),
    _kind("signing/mail/your_turn", _l("Your turn to sign"),
          (NAME, EVENT, PROJECT, DISTRICT, REFERENCE, _link(_l("The signing page"))),
          _key("url_path")),
    _kind("signing/mail/reminder", _l("Signature reminder"),
          (NAME, EVENT, PROJECT, DISTRICT, REFERENCE, _link(_l("The signing page"))),
          _key("url_path")),
    _kind("signing/mail/completed", _l("Intent signed by every party"),
          (EVENT, PROJECT, DISTRICT, REFERENCE, _link(_l("The public verification page"))),
          _key("verify_url")),
    _kind("signing/mail/declined", _l("Intent declined"),
          (EVENT, PROJECT, DISTRICT, REFERENCE, BY, REASON)),
    _kind("signing/mail/cancelled", _l("Intent withdrawn"),
          (EVENT, PROJECT, DISTRICT, REFERENCE, BY, REASON)),
    _kind("live/mail/follow_up_answer", _l("A talent's answer to a follow-up request"),
          (NAME, EVENT, PROJECT, DISTRICT, _link(_l("Where the district arranges the talk"))),
          _key("arrange_path")),
    _kind("live/mail/meeting", _l("A follow-up talk arranged"),
          (NAME, EVENT, PROJECT, DISTRICT, WHEN, _link(_l("The docking board"))),
          _key("board_path")),
    _kind("scheduling/mail/withdrawn", _l("A finalist withdrew"),
          (NAME, EVENT, PROJECT, _link(_l("The schedule editor"))),
          _event_url("/schedule/manage")),
    _kind("outcomes/mail/overdue", _l("Overdue milestone"),
          (NAME, EVENT, PROJECT, DISTRICT, REFERENCE, MILESTONE, DAYS,
           _link(_l("Where the unit sends its evidence"))), _key("url")),
    _kind("reminders/mail/device_check", _l("Device check before a live session"),
          (NAME, EVENT, PROJECT, WHEN, _link(_l("The live room's device check"))),
          _key("url_path")),
    register_kind(MailKind(
        "reminders/mail/funnel_digest", _l("Daily digest of the funnel"),
        (NAME, FIGURES, _link(_l("The organizer's dashboard"))),
        values=lambda context: {**words(context, _key("url_path")), "figures": _figures(context)})),
    register_kind(MailKind(
        "reminders/mail/judge_digest", _l("Weekly digest of a judge's open reviews"),
        (NAME, COUNT, REVIEWS_OPEN, _link(_l("The judge's review list (or dashboard)"))),
        values=lambda context: {**words(context, _key("url_path")),
                                "reviews": _reviews_open(context)})),
)

BY_KEY: dict[str, MailKind] = {kind.template.replace("/mail/", "-"): kind for kind in KINDS}


def key_of(kind: MailKind) -> str:
    return kind.template.replace("/mail/", "-")
