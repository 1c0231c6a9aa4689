"""An office invites its organizers, an event its judges, recruiters and event organizers, through
signed, expiring, single-use links; accepting creates the membership or the event role (issue 13),
with a new account or the one the person already has."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from roadshow.accounts.models import Invitation, User
from roadshow.db import utcnow
from roadshow.organisations.models import EventRole, EventRoleKind, OrganisationMember
from tests.accounts.conftest import link_in
from tests.many_events_fixtures import DEFAULT_ORGANISATION_SLUG, event_url

PASSWORD = "Judging-is-fun-2026"
OFFICE = f"/o/{DEFAULT_ORGANISATION_SLUG}"


@pytest.fixture
def event(make_event, make_district):
    return make_event(slug="xuzhou-2026", districts=[make_district("gulou", "鼓楼区", "Gulou District"),
                                                     make_district("pei", "沛县", "Pei County")])


def invite(client, event, **fields):
    data = {"action": "invite", "name": "Li Wei", "email": "li.wei@example.org", "role": "judge",
            "district": "", "locale": "zh_Hans_CN", **fields}
    return client.post(event_url(event, "/people"), data=data)


def accept(client, path, **fields):
    data = {"name": "Li Wei", "name_native": "李伟", "password": PASSWORD, "confirm": PASSWORD,
            "locale": "zh_Hans_CN", "timezone": "Asia/Shanghai", **fields}
    return client.post(path, data=data)


def roles_of(db, user, event):
    return {(row.role, row.district_id) for row in db.session.scalars(
        select(EventRole).where(EventRole.user_id == user.id, EventRole.event_id == event.id))}


def test_organizer_invites_a_judge_to_the_event_who_accepts(login_as, app, mailbox, db, event):
    organizer, _ = login_as("organizer")
    assert invite(organizer, event).status_code == 302
    [message] = mailbox.to("li.wei@example.org")
    assert "邀请" in message["Subject"]
    path = link_in(message)
    invitee = app.test_client()
    page = invitee.get(path).get_data(as_text=True)
    assert 'value="Li Wei"' in page
    assert accept(invitee, path).headers["Location"] == "/dashboard"
    user = db.session.scalar(select(User).where(User.email == "li.wei@example.org"))
    assert roles_of(db, user, event) == {(EventRoleKind.JUDGE, None)}
    assert db.session.scalar(select(OrganisationMember).where(OrganisationMember.user_id == user.id)) is None
    assert user.email_verified_at is not None
    assert user.name_native == "李伟"
    # single use
    response = app.test_client().get(path)
    assert response.status_code == 410
    assert b"already created with this invitation" in response.data


def test_a_recruiter_is_invited_for_a_district_of_the_event(login_as, make_district, mailbox, app, db, event):
    organizer, _ = login_as("organizer")
    response = invite(organizer, event, role="recruiter")
    assert response.status_code == 200
    assert b"Choose the district this recruiter works for." in response.data
    assert b'value="li.wei@example.org"' in response.data
    elsewhere = make_district("tongshan", "铜山区", "Tongshan District")  # the office's, not the event's
    refused = invite(organizer, event, role="recruiter", district=str(elsewhere.id))
    assert refused.status_code == 200
    _gulou, pei = event.districts
    assert invite(organizer, event, role="recruiter", district=str(pei.id)).status_code == 302
    accept(app.test_client(), link_in(mailbox.to("li.wei@example.org")[0]))
    user = db.session.scalar(select(User).where(User.email == "li.wei@example.org"))
    assert roles_of(db, user, event) == {(EventRoleKind.RECRUITER, pei.id)}


def test_an_existing_account_accepts_signed_in_and_keeps_one_account(login_as, app, mailbox, db, event,
                                                                     make_user):
    """judge01 judged last year: invited to this year's event, they keep their account."""
    judge = make_user("applicant", email="li.wei@example.org", name="Li Wei")
    organizer, _ = login_as("organizer")
    assert invite(organizer, event).status_code == 302
    path = link_in(mailbox.to("li.wei@example.org")[0])
    stranger = app.test_client().get(path).get_data(as_text=True)
    assert "Sign in to accept" in stranger
    assert 'name="password"' not in stranger
    other, _ = login_as("applicant")
    assert other.post(path).status_code == 200  # signed in as someone else: nothing is granted
    assert roles_of(db, judge, event) == set()
    client, _ = login_as(judge)
    assert "Accept the invitation" in client.get(path).get_data(as_text=True)
    assert client.post(path).headers["Location"] == "/dashboard"
    assert roles_of(db, judge, event) == {(EventRoleKind.JUDGE, None)}
    assert db.session.scalar(select(User).where(User.email == "li.wei@example.org")).id == judge.id


