"""Event pages (issue 13): the public page and the organizer's pages of one event under
``/e/<slug>/`` (edit, phases, questions, copy, archive), and an office's events under
``/o/<org>/events`` (the list, a new event of a kind with its stage switches, a joint event with
``?alliance=<slug>``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from roadshow.access import public, requires, user_may
from roadshow.accounts.signals import signup_status
from roadshow.core.actions import act
from roadshow.db import utcnow
from roadshow.events import phases, services
from roadshow.events.copying import CopyData, copy_event
from roadshow.events.dateshift import local_day
from roadshow.events.forms import CopyForm, EventForm, PhaseControlForm, QuestionForm
from roadshow.events.kinds import EventKind, default_stages
from roadshow.events.labels import (
    PHASE_LABELS,
    QUESTION_KIND_LABELS,
    STAGE_LABELS,
    error_text,
    kind_label,
    phase_label,
    state_label,
)
from roadshow.events.loaders import of_event_or_404, this_event, this_organisation
from roadshow.events.models import Event, EventQuestion
from roadshow.events.scope import E, O
from roadshow.events.todos import Todo
from roadshow.extensions import db
from roadshow.i18n import common_timezones, is_valid_timezone, localized
from roadshow.organisations.models import Alliance

#: the years a phase may be entered in
PHASE_YEARS = (2000, 2100)

bp = Blueprint("events", __name__)


@signup_status.connect
def _signup_status(_sender: Any, **_kwargs: Any) -> services.SignupClosed | None:
    """Applicants sign up while any office's published event has its call open or to come."""
    return services.signup_closed(db.session)


def todo_url(todo: Todo, event: Event) -> str | None:
    """Where a dashboard to-do of ``event`` is done (None when its page is not installed)."""
    if todo.endpoint not in current_app.view_functions:
        return None
    values = dict(todo.url_values)
    if current_app.url_map.is_endpoint_expecting(todo.endpoint, "event_slug"):
        values["event_slug"] = event.slug
    return url_for(todo.endpoint, **values)


def event_url_for(endpoint: str, event: Event, **values: Any) -> str:
    """``url_for(endpoint)`` for a page of ``event`` named by its slug (``/e/<slug>/...``); a
    page still addressed by the event's id gets the id."""
    url_map = current_app.url_map
    if url_map.is_endpoint_expecting(endpoint, "event_slug"):
        values["event_slug"] = event.slug
    elif url_map.is_endpoint_expecting(endpoint, "event_id"):
        values["event_id"] = event.id
    return url_for(endpoint, **values)


def event_home_url(event: Event) -> str:
    """Where a person goes into an event: its management page for organizers, else its page."""
    if user_may("events.manage", event):
        return url_for("events.manage", event_slug=event.slug)
    return url_for("events.detail", event_slug=event.slug)


@bp.app_context_processor
def _phase_helpers() -> dict[str, Any]:
    return {"event_phase": services.phase_info, "phase_label": phase_label,
            "event_state": services.state_of, "state_label": state_label,
            "kind_label": kind_label, "todo_url": todo_url, "event_home_url": event_home_url,
            "event_url_for": event_url_for}


def _setup(form: EventForm, organisation_id: int, alliance_id: int | None) -> None:
    form.timezone.choices = [(z, z) for z in common_timezones()]
    form.set_kinds()
    form.districts.choices = [
        (d.id, f"{d.name_zh} · {d.name_en}")
        for d in services.selectable_districts(db.session, organisation_id, alliance_id)
    ]


def _fill(form: EventForm, event: Event) -> None:
    """Put an event's values in the form: phase times as wall-clock times in its zone."""
    for name in ("title_zh", "title_en", "description_zh", "description_en", "organizer_name_zh",
                 "organizer_name_en", "online", "venue_zh", "venue_en", "published"):
        getattr(form, name).data = getattr(event, name)
    form.timezone.data = event.timezone
    form.kind.data = event.kind.value
    for stage, sub in form.stage_fields():
        sub.data = event.has_stage(stage)
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


