"""Review pages for organizers, judges and district recruiters. Thin: load, check, call a
service, commit once."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from roadshow.access import deny, requires
from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications import policy
from roadshow.applications.models import ApplicantProfile, Application
from roadshow.events.loaders import current_event_or_404, of_event_or_404
from roadshow.events.models import Event, Track
from roadshow.events.services import current_event
from roadshow.extensions import db
from roadshow.i18n import localized
from roadshow.review import (
    aggregation_and_ranking,
    district_docking,
    exceptions,
    export,
    figures,
    finalist_selection,
    judge_assignments,
    judges_and_conflicts,
    judging,
    review_scope,
    scoring,
    settings_and_rubric,
)
from roadshow.review.forms import (
    AssignForm,
    ConflictDeclarationForm,
    CriterionForm,
    InterestForm,
    JudgeProfileForm,
    OverrideForm,
    RecordConflictForm,
    SettingsForm,
)
from roadshow.review.models import (
    LIVE,
    Assignment,
    Conflict,
    ConflictSource,
    Criterion,
    InterestLevel,
    Review,
    ReviewSettings,
    ReviewStatus,
    SeeOtherReviews,
    SelectionDecision,
)

bp = Blueprint("review", __name__, url_prefix="/review")
log = logging.getLogger("roadshow.review")


# a district recruiter reads the decks of the applications their district docks with
if district_docking.may_read_deck not in policy.DECK_READERS:
    policy.DECK_READERS.append(district_docking.may_read_deck)

DECK_ENDPOINTS = ("applications.deck", "applications.download_deck", "applications.view_deck")


@bp.app_context_processor
def _review_helpers() -> dict[str, Any]:
    return {"review_deck_url": deck_url, "conflict_source_label": conflict_source_label,
            "interest_label": interest_label, "review_dashboard": review_dashboard}


def review_dashboard() -> dict[str, int] | None:
    """Figures for the dashboard card of the signed-in user's role (None: no card)."""
    if not current_user.is_authenticated:
        return None
    event = current_event(db.session)
    if event is None:
        return None
    if current_user.role == Role.ORGANIZER:
        loads, _short = judge_assignments.load_report(db.session, event)
        assigned = sum(x.assigned for x in loads)
        submitted = sum(x.submitted for x in loads)
        finalists = db.session.scalar(select(func.count()).select_from(SelectionDecision).where(
            SelectionDecision.event_id == event.id, SelectionDecision.selected.is_(True))) or 0
        return {"assigned": assigned, "submitted": submitted, "finalists": finalists,
                "percent": round(100 * submitted / assigned) if assigned else 0}
    if current_user.role == Role.JUDGE:
        items = judging.judge_queue(db.session, current_user, event)
        done = sum(1 for i in items if i.state == "submitted")
        return {"done": done, "count": len(items), "percent": round(100 * done / len(items)) if items else 0}
    if current_user.role == Role.RECRUITER:
        apps = district_docking.recruiter_applications(db.session, current_user, event)
        marks = district_docking.district_interests(db.session, current_user.district_id)
        return {"count": len(apps),
                "marked": sum(1 for m in marks.values() if m.level != InterestLevel.NONE)}
    return None


def deck_url(application: Application) -> str | None:
    from flask import current_app

    if application.deck is None:
        return None
    for endpoint in DECK_ENDPOINTS:
        if endpoint in current_app.view_functions:
            try:
                return url_for(endpoint, application_id=application.id)
            except BuildError:  # a route with other parameters
                log.debug("deck endpoint %s takes other parameters", endpoint)
    return None


def deck_preview_url(application: Application) -> str | None:
    """The deck's first page as an image (decks are served for download only, not framed)."""
    from flask import current_app

    if application.deck is None or "applications.deck_preview" not in current_app.view_functions:
        return None
    return url_for("applications.deck_preview", application_id=application.id)


def conflict_source_label(source: ConflictSource) -> str:
    return {
        ConflictSource.DECLARED: _("Declared by the judge"),
        ConflictSource.INSTITUTION: _("Same institution"),
        ConflictSource.TEAM: _("Co-author or team in common"),
        ConflictSource.RECRUITER: _("Judge recruits for a chosen district"),
        ConflictSource.ORGANIZER: _("Recorded by the organizer"),
    }[source]


