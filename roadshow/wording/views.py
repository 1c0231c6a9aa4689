"""The wording editor: an office's organizers rewrite every mail's subject and body per language
for the office (``/o/<org>/mail-wording``) and for one of its events (``/e/<event>/mail-wording``),
preview it with the office's data in both languages, send a test to themselves and restore the
default."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from roadshow.access import requires
from roadshow.events.loaders import this_event, this_organisation
from roadshow.events.models import Event
from roadshow.events.scope import E, O
from roadshow.extensions import db
from roadshow.i18n import ZH
from roadshow.mail.wording import MailKind, WordingProblem, install_override_lookup
from roadshow.organisations.models import Organisation
from roadshow.wording import kinds, services

bp = Blueprint("wording", __name__)


def _install(_state: Any) -> None:
    install_override_lookup(services.lookup)


bp.record_once(_install)


def language_label(locale: str) -> str:
    return _("Chinese") if locale == ZH else _("English")


def problem_text(problem: WordingProblem) -> str:
    """Why the wording was refused, in the reader's language."""
    if problem.code == "syntax":
        return _("This text does not read as a template (line %(line)s): %(detail)s. Check that "
                 "every {{ is closed by }}.", line=problem.line or 1, detail=problem.detail)
    if problem.code == "unknown":
        return _("Unknown placeholder: %(names)s. Use only the placeholders listed beside the "
                 "field.", names=problem.detail)
    if problem.code == "unsafe":
        return _("This text tries to reach beyond its placeholders, which is not allowed.")
    return _("This text cannot be filled in with the placeholders' values: %(detail)s",
             detail=problem.detail)


def _kind_or_404(kind_key: str, locale: str) -> MailKind:
    kind = kinds.BY_KEY.get(kind_key)
    if kind is None or locale not in services.LOCALES:
        abort(404)
    return kind


def _edit_url(event: Event | None, kind_key: str, locale: str) -> str:
    if event is not None:
        return url_for("wording.event_edit", event_slug=event.slug, kind_key=kind_key,
                       locale=locale)
    return url_for("wording.office_edit", kind_key=kind_key, locale=locale)


def _list(organisation: Organisation, event: Event | None) -> Any:
    rows = list(services.kinds_with_state(db.session, organisation, event))
    return render_template("wording/kinds.html", organisation=organisation, event=event,
                           rows=rows, locales=services.LOCALES, language_label=language_label,
                           edit_url=lambda key, code: _edit_url(event, key, code))


def _edit(organisation: Organisation, event: Event | None, kind_key: str, locale: str) -> Any:
    kind = _kind_or_404(kind_key, locale)
    row = services.saved(db.session, organisation, event, kind, locale)
    draft: services.Draft | None = None
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        action = request.form.get("action", "save")
        draft = services.Draft(request.form.get("subject", ""), request.form.get("body", ""))
        if action == "restore":
            services.restore(db.session, organisation, event, kind, locale)
            db.session.commit()
            flash(_("The default wording is back."), "success")
            return redirect(_edit_url(event, kind_key, locale))
        try:
            if action == "test":
                services.send_test(db.session, organisation, event, kind, locale,
                                   current_user, draft)
            elif action == "save":
                services.save(db.session, organisation, event, kind, locale, draft,
                              current_user)
            else:  # a preview of the draft
                found = services.problems(kind, draft)
                if found:
                    raise services.WordingInvalidError(found)
        except services.WordingInvalidError as refused:
            db.session.rollback()
            errors = {part: problem_text(p) for part, p in refused.problems.items()}
            status = 400
        else:
            db.session.commit()
            if action == "save":
                flash(_("The wording is saved: the next mails of this kind use it."), "success")
                return redirect(_edit_url(event, kind_key, locale))
            if action == "test":
                flash(_("A test mail was sent to %(address)s.", address=current_user.email),
                      "success")
    default, current = services.previews(db.session, organisation, event, kind, locale,
                                         current_user, None if errors else draft)
    if draft is not None:
        shown = draft  # what was typed stays, refused or not
    elif row is not None:
        shown = services.Draft(row.subject, row.body)
    else:
        shown = services.Draft()
    return render_template(
        "wording/edit.html", organisation=organisation, event=event, kind=kind,
        kind_key=kind_key, locale=locale, row=row, shown=shown, errors=errors,
        default=default, current=current, locales=services.LOCALES,
        language_label=language_label,
        list_url=(url_for("wording.event_list", event_slug=event.slug) if event is not None
                  else url_for("wording.office_list")),
        other_url=_edit_url(event, kind_key, "en" if locale == ZH else ZH)), status


@bp.route(f"{O}/mail-wording")
@requires("organisations.manage")
def office_list() -> Any:
    return _list(this_organisation(), None)


@bp.route(f"{O}/mail-wording/<kind_key>/<locale>", methods=["GET", "POST"])
@requires("organisations.manage")
def office_edit(kind_key: str, locale: str) -> Any:
    return _edit(this_organisation(), None, kind_key, locale)


@bp.route(f"{E}/mail-wording")
@requires("events.manage")
def event_list() -> Any:
    event = this_event()
    return _list(event.organisation, event)


@bp.route(f"{E}/mail-wording/<kind_key>/<locale>", methods=["GET", "POST"])
@requires("events.manage")
def event_edit(kind_key: str, locale: str) -> Any:
    event = this_event()
    return _edit(event.organisation, event, kind_key, locale)