def _save(form: EventForm, event: Event | None, **new: Any) -> Event | None:
    """Save the form's event, or None after putting the errors on the form."""
    data = _data(form)
    if data is None:
        return None
    try:
        return services.save_event(db.session, current_user, data, event, **new)
    except services.EventError as error:
        db.session.rollback()
        target = form.districts if error.key == "district_not_in_organisation" else form.title_en
        target.errors = [*target.errors, error_text(error.key)]
        return None


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
        kind=form.kind.data, stages={stage: bool(sub.data) for stage, sub in form.stage_fields()},
        district_ids=list(form.districts.data or []), tracks=tracks, phases=windows,
    )


@bp.route(f"{O}/events")
@requires("events.manage")
def manage_list() -> str:
    organisation = this_organisation()
    events = services.events_of_organisation(db.session, organisation)
    return render_template("events/manage_list.html", organisation=organisation, events=events,
                           counts=services.application_counts(db.session, [e.id for e in events]))


def _alliance_of_request() -> Alliance | None:
    slug = request.args.get("alliance")
    if not slug:
        return None
    alliance = db.session.scalar(select(Alliance).where(Alliance.slug == slug))
    if alliance is None or not services.is_current_member(db.session, alliance, this_organisation()):
        abort(404)
    return alliance


@bp.route(f"{O}/events/new", methods=["GET", "POST"])
@requires("events.manage")
def create() -> str | Response:
    organisation = this_organisation()
    alliance = _alliance_of_request()
    form = EventForm()
    _setup(form, organisation.id, alliance.id if alliance else None)
    if not form.is_submitted():
        kind = request.args.get("kind", EventKind.ROADSHOW.value)
        kind = kind if kind in {k.value for k in EventKind} else EventKind.ROADSHOW.value
        form.kind.data = kind
        form.timezone.data = organisation.timezone
        form.organizer_name_zh.data, form.organizer_name_en.data = organisation.name_zh, organisation.name_en
        for stage, on in default_stages(kind).items():
            getattr(form, f"stage_{stage}").data = on
    if form.validate_on_submit():
        event = _save(form, None, organisation=organisation, alliance=alliance)
        if event is not None:
            db.session.commit()
            flash(_("The event is created."), "success")
            return redirect(url_for("events.manage", event_slug=event.slug))
    if form.is_submitted():
        flash(_("Please correct the fields marked below; nothing you typed was lost."), "danger")
    return render_template("events/form.html", form=form, event=None, organisation=organisation,
                           alliance=alliance, stage_labels=STAGE_LABELS)


@bp.route(f"{E}/edit", methods=["GET", "POST"])
@requires("events.manage")
def edit() -> str | Response:
    event = this_event()
    form = EventForm()
    _setup(form, event.organisation_id, event.alliance_id)
    if not form.is_submitted():
        _fill(form, event)
    elif form.validate_on_submit() and _save(form, event) is not None:
        db.session.commit()
        flash(_("The event is saved."), "success")
        return redirect(url_for("events.manage", event_slug=event.slug))
    if form.is_submitted():
        flash(_("Please correct the fields marked below; nothing you typed was lost."), "danger")
    return render_template("events/form.html", form=form, event=event, organisation=event.organisation,
                           alliance=event.alliance, stage_labels=STAGE_LABELS)


@bp.route(f"{E}/manage", methods=["GET", "POST"])
@requires("events.manage")
def manage() -> str | Response:
    event = this_event()
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
        return redirect(url_for("events.manage"))
    return render_template("events/manage.html", event=event, form=form,
                           info=services.phase_info(event), phase_labels=PHASE_LABELS,
                           state=services.state_of(event),
                           count=services.application_counts(db.session, [event.id]).get(event.id, 0))