def interest_label(level: InterestLevel | str) -> str:
    return {
        InterestLevel.NONE: _("No interest"),
        InterestLevel.INTERESTED: _("Interested"),
        InterestLevel.STRONG: _("Strongly interested"),
    }[InterestLevel(level)]


_event = current_event_or_404


def _application(application_id: int, event: Event) -> Application:
    application = db.session.get(Application, application_id)
    if application is None or application.event_id != event.id or application.status not in review_scope.IN_REVIEW:
        abort(404)
    return application


def _profile(application: Application) -> ApplicantProfile | None:
    return db.session.scalar(select(ApplicantProfile).where(ApplicantProfile.user_id == application.applicant_id))


# --- organizer: overview, rubric, settings -------------------------------------------------

@bp.route("/")
@requires("review.manage")
def overview() -> str:
    event = _event()
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


@bp.route("/rubric")
@requires("review.manage")
def rubric() -> str:
    event = _event()
    criteria = settings_and_rubric.rubric(db.session, event.id)
    total_weight = sum(c.weight for c in criteria) or 1
    return render_template("review/rubric.html", event=event, criteria=criteria, total_weight=total_weight)


@bp.route("/rubric/standard", methods=["POST"])
@requires("review.manage")
def rubric_standard() -> Response:
    event = _event()
    added = settings_and_rubric.add_standard_rubric(db.session, current_user, event)
    db.session.commit()
    flash(ngettext("%(n)s criterion added from the standard rubric.",
                   "%(n)s criteria added from the standard rubric.", len(added), n=len(added)), "success")
    return redirect(url_for("review.rubric"))


@bp.route("/rubric/new", methods=["GET", "POST"])
@bp.route("/rubric/<int:criterion_id>/edit", methods=["GET", "POST"])
@requires("review.manage")
def criterion_edit(criterion_id: int | None = None) -> str | Response:
    event = _event()
    criterion = None
    if criterion_id is not None:
        criterion = of_event_or_404(Criterion, criterion_id, event)
    form = CriterionForm(obj=criterion)
    if form.validate_on_submit():
        try:
            settings_and_rubric.save_criterion(db.session, current_user, event, form.data, criterion)
        except exceptions.ReviewError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("The criterion was saved; review totals were recomputed."), "success")
            return redirect(url_for("review.rubric"))
    return render_template("review/criterion_form.html", form=form, criterion=criterion, event=event)


@bp.route("/rubric/<int:criterion_id>/delete", methods=["POST"])
@requires("review.manage")
def criterion_delete(criterion_id: int) -> Response:
    event = _event()
    criterion = of_event_or_404(Criterion, criterion_id, event)
    settings_and_rubric.delete_criterion(db.session, current_user, criterion)
    db.session.commit()
    flash(_("The criterion was removed; review totals were recomputed."), "success")
    return redirect(url_for("review.rubric"))


@bp.route("/rubric/<int:criterion_id>/move", methods=["POST"])
@requires("review.manage")
def criterion_move(criterion_id: int) -> Response:
    event = _event()
    criterion = of_event_or_404(Criterion, criterion_id, event)
    settings_and_rubric.move_criterion(db.session, current_user, criterion, -1 if request.form.get("direction") == "up" else 1)
    db.session.commit()
    return redirect(url_for("review.rubric"))


