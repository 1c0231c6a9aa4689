"""Matching pages (issue 15): a demand's ranked people and applications, a pool person's and an
application's ranked demands, each match with its score and reasons in the reader's language;
from each, an officer takes a match into the project list or turns it down.

Organizers match every demand of the office; a district's recruiters only their district's
(a person's or an application's page shows them their districts' demands only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from roadshow.access import current_grant, deny, requires
from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.demands import match_services, projects
from roadshow.demands.blueprint import bp
from roadshow.demands.candidates import visible
from roadshow.demands.matching import Match, Reason
from roadshow.demands.models import ChainNode, Demand, IndustryChain
from roadshow.districts.models import District
from roadshow.events.loaders import this_organisation
from roadshow.events.scope import O
from roadshow.extensions import db
from roadshow.i18n import localized
from roadshow.organisations.models import Organisation
from roadshow.scoping import across
from roadshow.talent.blueprint import DEGREE_LABELS
from roadshow.talent.models import Industry, Person

TOP = 20


@dataclass(frozen=True)
class Names:
    """What the reasons' codes name, for the reader: fields and chains by code, chain nodes,
    districts by id."""

    industries: dict[str, Industry]
    nodes: dict[str, ChainNode]
    chains: dict[str, IndustryChain]
    districts: dict[int, District]

    @classmethod
    def of(cls, organisation_id: int) -> Names:
        industries = {i.code: i for i in db.session.scalars(
            select(Industry).where(Industry.organisation_id == organisation_id))}
        chains = {c.code: c for c in db.session.scalars(
            select(IndustryChain).where(IndustryChain.organisation_id == organisation_id))}
        nodes = {str(n.id): n for n in db.session.scalars(
            select(ChainNode).join(IndustryChain, IndustryChain.id == ChainNode.chain_id)
            .where(IndustryChain.organisation_id == organisation_id))}
        districts = {d.id: d for d in db.session.scalars(
            select(District).where(District.organisation_id == organisation_id))}
        return cls(industries, nodes, chains, districts)

    def field(self, code: str) -> str:
        found = self.industries.get(code)
        return localized(found, "name") if found is not None else code

    def chain(self, code: str) -> str:
        found = self.chains.get(code) or self.industries.get(code)
        return localized(found, "name") if found is not None else code

    def node(self, key: str) -> str:
        found = self.nodes.get(key)
        if found is None:
            return key
        return f"{localized(found.chain, 'name')} · {localized(found, 'name')}"


def degree_label(value: object) -> str:
    label = DEGREE_LABELS.get(str(value))  # type: ignore[call-overload]
    return str(label) if label is not None else str(value)


def reason_text(reason: Reason, names: Names) -> str:
    """One reason of a match as a sentence in the reader's language."""
    codes = reason.param("codes") or ()
    if reason.code == "shared_field":
        return _("Same field: %(names)s", names=", ".join(names.field(c) for c in codes))
    if reason.code == "same_node":
        return _("Same link of the chain: %(names)s",
                 names=", ".join(names.node(c) for c in codes))
    if reason.code == "same_chain":
        return _("Same industry chain: %(names)s", names=", ".join(names.chain(c) for c in codes))
    if reason.code == "keywords":
        return _("Shared keywords: %(words)s", words=", ".join(reason.param("words") or ()))
    if reason.code == "degree_met":
        return _("Degree: %(degree)s, as wanted", degree=degree_label(reason.param("degree")))
    if reason.code == "degree_below":
        return _("Degree: %(degree)s, below the %(wanted)s wanted",
                 degree=degree_label(reason.param("degree")),
                 wanted=degree_label(reason.param("wanted")))
    if reason.code == "experience_met":
        return _("%(years)s years of experience, as wanted", years=reason.param("years"))
    if reason.code == "experience_below":
        return _("%(years)s years of experience, fewer than the %(wanted)s wanted",
                 years=reason.param("years"), wanted=reason.param("wanted"))
    if reason.code == "district_interest":
        district = names.districts.get(int(reason.param("district_id") or 0))
        return _("%(district)s showed interest earlier",
                 district=localized(district, "name") if district else "")
    return reason.code


def local_today(organisation: Organisation) -> date:
    return utcnow().astimezone(ZoneInfo(organisation.timezone or "Asia/Shanghai")).date()


def office_demand_or_404(demand_id: int) -> Demand:
    demand = db.session.scalar(select(Demand).where(
        Demand.id == demand_id, Demand.organisation_id == this_organisation().id).options(
        selectinload(Demand.district), selectinload(Demand.industry),
        selectinload(Demand.chain_node)))
    if demand is None:
        abort(404)
    return demand