def test_an_office_invites_an_organizer_who_becomes_its_member(login_as, app, mailbox, db):
    organizer, _ = login_as("organizer")
    response = organizer.post(f"{OFFICE}/invitations", data={
        "name": "Wang Fang", "email": "wang.fang@example.org", "role": "organizer",
        "locale": "en"})
    assert response.status_code == 302
    [message] = mailbox.to("wang.fang@example.org")
    assert "Test Talent Office" in str(message["Subject"])
    accept(app.test_client(), link_in(message), name="Wang Fang", locale="en")
    user = db.session.scalar(select(User).where(User.email == "wang.fang@example.org"))
    member = db.session.scalar(select(OrganisationMember).where(OrganisationMember.user_id == user.id))
    assert member.organisation.slug == DEFAULT_ORGANISATION_SLUG
    assert db.session.scalar(select(EventRole).where(EventRole.user_id == user.id)) is None


def test_an_organizer_of_another_office_cannot_invite_to_this_event(login_as, make_user, make_organisation,
                                                                    db, event):
    outsider = make_user("applicant", email="organizer-xiao@example.org")
    make_organisation("xiao-county", organizers=(outsider,))
    client, _ = login_as(outsider)
    assert invite(client, event).status_code == 403
    assert client.get(f"{OFFICE}/invitations").status_code == 403
    assert db.session.scalar(select(Invitation)) is None


def test_expired_invitation_shows_clear_page_in_both_languages(login_as, app, mailbox, db, event):
    organizer, _ = login_as("organizer")
    invite(organizer, event)
    path = link_in(mailbox.to("li.wei@example.org")[0])
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = app.test_client().get(path)
    assert response.status_code == 410
    assert b"This link has expired" in response.data
    assert b"ask the organizer to send you a new invitation" in response.data
    response = app.test_client().get(path, headers={"Accept-Language": "zh-CN"})
    assert "此链接已过期" in response.get_data(as_text=True)
    assert accept(app.test_client(), path).status_code == 410
    assert db.session.scalar(select(User).where(User.email == "li.wei@example.org")) is None


def test_resend_replaces_the_link_and_revoke_closes_it(login_as, app, mailbox, db, event):
    organizer, _ = login_as("organizer")
    invite(organizer, event)
    old_path = link_in(mailbox.to("li.wei@example.org")[0])
    invitation = db.session.scalar(select(Invitation))
    mailbox.clear()
    assert organizer.post(f"{OFFICE}/invitations/{invitation.id}/resend").status_code == 302
    new_path = link_in(mailbox.to("li.wei@example.org")[0])
    assert new_path != old_path
    assert b"A newer link replaced this one" in app.test_client().get(old_path).data
    assert app.test_client().get(new_path).status_code == 200
    organizer.post(f"{OFFICE}/invitations/{invitation.id}/revoke")
    response = app.test_client().get(new_path)
    assert response.status_code == 410
    assert b"The organizer withdrew this invitation" in response.data


def test_the_offices_invitation_list_shows_each_status_and_event(login_as, mailbox, event):
    organizer, _ = login_as("organizer")
    invite(organizer, event)
    page = organizer.get(f"{OFFICE}/invitations").get_data(as_text=True)
    assert "li.wei@example.org" in page
    assert "Waiting for answer" in page
    assert "Resend" in page
    assert "Revoke" in page
    assert f'href="/e/{event.slug}/people"' in page
    assert "li.wei@example.org" not in organizer.get(f"{OFFICE}/invitations?status=accepted").get_data(as_text=True)
    assert "li.wei@example.org" in organizer.get(event_url(event, "/people")).get_data(as_text=True)


def test_an_address_with_an_open_invitation_to_the_event_is_not_invited_twice(login_as, mailbox, event):
    organizer, _ = login_as("organizer")
    invite(organizer, event)
    response = invite(organizer, event)
    assert b"This address already has an open invitation." in response.data


def test_the_invitation_form_offers_the_events_districts_in_the_readers_language(login_as, make_district,
                                                                                event):
    make_district("tongshan", "铜山区", "Tongshan District")  # the office's, not in this event
    gulou, pei = event.districts
    english, _ = login_as("organizer")
    page = english.get(event_url(event, "/people")).get_data(as_text=True)
    assert f'<option value="{gulou.id}">Gulou District</option>' in page
    assert f'<option value="{pei.id}">Pei County</option>' in page
    assert "Tongshan District" not in page
    chinese, _ = login_as("organizer", locale="zh_Hans_CN")
    page = chinese.get(event_url(event, "/people")).get_data(as_text=True)
    assert f'<option value="{pei.id}">沛县</option>' in page


def test_revoking_a_role_takes_it_back_and_keeps_the_account(login_as, make_user, db, event):
    organizer, _ = login_as("organizer")
    judge = make_user("judge")  # a judge of the office's event
    [row] = db.session.scalars(select(EventRole).where(EventRole.user_id == judge.id)).all()
    response = organizer.post(event_url(event, "/people"), data={"action": "revoke", "role_id": str(row.id)})
    assert response.status_code == 302
    assert roles_of(db, judge, event) == set()
    assert db.session.get(User, judge.id) is not None
