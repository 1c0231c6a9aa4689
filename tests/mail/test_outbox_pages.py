"""The platform administrator's outbox (issue 13: the administrator's alone): list, filter by status, read one, send failed ones again."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from roadshow.mail.models import OutboxMessage, OutboxStatus
from roadshow.mail.outbox import Recipient, build_message


def message(db, status=OutboxStatus.FAILED, to="someone@example.org", subject="Your slot", headers=""):
    row = OutboxMessage(to_address=to, locale="en", subject=subject, body_text="Body text here",
                        raw=f"To: {to}\r\nSubject: {subject}\r\n{headers}\r\nBody text here\r\n".encode(),
                        template="scheduling/mail/slot", status=status,
                        error="ConnectionRefusedError" if status == OutboxStatus.FAILED else "")
    db.session.add(row)
    db.session.commit()
    return row


def test_outbox_lists_and_filters_by_status(login_as, db):
    admin, _ = login_as("applicant", is_platform_admin=True)
    message(db, OutboxStatus.SENT, subject="Welcome aboard")
    message(db, OutboxStatus.FAILED, subject="Pitch time changed")
    page = admin.get("/outbox/").get_data(as_text=True)
    assert "Welcome aboard" in page
    assert "Pitch time changed" in page
    assert "Messages by status" in page
    page = admin.get("/outbox/?status=failed").get_data(as_text=True)
    assert "Pitch time changed" in page
    assert "Welcome aboard" not in page


def test_the_administrator_reads_one_message(login_as, db):
    admin, _ = login_as("applicant", is_platform_admin=True)
    row = message(db)
    page = admin.get(f"/outbox/{row.id}").get_data(as_text=True)
    assert "Body text here" in page
    assert "ConnectionRefusedError" in page
    assert "text/plain" in page


SENT_0333_UTC = "Sun, 22 Nov 2026 03:33:47 +0000"


@pytest.mark.parametrize(("locale", "shown"), [
    ("en", "Sun, Nov 22, 2026, 11:33 (Asia/Shanghai, GMT+08:00)"),
    ("zh_Hans_CN", "2026年11月22日周日 11:33 (Asia/Shanghai, GMT+08:00)"),
])
@pytest.mark.parametrize("date_header", [SENT_0333_UTC, "Sat, 21 Nov 2026 22:33:47 -0500"])
def test_message_date_header_is_shown_in_the_readers_zone(login_as, db, locale, shown, date_header):
    admin, _ = login_as("applicant", is_platform_admin=True, locale=locale, timezone="Asia/Shanghai")
    row = message(db, headers=f"Date: {date_header}\r\n")
    page = admin.get(f"/outbox/{row.id}").get_data(as_text=True)
    assert f'<th scope="row">Date</th><td>{shown}</td>' in page
    assert date_header not in page


def test_message_date_header_with_unknown_zone_is_read_as_utc(login_as, db):
    admin, _ = login_as("applicant", is_platform_admin=True, timezone="Europe/Berlin")
    row = message(db, headers="Date: Sun, 22 Nov 2026 03:33:47 -0000\r\n")
    page = admin.get(f"/outbox/{row.id}").get_data(as_text=True)
    assert "Sun, Nov 22, 2026, 04:33 (Europe/Berlin, GMT+01:00)" in page


def test_message_date_header_that_does_not_parse_is_shown_as_written(login_as, db):
    admin, _ = login_as("applicant", is_platform_admin=True)
    row = message(db, headers="Date: sometime last week\r\n")
    page = admin.get(f"/outbox/{row.id}").get_data(as_text=True)
    assert '<th scope="row">Date</th><td>sometime last week</td>' in page


def test_composed_message_shows_no_raw_header_date(login_as, db):
    admin, _ = login_as("applicant", is_platform_admin=True, timezone="Asia/Shanghai")
    composed = build_message(recipient=Recipient("someone@example.org", "en", "Europe/Berlin"),
                             subject="Your slot", text="Body text here", html=None,
                             sender="roadshow@example.org")
    row = message(db)
    row.raw = composed.as_bytes()
    db.session.commit()
    page = admin.get(f"/outbox/{row.id}").get_data(as_text=True)
    date_row = page.split('<th scope="row">Date</th><td>', 1)[1].split("</td>", 1)[0]
    assert date_row.endswith("(Asia/Shanghai, GMT+08:00)")
    assert composed["Date"] not in page


def test_retry_one_delivers_through_smtp(login_as, db, mailbox):
    admin, _ = login_as("applicant", is_platform_admin=True)
    row = message(db, to="retry@example.org")
    response = admin.post(f"/outbox/{row.id}/retry", follow_redirects=True)
    assert b"The message was delivered." in response.data
    assert len(mailbox.to("retry@example.org")) == 1
    db.session.expire_all()
    assert db.session.get(OutboxMessage, row.id).status == OutboxStatus.SENT


def test_bulk_retry_shows_progress_until_done(login_as, db, mailbox):
    admin, _ = login_as("applicant", is_platform_admin=True)
    for n in range(3):
        message(db, to=f"bulk{n}@example.org")
    response = admin.post("/outbox/retry")  # a background job (run at once in tests)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/jobs/")
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 of 3 messages handled: 3 delivered, 0 still failing." in page
    assert "<progress" in page
    assert 'http-equiv="refresh"' not in page
    assert {m["To"] for m in mailbox.messages} == {"bulk0@example.org", "bulk1@example.org", "bulk2@example.org"}
    db.session.expire_all()
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)) is None


def test_outbox_is_reachable_from_the_administrators_dashboard(login_as):
    admin, _ = login_as("applicant", is_platform_admin=True)
    assert 'href="/outbox/"' in admin.get("/dashboard").get_data(as_text=True)


def test_the_outbox_is_the_administrators_alone(login_as, db):
    row = message(db)
    organizer, _ = login_as("organizer")
    for path in ("/outbox/", f"/outbox/{row.id}"):
        assert organizer.get(path).status_code == 403
    assert organizer.post(f"/outbox/{row.id}/retry").status_code == 403
    assert organizer.post("/outbox/retry").status_code == 403
    assert 'href="/outbox/"' not in organizer.get("/dashboard").get_data(as_text=True)


def _body_of(page: str) -> str:
    return page.split("<pre", 1)[1].split(">", 1)[1].split("</pre>", 1)[0]


def test_links_in_a_message_body_open_from_the_outbox(login_as, db):
    admin, _ = login_as("applicant", is_platform_admin=True)
    row = message(db)
    row.body_text = ("Please confirm your email address by opening this link (it works for three days):\n\n"
                     "http://127.0.0.1:5050/accounts/confirm/abc.def?next=/dashboard&lang=zh.\n\n"
                     "见 https://roadshow.example.org/schedule/，谢谢")
    db.session.commit()
    body = _body_of(admin.get(f"/outbox/{row.id}").get_data(as_text=True))
    # the sentence's full stop and the Chinese comma stay text; the query string is kept whole
    assert ('<a href="http://127.0.0.1:5050/accounts/confirm/abc.def?next=/dashboard&amp;lang=zh" '
            'target="_blank" rel="noopener noreferrer">'
            "http://127.0.0.1:5050/accounts/confirm/abc.def?next=/dashboard&amp;lang=zh</a>.") in body
    assert ('见 <a href="https://roadshow.example.org/schedule/" target="_blank" '
            'rel="noopener noreferrer">https://roadshow.example.org/schedule/</a>，谢谢') in body
    assert body.count("<a ") == 2


def test_markup_in_a_message_body_is_shown_as_text_never_run(login_as, db):
    admin, _ = login_as("applicant", is_platform_admin=True)
    row = message(db)
    row.body_text = ('<script>alert("x")</script> <a href="javascript:alert(1)">click</a> '
                     'javascript:alert(2) https://evil.example.org/"onmouseover="alert(3)')
    db.session.commit()
    body = _body_of(admin.get(f"/outbox/{row.id}").get_data(as_text=True))
    assert "<script" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body
    assert "&lt;a href=&#34;javascript:alert(1)&#34;&gt;click&lt;/a&gt;" in body
    # only the http(s) URL is a link, and it ends before the quote
    assert body.count("<a ") == 1
    assert ('<a href="https://evil.example.org/" target="_blank" rel="noopener noreferrer">'
            'https://evil.example.org/</a>&#34;onmouseover=&#34;alert(3)') in body