@bp.route("/settings", methods=["GET", "POST"])
@requires("review.manage")
def settings() -> str | Response:
    event = _event()
    settings = settings_and_rubric.get_settings(db.session, event)
    form = SettingsForm(obj=settings)
    if request.method == "GET":
        form.see_other_reviews.data = settings.see_other_reviews.value
    quota_errors: dict[int, str] = {}
    quota_values = {t.id: request.form.get(f"quota-{t.id}", "").strip() if request.method == "POST"
                    else str((settings.track_quota or {}).get(str(t.id), "") or "") for t in event.tracks}
    quota: dict[str, int] = {}
    if request.method == "POST":
        quota, quota_errors = settings_and_rubric.read_track_quota(quota_values)
    if form.validate_on_submit() and not quota_errors:
        data = settings_and_rubric.SettingsData(
            judges_per_application=form.judges_per_application.data, blind=form.blind.data,
            see_other_reviews=SeeOtherReviews(form.see_other_reviews.data),
            finalist_count=form.finalist_count.data,
            recruiters_see_scores=form.recruiters_see_scores.data,
            recruiters_read_decks=form.recruiters_read_decks.data, track_quota=quota)
        try:
            settings_and_rubric.save_settings(db.session, current_user, event, data)
        except exceptions.ReviewError as error:
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("Review settings saved."), "success")
            return redirect(url_for("review.settings"))
    elif request.method == "POST":
        flash(_("Please correct the marked fields."), "danger")
    db.session.commit()
    return render_template("review/settings.html", form=form, event=event, settings=settings,
                           quota_values=quota_values, quota_errors=quota_errors)


@bp.route("/close", methods=["POST"])
@requires("review.manage")
def close() -> Response:
    event = _event()
    if request.form.get("reopen"):
        finalist_selection.reopen_review(db.session, current_user, event)
        flash(_("The review is open again: judges can edit their reviews."), "success")
    else:
        finalist_selection.close_review(db.session, current_user, event)
        flash(_("The review is closed: reviews can no longer be edited."), "success")
    db.session.commit()
    return redirect(request.form.get("back") == "selection" and url_for("review.selection") or url_for("review.overview"))


# --- organizer: judges, conflicts, assignment ----------------------------------------------

@bp.route("/judges")
@requires("review.manage")
def judges() -> str:
    event = _event()
    loads, _short = judge_assignments.load_report(db.session, event)
    profiles = {j.judge.id: judges_and_conflicts.judge_profile(db.session, j.judge) for j in loads}
    db.session.commit()
    return render_template("review/judges.html", event=event, loads=loads, profiles=profiles)


@bp.route("/judges/<int:judge_id>", methods=["GET", "POST"])
@requires("review.manage")
def judge_edit(judge_id: int) -> str | Response:
    event = _event()
    judge = db.session.get(User, judge_id)
    if judge is None or judge.role != Role.JUDGE:
        abort(404)
    return _edit_profile(event, judge, "review.judges")


def _edit_profile(event: Event, judge: User, back: str) -> str | Response:
    profile = judges_and_conflicts.judge_profile(db.session, judge)
    form = JudgeProfileForm(obj=profile)
    form.tracks.choices = [SelectChoice(t.id, localized_name(t)) for t in event.tracks]
    if request.method == "GET":
        form.tracks.data = [t.id for t in profile.tracks]
    if form.validate_on_submit():
        profile.institution = (form.institution.data or "").strip()
        profile.associates = form.associates.data or ""
        if judge.id != current_user.id:  # the organizer sets the cap, not the judge
            profile.capacity = form.capacity.data
        profile.tracks = list(db.session.scalars(select(Track).where(Track.id.in_(form.tracks.data or []))))
        db.session.commit()
        flash(_("Profile saved. Conflicts are checked again at the next assignment."), "success")
        return redirect(url_for(back))
    db.session.commit()
    return render_template("review/judge_profile.html", form=form, judge=judge, event=event,
                           own=judge.id == current_user.id)


def localized_name(obj: Any) -> str:
    return localized(obj, "name")


def _title(application: Application) -> str:
    return localized(application, "title") or application.title_en


def _chart_label(text: str) -> str:
    """A chart label that fits beside its bar: about 10 Chinese or 20 Latin characters."""
    limit = 10 if any("\u4e00" <= ch <= "\u9fff" for ch in text) else 20
    return text if len(text) <= limit else text[:limit - 1] + "…"


