"""The organizer's results pages: the ranking, the districts' interest, selecting finalists
(with overrides and the changes shown first), sending the decisions and the exports."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import requires
from roadshow.applications.models import Application
from roadshow.core.actions import act, attempt
from roadshow.events.loaders import of_event_or_404
from roadshow.events.scope import E
from roadshow.extensions import db
from roadshow.i18n import localized
from roadshow.review import (
    aggregation_and_ranking,
    district_docking,
    exceptions,
    export,
    figures,
    finalist_selection,
    scoring,
    settings_and_rubric,
)
from roadshow.review.blueprint import application_in_review, bp, localized_name, this_event
from roadshow.review.forms import AssignForm, OverrideForm
from roadshow.review.models import SelectionDecision
from roadshow.review.organizer_views import application_page


def _title(application: Application) -> str:
    return localized(application, "title") or application.title_en


def _chart_label(text: str) -> str:
    """A chart label that fits beside its bar: about 10 Chinese or 20 Latin characters."""
    limit = 10 if any("\u4e00" <= ch <= "\u9fff" for ch in text) else 20
    return text if len(text) <= limit else text[:limit - 1] + "…"


@bp.route(f"{E}/review/ranking")
@requires("review.manage")
def ranking() -> str:
    event = this_event()
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


@bp.route(f"{E}/review/docking")
@requires("review.manage")
def docking_overview() -> str:
    event = this_event()
    per_district = district_docking.interest_per_district(db.session, event)
    rows = [r for r in aggregation_and_ranking.ranking(db.session, event) if r.interest]
    chart = [(localized_name(d), i + s) for d, i, s in per_district]
    return render_template("review/docking_overview.html", event=event, per_district=per_district, rows=rows,
                           chart=chart)


@bp.route(f"{E}/review/selection", methods=["GET", "POST"])
@requires("review.manage")
def selection() -> str | Response:
    event = this_event()
    settings = settings_and_rubric.get_settings(db.session, event)
    if request.method == "POST":
        # saved only as previewed: the changes page posts the plan's fingerprint and the
        # finalists released by name; anything else goes to the changes page first
        release = _release_ids()
        expect = request.form.get("fingerprint", "")
        if not expect:
            return redirect(url_for("review.selection_changes", release=sorted(release)))
        return act(
            lambda: finalist_selection.select_finalists(db.session, current_user, event, release=release, expect=expect),
            refused=exceptions.ReviewError, category="warning",
            refused_to=url_for("review.selection_changes", release=sorted(release)),
            done=lambda chosen: ngettext(
                "%(n)s finalist selected by the rule, keeping your overrides. Check the list, then send the decision.",
                "%(n)s finalists selected by the rule, keeping your overrides. Check the list, then send the decisions.",
                len(chosen), n=len(chosen)),
            to=url_for("review.selection"))
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


@bp.route(f"{E}/review/selection/changes")
@requires("review.manage")
def selection_changes() -> str:
    """What selecting by the rule would change, before anything is saved or sent."""
    event = this_event()
    plan = finalist_selection.plan_selection(db.session, event, _release_ids())
    db.session.commit()
    return render_template("review/selection_changes.html", event=event, plan=plan,
                           settings=settings_and_rubric.get_settings(db.session, event))


@bp.route(f"{E}/review/applications/<int:application_id>/override", methods=["POST"])
@requires("review.manage")
def override(application_id: int) -> str | Response:
    event = this_event()
    app_ = application_in_review(application_id, event)
    form = OverrideForm(prefix="override")
    if form.validate_on_submit():
        if attempt(lambda: finalist_selection.override_decision(db.session, current_user, app_,
                                                               form.selected.data == "1", form.reason.data),
                   refused=exceptions.ReviewError).ok:
            flash(_("Override recorded. Select finalists again to fill the remaining seats by the rule."), "success")
            return redirect(url_for("review.application", application_id=app_.id))
    else:
        flash(_("Please correct the marked fields."), "danger")
    assign_form = AssignForm(prefix="assign")
    assign_form.judge_id.choices = []
    return application_page(event, app_, assign_form, form)


@bp.route(f"{E}/review/decisions/<int:decision_id>/clear", methods=["POST"])
@requires("review.manage")
def decision_clear(decision_id: int) -> Response:
    event = this_event()
    decision = of_event_or_404(SelectionDecision, decision_id, event)
    return act(lambda: finalist_selection.clear_override(db.session, current_user, decision),
               done=_("Override removed. Select finalists again to apply the rule."),
               to=url_for("review.application", application_id=decision.application_id))


@bp.route(f"{E}/review/decisions/send", methods=["GET", "POST"])
@requires("review.manage")
def send() -> str | Response:
    event = this_event()
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


@bp.route(f"{E}/review/export/<any(ranking, reviews, scores):sheet>.csv")
@requires("review.manage")
def export_csv(sheet: str) -> Response:
    event = this_event()
    data = export.as_csv(db.session, event, sheet)
    return Response(data, content_type=export.CSV_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{event.slug}-review-{sheet}.csv"'})


@bp.route(f"{E}/review/export.xlsx")
@requires("review.manage")
def export_xlsx() -> Response:
    event = this_event()
    data = export.as_xlsx(db.session, event)
    return Response(data, content_type=export.XLSX_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{event.slug}-review.xlsx"'})
