"""The organizer's outbox: list, filter by status, read one, send failed ones again."""

from __future__ import annotations

from sqlalchemy import select

from roadshow.mail.models import OutboxMessage, OutboxStatus
from roadshow.mail.retry import get_job


def message(db, status=OutboxStatus.FAILED, to="someone@example.org", subject="Your slot"):
    row = OutboxMessage(to_address=to, locale="en", subject=subject, body_text="Body text here",
                        raw=f"To: {to}\r\nSubject: {subject}\r\n\r\nBody text here\r\n".encode(),
                        template="scheduling/mail/slot", status=status,
                        error="ConnectionRefusedError" if status == OutboxStatus.FAILED else "")
    db.session.add(row)
    db.session.commit()
    return row


def test_outbox_lists_and_filters_by_status(login_as, db):
    organizer, _ = login_as("organizer")
    message(db, OutboxStatus.SENT, subject="Welcome aboard")
    message(db, OutboxStatus.FAILED, subject="Pitch time changed")
    page = organizer.get("/outbox/").get_data(as_text=True)
    assert "Welcome aboard" in page
    assert "Pitch time changed" in page
    assert "Messages by status" in page
    page = organizer.get("/outbox/?status=failed").get_data(as_text=True)
    assert "Pitch time changed" in page
    assert "Welcome aboard" not in page


def test_organizer_reads_one_message(login_as, db):
    organizer, _ = login_as("organizer")
    row = message(db)
    page = organizer.get(f"/outbox/{row.id}").get_data(as_text=True)
    assert "Body text here" in page
    assert "ConnectionRefusedError" in page
    assert "text/plain" in page


def test_retry_one_delivers_through_smtp(login_as, db, mailbox):
    organizer, _ = login_as("organizer")
    row = message(db, to="retry@example.org")
    response = organizer.post(f"/outbox/{row.id}/retry", follow_redirects=True)
    assert b"The message was delivered." in response.data
    assert len(mailbox.to("retry@example.org")) == 1
    db.session.expire_all()
    assert db.session.get(OutboxMessage, row.id).status == OutboxStatus.SENT


def test_bulk_retry_shows_progress_until_done(login_as, db, mailbox):
    organizer, _ = login_as("organizer")
    for n in range(3):
        message(db, to=f"bulk{n}@example.org")
    response = organizer.post("/outbox/retry")
    assert response.status_code == 302
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    get_job(job_id).thread.join()
    page = organizer.get(f"/outbox/jobs/{job_id}").get_data(as_text=True)
    assert "3 of 3 messages handled: 3 delivered, 0 still failing." in page
    assert "<progress" in page
    assert 'http-equiv="refresh"' not in page
    assert {m["To"] for m in mailbox.messages} == {"bulk0@example.org", "bulk1@example.org", "bulk2@example.org"}
    db.session.expire_all()
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)) is None


def test_outbox_is_reachable_from_the_organizers_dashboard(login_as):
    organizer, _ = login_as("organizer")
    assert 'href="/outbox/"' in organizer.get("/dashboard").get_data(as_text=True)
