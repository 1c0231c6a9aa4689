"""The office's pages of the demand catalogue (issue 15): its rounds, a round's demands with
filters and pages, the demand form (Chinese and English), submit, withdraw, the office's review
and publication, and the Excel and PDF downloads.

District recruiters see and enter their own districts' demands only; organizers every one."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from roadshow.access import current_grant, deny, requires
from roadshow.demands import catalogue, exports
from roadshow.demands.blueprint import bp
from roadshow.demands.catalogue import (
    EDITABLE,
    DemandError,
    DemandForbiddenError,
    is_organizer,
    may_edit_district,
)
from roadshow.demands.models import Demand, DemandKind, DemandRound, DemandStatus, RoundStatus
from roadshow.districts.models import District
from roadshow.events.loaders import this_organisation
from roadshow.events.scope import O
from roadshow.extensions import db
from roadshow.i18n import is_chinese, localized
from roadshow.spreadsheets import XLSX
from roadshow.talent.blueprint import DEGREE_LABELS
from roadshow.talent.models import Degree, Industry

PER_PAGE = 50
PDF = "application/pdf"

KIND_LABELS = {DemandKind.POSITION: _l("Position"), DemandKind.PROBLEM: _l("Problem to solve")}
STATUS_LABELS = {
    DemandStatus.DRAFT: _l("Draft"), DemandStatus.SUBMITTED: _l("Submitted"),
    DemandStatus.RETURNED: _l("Returned"), DemandStatus.ACCEPTED: _l("Accepted"),
    DemandStatus.PUBLISHED: _l("Published"), DemandStatus.FILLED: _l("Filled"),
    DemandStatus.WITHDRAWN: _l("Withdrawn"),
}
ROUND_STATUS_LABELS = {
    RoundStatus.COLLECTING: _l("Collecting demands"), RoundStatus.REVIEWING: _l("In review"),
    RoundStatus.PUBLISHED: _l("Published"), RoundStatus.CLOSED: _l("Closed"),
}


def demand_kind_label(kind: DemandKind | str) -> str:
    return str(KIND_LABELS[DemandKind(kind)])


def demand_status_label(status: DemandStatus | str) -> str:
    return str(STATUS_LABELS[DemandStatus(status)])


def round_status_label(status: RoundStatus | str) -> str:
    return str(ROUND_STATUS_LABELS[RoundStatus(status)])


bp.add_app_template_global(demand_kind_label, "demand_kind_label")
bp.add_app_template_global(demand_status_label, "demand_status_label")
bp.add_app_template_global(round_status_label, "demand_round_status_label")


def both(obj: Any, name: str) -> str:
    """``obj``'s Chinese and English ``name`` side by side, once when they are the same."""
    zh, en = getattr(obj, f"{name}_zh", "") or "", getattr(obj, f"{name}_en", "") or ""
    return " / ".join(dict.fromkeys(v for v in (zh, en) if v))


def degree_label(degree: Degree | str) -> str:
    return str(DEGREE_LABELS[Degree(degree)])


bp.add_app_template_global(both, "demand_both")
bp.add_app_template_global(degree_label, "demand_degree_label")


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"kinds": list(DemandKind), "demand_statuses": list(DemandStatus)}


# --- loading ------------------------------------------------------------------------------

def office_districts() -> list[District]:
    return list(db.session.scalars(select(District).where(
        District.organisation_id == this_organisation().id).order_by(District.id)))


def office_industries() -> list[Industry]:
    """The office's taxonomy: chains first, each followed by its fields."""
    rows = list(db.session.scalars(select(Industry).where(
        Industry.organisation_id == this_organisation().id).order_by(Industry.id)))
    chains = [row for row in rows if row.parent_id is None]
    ordered: list[Industry] = []
    for chain in chains:
        ordered.append(chain)
        ordered.extend(row for row in rows if row.parent_id == chain.id)
    ordered.extend(row for row in rows if row not in ordered)
    return ordered


def round_or_404(round_id: int) -> DemandRound:
    round_ = db.session.get(DemandRound, round_id)
    if round_ is None or round_.organisation_id != this_organisation().id:
        abort(404)
    return round_


