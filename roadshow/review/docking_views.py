"""The district recruiter's docking pages: the applications their district may dock with, and
marking their district's interest in one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import current_grant, requires
from roadshow.core.actions import attempt
from roadshow.events.scope import E
from roadshow.extensions import db
from roadshow.review import aggregation_and_ranking, district_docking, exceptions
from roadshow.review.blueprint import (
    applicant_profile,
    application_in_review,
    bp,
    deck_url,
    this_event,
)
from roadshow.review.forms import InterestForm
from roadshow.review.models import InterestLevel
from roadshow.review.review_scope import district_of


@bp.route(f"{E}/review/docking/browse")
@requires("docking.recruit")
def docking() -> str:
    event = this_event()
    scope = request.args.get("scope", "district")
    track_id = request.args.get("track", type=int)
    level = request.args.get("level") or None
    if level not in (None, *[lv.value for lv in InterestLevel]):
        level = None
    district_id = district_of(current_grant())
    apps = district_docking.recruiter_applications(db.session, event, district_id, scope=scope, track_id=track_id,
                                                   level=level)
    marks = district_docking.district_interests(db.session, event, district_id)
    see_scores = district_docking.recruiter_may_see_scores(db.session, event)
    aggregates = {}
    if see_scores:
        aggregates = {r.application.id: r.aggregate for r in aggregation_and_ranking.ranking(db.session, event)
                      if r.aggregate}
    db.session.commit()
    return render_template("review/docking.html", event=event, applications=apps, marks=marks, scope=scope,
                           track_id=track_id, level=level, see_scores=see_scores, aggregates=aggregates,
                           levels=list(InterestLevel))


@bp.route(f"{E}/review/docking/<int:application_id>", methods=["GET", "POST"])
@requires("docking.recruit")
def docking_application(application_id: int) -> str | Response:
    event = this_event()
    app_ = application_in_review(application_id, event)
    district_id = district_of(current_grant())
    marks = district_docking.district_interests(db.session, event, district_id)
    mark = marks.get(app_.id)
    form = InterestForm(obj=mark)
    if request.method == "GET" and mark is not None:
        form.level.data = mark.level.value
    if form.validate_on_submit() and attempt(
            lambda: district_docking.set_interest(db.session, current_user, app_, InterestLevel(form.level.data),
                                                  form.note.data or ""),
            refused=exceptions.ReviewError).ok:
        flash(_("Your district's interest was saved."), "success")
        return redirect(url_for("review.docking_application", application_id=app_.id))
    see_scores = district_docking.recruiter_may_see_scores(db.session, event)
    aggregate = None
    if see_scores:
        aggregate = next((r.aggregate for r in aggregation_and_ranking.ranking(db.session, event)
                          if r.application.id == app_.id), None)
    db.session.commit()
    return render_template("review/docking_application.html", event=event, application=app_,
                           profile=applicant_profile(app_), form=form, mark=mark, see_scores=see_scores,
                           aggregate=aggregate, district_id=district_id,
                           deck=deck_url(app_) if district_docking.may_read_deck(db.session, current_user, app_) else None)
