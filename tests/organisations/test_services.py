"""organisations.services: offices, members, event roles, alliance shares and ``owned``."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from roadshow.accounts.models import Invitation, User
from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.events.models import Event
from roadshow.organisations import services
from roadshow.organisations.models import (
    AllianceShare,
    EventRole,
    EventRoleKind,
    OrganisationKind,
    OrganisationMember,
    ShareKind,
)

pytestmark = pytest.mark.no_default_organisation


def _data(**changes: str) -> services.OrganisationData:
    fields = {"slug": "xuzhou", "kind": "city_office", "name_zh": "徐州市人才办",
              "name_en": "Xuzhou Talent Office", "timezone": "Asia/Shanghai"}
    fields.update(changes)
    return services.OrganisationData(**fields)


def _district(db, organisation, code="gulou") -> District:
    district = District(organisation=organisation, code=code, name_zh="鼓楼区",
                        name_en="Gulou District")
    db.session.add(district)
    db.session.commit()
    return district


def test_create_organisation_keeps_what_was_given(db, make_user):
    admin = make_user("applicant", is_platform_admin=True)
    office = services.create_organisation(db.session, admin, _data(slug=" Xuzhou "))
    db.session.commit()
    assert (office.slug, office.kind, office.name_zh, office.name_en, office.timezone,
            office.created_by_id) == ("xuzhou", OrganisationKind.CITY_OFFICE, "徐州市人才办",
                                      "Xuzhou Talent Office", "Asia/Shanghai", admin.id)


@pytest.mark.parametrize(("changes", "field"), [
    ({"slug": "徐州"}, "slug"),
    ({"slug": "two--hyphens"}, "slug"),
    ({"slug": "x" * 61}, "slug"),
    ({"slug": ""}, "slug"),
    ({"name_zh": "  "}, "name_zh"),
    ({"name_en": ""}, "name_en"),
    ({"kind": "ministry"}, "kind"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
])
def test_create_organisation_refuses_bad_input_naming_the_field(db, changes, field):
    with pytest.raises(services.OrganisationError) as refused:
        services.create_organisation(db.session, None, _data(**changes))
    assert refused.value.field == field
    assert str(refused.value)


def test_two_offices_cannot_share_a_short_address(db, make_organisation):
    make_organisation(slug="xuzhou")
    with pytest.raises(services.OrganisationError, match="already uses this short address"):
        services.create_organisation(db.session, None, _data())


def test_update_organisation_keeps_the_address(db, make_organisation, make_user):
    organizer = make_user("organizer")
    office = make_organisation(slug="xuzhou", organizers=(organizer,))
    services.update_organisation(db.session, organizer, office, _data(
        slug="other", kind="county_office", name_zh="萧县人才办", name_en="Xiao County Office",
        timezone="Europe/Berlin"))
    db.session.commit()
    assert (office.slug, office.kind, office.name_en, office.timezone) == (
        "xuzhou", OrganisationKind.COUNTY_OFFICE, "Xiao County Office", "Europe/Berlin")


def test_members_are_added_once_and_the_last_organizer_stays(db, make_organisation, make_user):
    first, second = make_user("organizer"), make_user("organizer")
    office = make_organisation(organizers=(first,))
    member = services.add_member_by_email(db.session, first, office, second.email.upper())
    db.session.commit()
    assert member.granted_by_id == first.id
    assert {m.user_id for m in services.members_of(db.session, office)} == {first.id, second.id}
    with pytest.raises(services.OrganisationError, match="already an organizer"):
        services.add_member(db.session, first, office, second)
    with pytest.raises(services.OrganisationError, match="No account uses this address"):
        services.add_member_by_email(db.session, first, office, "nobody@example.org")
    services.remove_member(db.session, first, member)
    db.session.commit()
    last = db.session.scalars(select(OrganisationMember)).one()
    with pytest.raises(services.OrganisationError, match="at least one organizer"):
        services.remove_member(db.session, first, last)


def test_deactivated_account_does_not_become_an_organizer(db, make_organisation, make_user):
    office = make_organisation()
    with pytest.raises(services.OrganisationError, match="deactivated"):
        services.add_member(db.session, None, office, make_user("organizer", active=False))


def test_grant_event_role_checks_role_district_and_duplicates(db, make_organisation, make_event,
                                                             make_user):
    office, other = make_organisation(), make_organisation()
    event = make_event(office)
    ours, theirs = _district(db, office), _district(db, other)
    judge, recruiter = make_user("judge"), make_user("recruiter")
    row = services.grant_event_role(db.session, None, event, judge, "judge", district_id=ours.id)
    assert (row.role, row.district_id) == (EventRoleKind.JUDGE, None)  # judges have no district
    with pytest.raises(services.OrganisationError, match="already holds this role"):
        services.grant_event_role(db.session, None, event, judge, EventRoleKind.JUDGE)
    with pytest.raises(services.OrganisationError) as no_district:
        services.grant_event_role(db.session, None, event, recruiter, "recruiter")
    assert no_district.value.field == "district"
    with pytest.raises(services.OrganisationError, match="does not belong to the office"):
        services.grant_event_role(db.session, None, event, recruiter, "recruiter", theirs.id)
    with pytest.raises(services.OrganisationError, match="Choose a role"):
        services.grant_event_role(db.session, None, event, recruiter, "applicant")
    services.grant_event_role(db.session, None, event, recruiter, "recruiter", ours.id)
    db.session.commit()
    assert {(r.user_id, r.role, r.district_id) for r in db.session.scalars(select(EventRole))} == {
        (judge.id, EventRoleKind.JUDGE, None), (recruiter.id, EventRoleKind.RECRUITER, ours.id)}
    services.revoke_event_role(db.session, None, row)
    db.session.commit()
    assert db.session.scalars(select(EventRole.user_id)).all() == [recruiter.id]


def test_joint_event_takes_recruiters_of_every_current_member(db, make_organisation, make_event,
                                                             make_alliance, make_user):
    host, partner, outsider = make_organisation(), make_organisation(), make_organisation()
    alliance = make_alliance(host, partner)
    joint = make_event(host, alliance=alliance)
    theirs, foreign = _district(db, partner, "xiao"), _district(db, outsider, "far")
    recruiter = make_user("recruiter")
    services.grant_event_role(db.session, None, joint, recruiter, "recruiter", theirs.id)
    with pytest.raises(services.OrganisationError, match="does not belong"):
        services.grant_event_role(db.session, None, joint, make_user("recruiter"), "recruiter",
                                  foreign.id)


def test_an_applicant_of_the_event_is_not_made_its_staff(db, make_organisation, make_event,
                                                         make_user):
    event = make_event(make_organisation())
    applicant = make_user("applicant")
    db.session.add(Application(event=event, applicant=applicant))
    db.session.commit()
    with pytest.raises(services.OrganisationError, match="applied to the event"):
        services.grant_event_role(db.session, None, event, applicant, "judge")
    other_event = make_event(make_organisation())
    assert services.grant_event_role(db.session, None, other_event, applicant, "judge")


def test_shares_are_checked_listed_revoked_and_renewed(db, make_organisation, make_event,
                                                       make_alliance, make_user):
    organizer = make_user("organizer")
    host, partner, outsider = make_organisation(), make_organisation(), make_organisation()
    alliance = make_alliance(host, partner)
    event, partners_event = make_event(host), make_event(partner)
    report = services.share(db.session, organizer, alliance, host, "event_report", event)
    pool = services.share(db.session, organizer, alliance, host, ShareKind.JUDGE_POOL, event)
    db.session.commit()
    assert pool.event_id is None  # the judge pool is the office's, not an event's
    with pytest.raises(services.OrganisationError, match="shared with the alliance already"):
        services.share(db.session, organizer, alliance, host, "event_report", event)
    with pytest.raises(services.OrganisationError, match="Only the office running an event"):
        services.share(db.session, organizer, alliance, host, "event_report", partners_event)
    with pytest.raises(services.OrganisationError, match="Choose the event"):
        services.share(db.session, organizer, alliance, host, "joint_event")
    with pytest.raises(services.OrganisationError, match="not a member"):
        services.share(db.session, organizer, alliance, outsider, "judge_pool")
    with pytest.raises(services.OrganisationError, match="Choose what to share"):
        services.share(db.session, organizer, alliance, host, "everything", event)

    services.revoke_share(db.session, organizer, report)
    db.session.commit()
    assert report.revoked_at is not None
    assert services.shares_of(db.session, alliance) == [pool, report]  # current first
    with pytest.raises(services.OrganisationError, match="already revoked"):
        services.revoke_share(db.session, organizer, report)
    again = services.share(db.session, organizer, alliance, host, "event_report", event)
    db.session.commit()
    assert again.id == report.id
    assert again.revoked_at is None
    assert db.session.scalar(select(AllianceShare.id).where(AllianceShare.id != report.id,
                                                            AllianceShare.id != pool.id)) is None


def test_sharing_a_joint_event_makes_it_the_alliances(db, make_organisation, make_event,
                                                      make_alliance, make_user):
    host, partner = make_organisation(), make_organisation()
    alliance = make_alliance(host, partner)
    event = make_event(host)
    services.share(db.session, make_user("organizer"), alliance, host, "joint_event",
                   services.event_ref(db.session, event.id))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Event, event.id).alliance_id == alliance.id


def test_create_alliance_needs_two_offices_and_a_free_address(db, make_organisation, make_user):
    admin = make_user("applicant", is_platform_admin=True)
    a, b = make_organisation(), make_organisation()
    data = services.AllianceData(slug="huaihai", name_zh="淮海人才联盟",
                                 name_en="Huaihai Talent Alliance", organisation_ids=[a.id, b.id])
    alliance = services.create_alliance(db.session, admin, data)
    db.session.commit()
    assert services.current_members(db.session, alliance) == sorted([a, b],
                                                                    key=lambda o: o.name_en)
    assert services.alliances_of(db.session, a) == [alliance]
    with pytest.raises(services.OrganisationError, match="already uses this short address"):
        services.create_alliance(db.session, admin, data)
    with pytest.raises(services.OrganisationError, match="at least two offices"):
        services.create_alliance(db.session, admin, services.AllianceData(
            slug="alone", name_zh="独", name_en="Alone", organisation_ids=[a.id]))
    with pytest.raises(services.OrganisationError, match="at least two offices"):
        services.create_alliance(db.session, admin, services.AllianceData(
            slug="ghost", name_zh="鬼", name_en="Ghost", organisation_ids=[a.id, 99999]))


def test_owned_keeps_one_offices_events_districts_people_and_invitations(
        db, make_organisation, make_event, make_user):
    a_organizer, b_organizer = make_user("organizer"), make_user("organizer")
    a, b = make_organisation(organizers=(a_organizer,)), make_organisation(organizers=(b_organizer,))
    a1, b1 = make_event(a), make_event(b)
    a_district, b_district = _district(db, a, "gulou"), _district(db, b, "gulou")
    a_judge, b_judge = make_user("judge"), make_user("judge")
    services.grant_event_role(db.session, None, a1, a_judge, "judge")
    services.grant_event_role(db.session, None, b1, b_judge, "judge")
    a_applicant, b_applicant = make_user("applicant"), make_user("applicant")
    db.session.add_all([Application(event=a1, applicant=a_applicant),
                        Application(event=b1, applicant=b_applicant)])
    later = utcnow()
    db.session.add_all([
        Invitation(email="to-a@example.org", name="A", role="organizer", organisation=a,
                   expires_at=later),
        Invitation(email="to-a1@example.org", name="A1", role="judge", event_id=a1.id,
                   expires_at=later),
        Invitation(email="to-b1@example.org", name="B1", role="judge", event_id=b1.id,
                   expires_at=later),
    ])
    db.session.commit()
    assert db.session.scalars(services.owned(select(Event), a)).all() == [a1]
    assert db.session.scalars(services.owned(select(District), b)).all() == [b_district]
    assert a_district not in db.session.scalars(services.owned(select(District), b)).all()
    assert set(db.session.scalars(services.owned(select(User), a))) == {
        a_organizer, a_judge, a_applicant}
    assert {i.email for i in db.session.scalars(services.owned(select(Invitation), a))} == {
        "to-a@example.org", "to-a1@example.org"}
    # a join: events of the office with their districts' rows left alone
    joined = services.owned(select(Event.slug, District.code).join(
        District, District.organisation_id == Event.organisation_id), b)
    assert db.session.execute(joined).all() == [(b1.slug, "gulou")]


def test_set_platform_admin_says_whether_it_changed(db, make_user):
    user = make_user("organizer")
    assert services.set_platform_admin(db.session, user, True) is True
    assert services.set_platform_admin(db.session, user, True) is False
    assert services.set_platform_admin(db.session, user, False) is True
    assert user.is_platform_admin is False


def test_counts_by_organisation(db, make_organisation, make_event, make_user):
    a = make_organisation(organizers=(make_user("organizer"), make_user("organizer")))
    make_event(a)
    b = make_organisation()
    assert services.counts_by_organisation(db.session) == {a.id: (2, 1)}
    make_event(b)
    assert services.counts_by_organisation(db.session)[b.id] == (0, 1)