def _demand_or_404(demand_id: int) -> Demand:
    demand = db.session.get(Demand, demand_id)
    if demand is None or demand.organisation_id != this_organisation().id:
        abort(404)
    if not may_edit_district(current_grant(), demand.district_id):
        deny("another district's demand")
    return demand


def int_arg(name: str) -> int | None:
    value = (request.args.get(name) or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


# --- filters and pages --------------------------------------------------------------------

@dataclass
class Filters:
    """A list's filters from the query string; values that name nothing of the office drop."""

    district_id: int | None = None
    kind: DemandKind | None = None
    industry_id: int | None = None
    status: DemandStatus | None = None
    page: int = 1

    def args(self, without: str = "") -> dict[str, Any]:
        """The filters as query arguments, for links to other pages and the downloads."""
        values = {"district": self.district_id, "kind": self.kind.value if self.kind else None,
                  "field": self.industry_id, "status": self.status.value if self.status else None}
        return {name: value for name, value in values.items()
                if value is not None and name != without}


def read_filters(districts: Sequence[District], industries: Sequence[Industry]) -> Filters:
    found = Filters(page=max(int_arg("page") or 1, 1))
    district = int_arg("district")
    if district in {d.id for d in districts}:
        found.district_id = district
    industry = int_arg("field")
    if industry in {i.id for i in industries}:
        found.industry_id = industry
    kind = request.args.get("kind") or ""
    if kind in {k.value for k in DemandKind}:
        found.kind = DemandKind(kind)
    status = request.args.get("status") or ""
    if status in {s.value for s in DemandStatus}:
        found.status = DemandStatus(status)
    return found


def field_ids(industry_id: int | None, industries: Sequence[Industry]) -> tuple[int, ...]:
    """A chain stands for itself and its fields."""
    if industry_id is None:
        return ()
    return (industry_id, *(i.id for i in industries if i.parent_id == industry_id))


def filtered(query: Select[Any], filters: Filters, industries: Sequence[Industry]) -> Select[Any]:
    if filters.district_id is not None:
        query = query.where(Demand.district_id == filters.district_id)
    if filters.kind is not None:
        query = query.where(Demand.kind == filters.kind)
    if filters.industry_id is not None:
        query = query.where(Demand.industry_id.in_(field_ids(filters.industry_id, industries)))
    return query


@dataclass
class Page:
    page: int
    pages: int
    total: int
    rows: list[Demand] = field(default_factory=list)


def paged(query: Select[Any], page: int) -> Page:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(math.ceil((total or 0) / PER_PAGE), 1)
    page = min(page, pages)
    rows = list(db.session.scalars(
        query.options(selectinload(Demand.district), selectinload(Demand.industry))
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    return Page(page=page, pages=pages, total=total or 0, rows=rows)


def _office_query(round_: DemandRound, grant: Any) -> Select[Any]:
    """The round's demands the viewer sees: every one for organizers, their districts' else."""
    query = select(Demand).where(Demand.round_id == round_.id)
    if not is_organizer(grant):
        query = query.where(Demand.district_id.in_(sorted(grant.district_ids) or [-1]))
    return query


# --- rounds -------------------------------------------------------------------------------

def _date(name: str) -> date | None:
    try:
        return date.fromisoformat((request.form.get(name) or "").strip())
    except ValueError:
        return None


def _rounds_page(errors: dict[str, str] | None = None, status: int = 200) -> Any:
    organisation = this_organisation()
    rounds = list(db.session.scalars(select(DemandRound).where(
        DemandRound.organisation_id == organisation.id).order_by(DemandRound.opens_on.desc(),
                                                                 DemandRound.id.desc())))
    grant = current_grant()
    counts_query = select(Demand.round_id, func.count()).where(
        Demand.organisation_id == organisation.id).group_by(Demand.round_id)
    if not is_organizer(grant):
        counts_query = counts_query.where(Demand.district_id.in_(sorted(grant.district_ids) or [-1]))
    counts = {round_id: count for round_id, count in db.session.execute(counts_query).all()}
    return render_template("demands/rounds.html", rounds=rounds, counts=counts,
                           organizer=is_organizer(grant), errors=errors or {},
                           kept=request.form), status


@bp.route(f"{O}/demands/")
@requires("demands.enter")
def rounds() -> Any:
    return _rounds_page()


@bp.route(f"{O}/demands/rounds", methods=["POST"])
@requires("demands.manage")
def open_round() -> Any:
    organisation = this_organisation()
    opens_on, closes_on = _date("opens_on"), _date("closes_on")
    errors = {}
    if opens_on is None:
        errors["opens_on"] = _("Please enter the date as YYYY-MM-DD.")
    if closes_on is None:
        errors["closes_on"] = _("Please enter the date as YYYY-MM-DD.")
    if not errors and opens_on is not None and closes_on is not None:
        try:
            round_ = catalogue.open_round(
                db.session, organisation.id, current_grant(),
                title_zh=request.form.get("title_zh", ""), title_en=request.form.get("title_en", ""),
                opens_on=opens_on, closes_on=closes_on)
        except DemandForbiddenError:
            deny("not an organizer of the office")
        except DemandError as error:
            db.session.rollback()
            errors[error.field or "title_zh"] = str(error)
        else:
            db.session.commit()
            flash(_("The round is open: districts can enter their demands."), "success")
            return redirect(url_for("demands.round_page", round_id=round_.id))
    return _rounds_page(errors, 400)


@bp.route(f"{O}/demands/rounds/<int:round_id>")
@requires("demands.enter")
def round_page(round_id: int) -> Any:
    round_ = round_or_404(round_id)
    grant = current_grant()
    districts = office_districts()
    industries = office_industries()
    filters = read_filters(districts, industries)
    base = filtered(_office_query(round_, grant), filters, industries)
    counts = _status_counts(base)
    query = base if filters.status is None else base.where(Demand.status == filters.status)
    page = paged(query.order_by(Demand.district_id, Demand.id), filters.page)
    organizer = is_organizer(grant)
    return render_template(
        "demands/round.html", round=round_, page=page, filters=filters, counts=counts,
        districts=districts if organizer else [d for d in districts if d.id in grant.district_ids],
        industries=industries, organizer=organizer,
        may_enter=round_.status is RoundStatus.COLLECTING,
        may_publish=organizer and round_.status in (RoundStatus.COLLECTING,
                                                    RoundStatus.REVIEWING),
        may_close=organizer and round_.status is RoundStatus.COLLECTING,
        may_reopen=organizer and round_.status is RoundStatus.REVIEWING)


def _status_counts(base: Select[Any]) -> dict[DemandStatus, int]:
    rows = db.session.execute(base.with_only_columns(Demand.status, func.count())
                              .order_by(None).group_by(Demand.status)).all()
    return {DemandStatus(status): count for status, count in rows}


@bp.route(f"{O}/demands/rounds/<int:round_id>/publish", methods=["POST"])
@requires("demands.manage")
def publish_round(round_id: int) -> Any:
    round_ = round_or_404(round_id)
    try:
        published = catalogue.publish(db.session, round_, current_grant())
    except DemandForbiddenError:
        deny("not an organizer of the office")
    except DemandError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("demands.round_page", round_id=round_.id))
    db.session.commit()
    flash(_("The round is published: %(num)d accepted demands are in the public catalogue.",
            num=published), "success")
    return redirect(url_for("demands.round_page", round_id=round_.id))


@bp.route(f"{O}/demands/rounds/<int:round_id>/entry", methods=["POST"])
@requires("demands.manage")
def round_entry(round_id: int) -> Any:
    """Closes entry to the round for the review, or opens it again."""
    round_ = round_or_404(round_id)
    reopen = request.form.get("action") == "reopen"
    try:
        catalogue.close_entry(db.session, round_, current_grant(), reopen=reopen)
    except DemandForbiddenError:
        deny("not an organizer of the office")
    except DemandError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("demands.round_page", round_id=round_.id))
    db.session.commit()
    flash(_("Entry is open again: the districts may add and submit demands.") if reopen else
          _("Entry is closed: the round is in review, the districts only answer what is "
            "returned to them."), "success")
    return redirect(url_for("demands.round_page", round_id=round_.id))


def language_arg() -> str:
    """The download's language: ``?lang=zh`` or ``en``, else the reader's."""
    lang = request.args.get("lang") or ""
    if lang in ("zh", "en"):
        return lang
    return "zh" if is_chinese() else "en"


def rendered(demands: Sequence[Demand], fmt: str, title: str, language: str) -> bytes:
    """The demands as an ``xlsx`` workbook or a ``pdf`` in ``language``."""
    if fmt == "xlsx":
        return exports.catalogue_xlsx(demands, language, title)
    if fmt == "pdf":
        return exports.catalogue_pdf(demands, language, title)
    abort(404)


def download(demands: Sequence[Demand], fmt: str, title: str, name: str) -> Response:
    language = language_arg()
    return attachment(rendered(demands, fmt, title, language), fmt, name, language)


def attachment(body: bytes, fmt: str, name: str, language: str) -> Response:
    """A download's response: ``<name>-<language>.<fmt>``, never kept by a shared cache."""
    mimetype = XLSX if fmt == "xlsx" else PDF
    filename = quote(f"{name}-{language}.{fmt}", safe="")
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{filename}",
        "Cache-Control": "private, no-store"})