@bp.route("/conflicts", methods=["GET", "POST"])
@requires("review.manage")
def conflicts() -> str | Response:
    event = _event()
    form = RecordConflictForm()
    form.judge_id.choices = [SelectChoice(j.id, j.display_name) for j in judges_and_conflicts.judges(db.session)]
    if request.method == "POST" and request.form.get("action") == "detect":
        n = judges_and_conflicts.detect_conflicts(db.session, event)
        db.session.commit()
        flash(ngettext("%(n)s new likely conflict flagged.", "%(n)s new likely conflicts flagged.", n, n=n),
              "success")
        return redirect(url_for("review.conflicts"))
    if form.validate_on_submit():
        judge = db.session.get(User, form.judge_id.data)
        application = db.session.get(Application, form.application_id.data)
        if application is None or application.event_id != event.id:
            form.application_id.errors.append(_("There is no application with this number in this event."))
        elif judge is None:
            form.judge_id.errors.append(_("Choose a judge."))
        else:
            judges_and_conflicts.record_conflict(db.session, current_user, judge, application, form.reason.data)
            db.session.commit()
            flash(_("The conflict was recorded; the judge was unassigned where no review was submitted."), "success")
            return redirect(url_for("review.conflicts"))
    items = judges_and_conflicts.conflicts(db.session, event.id)
    return render_template("review/conflicts.html", event=event, conflicts=items, form=form)


@bp.route("/conflicts/<int:conflict_id>/<any(dismiss, restore):action>", methods=["POST"])
@requires("review.manage")
def conflict_action(conflict_id: int, action: str) -> Response:
    event = _event()
    conflict = of_event_or_404(Conflict, conflict_id, event)
    try:
        if action == "dismiss":
            judges_and_conflicts.dismiss_conflict(db.session, current_user, conflict)
        else:
            judges_and_conflicts.restore_conflict(db.session, current_user, conflict)
    except exceptions.ReviewError as error:
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("Conflict updated."), "success")
    return redirect(url_for("review.conflicts"))


@bp.route("/assignment", methods=["GET", "POST"])
@requires("review.manage")
def assignment() -> str | Response:
    event = _event()
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


@bp.route("/applications/<int:application_id>", methods=["GET", "POST"])
@requires("review.manage")
def application(application_id: int) -> str | Response:
    event = _event()
    app_ = _application(application_id, event)
    assign_form = AssignForm(prefix="assign")
    assigned_ids = {a.judge_id for a in judge_assignments.application_assignments(db.session, app_)}
    conflicted = {j for j, a in judges_and_conflicts.active_conflict_pairs(db.session, event.id) if a == app_.id}
    assign_form.judge_id.choices = [SelectChoice(j.id, j.display_name) for j in judges_and_conflicts.judges(db.session)
                                    if j.id not in assigned_ids and j.id not in conflicted]
    if request.method == "POST" and assign_form.validate_on_submit():
        judge = db.session.get(User, assign_form.judge_id.data)
        try:
            if judge is None:
                raise exceptions.ReviewError(_("Choose a judge."))
            judge_assignments.add_assignment(db.session, current_user, app_, judge)
        except exceptions.ReviewError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("Judge assigned."), "success")
            return redirect(url_for("review.application", application_id=app_.id))
    override_form = OverrideForm(prefix="override")
    return _application_page(event, app_, assign_form, override_form)


def _application_page(event: Event, app_: Application, assign_form: AssignForm, override_form: OverrideForm) -> str:
    rows = {r.application.id: r for r in aggregation_and_ranking.ranking(db.session, event)}
    criteria = settings_and_rubric.rubric(db.session, event.id)
    db.session.commit()
    return render_template(
        "review/application.html", event=event, application=app_, profile=_profile(app_),
        assignments=judge_assignments.application_assignments(db.session, app_),
        reviews=[*judging.application_reviews(db.session, app_),
                 *judging.application_reviews(db.session, app_, round=LIVE)], criteria=criteria,
        row=rows.get(app_.id), conflicts=[c for c in judges_and_conflicts.conflicts(db.session, event.id)
                                          if c.application_id == app_.id],
        assign_form=assign_form, override_form=override_form,
    )


@bp.route("/assignments/<int:assignment_id>/remove", methods=["POST"])
@requires("review.manage")
def assignment_remove(assignment_id: int) -> Response:
    event = _event()
    item = of_event_or_404(Assignment, assignment_id, event)
    app_id = item.application_id
    try:
        judge_assignments.remove_assignment(db.session, current_user, item)
    except exceptions.ReviewError as error:
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("Judge unassigned."), "success")
    return redirect(url_for("review.application", application_id=app_id))


