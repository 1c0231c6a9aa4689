"""The applicant's pages besides the form: the profile, choosing a call, their applications,
an application's status and withdrawing it."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from roadshow.access import requires
from roadshow.accounts.views import safe_next
from roadshow.applications import exceptions, profiles, submission
from roadshow.applications.blueprint import bp
from roadshow.applications.forms import ProfileForm
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.events import services as event_services
from roadshow.extensions import db


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