def round_title(round_: DemandRound, language: str) -> str:
    return (round_.title_zh or round_.title_en) if language == "zh" else (
        round_.title_en or round_.title_zh)


@bp.route(f"{O}/demands/rounds/<int:round_id>/demands.<fmt>")
@requires("demands.enter")
def round_export(round_id: int, fmt: str) -> Response:
    """The round's demands the viewer sees, with the page's filters, as Excel or PDF."""
    round_ = round_or_404(round_id)
    if fmt not in ("xlsx", "pdf"):
        abort(404)
    industries = office_industries()
    filters = read_filters(office_districts(), industries)
    query = filtered(_office_query(round_, current_grant()), filters, industries)
    if filters.status is not None:
        query = query.where(Demand.status == filters.status)
    demands = list(db.session.scalars(query.where(Demand.status != DemandStatus.WITHDRAWN)
                                      .options(selectinload(Demand.district),
                                               selectinload(Demand.industry))
                                      .order_by(Demand.district_id, Demand.id)))
    return download(demands, fmt, round_title(round_, language_arg()),
                    f"{this_organisation().slug}-round-{round_.id}")


# --- one demand -----------------------------------------------------------------------------

def _values_of(demand: Demand | None) -> dict[str, str]:
    """The form's values: what was typed after a refusal, else the stored demand (with the
    review's note when the review was refused)."""
    if request.method == "POST" and request.endpoint in ("demands.new_demand",
                                                         "demands.demand_page"):
        return request.form.to_dict()
    if demand is None:
        districts = current_grant().district_ids
        return {"kind": "position", "headcount": "1",
                "district_id": str(min(districts)) if len(districts) == 1 else ""}
    values: dict[str, str] = dict(request.form.to_dict()) if request.method == "POST" else {}
    for name in catalogue.DemandData.__dataclass_fields__:
        value = getattr(demand, name)
        if isinstance(value, bool):
            values[name] = "on" if value else ""
        elif value is None:
            values[name] = ""
        else:
            values[name] = str(getattr(value, "value", value))
    return values


