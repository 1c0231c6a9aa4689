"""Demo step: the organizer's invitations in every state, and sign-ups still to confirm.

Runs after the people step. The invitation and confirmation emails go through the outbox like
real ones (kept there when no SMTP server is configured), so the organizer's outbox has mail.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from werkzeug.security import generate_password_hash

from roadshow.accounts import services
from roadshow.accounts.models import Invitation, User
from roadshow.accounts.roles import Role
from roadshow.db import utcnow
from roadshow.demo.context import DEMO_PASSWORD, DemoContext

TITLE = "Invitations and sign-ups"


def load(ctx: DemoContext) -> None:
    organizer = ctx.data["organizer"]
    districts = ctx.data["districts"]
    event = ctx.data["event"]  # this year's roadshow: judges and recruiters are invited to it
    config = current_app.config
    links = {"secret_key": config["SECRET_KEY"], "base_url": config["PUBLIC_BASE_URL"]}
    max_age = config["INVITATION_MAX_AGE_DAYS"]
    now = utcnow()

    # waiting for an answer: a judge from abroad and a second recruiter for the zone; made here
    # for this year's roadshow and mailed as the people page mails an invitation
    zone = next((d for d in districts if d.kind == "zone"), districts[0])
    for email, name, role, district, locale in [
        ("maria.rossi@example.org", "Prof. Maria Rossi", Role.JUDGE, None, "en"),
        ("chen.jing@example.org", "陈静", Role.RECRUITER, zone, "zh_Hans_CN"),
    ]:
        invitation = Invitation(email=email, name=name, role=role, district=district,
                                locale=locale, invited_by=organizer, event=event,
                                expires_at=now + timedelta(days=max_age))
        ctx.session.add(invitation)
        ctx.session.flush()
        services.resend_invitation(ctx.session, invitation, max_age_days=max_age, **links)
    ctx.progress(TITLE, 1, 3)

    # history: accepted by the first judge, one expired, one withdrawn
    first_judge = ctx.data["judges"][0]
    ctx.session.add_all([
        Invitation(email=first_judge.email, name=first_judge.name, role=Role.JUDGE,
                   locale=first_judge.locale, invited_by=organizer, event=event,
                   created_at=now - timedelta(days=40), expires_at=now - timedelta(days=26),
                   accepted_at=now - timedelta(days=39)),
        Invitation(email="late.reply@example.org", name="Zhou Ming", role=Role.RECRUITER,
                   district=districts[1], locale="zh_Hans_CN", invited_by=organizer, event=event,
                   created_at=now - timedelta(days=20), expires_at=now - timedelta(days=6)),
        Invitation(email="wrong.address@example.org", name="Wang Lei", role=Role.JUDGE,
                   locale="zh_Hans_CN", invited_by=organizer, event=event,
                   created_at=now - timedelta(days=10), expires_at=now + timedelta(days=4),
                   revoked_at=now - timedelta(days=9)),
    ])
    ctx.progress(TITLE, 2, 3)

    # two applicants who registered today through the roadshow's apply link and have not
    # confirmed their address yet: the email names the event and leads back to its form
    password_hash = generate_password_hash(DEMO_PASSWORD)
    for email, name, locale, zone_name in [
        ("new.applicant@example.org", "Lukas Weber", "en", "Europe/Berlin"),
        ("xin.shenqing@example.org", "Xin Yu", "zh_Hans_CN", "America/Vancouver"),
    ]:
        user = User(email=email, password_hash=password_hash, role=Role.APPLICANT, name=name,
                    locale=locale, timezone=zone_name)
        ctx.session.add(user)
        ctx.session.flush()
        services.send_verification(ctx.session, user, event=event, **links)
    ctx.progress(TITLE, 3, 3)