def visible_person_or_404(person_id: int) -> Person:
    organisation = this_organisation()
    person = db.session.scalar(select(Person).where(
        Person.id == person_id, visible(db.session, organisation.id)))
    if person is None:
        abort(404)
    return person


def office_application_or_404(application_id: int) -> Application:
    found = projects.office_application(db.session, this_organisation().id, application_id)
    if found is None:
        abort(404)
    return found


def _people(ids: list[int]) -> dict[int, Person]:
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(
        select(Person).where(Person.id.in_(ids)).options(selectinload(Person.industries)))}


def _applications(ids: list[int]) -> dict[int, Application]:
    if not ids:
        return {}
    organisation = this_organisation()
    return {a.id: a for a in db.session.scalars(across(
        select(Application).where(Application.id.in_(ids)).options(
            selectinload(Application.applicant), selectinload(Application.event)),
        projects.office_event_ids(db.session, organisation.id)))}


def _demands(ids: list[int]) -> dict[int, Demand]:
    if not ids:
        return {}
    return {d.id: d for d in db.session.scalars(
        select(Demand).where(Demand.id.in_(ids)).options(selectinload(Demand.district)))}


def _common(**context: Any) -> dict[str, Any]:
    organisation = this_organisation()
    grant = current_grant()
    today = local_today(organisation)
    return {"organisation": organisation, "organizer": projects.is_organizer(grant),
            "districts": [d for d in db.session.scalars(select(District).where(
                District.organisation_id == organisation.id).order_by(District.id))
                          if projects.is_organizer(grant) or d.id in grant.district_ids],
            "default_due": today + timedelta(days=30), "kept": request.form,
            "error": None, "error_for": None, "error_field": "", "degree_label": degree_label,
            **context}


def demand_page(demand: Demand, *, status: int = 200, **extra: Any) -> Any:
    organisation = this_organisation()
    names = Names.of(organisation.id)
    skip = projects.rejected_keys(db.session, [demand.id], organisation_id=organisation.id)
    found = match_services.for_demand(db.session, organisation.id, demand.id, TOP, skip=skip)
    accepted = projects.accepted_keys(db.session, organisation_id=organisation.id,
                                      demand_ids=[demand.id])
    down = projects.turned_down(db.session, organisation.id, demand_id=demand.id)
    restored = projects.restorations(db.session, organisation.id, demand_id=demand.id)
    keys = [(r.candidate_kind, r.candidate_id) for r in [*down, *restored]]
    people = _people([m.candidate_key for m in found["person"]]
                     + [i for k, i in keys if k == "person"])
    applications = _applications([m.candidate_key for m in found["application"]]
                                 + [i for k, i in keys if k == "application"])
    candidates = {("person", i): p for i, p in people.items()} | {
        ("application", i): a for i, a in applications.items()}
    return render_template(
        "demands/match_demand.html", demand=demand, names=names, reason_text=reason_text,
        people=[(m, people[m.candidate_key]) for m in found["person"]
                if m.candidate_key in people],
        applications=[(m, applications[m.candidate_key]) for m in found["application"]
                      if m.candidate_key in applications],
        accepted=accepted, rejected=len(skip),
        down=[(r, demand, candidates.get((r.candidate_kind, r.candidate_id))) for r in down],
        restored=[(r, demand, candidates.get((r.candidate_kind, r.candidate_id)))
                  for r in restored], **_common(**extra)), status


def _demand_rows(matches: list[Match]) -> list[tuple[Match, Demand]]:
    grant = current_grant()
    demands = _demands([m.demand_key for m in matches])
    return [(m, demands[m.demand_key]) for m in matches if m.demand_key in demands
            and projects.may_match(grant, demands[m.demand_key])]


def _skip_for(kind: str, candidate_id: int) -> set[tuple[int, str, int]]:
    organisation = this_organisation()
    return {key for key in projects.rejected_keys(db.session, organisation_id=organisation.id)
            if key[1] == kind and key[2] == candidate_id}


def _decisions(kind: str, candidate: Any) -> dict[str, Any]:
    """The candidate's matches turned down and restored, on demands the actor may match."""
    organisation = this_organisation()
    grant = current_grant()
    down = projects.turned_down(db.session, organisation.id, kind=kind, candidate_id=candidate.id)
    restored = projects.restorations(db.session, organisation.id, kind=kind,
                                     candidate_id=candidate.id)
    demands = _demands([r.demand_id for r in [*down, *restored]])
    mine = {i: d for i, d in demands.items() if projects.may_match(grant, d)}
    return {"down": [(r, mine[r.demand_id], candidate) for r in down if r.demand_id in mine],
            "restored": [(r, mine[r.demand_id], candidate) for r in restored
                         if r.demand_id in mine]}


