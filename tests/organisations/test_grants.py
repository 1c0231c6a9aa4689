"""Who holds what (issue 13, docs/design/many-events.md §1): the pure rules with hypothesis, the
grants loaded from the rows, and the default test organisation (tests/many_events_fixtures.py)
that keeps tests written before issue 13 meaningful."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.events.models import Event
from roadshow.extensions import db
from roadshow.organisations import grants, rules
from roadshow.organisations.models import EventRole, Organisation, OrganisationMember
from tests.events.factories import build_event
from tests.many_events_fixtures import DEFAULT_ORGANISATION_SLUG

# --- the pure rules ----------------------------------------------------------------------------

facts = st.builds(
    rules.EventFacts,
    organises_host=st.booleans(),
    event_role_rows=st.frozensets(st.sampled_from(sorted(rules.STAFF))),
    shared_as_joint_event=st.booleans(),
    organises_alliance_member=st.booleans(),
    platform_admin=st.booleans(),
)


@given(facts)
def test_organizer_exactly_by_host_office_row_or_shared_joint_event(f):
    organizes = (f.organises_host or rules.ORGANIZER in f.event_role_rows
                 or (f.shared_as_joint_event and f.organises_alliance_member))
    assert (rules.ORGANIZER in rules.event_roles(f)) == organizes


@given(facts)
def test_judges_and_recruiters_only_by_their_rows(f):
    roles = rules.event_roles(f)
    assert (rules.JUDGE in roles) == (rules.JUDGE in f.event_role_rows)
    assert (rules.RECRUITER in roles) == (rules.RECRUITER in f.event_role_rows)


@given(facts)
def test_staff_never_apply_and_everyone_else_may(f):
    roles = rules.event_roles(f)
    assert (rules.APPLICANT in roles) == (not roles & rules.STAFF)
    assert roles - {rules.ADMIN}, "a signed-in person always holds a role in a published event"


@given(facts)
def test_admin_only_from_the_account_flag(f):
    assert (rules.ADMIN in rules.event_roles(f)) == f.platform_admin


@given(facts)
def test_a_joint_event_needs_both_the_share_and_the_membership(f):
    alone = rules.EventFacts(shared_as_joint_event=f.shared_as_joint_event,
                             organises_alliance_member=f.organises_alliance_member)
    assert (rules.ORGANIZER in rules.event_roles(alone)) == (
        f.shared_as_joint_event and f.organises_alliance_member)


@given(facts)
def test_roles_are_role_values(f):
    assert {Role(name) for name in rules.event_roles(f)} == rules.event_roles(f)


@given(st.frozensets(st.sampled_from(sorted(rules.STAFF | {rules.APPLICANT}))), st.booleans())
def test_unpublished_events_exist_only_for_staff(roles, published):
    assert rules.may_see_event(roles, published) == (published or bool(roles & rules.STAFF))


@given(st.frozensets(st.sampled_from(sorted(rules.STAFF))), st.booleans(), st.booleans())
def test_account_roles(staff, has_application, admin):
    roles = rules.account_roles(staff_roles_anywhere=staff, has_application=has_application,
                                platform_admin=admin)
    assert roles & rules.STAFF == staff
    assert (rules.APPLICANT in roles) == (not staff or has_application)
    assert (rules.ADMIN in roles) == admin


@given(st.booleans(), st.booleans(), st.booleans())
def test_organisation_and_alliance_roles(organises, recruits, admin):
    roles = rules.organisation_roles(organises=organises, recruits_in_an_event=recruits,
                                     platform_admin=admin)
    assert roles == ({rules.ORGANIZER} if organises else set()) | (
        {rules.RECRUITER} if recruits else set()) | ({rules.ADMIN} if admin else set())
    assert rules.alliance_roles(organises_a_current_member=organises, platform_admin=False) == (
        {rules.ORGANIZER} if organises else set())


# --- grants from the rows ----------------------------------------------------------------------

def test_grants_in_two_offices_and_their_joint_event(app, make_user, make_organisation,
                                                     make_event, grant, make_alliance,
                                                     make_district):
    org_a = make_organisation("office-a")
    org_b = make_organisation("office-b")
    organizer_a = make_user(Role.APPLICANT, email="org-a@example.org")
    organizer_b = make_user(Role.APPLICANT, email="org-b@example.org")
    db.session.add_all([OrganisationMember(organisation=org_a, user=organizer_a, role="organizer"),
                        OrganisationMember(organisation=org_b, user=organizer_b, role="organizer")])
    db.session.commit()
    a1 = make_event(org_a, phase="call")
    b1 = make_event(org_b, phase="review")
    alliance = make_alliance(org_a, org_b)
    joint = make_event(org_a, alliance=alliance)
    judge = make_user(Role.APPLICANT, email="judge@example.org")
    grant(judge, a1, Role.JUDGE)
    district = make_district(code="gulou")
    recruiter = make_user(Role.APPLICANT, email="recruiter@example.org")
    grant(recruiter, b1, Role.RECRUITER, district)

    assert grants.in_event(db.session, organizer_a, a1).roles == {Role.ORGANIZER}
    assert grants.in_event(db.session, organizer_b, a1).roles == {Role.APPLICANT}
    assert grants.in_event(db.session, organizer_b, joint).roles == {Role.ORGANIZER}
    assert grants.in_event(db.session, judge, a1).roles == {Role.JUDGE}
    assert grants.in_event(db.session, judge, b1).roles == {Role.APPLICANT}
    in_b1 = grants.in_event(db.session, recruiter, b1)
    assert (in_b1.roles, in_b1.district_ids) == ({Role.RECRUITER}, {district.id})
    assert grants.in_organisation(db.session, recruiter, org_b).roles == {Role.RECRUITER}
    assert grants.in_organisation(db.session, recruiter, org_a).roles == set()
    assert grants.in_organisation(db.session, organizer_a, org_a).roles == {Role.ORGANIZER}
    assert grants.in_alliance(db.session, organizer_b, alliance).roles == {Role.ORGANIZER}
    assert grants.in_alliance(db.session, judge, alliance).roles == set()
    assert grants.on_account(db.session, judge).roles == {Role.JUDGE}
    assert grants.on_account(db.session, organizer_b).roles == {Role.ORGANIZER}

    # revoking the share, or leaving the alliance, ends B's part in the joint event
    share = joint.alliance.shares[0]
    share.revoked_at = utcnow()
    db.session.commit()
    assert grants.in_event(db.session, organizer_b, joint).roles == {Role.APPLICANT}
    share.revoked_at = None
    membership = next(m for m in alliance.members if m.organisation_id == org_b.id)
    membership.left_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert grants.in_event(db.session, organizer_b, joint).roles == {Role.APPLICANT}
    assert grants.in_alliance(db.session, organizer_b, alliance).roles == set()


def test_archived_events_grant_read_only(app, make_user, make_event):
    organizer = make_user(Role.ORGANIZER)
    event = make_event(phase="finished", archived=True)
    grant = grants.in_event(db.session, organizer, event)
    assert grant.read_only
    assert grant.roles == {Role.ORGANIZER}


def test_anonymous_visitors_hold_nothing(app, make_event):
    event = make_event()
    assert grants.in_event(db.session, AnonymousUserMixin(), event).roles == set()
    assert grants.on_account(db.session, AnonymousUserMixin()) == grants.NOBODY


def test_applying_anywhere_keeps_a_staff_member_an_applicant_on_their_account(app, make_user,
                                                                              make_event):
    judge = make_user(Role.JUDGE)
    event = make_event()
    assert grants.on_account(db.session, judge).roles == {Role.JUDGE}
    db.session.add(Application(event_id=event.id, applicant_id=judge.id))
    db.session.commit()
    assert grants.on_account(db.session, judge).roles == {Role.JUDGE, Role.APPLICANT}


# --- the default test organisation -------------------------------------------------------------

def roles_in(user, event):
    return grants.in_event(db.session, user, event).roles


def test_events_and_districts_without_an_office_belong_to_the_default_one(app, make_district):
    district = make_district(code="gulou")
    event = build_event(db.session, districts=[district])
    assert event.organisation.slug == DEFAULT_ORGANISATION_SLUG
    assert district.organisation is event.organisation
    assert db.session.scalar(select(Organisation.id).where(
        Organisation.slug == DEFAULT_ORGANISATION_SLUG)) == event.organisation_id


def test_people_made_by_make_user_hold_their_role_in_every_default_event(app, make_user,
                                                                          make_district):
    gulou = make_district(code="gulou")
    before = build_event(db.session, slug="before")
    organizer = make_user(Role.ORGANIZER)
    judge = make_user(Role.JUDGE)
    recruiter = make_user(Role.RECRUITER, district=gulou)
    applicant = make_user(Role.APPLICANT)
    after = build_event(db.session, slug="after")
    for event in (before, after):
        assert roles_in(organizer, event) == {Role.ORGANIZER}
        assert roles_in(judge, event) == {Role.JUDGE}
        assert roles_in(recruiter, event) == {Role.RECRUITER}
        assert grants.in_event(db.session, recruiter, event).district_ids == {gulou.id}
        assert roles_in(applicant, event) == {Role.APPLICANT}
    assert grants.on_account(db.session, judge).roles == {Role.JUDGE}
    assert grants.on_account(db.session, organizer).roles == {Role.ORGANIZER}
    assert db.session.scalar(select(OrganisationMember.user_id)) == organizer.id


def test_events_of_another_office_get_no_default_roles(app, make_user, make_organisation,
                                                        make_event):
    judge = make_user(Role.JUDGE)
    organizer = make_user(Role.ORGANIZER)
    elsewhere = make_event(make_organisation("elsewhere"))
    assert roles_in(judge, elsewhere) == {Role.APPLICANT}
    assert roles_in(organizer, elsewhere) == {Role.APPLICANT}
    assert db.session.scalars(select(EventRole)).all() == []


@pytest.mark.no_default_organisation
def test_the_marker_turns_the_default_office_off(app, make_user, make_organisation, make_event):
    make_user(Role.JUDGE)
    event = make_event(make_organisation("own"))
    assert db.session.scalar(select(Organisation.id).where(
        Organisation.slug == DEFAULT_ORGANISATION_SLUG)) is None
    assert db.session.scalars(select(Event)).all() == [event]