# --- organizer: ranking, docking overview, selection, export -------------------------------

@bp.app_template_filter("score")
def score_filter(value: float | None, digits: int = figures.TOTAL_DIGITS) -> str:
    """``{{ total|score }}``: a total to the rubric's precision in the reader's locale."""
    return figures.format_score(value, str(get_locale() or "en"), digits)


@bp.route("/ranking")
@requires("review.manage")
def ranking() -> str:
    event = _event()
    rows = aggregation_and_ranking.ranking(db.session, event)
    flagged_only = request.args.get("flagged") == "1"
    aggregates = [r.aggregate for r in rows if r.aggregate]
    spread_chart = [(f"{lo:.0f}–{hi:.0f}", n) for lo, hi, n in
                    scoring.histogram([a.spread for a in aggregates], high=50, bins=10)]
    mean_chart = [(f"{lo:.0f}–{hi:.0f}", n) for lo, hi, n in scoring.histogram([a.mean for a in aggregates])]
    shown = [r for r in rows if r.aggregate and r.aggregate.disagreement] if flagged_only else rows
    live_order = request.args.get("order") == "live"
    if live_order:  # the live round's ranking first, the others after in the preliminary order
        shown = sorted(shown, key=lambda r: r.live.normalised_rank if r.live else len(rows) + 1)
    live_rows = sorted((r for r in rows if r.live), key=lambda r: r.live.normalised_rank)  # type: ignore[union-attr]
    live_chart = [(f"#{r.application.id} {_chart_label(_title(r.application))}",
                   figures.round_total(r.live.mean)) for r in live_rows]  # type: ignore[union-attr]
    scales = aggregation_and_ranking.judge_scales(db.session, event)
    db.session.commit()
    return render_template("review/ranking.html", event=event, rows=shown, spread_chart=spread_chart,
                           mean_chart=mean_chart, flagged_only=flagged_only, live_order=live_order,
                           live_count=len(live_rows), live_chart=live_chart,
                           flagged=sum(1 for a in aggregates if a.disagreement),
                           threshold=scoring.DISAGREEMENT_SPREAD, scales=scales,
                           scale_chart=[(u.display_name, round(mean, 1)) for u, _n, mean, _sd in scales])


@bp.route("/docking")
@requires("review.manage")
def docking_overview() -> str:
    event = _event()
    per_district = district_docking.interest_per_district(db.session, event)
    rows = [r for r in aggregation_and_ranking.ranking(db.session, event) if r.interest]
    chart = [(localized_name(d), i + s) for d, i, s in per_district]
    return render_template("review/docking_overview.html", event=event, per_district=per_district, rows=rows,
                           chart=chart)


@bp.route("/selection", methods=["GET", "POST"])
@requires("review.manage")
def selection() -> str | Response:
    event = _event()
    settings = settings_and_rubric.get_settings(db.session, event)
    if request.method == "POST":
        # saved only as previewed: the changes page posts the plan's fingerprint and the
        # finalists released by name; anything else goes to the changes page first
        release = _release_ids()
        expect = request.form.get("fingerprint", "")
        if not expect:
            return redirect(url_for("review.selection_changes", release=sorted(release)))
        try:
            chosen = finalist_selection.select_finalists(db.session, current_user, event, release=release, expect=expect)
        except exceptions.ReviewError as error:
            db.session.rollback()
            flash(error.message, "warning")
            return redirect(url_for("review.selection_changes", release=sorted(release)))
        db.session.commit()
        flash(ngettext("%(n)s finalist selected by the rule, keeping your overrides. Check the list, then send the decision.",
                       "%(n)s finalists selected by the rule, keeping your overrides. Check the list, then send the decisions.",
                       len(chosen), n=len(chosen)), "success")
        return redirect(url_for("review.selection"))
    rows = aggregation_and_ranking.ranking(db.session, event)
    finalists = [r for r in rows if r.decision and r.decision.selected]
    by_track: dict[str, int] = {}
    for r in finalists:
        label = localized_name(r.application.track) if r.application.track else _("No track")
        by_track[label] = by_track.get(label, 0) + 1
    db.session.commit()
    return render_template("review/selection.html", event=event, settings=settings, rows=rows,
                           finalists=finalists, decided=any(r.decision for r in rows),
                           track_chart=sorted(by_track.items()), progress=finalist_selection.send_progress(db.session, event),
                           override_form=OverrideForm(prefix="override"))


