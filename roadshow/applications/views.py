"""Applicant pages (profile, form, status, withdraw), deck downloads and the organizer's list,
detail, exports and statistics. Thin: load, check access, call a service, commit once."""

from __future__ import annotations

import io
import re
import secrets
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_skeleton
from babel.lists import format_list
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from roadshow import countries
from roadshow.access import deny, public, requires
from roadshow.accounts.roles import Role
from roadshow.accounts.views import safe_next
from roadshow.applications import (
    exceptions,
    exports,
    figures,
    files,
    organizer_list,
    policy,
    profiles,
    submission,
    uploads,
)
from roadshow.applications.forms import (
    DEGREE_LABELS,
    SORT_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    ApplicationForm,
    ProfileForm,
    country_names,
    form_class_for,
    plain_number,
    to_decimal,
)
from roadshow.applications.models import Application, ApplicationAnswer, ApplicationStatus
from roadshow.districts.models import District
from roadshow.events import services as event_services
from roadshow.events.models import Event, QuestionKind
from roadshow.extensions import db
from roadshow.i18n import current_locale_code, localized

bp = Blueprint("applications", __name__)


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    limit = uploads.deck_max_bytes()
    return {"my_application": _my_application,
            "status_labels": STATUS_LABELS, "stage_labels": STAGE_LABELS,
            "degree_labels": DEGREE_LABELS, "country_name": _country_name,
            "max_deck_bytes": limit, "plain_number": plain_number, "max_deck_mb": limit // (1024 * 1024)}


def _my_application(event: Event | None) -> Application | None:
    """The signed-in applicant's application to ``event`` (for the dashboard card)."""
    if event is None or not current_user.is_authenticated or current_user.role != Role.APPLICANT:
        return None
    return submission.application_for(db.session, event, current_user)


def _country_name(code: str | None) -> str:
    if not code:
        return ""
    return country_names().get(code, code)


def _in_reader_order(codes: list[str]) -> list[str]:
    """Country codes ordered by their names as the reader sorts them (pinyin in Chinese)."""
    locale = current_locale_code()
    return sorted(codes, key=lambda code: countries.sort_key(_country_name(code), locale))


def _refusal_message(reason: str, refused: files.FileRefusedError | None = None) -> str:
    limit_mb = uploads.deck_max_bytes() // (1024 * 1024)
    if reason == "page_size" and refused is not None and refused.size is not None:
        width_cm, height_cm = (format_decimal(points / 72 * 2.54, format="0.#")
                               for points in refused.size)
        return _("Page %(page)s of this PDF measures %(width)s × %(height)s cm, which is not a "
                 "page size we can show (too small, too large or too narrow). Please export your "
                 "deck with ordinary slide or paper pages, such as 16:9 or A4, and upload it again.",
                 page=refused.page, width=width_cm, height=height_cm)
    if reason == "too_many_pages" and refused is not None and refused.pages is not None:
        return _("This PDF has %(count)s pages; at most %(most)s are accepted. Please upload "
                 "a shorter version.", count=format_decimal(refused.pages),
                 most=format_decimal(files.MAX_PDF_PAGES))
    return {
        "empty": _("The file is empty. Please choose your file again."),
        "too_large": _("The file is larger than %(mb)s MB. Please reduce it (for example, "
                       "export the PDF with compressed images) and upload it again.", mb=limit_mb),
        "not_allowed": _("This file is not a PDF or PowerPoint presentation. Please upload your "
                         "pitch deck as a PDF."),
        "damaged": _("This file looks like a PDF but cannot be read; it may be damaged. Please "
                     "export it again as a PDF and upload it."),
        "encrypted": _("This PDF is protected by a password. Please upload a copy without a password."),
        "page_size": _("A page of this PDF is too small, too large or too narrow to show. Please "
                       "export your deck with ordinary slide or paper pages and upload it again."),
    }.get(reason, _("The file could not be accepted."))


MISSING_FIELD = {"title": "title_en", "summary": "summary", "track": "track", "stage": "stage",
                 "team_size": "team_size", "deck": "deck"}


# --- applicant ----------------------------------------------------------------------------

@bp.route("/apply/profile", methods=["GET", "POST"])
@requires("applications.apply")
def profile() -> str | Response:
    existing = profiles.profile_of(db.session, current_user)
    form = ProfileForm(obj=existing)
    form.set_choices()
    if not form.is_submitted() and existing is None:
        form.name_latin.data = current_user.name
        form.name_chinese.data = current_user.name_native or ""
    if form.validate_on_submit():
        profiles.save_profile(db.session, current_user,
                              {name: getattr(form, name).data for name in profiles.PROFILE_FIELDS})
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(safe_next(request.args.get("next")) if request.args.get("next")
                        else url_for("applications.mine"))
    if form.is_submitted():
        flash(_("Please correct the fields marked below; nothing you typed was lost."), "danger")
    return render_template("applications/profile.html", form=form)


@bp.route("/apply")
@requires("applications.apply")
def apply_current() -> Response:
    event = event_services.current_event(db.session)
    if event is None:
        flash(_("There is no open call for projects at the moment."), "info")
        return redirect(url_for("core.dashboard"))
    return redirect(url_for("applications.form", event_id=event.id))


def _published_event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not event.published:
        abort(404)
    return event


def _fill(form: ApplicationForm, application: Application) -> None:
    for name in ("title_en", "title_zh", "summary", "team_size", "funding_sought_cny",
                 "support_sought", "video_url"):
        getattr(form, name).data = getattr(application, name)
    form.track.data = str(application.track_id) if application.track_id else ""
    form.stage.data = application.stage.value if application.stage else ""
    form.districts.data = [d.id for d in application.districts]
    for answer in application.answers:
        name = f"q_{answer.question_id}"
        if name not in form:
            continue
        if answer.question.kind == QuestionKind.NUMBER:
            form[name].data = to_decimal(plain_number(answer.number_value))
        elif answer.question.kind != QuestionKind.FILE:
            form[name].data = answer.text_value


def _data(form: ApplicationForm, event: Event) -> submission.ProjectData:
    """What passed validation; a field with an error keeps its stored value."""
    ok = lambda name: not form[name].errors  # noqa: E731
    data = submission.ProjectData()
    for name in ("title_en", "title_zh", "summary", "support_sought", "video_url"):
        if ok(name):
            setattr(data, name, form[name].data or "")
    if ok("track"):
        data.track_id = int(form.track.data) if (form.track.data or "").isdigit() else None
    if ok("stage"):
        data.stage = form.stage.data if form.stage.data in STAGE_LABELS else None
    if ok("team_size"):
        data.team_size = form.team_size.data
    if ok("funding_sought_cny"):
        data.funding_sought_cny = form.funding_sought_cny.data
    if ok("districts"):
        data.district_ids = list(form.districts.data or [])
    for question in event.questions:
        name = f"q_{question.id}"
        if question.kind == QuestionKind.FILE or not ok(name):
            continue
        value = form[name].data
        data.answers[question.id] = to_decimal(value) if question.kind == QuestionKind.NUMBER else (value or "")
    return data


def _uploads(form: ApplicationForm, event: Event, application: Application) -> bool:
    """Store the deck and file answers sent with the form; False when one was refused."""
    accepted = True
    upload = request.files.get("deck")
    if upload and upload.filename:
        upload.stream.seek(0)
        try:
            uploads.attach_deck(db.session, current_user, application, upload.filename, upload.read())
        except files.FileRefusedError as refused:
            form.deck.errors = [_refusal_message(refused.reason, refused)]
            accepted = False
    for question in event.questions:
        if question.kind != QuestionKind.FILE:
            continue
        upload = request.files.get(f"q_{question.id}")
        if upload and upload.filename:
            try:
                uploads.attach_answer_file(db.session, current_user, application, question,
                                            upload.filename, upload.read())
            except files.FileRefusedError as refused:
                message = _refusal_message(refused.reason, refused)
                if refused.reason == "not_allowed":
                    message = _("Please upload a PDF, PNG or JPEG file.")
                form[f"q_{question.id}"].errors = [message]
                accepted = False
    return accepted


def _mark_missing(form: ApplicationForm, missing: list[str]) -> list[str]:
    """Put 'needed to submit' on the fields; returns the parts that have no field here."""
    elsewhere = []
    for part in missing:
        name = MISSING_FIELD.get(part) or (f"q_{part.split(':', 1)[1]}" if part.startswith("question:") else None)
        if name and name in form:
            if form[name].errors:  # its own error (off the range, not a PDF) already says what to do
                continue
            message = (_("Please upload your pitch deck to submit.") if part == "deck"
                       else _("This is needed to submit."))
            form[name].errors = list(form[name].errors) + [message]
        else:
            elsewhere.append(part)
    return elsewhere


def _what_to_complete(missing: list[str], field_errors: bool) -> str:
    """What still stops a submission, for the message at the top of the form: the fields
    marked below, the applicant profile (which is on its own page, so its fields are named),
    or both."""
    on_form = field_errors or any(part != "profile" for part in missing)
    if "profile" not in missing:
        return _("please complete the fields marked below.")
    profile_form = ProfileForm(formdata=None, meta={"csrf": False})
    gaps = profiles.profile_missing(profiles.profile_of(db.session, current_user))
    labels = format_list([str(profile_form[name].label.text) for name in gaps if name in profile_form],
                         locale=get_locale())
    if on_form:
        return _("please complete the fields marked below, and in your applicant profile: "
                 "%(fields)s.", fields=labels)
    return _("your applicant profile is incomplete. Please fill in %(fields)s in your profile "
             "(the link is below), then submit again.", fields=labels)


@bp.route("/apply/<int:event_id>", methods=["GET", "POST"])
@requires("applications.apply")
def form(event_id: int) -> str | Response:
    event = _published_event(event_id)
    application = submission.application_for(db.session, event, current_user)
    form = form_class_for(event)()
    form.set_choices(event)
    call_open = event_services.call_is_open(event)
    profile = profiles.profile_of(db.session, current_user)
    profile_gaps = profiles.profile_missing(profile)
    status = 200
    if not form.is_submitted():
        if application is not None:
            _fill(form, application)
            form.version.data = str(application.version)
        form.form_token.data = secrets.token_urlsafe(16)
        return render_template("applications/form.html", form=form, event=event,
                               application=application, call_open=call_open,
                               profile_gaps=profile_gaps)

    action = request.form.get("action", "save")
    form.validate()
    if "csrf_token" in form.errors:
        flash(_("Your form expired. Nothing you typed was lost: please press the button again."), "warning")
        form.form_token.data = secrets.token_urlsafe(16)
        return render_template("applications/form.html", form=form, event=event,
                               application=application, call_open=call_open,
                               profile_gaps=profile_gaps), 400
    if not call_open:
        if event_services.phase_info(event).call_upcoming:
            flash(_("The call for projects has not opened yet: nothing can be saved before it "
                    "opens. What you typed is still shown below."), "warning")
        else:
            flash(_("The call for projects is closed: changes can no longer be saved. "
                    "What you typed is still shown below."), "danger")
        return render_template("applications/form.html", form=form, event=event,
                               application=application, call_open=False,
                               profile_gaps=profile_gaps), 409
    token = form.form_token.data or ""
    application = submission.start(db.session, event, current_user)
    missing: list[str] = []
    sent_version = form.version.data or ""
    if (sent_version.isdigit() and int(sent_version) != application.version
            and application.last_form_token != token):
        flash(_("This application was changed in another window meanwhile. What you typed is "
                "still below: please check it and save again."), "warning")
        form.version.data = str(application.version)
        form.form_token.data = secrets.token_urlsafe(16)
        return render_template("applications/form.html", form=form, event=event,
                               application=application, call_open=call_open,
                               profile_gaps=profile_gaps), 409
    try:
        if not submission.save(db.session, current_user, application, _data(form, event),
                             form_token=token):
            db.session.rollback()  # the same form again (a double click): already done
            return redirect(url_for("applications.status", application_id=application.id))
        uploads_ok = _uploads(form, event, application)
        field_errors = bool(form.errors) or not uploads_ok
        was_submitted = application.status == ApplicationStatus.SUBMITTED
        if was_submitted or action == "submit":
            missing = submission.completeness(db.session, application)
        if was_submitted and missing:
            db.session.rollback()
            flash(_("Your changes were not saved: a submitted application must stay complete: "
                    "%(what)s", what=_what_to_complete(missing, field_errors)), "danger")
            status = 422
        elif was_submitted:
            if not field_errors:
                submission.notify_updated(db.session, application)
            db.session.commit()
        elif action == "submit" and not missing and not field_errors:
            submission.submit(db.session, current_user, application, form_token=token)
            db.session.commit()
        else:
            db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash(_("This application was changed in another window meanwhile. What you typed is "
                "still below: please check it and save again."), "warning")
        status = 409
    except exceptions.CallClosedError:
        db.session.rollback()
        flash(_("The call for projects is closed: changes can no longer be saved."), "danger")
        status = 409
    else:
        if status != 200:
            pass
        elif action == "submit" and not was_submitted and (missing or field_errors):
            flash(_("Your draft is saved, but it cannot be submitted yet: %(what)s",
                    what=_what_to_complete(missing, field_errors)), "warning")
            status = 422
        elif field_errors:
            flash(_("Your other answers are saved. Please correct the fields marked below."), "warning")
            status = 422
        elif action == "submit" and not was_submitted:
            flash(_("Your application is submitted. We sent you a confirmation by email."), "success")
            return redirect(url_for("applications.status", application_id=application.id))
        elif was_submitted:
            flash(_("Your changes are saved; your application stays submitted."), "success")
            return redirect(url_for("applications.status", application_id=application.id))
        else:
            flash(_("Your draft is saved. You can come back and finish it before the close."), "success")
            return redirect(url_for("applications.form", event_id=event.id))
    missing_elsewhere = _mark_missing(form, missing)
    form.form_token.data = secrets.token_urlsafe(16)
    application = submission.application_for(db.session, event, current_user)
    form.version.data = str(application.version) if application else ""
    return render_template("applications/form.html", form=form, event=event,
                           application=application, call_open=call_open,
                           profile_gaps=profiles.profile_missing(profiles.profile_of(db.session, current_user)),
                           missing_elsewhere=missing_elsewhere), status


def _own_application(application_id: int) -> Application:
    application = db.session.get(Application, application_id)
    if application is None or application.applicant_id != current_user.id:
        abort(404)
    return application


@bp.route("/applications/mine")
@requires("applications.apply")
def mine() -> str:
    return render_template("applications/mine.html",
                           applications=submission.applications_of(db.session, current_user),
                           event=event_services.current_event(db.session),
                           profile=profiles.profile_of(db.session, current_user))


@bp.route("/applications/<int:application_id>")
@requires("applications.apply")
def status(application_id: int) -> str:
    application = _own_application(application_id)
    return render_template("applications/status.html", application=application,
                           event=application.event,
                           call_open=event_services.call_is_open(application.event),
                           missing=submission.completeness(db.session, application))


@bp.route("/applications/<int:application_id>/withdraw", methods=["POST"])
@requires("applications.apply")
def withdraw(application_id: int) -> Response:
    application = _own_application(application_id)
    if application.status == ApplicationStatus.WITHDRAWN:
        return redirect(url_for("applications.status", application_id=application.id))
    try:
        submission.withdraw(db.session, current_user, application)
        db.session.commit()
    except exceptions.NotAllowedError:
        flash(_("This application can no longer be withdrawn."), "danger")
    else:
        flash(_("Your application is withdrawn. We sent you a confirmation by email."), "info")
    return redirect(url_for("applications.status", application_id=application.id))


# --- files --------------------------------------------------------------------------------

def _readable(application_id: int) -> Application:
    """The application if the signed-in user may read its files; 404 or 403 otherwise."""
    application = db.session.get(Application, application_id)
    if application is None or not current_user.is_authenticated:
        abort(404)
    if not policy.may_read_deck(db.session, current_user, application):
        if current_user.role == Role.APPLICANT:
            abort(404)  # another applicant's application: its existence does not leak
        deny(f"may not read the files of application {application.id}")
    return application


def _download(store: files.FileStore, stored_name: str, content_type: str, name: str) -> Response:
    try:
        path = store.path(stored_name)
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(io.BytesIO(path.read_bytes()), mimetype=content_type, as_attachment=True,
                         download_name=name, max_age=0, etag=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/applications/<int:application_id>/deck")
@public
def deck(application_id: int) -> Response:
    application = _readable(application_id)
    current = application.deck
    if current is None:
        abort(404)
    return _download(uploads.deck_store(), current.stored_name, current.content_type,
                     current.original_name)


@bp.route("/applications/<int:application_id>/deck/preview.png")
@public
def deck_preview(application_id: int) -> Response:
    application = _readable(application_id)
    current = application.deck
    if current is None:
        abort(404)
    path = uploads.deck_store().thumbnail_path(current.stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(io.BytesIO(path.read_bytes()), mimetype="image/png", max_age=0, etag=False)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/applications/<int:application_id>/files/<int:question_id>")
@public
def answer_file(application_id: int, question_id: int) -> Response:
    application = _readable(application_id)
    answer = db.session.scalar(db.select(ApplicationAnswer).where(
        ApplicationAnswer.application_id == application.id, ApplicationAnswer.question_id == question_id))
    if answer is None or not answer.file_stored_name:
        abort(404)
    return _download(uploads.answer_store(), answer.file_stored_name, answer.file_content_type,
                     answer.file_original_name)


# --- organizers ---------------------------------------------------------------------------

def _list_query(event: Event) -> organizer_list.ListQuery:
    args = request.args

    def integer(name: str) -> int | None:
        value = args.get(name, "")
        return int(value) if value.isdigit() else None

    status = args.get("status", "")
    return organizer_list.ListQuery(
        event_id=event.id, q=args.get("q", "")[:200],
        track_id=integer("track"), country=args.get("country", "")[:2],
        status=status if status in STATUS_LABELS else "",
        district_id=integer("district"),
        sort=args.get("sort", "newest") if args.get("sort") in organizer_list.SORTS else "newest",
        page=integer("page") or 1,
    )


def _organizer_event() -> Event:
    value = request.args.get("event", "")
    event = db.session.get(Event, int(value)) if value.isdigit() else event_services.current_event(db.session)
    if event is None:
        abort(404)
    return event


@bp.route("/organizer/applications")
@requires("applications.view_all")
def manage() -> str:
    event = _organizer_event()
    query = _list_query(event)
    page = organizer_list.search(db.session, query)
    args = {k: v for k, v in request.args.items() if k not in ("page", "event") and v}
    args["event"] = event.id
    return render_template("applications/manage.html", event=event, page=page, query=query,
                           args=args, countries=_in_reader_order(organizer_list.countries_in(db.session, event.id)),
                           sorts=SORT_LABELS)


@bp.route("/organizer/applications/<int:application_id>")
@requires("applications.view_all")
def detail(application_id: int) -> str:
    application = db.session.get(Application, application_id)
    if application is None:
        abort(404)
    return render_template("applications/detail.html", application=application,
                           event=application.event,
                           profile=profiles.profile_of(db.session, application.applicant))


def _every_day(counts: list[tuple[date, int]]) -> list[tuple[str, int]]:
    """Counts per day from the first to the last, days without any included, short labels."""
    if not counts:
        return []
    known = dict(counts)
    first, last = counts[0][0], counts[-1][0]
    locale = Locale.parse(current_locale_code())
    return [(format_skeleton("MMMd", first + timedelta(days=i), locale=locale),
             known.get(first + timedelta(days=i), 0))
            for i in range((last - first).days + 1)]


def _export_name(event: Event, extension: str) -> str:
    """``applications-<event>-20261122-1213-Asia-Shanghai.csv``: the time in the event's zone,
    which the name gives (its slash made a hyphen, so the name stays a file name)."""
    stamp = datetime.now(ZoneInfo(event.timezone)).strftime("%Y%m%d-%H%M")
    zone = re.sub(r"[^A-Za-z0-9_+-]", "-", event.timezone)
    return f"applications-{event.slug}-{stamp}-{zone}.{extension}"


def _export_rows(event: Event) -> list[list[Any]]:
    """The rows for the filters in the request, named in the reader's language."""
    tracks = {t.code: localized(t, "name") for t in event.tracks}
    districts = {d.code: localized(d, "name") for d in db.session.scalars(db.select(District))}
    return exports.localize(organizer_list.export_rows(db.session, _list_query(event), event.timezone),
                            tracks, districts)


@bp.route("/organizer/applications/export.csv")
@requires("applications.view_all")
def export_csv() -> Response:
    event = _organizer_event()
    rows = _export_rows(event)
    return Response(exports.to_csv(exports.headers(event.timezone), rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{_export_name(event, "csv")}"'},
                    content_type="text/csv; charset=utf-8")


@bp.route("/organizer/applications/export.xlsx")
@requires("applications.view_all")
def export_xlsx() -> Response:
    event = _organizer_event()
    rows = _export_rows(event)
    return Response(exports.to_xlsx(exports.headers(event.timezone), rows, _("Project applications")),
                    mimetype=exports.XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{_export_name(event, "xlsx")}"'})


@bp.route("/organizer/applications/statistics")
@requires("applications.view_all")
def statistics() -> str:
    event = _organizer_event()
    stats = figures.statistics(db.session, event)
    tracks = {t.id: t for t in event.tracks}
    districts = {d.id: d for d in db.session.scalars(db.select(District))}
    funnel_labels = {"started": _("Started"), "submitted": _("Submitted"),
                     "in_play": _("In play (not withdrawn)"), "finalist": _("Finalists")}
    return render_template(
        "applications/statistics.html", event=event, total=stats.total_received,
        funnel=[(funnel_labels[k], n) for k, n in stats.funnel],
        by_track=[(localized(tracks[t], "name") if t in tracks else _("No track"), n)
                  for t, n in stats.by_track],
        by_country=[(_country_name(c) or _("Unknown"), n) for c, n in stats.by_country],
        by_district=[(localized(districts[d], "name"), n) for d, n in stats.by_district if d in districts],
        by_day=_every_day(stats.by_day),
    )
