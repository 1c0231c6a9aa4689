"""The accounts demo step leaves invitations in every state and mail in the outbox."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from roadshow.accounts import demo as accounts_demo
from roadshow.accounts.models import Invitation
from roadshow.accounts.services import InvitationStatus, invitation_status
from roadshow.demo import organisations, people
from roadshow.demo.context import DemoContext
from roadshow.mail.models import OutboxMessage


def test_demo_invitations_cover_every_status(app, db, mailbox):
    ctx = DemoContext(session=db.session, today=date(2026, 6, 10))
    organisations.load(ctx)
    people.load(ctx)
    db.session.commit()
    accounts_demo.load(ctx)
    db.session.commit()
    invitations = db.session.scalars(select(Invitation)).all()
    assert {invitation_status(i) for i in invitations} == set(InvitationStatus)
    # each to this year's roadshow (an invitation names its event or its office)
    assert {i.event_id for i in invitations} == {ctx.data["event"].id}
    subjects = {m.subject for m in db.session.scalars(select(OutboxMessage))}
    # they name the event (issue 12, item 30)
    assert "邀请您以板块招才专员身份参加徐州市高层次人才“云创荟”" in subjects
    assert "Confirm your email address for Xuzhou High-level Talent “Cloud Roadshow”" in subjects
