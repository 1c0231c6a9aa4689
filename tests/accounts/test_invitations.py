"""Organizers invite judges and recruiters through signed, expiring, single-use links."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from roadshow.accounts.models import Invitation, User
from roadshow.accounts.roles import Role
from roadshow.db import utcnow
from tests.accounts.conftest import link_in

PASSWORD = "Judging-is-fun-2026"


def invite(client, **fields):
    data = {"name": "Li Wei", "email": "li.wei@example.org", "role": "judge", "district": "",
            "locale": "zh_Hans_CN", **fields}
    return client.post("/organizer/invitations", data=data)


def accept(client, path, **fields):
    data = {"name": "Li Wei", "name_native": "李伟", "password": PASSWORD, "confirm": PASSWORD,
            "locale": "zh_Hans_CN", "timezone": "Asia/Shanghai", **fields}
    return client.post(path, data=data)


def test_organizer_invites_judge_who_accepts(login_as, app, mailbox, db):
    organizer, _ = login_as("organizer")
    assert invite(organizer).status_code == 302
    [message] = mailbox.to("li.wei@example.org")
    assert "邀请" in message["Subject"]
    path = link_in(message)
    invitee = app.test_client()
    page = invitee.get(path).get_data(as_text=True)
    assert 'value="Li Wei"' in page
    assert accept(invitee, path).headers["Location"] == "/dashboard"
    user = db.session.scalar(select(User).where(User.email == "li.wei@example.org"))
    assert user.role == Role.JUDGE
    assert user.email_verified_at is not None
    assert user.name_native == "李伟"
    # single use
    response = app.test_client().get(path)
    assert response.status_code == 410
    assert b"already created with this invitation" in response.data


def test_recruiter_invitation_needs_a_district(login_as, make_district, mailbox, app, db):
    organizer, _ = login_as("organizer")
    response = invite(organizer, role="recruiter")
    assert response.status_code == 200
    assert b"Choose the district this recruiter works for." in response.data
    assert b'value="li.wei@example.org"' in response.data
    district = make_district()
    assert invite(organizer, role="recruiter", district=str(district.id)).status_code == 302
    accept(app.test_client(), link_in(mailbox.to("li.wei@example.org")[0]))
    user = db.session.scalar(select(User).where(User.email == "li.wei@example.org"))
    assert user.role == Role.RECRUITER
    assert user.district_id == district.id


def test_expired_invitation_shows_clear_page_in_both_languages(login_as, app, mailbox, db):
    organizer, _ = login_as("organizer")
    invite(organizer)
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


def test_resend_replaces_the_link_and_revoke_closes_it(login_as, app, mailbox, db):
    organizer, _ = login_as("organizer")
    invite(organizer)
    old_path = link_in(mailbox.to("li.wei@example.org")[0])
    invitation = db.session.scalar(select(Invitation))
    mailbox.clear()
    assert organizer.post(f"/organizer/invitations/{invitation.id}/resend").status_code == 302
    new_path = link_in(mailbox.to("li.wei@example.org")[0])
    assert new_path != old_path
    assert b"A newer link replaced this one" in app.test_client().get(old_path).data
    assert app.test_client().get(new_path).status_code == 200
    organizer.post(f"/organizer/invitations/{invitation.id}/revoke")
    response = app.test_client().get(new_path)
    assert response.status_code == 410
    assert b"The organizer withdrew this invitation" in response.data


def test_invitation_list_shows_status(login_as, mailbox):
    organizer, _ = login_as("organizer")
    invite(organizer)
    page = organizer.get("/organizer/invitations").get_data(as_text=True)
    assert "li.wei@example.org" in page
    assert "Waiting for answer" in page
    assert "Resend" in page
    assert "Revoke" in page
    assert "li.wei@example.org" not in organizer.get("/organizer/invitations?status=accepted").get_data(as_text=True)


def test_cannot_invite_an_existing_account(login_as, make_user):
    organizer, _ = login_as("organizer")
    make_user("judge", email="li.wei@example.org")
    response = invite(organizer)
    assert b"An account with this email address already exists." in response.data


def test_invitation_form_offers_every_district_in_the_readers_language(login_as, make_district):
    """Districts build on accounts: the form lists them through accounts' DISTRICT_LISTERS."""
    pei = make_district("pei", "沛县", "Pei County")
    gulou = make_district("gulou", "鼓楼区", "Gulou District")
    english, _ = login_as("organizer")
    page = english.get("/organizer/invitations").get_data(as_text=True)
    assert f'<option value="{gulou.id}">Gulou District</option>' in page
    assert f'<option value="{pei.id}">Pei County</option>' in page
    chinese, _ = login_as("organizer", locale="zh_Hans_CN")
    page = chinese.get("/organizer/invitations").get_data(as_text=True)
    assert f'<option value="{pei.id}">沛县</option>' in page
