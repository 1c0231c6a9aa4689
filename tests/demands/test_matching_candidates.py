"""The pool's people as matching candidates: only those the office may see, with the taxonomy's
codes, so a Chinese demand finds an English profile filed under the same field."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from roadshow.accounts.roles import Role
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.demands.candidates import application_candidates, people_candidates
from roadshow.demands.matching import Demand, MatchIndex
from roadshow.districts.models import District
from roadshow.events.models import Track
from roadshow.extensions import db
from roadshow.talent.models import Industry
from roadshow.talent.services import shares
from tests.many_events_fixtures import build_alliance, build_event, build_organisation
from tests.talent.records import add_person

pytestmark = pytest.mark.no_default_organisation


def taxonomy(office) -> Industry:
    chain = Industry(organisation_id=office.id, code="ic", name_zh="集成电路",
                     name_en="Integrated circuits")
    db.session.add(chain)
    db.session.flush()
    design = Industry(organisation_id=office.id, code="ic-design", name_zh="集成电路设计",
                      name_en="IC design", parent_id=chain.id)
    db.session.add(design)
    db.session.commit()
    return design


def test_only_the_people_an_office_may_see_become_candidates(app, make_user):
    keeper = make_user(Role.ORGANIZER, email="keeper@example.org")
    partner = make_user(Role.ORGANIZER, email="partner@example.org")
    xiao = build_organisation(db.session, "xiao", organizers=(keeper,))
    xuzhou = build_organisation(db.session, "xuzhou", organizers=(partner,))
    other = build_organisation(db.session, "other")
    alliance = build_alliance(db.session, xiao, xuzhou, slug="huaihai")
    design = taxonomy(xiao)
    designer = add_person(xiao, name_en="Li Wei", degree="doctorate", position="RF chip designer",
                          field="mixed-signal circuits")
    designer.industries = [design]
    gone = add_person(xiao, name_en="Gone Person", position="RF chip designer")
    gone.withdrawn_at = datetime(2026, 11, 1, tzinfo=UTC)
    erased = add_person(xiao, name_en="Erased Person", position="RF chip designer")
    erased.erased_at = datetime(2026, 11, 1, tzinfo=UTC)
    stranger = add_person(other, name_en="Not Shared", position="RF chip designer")
    db.session.commit()

    own = people_candidates(db.session, xiao.id)
    assert [c.key for c in own] == [designer.id]
    assert own[0].fields == {"ic-design"}
    assert own[0].chains == {"ic"}
    assert own[0].degree == "doctorate"
    assert own[0].text == "mixed-signal circuits RF chip designer"

    assert people_candidates(db.session, xuzhou.id) == []
    shares.share(db.session, keeper, xiao, alliance, None, False)
    db.session.commit()
    assert [c.key for c in people_candidates(db.session, xuzhou.id)] == [designer.id]
    # the office outside the alliance sees only its own
    assert [c.key for c in people_candidates(db.session, other.id)] == [stranger.id]

    demand = Demand(key=1, fields=frozenset({"ic-design"}), chains=frozenset({"ic"}),
                    degree="master", text="招聘射频芯片设计专家")
    ranked = MatchIndex(own).candidates_for(demand)
    assert [(m.candidate_key, [r.code for r in m.reasons]) for m in ranked] == [
        (designer.id, ["shared_field", "same_chain", "degree_met"])]


def test_submitted_applications_of_the_offices_events_become_candidates(app, make_user):
    xiao = build_organisation(db.session, "xiao")
    other = build_organisation(db.session, "other")
    design = taxonomy(xiao)
    gulou = District(organisation_id=xiao.id, code="gulou", name_zh="鼓楼区",
                     name_en="Gulou District")
    db.session.add(gulou)
    event = build_event(db.session, xiao)
    elsewhere = build_event(db.session, other)
    track = Track(event_id=event.id, code="ic", name_zh="集成电路", name_en="Chips")
    db.session.add(track)
    db.session.commit()
    applicant = make_user(Role.APPLICANT, email="rf@example.org")
    own_record = add_person(xiao, name_en="RF Founder")
    own_record.user_id = applicant.id
    own_record.industries = [design]

    def apply(at_event, status, by=applicant, **fields):
        application = Application(event_id=at_event.id, applicant_id=by.id,
                                  status=status, country="NL", **fields)
        db.session.add(application)
        db.session.flush()
        return application

    submitted = apply(event, ApplicationStatus.FINALIST, track_id=track.id,
                      title_en="RF front-end chips", title_zh="射频前端芯片")
    submitted.districts = [gulou]
    apply(event, ApplicationStatus.DRAFT, make_user(Role.APPLICANT, email="d@example.org"),
          title_en="A draft")
    apply(event, ApplicationStatus.WITHDRAWN, make_user(Role.APPLICANT, email="w@example.org"),
          title_en="Withdrawn")
    apply(elsewhere, ApplicationStatus.SUBMITTED, title_en="Another office's")
    db.session.commit()

    found = application_candidates(db.session, xiao.id)
    assert [c.key for c in found] == [submitted.id]
    assert found[0].kind == "application"
    assert found[0].fields == {"ic-design"}
    assert found[0].chains == {"ic"}
    assert found[0].interested_districts == {gulou.id}

    demand = Demand(key=1, chains=frozenset({"ic"}), district_id=gulou.id, text="射频芯片")
    ranked = MatchIndex(found).candidates_for(demand)
    assert [r.code for r in ranked[0].reasons] == ["same_chain", "keywords", "district_interest"]
    # 射频前端芯片 and 射频芯片 share two bigrams, not 频芯
    assert ranked[0].reasons[1].param("words") == ("射频", "芯片")
