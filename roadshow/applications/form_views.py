"""The application form: filling it from a stored application, saving what passed validation,
the uploads sent with it, and saying what still stops a submission."""

from __future__ import annotations

import secrets

from babel.lists import format_list
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from roadshow.access import requires
from roadshow.applications import (
    exceptions,
    files,
    policy,
    profiles,
    submission,
    talent_pool,
    uploads,
)
from roadshow.applications.blueprint import bp, this_event
from roadshow.applications.forms import (
    STAGE_LABELS,
    ApplicationForm,
    ProfileForm,
    form_class_for,
    plain_number,
    to_decimal,
)
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.events import services as event_services
from roadshow.events.models import Event, QuestionKind
from roadshow.events.scope import E
from roadshow.extensions import db
from roadshow.i18n import localized
from roadshow.talent.consent import Wording, pool_wording


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


@bp.app_template_global("talent_pool_wording")
def talent_pool_wording(event: Event) -> Wording:
    """What an applicant agrees to by ticking "Add me to the talent pool", in both languages."""
    return pool_wording(event.organisation.name_zh, event.organisation.name_en)


MISSING_FIELD = {"title": "title_en", "summary": "summary", "track": "track", "stage": "stage",
                 "team_size": "team_size", "deck": "deck"}


def _published_event() -> Event:
    """The URL's event, if it is published (its staff, who could see a draft, never apply)."""
    event = this_event()
    if not event.published:
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
    if policy.is_registration(event):  # a registration asks no project: only the questions
        _answers(form, event, data)
        return data
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
    _answers(form, event, data)
    return data


def _answers(form: ApplicationForm, event: Event, data: submission.ProjectData) -> None:
    for question in event.questions:
        name = f"q_{question.id}"
        if question.kind == QuestionKind.FILE or form[name].errors:
            continue
        value = form[name].data
        data.answers[question.id] = to_decimal(value) if question.kind == QuestionKind.NUMBER else (value or "")


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


@bp.route(f"{E}/apply", methods=["GET", "POST"])
@requires("applications.apply")
def form() -> str | Response:
    event = _published_event()
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
            if form.join_pool.data and talent_pool.join_after_submission(
                    db.session, current_user, event):
                flash(_("You are in the talent pool of %(office)s; you can see, correct or "
                        "withdraw your record under \"My talent pool records\".",
                        office=localized(event.organisation, "name")), "success")
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
            return redirect(url_for("applications.form"))
    missing_elsewhere = _mark_missing(form, missing)
    form.form_token.data = secrets.token_urlsafe(16)
    application = submission.application_for(db.session, event, current_user)
    form.version.data = str(application.version) if application else ""
    return render_template("applications/form.html", form=form, event=event,
                           application=application, call_open=call_open,
                           profile_gaps=profiles.profile_missing(profiles.profile_of(db.session, current_user)),
                           missing_elsewhere=missing_elsewhere), status