def _form_page(round_: DemandRound, demand: Demand | None, errors: dict[str, str],
               status: int = 200) -> Any:
    grant = current_grant()
    organizer = is_organizer(grant)
    districts = [d for d in office_districts() if organizer or d.id in grant.district_ids]
    editable = demand is None or demand.status in EDITABLE or organizer
    return render_template(
        "demands/demand.html", round=round_, demand=demand, values=_values_of(demand),
        errors=errors, organizer=organizer,
        district_options=[(d.id, localized(d, "name")) for d in districts],
        kind_options=[(k.value, KIND_LABELS[k]) for k in DemandKind],
        degree_options=[(d.value, DEGREE_LABELS[d]) for d in Degree],
        industry_options=[(i.id, ("— " if i.parent_id else "") + localized(i, "name"))
                          for i in office_industries()],
        editable=editable,
        may_submit=demand is not None and demand.status in EDITABLE
        and catalogue.round_takes(demand),
        may_withdraw=demand is not None and demand.status is not DemandStatus.WITHDRAWN,
        may_review=organizer and demand is not None
        and demand.status is DemandStatus.SUBMITTED), status


def _errors(error: DemandError) -> dict[str, str]:
    return {error.field or "_form": str(error)}


@bp.route(f"{O}/demands/rounds/<int:round_id>/new", methods=["GET", "POST"])
@requires("demands.enter")
def new_demand(round_id: int) -> Any:
    round_ = round_or_404(round_id)
    if request.method == "POST":
        try:
            data = catalogue.parse_form(request.form)
            if db.session.get(District, data.district_id) not in office_districts():
                raise DemandError(_("Please choose a district."), "district_id")
            demand = catalogue.enter_demand(db.session, round_, current_user, current_grant(),
                                            data)
        except DemandForbiddenError:
            deny("a demand for another district")
        except DemandError as error:
            db.session.rollback()
            return _form_page(round_, None, _errors(error), 400)
        db.session.commit()
        flash(_("The demand is saved as a draft. Submit it when it is complete."), "success")
        return redirect(url_for("demands.demand_page", demand_id=demand.id))
    if round_.status is not RoundStatus.COLLECTING:
        flash(_("This round no longer takes demands."), "warning")
        return redirect(url_for("demands.round_page", round_id=round_.id))
    return _form_page(round_, None, {})


