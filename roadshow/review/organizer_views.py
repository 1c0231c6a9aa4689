"""The organizer's review pages: the overview, the rubric, the settings, closing the review, the
judges, conflicts of interest, the assignment and one application's review."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from roadshow.access import requires
from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications.models import Application
from roadshow.core.actions import act, attempt
from roadshow.events.loaders import of_event_or_404
from roadshow.events.models import Event
from roadshow.events.scope import E
from roadshow.extensions import db
from roadshow.review import (
    aggregation_and_ranking,
    exceptions,
    finalist_selection,
    judge_assignments,
    judges_and_conflicts,
    judging,
    review_scope,
    settings_and_rubric,
)
from roadshow.review.blueprint import applicant_profile, application_in_review, bp, this_event
from roadshow.review.forms import (
    AssignForm,
    CriterionForm,
    OverrideForm,
    RecordConflictForm,
    SettingsForm,
)
from roadshow.review.judge_views import edit_judge_profile
from roadshow.review.models import LIVE, Assignment, Conflict, Criterion, SeeOtherReviews
from roadshow.scoping import get_in_event

# --- overview, rubric, settings ------------------------------------------------------------

@bp.route(f"{E}/review/")
@requires("review.manage")
def overview() -> str:
    event = this_event()
    settings = settings_and_rubric.get_settings(db.session, event)
    loads, short = judge_assignments.load_report(db.session, event)
    rows = aggregation_and_ranking.ranking(db.session, event)
    assigned = sum(load.assigned for load in loads)
    submitted = sum(load.submitted for load in loads)
    db.session.commit()
    return render_template(
        "review/overview.html", event=event, settings=settings, criteria=settings_and_rubric.rubric(db.session, event.id),
        applications=len(rows), assigned=assigned, submitted=submitted, short=short,
        ranked=sum(1 for r in rows if r.aggregate), finalists=sum(1 for r in rows if r.decision and r.decision.selected),
        progress=finalist_selection.send_progress(db.session, event),
        conflicts=sum(load.conflicts for load in loads),
    )


@bp.route(f"{E}/review/rubric")
@requires("review.manage")
def rubric() -> str:
    event = this_event()
    criteria = settings_and_rubric.rubric(db.session, event.id)
    total_weight = sum(c.weight for c in criteria) or 1
    return render_template("review/rubric.html", event=event, criteria=criteria, total_weight=total_weight)


@bp.route(f"{E}/review/rubric/standard", methods=["POST"])
@requires("review.manage")
def rubric_standard() -> Response:
    event = this_event()
    return act(lambda: settings_and_rubric.add_standard_rubric(db.session, current_user, event),
               done=lambda added: ngettext("%(n)s criterion added from the standard rubric.",
                                           "%(n)s criteria added from the standard rubric.", len(added), n=len(added)),
               to=url_for("review.rubric"))


@bp.route(f"{E}/review/rubric/new", methods=["GET", "POST"])
@bp.route(f"{E}/review/rubric/<int:criterion_id>/edit", methods=["GET", "POST"])
@requires("review.manage")
def criterion_edit(criterion_id: int | None = None) -> str | Response:
    event = this_event()
    criterion = None
    if criterion_id is not None:
        criterion = of_event_or_404(Criterion, criterion_id, event)
    form = CriterionForm(obj=criterion)
    if form.validate_on_submit() and attempt(
            lambda: settings_and_rubric.save_criterion(db.session, current_user, event, form.data, criterion),
            refused=exceptions.ReviewError).ok:
        flash(_("The criterion was saved; review totals were recomputed."), "success")
        return redirect(url_for("review.rubric"))
    return render_template("review/criterion_form.html", form=form, criterion=criterion, event=event)


@bp.route(f"{E}/review/rubric/<int:criterion_id>/delete", methods=["POST"])
@requires("review.manage")
def criterion_delete(criterion_id: int) -> Response:
    event = this_event()
    criterion = of_event_or_404(Criterion, criterion_id, event)
    return act(lambda: settings_and_rubric.delete_criterion(db.session, current_user, criterion),
               done=_("The criterion was removed; review totals were recomputed."), to=url_for("review.rubric"))


@bp.route(f"{E}/review/rubric/<int:criterion_id>/move", methods=["POST"])
@requires("review.manage")
def criterion_move(criterion_id: int) -> Response:
    event = this_event()
    criterion = of_event_or_404(Criterion, criterion_id, event)
    settings_and_rubric.move_criterion(db.session, current_user, criterion, -1 if request.form.get("direction") == "up" else 1)
    db.session.commit()
    return redirect(url_for("review.rubric"))


@bp.route(f"{E}/review/settings", methods=["GET", "POST"])
@requires("review.manage")
def settings() -> str | Response:
    event = this_event()
    settings = settings_and_rubric.get_settings(db.session, event)
    form = SettingsForm(obj=settings)
    track_ids = [t.id for t in event.tracks]
    if request.method == "GET":
        form.see_other_reviews.data = settings.see_other_reviews.value
        quota_values = settings_and_rubric.quota_as_typed(settings, track_ids)
    else:
        quota_values = {track_id: request.form.get(f"quota-{track_id}", "").strip() for track_id in track_ids}
    quota_errors: dict[int, str] = {}
    if form.validate_on_submit():
        data = settings_and_rubric.SettingsData(
            judges_per_application=form.judges_per_application.data, blind=form.blind.data,
            see_other_reviews=SeeOtherReviews(form.see_other_reviews.data),
            finalist_count=form.finalist_count.data,
            recruiters_see_scores=form.recruiters_see_scores.data,
            recruiters_read_decks=form.recruiters_read_decks.data, track_quota={})
        try:
            settings_and_rubric.save_typed_settings(db.session, current_user, event, data, quota_values)
        except exceptions.FieldsError as error:
            quota_errors = error.fields
            flash(error.message, "danger")
        except exceptions.ReviewError as error:
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("Review settings saved."), "success")
            return redirect(url_for("review.settings"))
    elif request.method == "POST":
        # the quotas are marked as well, so that one round of corrections is enough
        _quota, quota_errors = settings_and_rubric.read_track_quota(quota_values)
        flash(_("Please correct the marked fields."), "danger")
    db.session.commit()
    return render_template("review/settings.html", form=form, event=event, settings=settings,
                           quota_values=quota_values, quota_errors=quota_errors)


@bp.route(f"{E}/review/close", methods=["POST"])
@requires("review.manage")
def close() -> Response:
    event = this_event()
    if request.form.get("reopen"):
        finalist_selection.reopen_review(db.session, current_user, event)
        flash(_("The review is open again: judges can edit their reviews."), "success")
    else:
        finalist_selection.close_review(db.session, current_user, event)
        flash(_("The review is closed: reviews can no longer be edited."), "success")
    db.session.commit()
    return redirect(request.form.get("back") == "selection" and url_for("review.selection") or url_for("review.overview"))


# --- judges, conflicts, assignment ---------------------------------------------------------

@bp.route(f"{E}/review/judges")
@requires("review.manage")
def judges() -> str:
    event = this_event()
    loads, _short = judge_assignments.load_report(db.session, event)
    profiles = {j.judge.id: judges_and_conflicts.judge_profile(db.session, j.judge) for j in loads}
    db.session.commit()
    return render_template("review/judges.html", event=event, loads=loads, profiles=profiles)


@bp.route(f"{E}/review/judges/<int:judge_id>", methods=["GET", "POST"])
@requires("review.manage")
def judge_edit(judge_id: int) -> str | Response:
    event = this_event()
    judge = db.session.get(User, judge_id)
    if judge is None or not review_scope.holds(db.session, judge, event, Role.JUDGE):
        abort(404)  # a judge of another event is not even named here
    return edit_judge_profile(event, judge, "review.judges")


@bp.route(f"{E}/review/conflicts", methods=["GET", "POST"])
@requires("review.manage")
def conflicts() -> str | Response:
    event = this_event()
    form = RecordConflictForm()
    form.judge_id.choices = [SelectChoice(j.id, j.display_name) for j in judges_and_conflicts.judges(db.session, event)]
    if request.method == "POST" and request.form.get("action") == "detect":
        n = judges_and_conflicts.detect_conflicts(db.session, event)
        db.session.commit()
        flash(ngettext("%(n)s new likely conflict flagged.", "%(n)s new likely conflicts flagged.", n, n=n),
              "success")
        return redirect(url_for("review.conflicts"))
    if form.validate_on_submit():
        judge = db.session.get(User, form.judge_id.data)
        application = get_in_event(db.session, Application, form.application_id.data, event)
        if application is None:
            form.application_id.errors.append(_("There is no application with this number in this event."))
        elif judge is None or not review_scope.holds(db.session, judge, event, Role.JUDGE):
            form.judge_id.errors.append(_("Choose a judge."))
        else:
            judges_and_conflicts.record_conflict(db.session, current_user, judge, application, form.reason.data)
            db.session.commit()
            flash(_("The conflict was recorded; the judge was unassigned where no review was submitted."), "success")
            return redirect(url_for("review.conflicts"))
    items = judges_and_conflicts.conflicts(db.session, event.id)
    return render_template("review/conflicts.html", event=event, conflicts=items, form=form)


@bp.route(f"{E}/review/conflicts/<int:conflict_id>/<any(dismiss, restore):action>", methods=["POST"])
@requires("review.manage")
def conflict_action(conflict_id: int, action: str) -> Response:
    event = this_event()
    conflict = of_event_or_404(Conflict, conflict_id, event)
    change = (judges_and_conflicts.dismiss_conflict if action == "dismiss"
              else judges_and_conflicts.restore_conflict)
    return act(lambda: change(db.session, current_user, conflict), refused=exceptions.ReviewError,
               done=_("Conflict updated."), to=url_for("review.conflicts"))


@bp.route(f"{E}/review/assignment", methods=["GET", "POST"])
@requires("review.manage")
def assignment() -> str | Response:
    event = this_event()
    if request.method == "POST":
        result = judge_assignments.run_assignment(db.session, current_user, event)
        db.session.commit()
        flash(ngettext("%(n)s assignment made.", "%(n)s assignments made.", len(result.pairs),
                       n=len(result.pairs)), "success")
        if result.short:
            flash(ngettext("%(n)s application could not get enough judges; see the list below.",
                           "%(n)s applications could not get enough judges; see the list below.",
                           len(result.short), n=len(result.short)), "warning")
        return redirect(url_for("review.assignment"))
    settings = settings_and_rubric.get_settings(db.session, event)
    loads, short = judge_assignments.load_report(db.session, event)
    db.session.commit()
    chart = [(load.judge.display_name, load.assigned) for load in loads]
    spread = (max(x.assigned for x in loads) - min(x.assigned for x in loads)) if loads else 0
    return render_template("review/assignment.html", event=event, loads=loads, short=short, chart=chart,
                           settings=settings, spread=spread)


@bp.route(f"{E}/review/applications/<int:application_id>", methods=["GET", "POST"])
@requires("review.manage")
def application(application_id: int) -> str | Response:
    event = this_event()
    app_ = application_in_review(application_id, event)
    assign_form = AssignForm(prefix="assign")
    assigned_ids = {a.judge_id for a in judge_assignments.application_assignments(db.session, app_)}
    conflicted = {j for j, a in judges_and_conflicts.active_conflict_pairs(db.session, event.id) if a == app_.id}
    assign_form.judge_id.choices = [SelectChoice(j.id, j.display_name)
                                    for j in judges_and_conflicts.judges(db.session, event)
                                    if j.id not in assigned_ids and j.id not in conflicted]
    if request.method == "POST" and assign_form.validate_on_submit():
        judge = db.session.get(User, assign_form.judge_id.data)

        def assign() -> None:
            if judge is None:
                raise exceptions.ReviewError(_("Choose a judge."))
            judge_assignments.add_assignment(db.session, current_user, app_, judge)

        if attempt(assign, refused=exceptions.ReviewError).ok:
            flash(_("Judge assigned."), "success")
            return redirect(url_for("review.application", application_id=app_.id))
    override_form = OverrideForm(prefix="override")
    return application_page(event, app_, assign_form, override_form)


def application_page(event: Event, app_: Application, assign_form: AssignForm, override_form: OverrideForm) -> str:
    rows = {r.application.id: r for r in aggregation_and_ranking.ranking(db.session, event)}
    criteria = settings_and_rubric.rubric(db.session, event.id)
    db.session.commit()
    return render_template(
        "review/application.html", event=event, application=app_, profile=applicant_profile(app_),
        assignments=judge_assignments.application_assignments(db.session, app_),
        reviews=[*judging.application_reviews(db.session, app_),
                 *judging.application_reviews(db.session, app_, round=LIVE)], criteria=criteria,
        row=rows.get(app_.id), conflicts=[c for c in judges_and_conflicts.conflicts(db.session, event.id)
                                          if c.application_id == app_.id],
        assign_form=assign_form, override_form=override_form,
    )


@bp.route(f"{E}/review/assignments/<int:assignment_id>/remove", methods=["POST"])
@requires("review.manage")
def assignment_remove(assignment_id: int) -> Response:
    event = this_event()
    item = of_event_or_404(Assignment, assignment_id, event)
    return act(lambda: judge_assignments.remove_assignment(db.session, current_user, item),
               refused=exceptions.ReviewError, done=_("Judge unassigned."),
               to=url_for("review.application", application_id=item.application_id))