def _release_ids() -> set[int]:
    values = request.form.getlist("release") if request.method == "POST" else request.args.getlist("release")
    return {int(v) for v in values if v.isdigit() and len(v) < 12}


@bp.route("/selection/changes")
@requires("review.manage")
def selection_changes() -> str:
    """What selecting by the rule would change, before anything is saved or sent."""
    event = _event()
    plan = finalist_selection.plan_selection(db.session, event, _release_ids())
    db.session.commit()
    return render_template("review/selection_changes.html", event=event, plan=plan,
                           settings=settings_and_rubric.get_settings(db.session, event))


@bp.route("/applications/<int:application_id>/override", methods=["POST"])
@requires("review.manage")
def override(application_id: int) -> str | Response:
    event = _event()
    app_ = _application(application_id, event)
    form = OverrideForm(prefix="override")
    if form.validate_on_submit():
        try:
            finalist_selection.override_decision(db.session, current_user, app_, form.selected.data == "1", form.reason.data)
        except exceptions.ReviewError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("Override recorded. Select finalists again to fill the remaining seats by the rule."), "success")
            return redirect(url_for("review.application", application_id=app_.id))
    else:
        flash(_("Please correct the marked fields."), "danger")
    assign_form = AssignForm(prefix="assign")
    assign_form.judge_id.choices = []
    return _application_page(event, app_, assign_form, form)


@bp.route("/decisions/<int:decision_id>/clear", methods=["POST"])
@requires("review.manage")
def decision_clear(decision_id: int) -> Response:
    event = _event()
    decision = of_event_or_404(SelectionDecision, decision_id, event)
    finalist_selection.clear_override(db.session, current_user, decision)
    db.session.commit()
    flash(_("Override removed. Select finalists again to apply the rule."), "success")
    return redirect(url_for("review.application", application_id=decision.application_id))


@bp.route("/decisions/send", methods=["GET", "POST"])
@requires("review.manage")
def send() -> str | Response:
    event = _event()
    progress = finalist_selection.send_progress(db.session, event)
    if request.method == "POST":
        if progress.total == 0:
            flash(_("Select the finalists first."), "warning")
            return redirect(url_for("review.selection"))
        progress = finalist_selection.send_decisions(db.session, current_user, event, limit=25)
        db.session.commit()
        if progress.remaining == 0:
            flash(ngettext("%(n)s decision was sent.", "All %(n)s decisions were sent.", progress.total,
                           n=progress.total), "success")
            return redirect(url_for("review.selection"))
        return redirect(url_for("review.send"))
    return render_template("review/send.html", event=event, progress=progress)