@bp.route(f"{O}/demands/<int:demand_id>", methods=["GET", "POST"])
@requires("demands.enter")
def demand_page(demand_id: int) -> Any:
    demand = _demand_or_404(demand_id)
    if request.method == "POST":
        try:
            data = catalogue.parse_form(request.form)
            if db.session.get(District, data.district_id) not in office_districts():
                raise DemandError(_("Please choose a district."), "district_id")
            catalogue.update_demand(db.session, demand, current_grant(), data)
        except DemandForbiddenError:
            deny("a demand for another district")
        except DemandError as error:
            db.session.rollback()
            return _form_page(demand.round, demand, _errors(error), 400)
        db.session.commit()
        flash(_("The demand is saved."), "success")
        return redirect(url_for("demands.demand_page", demand_id=demand.id))
    return _form_page(demand.round, demand, {})


def _act(demand_id: int, action: Any, done: str) -> Any:
    demand = _demand_or_404(demand_id)
    try:
        action(demand)
    except DemandForbiddenError:
        deny("not allowed on this demand")
    except DemandError as error:
        db.session.rollback()
        demand = _demand_or_404(demand_id)
        return _form_page(demand.round, demand, _errors(error), 400)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("demands.demand_page", demand_id=demand.id))


@bp.route(f"{O}/demands/<int:demand_id>/submit", methods=["POST"])
@requires("demands.enter")
def submit_demand(demand_id: int) -> Any:
    return _act(demand_id, lambda d: catalogue.submit(db.session, d, current_grant()),
                _("The demand is submitted to the office for review."))


@bp.route(f"{O}/demands/<int:demand_id>/withdraw", methods=["POST"])
@requires("demands.enter")
def withdraw_demand(demand_id: int) -> Any:
    return _act(demand_id, lambda d: catalogue.withdraw(db.session, d, current_grant()),
                _("The demand is withdrawn."))


@bp.route(f"{O}/demands/<int:demand_id>/review", methods=["POST"])
@requires("demands.manage")
def review_demand(demand_id: int) -> Any:
    accept = request.form.get("decision") == "accept"
    note = request.form.get("review_note", "")
    return _act(demand_id, lambda d: catalogue.review(db.session, d, current_grant(),
                                                      accept=accept, note=note),
                _("The demand is accepted.") if accept
                else _("The demand went back to the district with your note."))


__all__ = ["bp"]
