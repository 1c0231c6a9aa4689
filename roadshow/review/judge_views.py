"""The judge's review pages: their queue, their profile, scoring an application and declaring a
conflict of interest. The organizer edits a judge's profile with the same form."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from roadshow.access import deny, requires
from roadshow.accounts.models import User
from roadshow.applications.models import Application
from roadshow.core.actions import act
from roadshow.events.loaders import of_event_or_404
from roadshow.events.models import Event
from roadshow.events.scope import E
from roadshow.extensions import db
from roadshow.review import exceptions, judges_and_conflicts, judging, settings_and_rubric
from roadshow.review.blueprint import (
    applicant_profile,
    bp,
    deck_preview_url,
    deck_url,
    localized_name,
    this_event,
)
from roadshow.review.forms import ConflictDeclarationForm, JudgeProfileForm
from roadshow.review.models import Criterion, Review, ReviewSettings, ReviewStatus


def edit_judge_profile(event: Event, judge: User, back: str) -> str | Response:
    """The judge profile form (institution, associates, tracks of ``event``, cap), for the judge
    themselves or the organizer; ``back`` is the endpoint to return to once saved."""
    profile = judges_and_conflicts.judge_profile(db.session, judge)
    form = JudgeProfileForm(obj=profile)
    form.tracks.choices = [SelectChoice(t.id, localized_name(t)) for t in event.tracks]
    if request.method == "GET":
        form.tracks.data = [t.id for t in profile.tracks if t.event_id == event.id]
    if form.validate_on_submit():
        judges_and_conflicts.save_judge_profile(
            db.session, current_user, judge, event, institution=form.institution.data or "",
            associates=form.associates.data or "", track_ids=form.tracks.data or [], capacity=form.capacity.data)
        db.session.commit()
        flash(_("Profile saved. Conflicts are checked again at the next assignment."), "success")
        return redirect(url_for(back))
    db.session.commit()
    return render_template("review/judge_profile.html", form=form, judge=judge, event=event,
                           own=judge.id == current_user.id)


@bp.route(f"{E}/review/queue")
@requires("review.judge")
def queue() -> str:
    event = this_event()
    items = judging.judge_queue(db.session, current_user, event)
    settings = settings_and_rubric.get_settings(db.session, event)
    done = sum(1 for i in items if i.state == "submitted")
    db.session.commit()
    return render_template("review/queue.html", event=event, items=items, done=done, settings=settings,
                           criteria=settings_and_rubric.rubric(db.session, event.id))


@bp.route(f"{E}/review/profile", methods=["GET", "POST"])
@requires("review.judge")
def my_profile() -> str | Response:
    return edit_judge_profile(this_event(), current_user, "review.my_profile")


def _judge_application(application_id: int) -> tuple[Event, Application]:
    event = this_event()
    app_ = of_event_or_404(Application, application_id, event)
    if not judging.judge_may_open(db.session, current_user, app_):
        deny("application not assigned to this judge, or conflicted")
    return event, app_


@bp.route(f"{E}/review/queue/<int:application_id>", methods=["GET", "POST"])
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
        raw_version = request.form.get("version", "")
        try:
            saved = judging.save_typed_review(db.session, current_user, app_, entered, comments, submit=submit,
                                              overall_comment=overall,
                                              expected_version=int(raw_version) if raw_version.isdigit() else None)
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
        except exceptions.FieldsError as error:
            db.session.rollback()
            flash(error.message, "danger")
            errors = error.fields
        else:
            if saved.status == ReviewStatus.SUBMITTED:
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
    other_reviews = judging.visible_other_reviews(db.session, current_user, app_)
    total = None
    if review is not None:
        total = review.total
    db.session.commit()
    return render_template(
        "review/score.html", event=event, application=app_, settings=settings, criteria=criteria,
        review=review, entered=entered, comments=comments, errors=errors, overall=overall, version=version,
        total=total, other_reviews=other_reviews, profile=None if settings.blind else applicant_profile(app_),
        done=sum(1 for i in items if i.state == "submitted"), count=len(items),
        conflict_form=conflict_form or ConflictDeclarationForm(formdata=None), closed=settings.is_closed,
        status=ReviewStatus, deck=deck_url(app_), deck_preview=deck_preview_url(app_),
    )


@bp.route(f"{E}/review/queue/<int:application_id>/conflict", methods=["POST"])
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
    return act(lambda: judges_and_conflicts.declare_conflict(db.session, current_user, app_, form.reason.data or ""),
               refused=exceptions.ReviewError, refused_to=url_for("review.score", application_id=app_.id),
               done=_("Conflict declared. The application was removed from your queue and the organizer will "
                      "reassign it."),
               to=url_for("review.queue"))