@bp.route("/export/<any(ranking, reviews, scores):sheet>.csv")
@requires("review.manage")
def export_csv(sheet: str) -> Response:
    event = _event()
    data = export.as_csv(db.session, event, sheet)
    return Response(data, content_type=export.CSV_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{event.slug}-review-{sheet}.csv"'})


@bp.route("/export.xlsx")
@requires("review.manage")
def export_xlsx() -> Response:
    event = _event()
    data = export.as_xlsx(db.session, event)
    return Response(data, content_type=export.XLSX_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{event.slug}-review.xlsx"'})


# --- judges --------------------------------------------------------------------------------

@bp.route("/queue")
@requires("review.judge")
def queue() -> str:
    event = _event()
    items = judging.judge_queue(db.session, current_user, event)
    settings = settings_and_rubric.get_settings(db.session, event)
    done = sum(1 for i in items if i.state == "submitted")
    db.session.commit()
    return render_template("review/queue.html", event=event, items=items, done=done, settings=settings,
                           criteria=settings_and_rubric.rubric(db.session, event.id))


@bp.route("/profile", methods=["GET", "POST"])
@requires("review.judge")
def my_profile() -> str | Response:
    return _edit_profile(_event(), current_user, "review.my_profile")


def _judge_application(application_id: int) -> tuple[Event, Application]:
    event = _event()
    app_ = of_event_or_404(Application, application_id, event)
    if not judging.judge_may_open(db.session, current_user, app_):
        deny("application not assigned to this judge, or conflicted")
    return event, app_


@bp.route("/queue/<int:application_id>", methods=["GET", "POST"])
@requires("review.judge")
def score(application_id: int) -> str | Response:
    event, app_ = _judge_application(application_id)
    settings = settings_and_rubric.get_settings(db.session, event)
    criteria = settings_and_rubric.rubric(db.session, event.id)
    review = judging.find_review(db.session, current_user, app_)
    entered, comments = _saved_entries(review, criteria)
    errors: dict[str, str] = {}
    overall = review.overall_comment if review else ""
    version = review.version if review else None
    if request.method == "POST":
        entered = {c.code: request.form.get(f"score-{c.code}", "").strip() for c in criteria}
        comments = {c.code: request.form.get(f"comment-{c.code}", "") for c in criteria}
        overall = request.form.get("overall_comment", "")
        submit = request.form.get("action") == "submit"
        # a submitted review stays submitted, and complete, whichever button saved it
        was_submitted = review is not None and review.status == ReviewStatus.SUBMITTED
        entries = judging.read_score_entries(criteria, entered, complete=submit or was_submitted)
        values, errors, missing = entries.values, dict(entries.errors), entries.missing
        raw_version = request.form.get("version", "")
        expected = int(raw_version) if raw_version.isdigit() else None
        if errors:
            errors.update(missing)
            flash(_("Some scores are off the scale; nothing was saved. Please correct the marked fields."), "danger")
        else:
            try:
                judging.save_review(db.session, current_user, app_, values, comments, submit=submit,
                                             overall_comment=overall, expected_version=expected)
                db.session.commit()
            except exceptions.StaleReviewError as error:
                db.session.rollback()
                flash(error.message, "danger")
                review = judging.find_review(db.session, current_user, app_)
                version = review.version if review else None
            except (StaleDataError, IntegrityError):
                db.session.rollback()
                flash(_("This review was changed elsewhere (in another tab or window) after you opened it. "
                        "Your entries are kept below: check them against the saved version and save again."),
                      "danger")
                review = judging.find_review(db.session, current_user, app_)
                version = review.version if review else None
            except exceptions.ReviewError as error:
                db.session.rollback()
                flash(error.message, "danger")
                errors.update(missing)
            else:
                if submit or was_submitted:
                    flash(_("Review submitted. You can still change it until the review closes."), "success")
                    items = judging.judge_queue(db.session, current_user, event)
                    following = next((i for i in items if i.state != "submitted"), None)
                    if following is not None and request.form.get("next") == "1":
                        return redirect(url_for("review.score", application_id=following.application.id))
                else:
                    flash(_("Draft saved."), "success")
                return redirect(url_for("review.score", application_id=app_.id))
    return _score_page(event, app_, settings, criteria, review, entered=entered, comments=comments,
                       errors=errors, overall=overall, version=version)


def _saved_entries(review: Review | None, criteria: list[Criterion]) -> tuple[dict[str, str], dict[str, str]]:
    """The judge's saved scores and comments by criterion code, as the score form shows them."""
    entered: dict[str, str] = {}
    comments: dict[str, str] = {}
    if review is not None:
        by_id = {s.criterion_id: s for s in review.scores}
        for c in criteria:
            if c.id in by_id:
                entered[c.code] = f"{by_id[c.id].value:g}"
                comments[c.code] = by_id[c.id].comment
    return entered, comments


def _score_page(event: Event, app_: Application, settings: ReviewSettings, criteria: list[Criterion],
                review: Review | None, *, entered: dict[str, str], comments: dict[str, str],
                errors: dict[str, str], overall: str, version: int | None,
                conflict_form: ConflictDeclarationForm | None = None) -> str:
    items = judging.judge_queue(db.session, current_user, event)
    others = judging.visible_other_reviews(db.session, current_user, app_)
    total = None
    if review is not None:
        total = review.total
    db.session.commit()
    return render_template(
        "review/score.html", event=event, application=app_, settings=settings, criteria=criteria,
        review=review, entered=entered, comments=comments, errors=errors, overall=overall, version=version,
        total=total, others=others, profile=None if settings.blind else _profile(app_),
        done=sum(1 for i in items if i.state == "submitted"), count=len(items),
        conflict_form=conflict_form or ConflictDeclarationForm(formdata=None), closed=settings.is_closed,
        status=ReviewStatus, deck=deck_url(app_), deck_preview=deck_preview_url(app_),
    )


@bp.route("/queue/<int:application_id>/conflict", methods=["POST"])
@requires("review.judge")
def declare_conflict(application_id: int) -> str | Response:
    event, app_ = _judge_application(application_id)
    settings = settings_and_rubric.get_settings(db.session, event)
    form = ConflictDeclarationForm()
    try:
        # refused whatever the form holds: once closed, the page offers no declaration any more
        judges_and_conflicts.check_conflicts_open(db.session, event)
    except exceptions.ReviewError as error:
        flash(error.message, "danger")
        return redirect(url_for("review.score", application_id=app_.id))
    if not form.validate_on_submit():
        # the score page again, the reason's error under it and the judge's saved scores as they were
        criteria = settings_and_rubric.rubric(db.session, event.id)
        review = judging.find_review(db.session, current_user, app_)
        entered, comments = _saved_entries(review, criteria)
        return _score_page(event, app_, settings, criteria, review, entered=entered, comments=comments,
                           errors={}, overall=review.overall_comment if review else "",
                           version=review.version if review else None, conflict_form=form)
    try:
        judges_and_conflicts.declare_conflict(db.session, current_user, app_, form.reason.data or "")
    except exceptions.ReviewError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("review.score", application_id=app_.id))
    db.session.commit()
    flash(_("Conflict declared. The application was removed from your queue and the organizer will reassign it."),
          "success")
    return redirect(url_for("review.queue"))


# --- district recruiters -------------------------------------------------------------------

@bp.route("/docking/browse")
@requires("docking.recruit")
def docking() -> str:
    event = _event()
    scope = request.args.get("scope", "district")
    track_id = request.args.get("track", type=int)
    level = request.args.get("level") or None
    if level not in (None, *[lv.value for lv in InterestLevel]):
        level = None
    apps = district_docking.recruiter_applications(db.session, current_user, event, scope=scope, track_id=track_id,
                                           level=level)
    marks = district_docking.district_interests(db.session, current_user.district_id)
    see_scores = district_docking.recruiter_may_see_scores(db.session, event)
    aggregates = {}
    if see_scores:
        aggregates = {r.application.id: r.aggregate for r in aggregation_and_ranking.ranking(db.session, event) if r.aggregate}
    db.session.commit()
    return render_template("review/docking.html", event=event, applications=apps, marks=marks, scope=scope,
                           track_id=track_id, level=level, see_scores=see_scores, aggregates=aggregates,
                           levels=list(InterestLevel))


@bp.route("/docking/<int:application_id>", methods=["GET", "POST"])
@requires("docking.recruit")
def docking_application(application_id: int) -> str | Response:
    event = _event()
    app_ = _application(application_id, event)
    marks = district_docking.district_interests(db.session, current_user.district_id)
    mark = marks.get(app_.id)
    form = InterestForm(obj=mark)
    if request.method == "GET" and mark is not None:
        form.level.data = mark.level.value
    if form.validate_on_submit():
        try:
            district_docking.set_interest(db.session, current_user, app_, InterestLevel(form.level.data), form.note.data or "")
        except exceptions.ReviewError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("Your district's interest was saved."), "success")
            return redirect(url_for("review.docking_application", application_id=app_.id))
    see_scores = district_docking.recruiter_may_see_scores(db.session, event)
    aggregate = None
    if see_scores:
        aggregate = next((r.aggregate for r in aggregation_and_ranking.ranking(db.session, event) if r.application.id == app_.id), None)
    db.session.commit()
    return render_template("review/docking_application.html", event=event, application=app_, profile=_profile(app_),
                           form=form, mark=mark, see_scores=see_scores, aggregate=aggregate,
                           deck=deck_url(app_) if district_docking.may_read_deck(db.session, current_user, app_) else None)
