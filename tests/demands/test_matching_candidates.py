"""The pool's people as matching candidates: only those the office may see, with the taxonomy's
codes, so a Chinese demand finds an English profile filed under the same field."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from roadshow.accounts.roles import Role
from roadshow.demands.candidates import people_candidates
from roadshow.demands.matching import Demand, MatchIndex
from roadshow.extensions import db
from roadshow.talent.models import Industry
from roadshow.talent.services import shares
from tests.many_events_fixtures import build_alliance, build_organisation
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
