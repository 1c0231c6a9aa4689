"""What a submission tells people: the applicant's receipt in the app and by mail, and the
recruiters of each district the application chose (in their daily digest by default)."""

from __future__ import annotations

from sqlalchemy import delete, select

from roadshow.notifications.digest import send_digests
from roadshow.notifications.models import Notification
from roadshow.organisations.models import EventRole
from tests.applications.conftest import pdf_bytes
from tests.applications.test_decks import the_application, upload


def test_a_submission_notifies_the_applicant_and_the_districts_recruiters(
        db, event, applicant_client, make_user, mailbox):
    gulou, pei = event.districts
    gulou_recruiter = make_user("recruiter", district=gulou, locale="zh_Hans_CN")
    pei_recruiter = make_user("recruiter", district=pei)
    outsider = make_user("recruiter", district=gulou)
    # make_user places each recruiter in the event for their district; the outsider is then
    # taken out of it: a Gulou recruiter of another event, told nothing of this one
    db.session.execute(delete(EventRole).where(EventRole.user_id == outsider.id))
    db.session.commit()
    assert {r.user_id for r in db.session.scalars(select(EventRole).where(
        EventRole.event_id == event.id, EventRole.role == "recruiter"))} == {
        gulou_recruiter.id, pei_recruiter.id}
    client, owner = applicant_client
    upload(client, event, pdf_bytes(), action="submit", districts=[str(gulou.id)])
    application = the_application(db)
    assert application.status.value == "submitted"

    mine = db.session.scalars(select(Notification).where(Notification.user_id == owner.id)).all()
    assert [(n.kind, n.url) for n in mine] == [
        ("application_received", f"/e/{event.slug}/applications/{application.id}")]
    [receipt] = mailbox.to(owner.email)
    assert receipt["List-Unsubscribe"] is not None

    told = db.session.scalars(select(Notification).where(
        Notification.kind == "district_new_application")).all()
    assert [n.user_id for n in told] == [gulou_recruiter.id]  # Pei was not chosen
    assert told[0].url == f"/e/{event.slug}/review/docking/{application.id}"
    assert told[0].digest_pending  # districts get these in their daily digest by default
    assert mailbox.to(gulou_recruiter.email) == []
    assert mailbox.to(outsider.email) == []
    send_digests(db.session, any_hour=True)
    db.session.commit()
    [digest] = mailbox.to(gulou_recruiter.email)
    assert "鼓楼区" in digest.get_body(("plain",)).get_content()
