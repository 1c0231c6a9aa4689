"""Organizer pages for events (create, edit, phases, questions) and the public event page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import public, requires
from roadshow.accounts.signals import signup_status
from roadshow.districts.models import District
from roadshow.events import phases, services
from roadshow.events.forms import EventForm, PhaseControlForm, QuestionForm
from roadshow.events.labels import PHASE_LABELS, QUESTION_KIND_LABELS, phase_label
from roadshow.events.models import Event, EventQuestion
from roadshow.extensions import db
from roadshow.i18n import common_timezones, is_valid_timezone

#: the years a phase may be entered in
PHASE_YEARS = (2000, 2100)

bp = Blueprint("events", __name__)


def _mail_event() -> Event | None:
    """The event emails of earlier stages (sign-up, invitations) name: the current one."""
    return services.current_event(db.session)


@signup_status.connect
def _signup_status(_sender: Any, **_kwargs: Any) -> services.SignupClosed | None:
    """Applicants sign up while the current event's call is open or still to open."""
    return services.signup_closed(db.session)


@bp.app_context_processor
def _phase_helpers() -> dict[str, Any]:
    return {"event_phase": services.phase_info, "phase_label": phase_label,
            "mail_event": _mail_event}


def _event_or_404(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    return event


def _setup(form: EventForm) -> None:
    form.timezone.choices = [(z, z) for z in common_timezones()]
    form.districts.choices = [
        (d.id, f"{d.name_zh} · {d.name_en}")
        for d in db.session.scalars(db.select(District).order_by(District.id))
    ]


def _fill(form: EventForm, event: Event) -> None:
    """Put an event's values in the form: phase times as wall-clock times in its zone."""
    for name in ("title_zh", "title_en", "description_zh", "description_en", "organizer_name_zh",
                 "organizer_name_en", "online", "venue_zh", "venue_en", "published"):
        getattr(form, name).data = getattr(event, name)
    form.timezone.data = event.timezone
    form.districts.data = [d.id for d in event.districts]
    while len(form.tracks.entries) < len(event.tracks) + 2:
        form.tracks.append_entry()
    for entry, track in zip(form.tracks.entries, event.tracks, strict=False):
        entry.form.code.data, entry.form.name_zh.data, entry.form.name_en.data = (
            track.code, track.name_zh, track.name_en)
    for phase in event.phases:
        sub = getattr(form, phase.kind.value).form
        sub.starts_at.data = phases.utc_to_local(phase.starts_at, event.timezone)
        sub.ends_at.data = phases.utc_to_local(phase.ends_at, event.timezone)


def _data(form: EventForm) -> services.EventData | None:
    """The form's values as EventData, or None after putting errors on the fields."""
    ok = True
    zone = form.timezone.data or ""
    if not is_valid_timezone(zone):
        form.timezone.errors = [_("Please choose a time zone from the list.")]
        return None
    tracks, seen = [], set()
    for entry in form.tracks.entries:
        code = (entry.form.code.data or "").strip()
        zh, en = (entry.form.name_zh.data or "").strip(), (entry.form.name_en.data or "").strip()
        if not (code or zh or en):
            continue
        if not (code and zh and en):
            entry.form.code.errors = [_("A track needs a code and its name in both languages.")]
            ok = False
        elif code in seen:
            entry.form.code.errors = [_("Each track needs its own code.")]
            ok = False
        seen.add(code)
        tracks.append((code, zh, en))
    windows: dict[str, tuple[Any, Any]] = {}
    for kind, sub_field in form.phase_fields():
        sub = sub_field.form
        start, end = sub.starts_at.data, sub.ends_at.data
        if start is None and end is None:
            continue
        if start is None or end is None:
            (sub.starts_at if start is None else sub.ends_at).errors = [
                _("Enter both the start and the end, or neither.")]
            ok = False
            continue
        # a year such as 9999 or 0001 cannot become UTC in every zone (it overflowed into a 400
        # page that lost the whole form); no roadshow phase is that far off
        far = [typed for typed in (sub.starts_at, sub.ends_at)
               if not PHASE_YEARS[0] <= typed.data.year <= PHASE_YEARS[1]]
        for typed in far:
            typed.errors = [_("Enter a year between %(first)d and %(last)d.",
                              first=PHASE_YEARS[0], last=PHASE_YEARS[1])]
        if far:
            ok = False
            continue
        try:
            windows[kind] = (phases.local_to_utc(start, zone), phases.local_to_utc(end, zone))
        except phases.NonexistentLocalTimeError as error:
            target = sub.starts_at if error.local == start else sub.ends_at
            target.errors = [_("%(time)s does not exist in %(zone)s: the clocks skip that hour. "
                               "Please choose another time.", time=error.local.strftime("%Y-%m-%d %H:%M"),
                               zone=zone)]
            ok = False
    if "call" not in windows and ok:
        form.call.form.starts_at.errors = [_("The call for projects needs its dates.")]
        ok = False
    for kind, problem in phases.window_problems(
            [phases.PhaseWindow(k, s, e) for k, (s, e) in windows.items()]):
        sub = getattr(form, kind).form
        if problem == "ends_before_start":
            sub.ends_at.errors = [_("The end must come after the start.")]
        else:
            sub.starts_at.errors = [_("This phase must start after the previous phase ends.")]
        ok = False
    if not ok:
        return None
    return services.EventData(
        title_zh=form.title_zh.data.strip(), title_en=form.title_en.data.strip(),
        description_zh=form.description_zh.data or "", description_en=form.description_en.data or "",
        organizer_name_zh=form.organizer_name_zh.data or "",
        organizer_name_en=form.organizer_name_en.data or "",
        timezone=zone, online=bool(form.online.data), venue_zh=form.venue_zh.data or "",
        venue_en=form.venue_en.data or "", published=bool(form.published.data),
        district_ids=list(form.districts.data or []), tracks=tracks, phases=windows,
    )


@bp.route("/events/manage")
@requires("events.manage")
def manage_list() -> str:
    return render_template("events/manage_list.html",
                           events=services.events_for_organizer(db.session),
                           counts=services.application_counts(db.session))


@bp.route("/events/new", methods=["GET", "POST"])
@requires("events.manage")
def create() -> str | Response:
    form = EventForm()
    _setup(form)
    if not form.is_submitted():
        form.timezone.data = "Asia/Shanghai"
    if form.validate_on_submit():
        data = _data(form)
        if data is not None:
            event = services.save_event(db.session, current_user, data)
            db.session.commit()
            flash(_("The event is created."), "success")
            return redirect(url_for("events.manage", event_id=event.id))
    if form.is_submitted():
        flash(_("Please correct the fields marked below; nothing you typed was lost."), "danger")
    return render_template("events/form.html", form=form, event=None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@requires("events.manage")
def edit(event_id: int) -> str | Response:
    event = _event_or_404(event_id)
    form = EventForm()
    _setup(form)
    if not form.is_submitted():
        _fill(form, event)
    elif form.validate_on_submit():
        data = _data(form)
        if data is not None:
            services.save_event(db.session, current_user, data, event)
            db.session.commit()
            flash(_("The event is saved."), "success")
            return redirect(url_for("events.manage", event_id=event.id))
    if form.is_submitted():
        flash(_("Please correct the fields marked below; nothing you typed was lost."), "danger")
    return render_template("events/form.html", form=form, event=event)


@bp.route("/events/<int:event_id>/manage", methods=["GET", "POST"])
@requires("events.manage")
def manage(event_id: int) -> str | Response:
    event = _event_or_404(event_id)
    form = PhaseControlForm()
    form.set_choices()
    if not form.is_submitted():
        form.override.data = event.phase_override.value if event.phase_override else ""
        form.call_closed_by_hand.data = event.call_closed_by_hand
    elif form.validate_on_submit():
        services.set_phase_control(db.session, current_user, event, form.override.data or None,
                                   bool(form.call_closed_by_hand.data))
        db.session.commit()
        flash(_("The phase is saved."), "success")
        return redirect(url_for("events.manage", event_id=event.id))
    return render_template("events/manage.html", event=event, form=form,
                           info=services.phase_info(event), phase_labels=PHASE_LABELS,
                           count=services.application_counts(db.session).get(event.id, 0))


@bp.route("/events/<int:event_id>/questions", methods=["GET", "POST"])
@requires("events.manage")
def questions(event_id: int) -> str | Response:
    event = _event_or_404(event_id)
    form = QuestionForm()
    form.set_choices()
    if form.validate_on_submit():
        choices_zh, choices_en = (form.choices_zh.data or "").strip(), (form.choices_en.data or "").strip()
        lines_zh = [x for x in choices_zh.splitlines() if x.strip()]
        lines_en = [x for x in choices_en.splitlines() if x.strip()]
        if form.kind.data == "choice" and (len(lines_zh) < 2 or len(lines_zh) != len(lines_en)):
            form.choices_en.errors = [_("A choice question needs at least two options, "
                                        "the same number in both languages.")]
        else:
            services.add_question(db.session, current_user, event, kind=form.kind.data,
                                  prompt_zh=form.prompt_zh.data.strip(),
                                  prompt_en=form.prompt_en.data.strip(),
                                  choices_zh=choices_zh if form.kind.data == "choice" else "",
                                  choices_en=choices_en if form.kind.data == "choice" else "",
                                  required=bool(form.required.data))
            db.session.commit()
            flash(_("The question is added to the application form."), "success")
            return redirect(url_for("events.questions", event_id=event.id))
    return render_template("events/questions.html", event=event, form=form,
                           kind_labels=QUESTION_KIND_LABELS)


@bp.route("/events/<int:event_id>/questions/<int:question_id>/delete", methods=["POST"])
@requires("events.manage")
def delete_question(event_id: int, question_id: int) -> Response:
    question = db.session.get(EventQuestion, question_id)
    if question is None or question.event_id != event_id:
        abort(404)
    services.delete_question(db.session, current_user, question)
    db.session.commit()
    flash(_("The question is removed, with its answers."), "info")
    return redirect(url_for("events.questions", event_id=event_id))


@bp.route("/events/<int:event_id>")
@public
def detail(event_id: int) -> str:
    event = _event_or_404(event_id)
    if not event.published and not (current_user.is_authenticated
                                     and current_user.role.value == "organizer"):
        abort(404)
    return render_template("events/detail.html", event=event)