@bp.route(f"{E}/questions", methods=["GET", "POST"])
@requires("events.manage")
def questions() -> str | Response:
    event = this_event()
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
            return redirect(url_for("events.questions"))
    return render_template("events/questions.html", event=event, form=form,
                           kind_labels=QUESTION_KIND_LABELS)


@bp.route(f"{E}/questions/<int:question_id>/delete", methods=["POST"])
@requires("events.manage")
def delete_question(question_id: int) -> Response:
    question = of_event_or_404(EventQuestion, question_id)
    services.delete_question(db.session, current_user, question)
    db.session.commit()
    flash(_("The question is removed, with its answers."), "info")
    return redirect(url_for("events.questions"))


def _copy_defaults(form: CopyForm, event: Event) -> None:
    phase = services.main_phase(event)
    day = local_day(phase.starts_at, event.timezone) if phase else utcnow().date()
    try:
        next_year = day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        next_year = day.replace(year=day.year + 1, day=28)
    form.title_zh.data, form.title_en.data = event.title_zh, event.title_en
    form.slug.data = services.unique_slug(db.session, f"{event.slug[:54]}-{next_year.year}")
    form.kind.data = event.kind.value
    form.main_day.data = next_year
    form.timezone.data = event.timezone


@bp.route(f"{E}/copy", methods=["GET", "POST"])
@requires("events.manage")
def copy() -> str | Response:
    event = this_event()
    form = CopyForm()
    form.set_kinds()
    form.timezone.choices = [(z, z) for z in common_timezones()]
    if not form.is_submitted():
        _copy_defaults(form, event)
    elif form.validate_on_submit():
        if not is_valid_timezone(form.timezone.data or ""):
            form.timezone.errors = [_("Please choose a time zone from the list.")]
        elif not PHASE_YEARS[0] <= form.main_day.data.year <= PHASE_YEARS[1]:
            form.main_day.errors = [_("Enter a year between %(first)d and %(last)d.",
                                      first=PHASE_YEARS[0], last=PHASE_YEARS[1])]
        else:
            data = CopyData(title_zh=form.title_zh.data.strip(), title_en=form.title_en.data.strip(),
                            slug=form.slug.data.strip(), kind=form.kind.data,
                            main_day=form.main_day.data, timezone=form.timezone.data)
            try:
                result = copy_event(db.session, current_user, event, data)
            except services.EventError as error:
                db.session.rollback()
                form.slug.errors = [error_text(error.key)]
            else:
                db.session.commit()
                flash(_("The new event is created from %(event)s, unpublished: check its dates and "
                        "publish it when it is ready.", event=localized(event, "title")),
                      "success")
                if result.moved_forward:
                    flash(_("Some times did not exist on the new dates (the clocks skip an hour) and "
                            "moved forward: %(phases)s.",
                            phases=", ".join(phase_label(k) for k in result.moved_forward)), "warning")
                return redirect(url_for("events.manage", event_slug=result.event.slug))
    if form.is_submitted():
        flash(_("Please correct the fields marked below; nothing you typed was lost."), "danger")
    return render_template("events/copy.html", event=event, form=form)


@bp.route(f"{E}/archive", methods=["POST"])
@requires("events.manage")
def archive() -> Response:
    event = this_event()
    return act(lambda: services.archive(db.session, current_user, event), refused=services.EventError,
               say=_refusal, done=_("The event is archived: everything stays readable, nothing can be changed."),
               to=url_for("events.manage"))


@bp.route(f"{E}/unarchive", methods=["POST"])
@requires("events.manage")
def unarchive() -> Response:
    event = this_event()
    return act(lambda: services.unarchive(db.session, current_user, event), refused=services.EventError,
               say=_refusal, done=_("The event is no longer archived and can be changed again."),
               to=url_for("events.manage"))


def _refusal(error: services.EventError) -> str:
    return error_text(error.key)


@bp.route(E)
@public
def detail() -> str:
    event = this_event()
    return render_template("events/detail.html", event=event, manager=user_may("events.manage"))