def person_page(person: Person, *, status: int = 200, **extra: Any) -> Any:
    organisation = this_organisation()
    skip = _skip_for("person", person.id)
    matches = match_services.for_person(db.session, organisation.id, person.id, TOP * 3,
                                        skip=skip)
    return render_template(
        "demands/match_candidate.html", kind="person", candidate=person, names=Names.of(
            organisation.id), reason_text=reason_text, rows=_demand_rows(matches)[:TOP],
        accepted=projects.accepted_keys(db.session, organisation_id=organisation.id),
        **_decisions("person", person), **_common(**extra)), status


def application_page(application: Application, *, status: int = 200, **extra: Any) -> Any:
    organisation = this_organisation()
    skip = _skip_for("application", application.id)
    matches = match_services.for_application(db.session, organisation.id, application.id,
                                             TOP * 3, skip=skip)
    return render_template(
        "demands/match_candidate.html", kind="application", candidate=application,
        names=Names.of(organisation.id), reason_text=reason_text,
        rows=_demand_rows(matches)[:TOP],
        accepted=projects.accepted_keys(db.session, organisation_id=organisation.id),
        **_decisions("application", application), **_common(**extra)), status


@bp.route(f"{O}/demands/<int:demand_id>/matches")
@requires("demands.match")
def demand_matches(demand_id: int) -> Any:
    demand = office_demand_or_404(demand_id)
    if not projects.may_match(current_grant(), demand):
        deny("the demand is no district's of the actor")
    return demand_page(demand)


@bp.route(f"{O}/demands/matches/people/<int:person_id>")
@requires("demands.match")
def person_matches(person_id: int) -> Any:
    return person_page(visible_person_or_404(person_id))


@bp.route(f"{O}/demands/matches/applications/<int:application_id>")
@requires("demands.match")
def application_matches(application_id: int) -> Any:
    return application_page(office_application_or_404(application_id))


def _int(text: str | None) -> int | None:
    value = (text or "").strip()
    return int(value) if value.isdigit() else None


def back_to(demand: Demand) -> Any:
    """The page the form came from: the demand's, the person's or the application's."""
    origin, key = request.form.get("back", "demand"), _int(request.form.get("back_id"))
    if origin == "person" and key is not None:
        return url_for("demands.person_matches", person_id=key)
    if origin == "application" and key is not None:
        return url_for("demands.application_matches", application_id=key)
    return url_for("demands.demand_matches", demand_id=demand.id)


def page_again(demand: Demand, **extra: Any) -> Any:
    """The page the form came from again, with the error beside the match's form (400)."""
    origin, key = request.form.get("back", "demand"), _int(request.form.get("back_id"))
    if origin == "person" and key is not None:
        return person_page(visible_person_or_404(key), status=400, **extra)
    if origin == "application" and key is not None:
        return application_page(office_application_or_404(key), status=400, **extra)
    return demand_page(demand, status=400, **extra)


@bp.route(f"{O}/demands/<int:demand_id>/matches/reject", methods=["POST"])
@requires("demands.match")
def reject_match(demand_id: int) -> Any:
    demand = office_demand_or_404(demand_id)
    organisation = this_organisation()
    kind, candidate_id = request.form.get("kind", ""), _int(request.form.get("candidate"))
    if candidate_id is None:
        abort(400)
    try:
        projects.reject(db.session, organisation, current_user, current_grant(), demand, kind,
                        candidate_id, request.form.get("reason", ""))
    except projects.ProjectForbiddenError as refused:
        deny(str(refused))
    except projects.ProjectError as refused:
        db.session.rollback()
        return page_again(demand, error=str(refused), error_field=refused.field,
                          error_for=(demand.id, kind, candidate_id))
    db.session.commit()
    flash(_("The match is turned down: it will not be suggested again unless an officer "
            "restores it from the list of matches turned down."), "success")
    return redirect(back_to(demand))


@bp.route(f"{O}/demands/<int:demand_id>/matches/restore", methods=["POST"])
@requires("demands.match")
def restore_match(demand_id: int) -> Any:
    demand = office_demand_or_404(demand_id)
    organisation = this_organisation()
    kind, candidate_id = request.form.get("kind", ""), _int(request.form.get("candidate"))
    if candidate_id is None:
        abort(400)
    try:
        projects.restore(db.session, organisation, current_user, current_grant(), demand, kind,
                         candidate_id)
    except projects.ProjectForbiddenError as refused:
        deny(str(refused))
    except projects.ProjectError as refused:
        db.session.rollback()
        return page_again(demand, error=str(refused), error_field="restore",
                          error_for=(demand.id, kind, candidate_id))
    db.session.commit()
    flash(_("The match is restored: it is suggested again."), "success")
    return redirect(back_to(demand))
