"""A new event copied from an old one (issue 13, §4): signing copies nothing yet. Intents are
drafted from the districts' offers, which come along with the districts; the old event's
intents, versions, signers and audit trails are personal records and stay with it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from roadshow.db import utcnow
from roadshow.events import signals
from roadshow.events.copying import CopyData, copy_event
from roadshow.extensions import db
from roadshow.scoping import scoped
from roadshow.signing import copying, drafting
from roadshow.signing.models import AuditEntry, Intent, IntentVersion, Signer


def test_signing_listens_to_copied_events():
    assert copying.copy_signing in list(signals.event_copied.receivers_for("events"))


def test_a_copied_event_holds_no_intent_of_its_source_and_drafts_from_the_same_offers(
        completed_intent, parties):
    intent = completed_intent()
    source = intent.application.event
    before = {model: db.session.scalar(select(func.count()).select_from(model))
              for model in (Intent, IntentVersion, Signer, AuditEntry)}
    result = copy_event(db.session, intent.created_by, source, CopyData(
        title_zh="新一届路演", title_en="Next year's roadshow", slug="xz-next",
        kind="roadshow", main_day=(utcnow() + timedelta(days=365)).date(),
        timezone="Asia/Shanghai"))
    db.session.commit()
    target = result.event
    for model in (Intent, IntentVersion, Signer, AuditEntry):
        assert db.session.scalar(scoped(select(func.count()).select_from(model), target)) == 0
        assert db.session.scalar(select(func.count()).select_from(model)) == before[model]
    assert drafting.draftable_applications(db.session, target) == []
    # the district's offer, which a first draft is made from, is the same row in both events
    p = parties(district=intent.district, organizer=intent.created_by)
    assert drafting.default_draft(p.application, intent.district).texts["talent_policy"] == (
        drafting.default_draft(intent.application, intent.district).texts["talent_policy"])
