"""The applicant's pages besides the form: the profile and their applications (one account,
every event of every office), choosing among the open calls, an application's status and
withdrawing it (under its event, ``/e/<slug>/applications/<id>``)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from roadshow.access import grants_in_events, requires, user_may
from roadshow.accounts.views import safe_next
from roadshow.applications import exceptions, profiles, submission
from roadshow.applications.blueprint import application_or_404, bp
from roadshow.applications.forms import ProfileForm
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.events import services as event_services
from roadshow.events.scope import E
from roadshow.extensions import db


@bp.route("/apply/profile", methods=["GET", "POST"])
@requires("account.use")  # any account may apply; judges and recruiters too
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
@requires("account.use")  # any account may apply; judges and recruiters too
def apply_current() -> str | Response:
    """The open calls of every office to choose from; straight to the form when there is one."""
    found = _calls_open_to_me()
    if not found:
        flash(_("There is no open call for projects at the moment."), "info")
        return redirect(url_for("core.dashboard"))
    if len(found) == 1:
        return redirect(url_for("applications.form", event_slug=found[0].slug))
    mine = {application.event_id: application
            for application in submission.applications_of(db.session, current_user)}
    return render_template("applications/choose.html", calls=found, mine=mine)


def _calls_open_to_me() -> list[Any]:
    """The open calls the signed-in person may answer: not those of events they work in as
    staff (an organizer, judge or recruiter there does not apply to it)."""
    found = event_services.open_calls(db.session)
    grants_in_events(found)  # in one go; user_may reads them from the request's memo
    return [event for event in found if user_may("applications.apply", event)]


def _own_application(application_id: int) -> Application:
    """The signed-in applicant's own application of the URL's event; 404 for anyone else's."""
    application = application_or_404(application_id)
    if application.applicant_id != current_user.id:
        abort(404)
    return application


@bp.route("/applications/mine")
@requires("account.use")  # any account may apply; judges and recruiters too
def mine() -> str:
    """Every application of the account, to every event of every office, and the open calls it
    has not answered yet."""
    applications = submission.applications_of(db.session, current_user)
    applied = {application.event_id for application in applications}
    return render_template("applications/mine.html", applications=applications,
                           calls=[e for e in _calls_open_to_me() if e.id not in applied],
                           profile=profiles.profile_of(db.session, current_user))


@bp.route(f"{E}/applications/<int:application_id>")
@requires("applications.apply")
def status(application_id: int) -> str:
    application = _own_application(application_id)
    return render_template("applications/status.html", application=application,
                           event=application.event,
                           call_open=event_services.call_is_open(application.event),
                           missing=submission.completeness(db.session, application))


@bp.route(f"{E}/applications/<int:application_id>/withdraw", methods=["POST"])
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
