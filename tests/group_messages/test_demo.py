"""The demo shows notifications waiting for each printed login (issue 17): a few unread, each
fit for the person's role, dated before the demo's moment, each opening a page they may read."""

from __future__ import annotations

from sqlalchemy import select

from roadshow.accounts.models import User
from roadshow.db import utcnow
from roadshow.group_messages.models import GroupMessage
from roadshow.notifications.models import Notification
from tests.conftest import Auth

PASSWORD = "Roadshow-demo-2026"  # noqa: S105 - the demo's printed password
#: what each printed login is told, at least (kinds of notification among their unread ones)
EXPECTED = {
    "admin": {"job_failed"},
    "organizer": {"group_message_sent", "job_failed", "milestones_overdue", "funnel_digest"},
    "organizer-xiao": {"group_message_sent", "funnel_digest"},
    "judge": {"group_message"},
    "recruiter": {"district_new_application", "signature_waiting"},
    "applicant": {"group_message", "signature_waiting"},
    "shanghai": {"group_message"},
    "tianjin": {"group_message"},
}


def test_each_printed_login_finds_unread_notifications_that_open_its_pages(app, db, loaded_demo):
    now = utcnow()
    for role, email, _password in loaded_demo:
        user = db.session.scalar(select(User).where(User.email == email))
        rows = db.session.scalars(select(Notification).where(
            Notification.user_id == user.id, Notification.in_app.is_(True))).all()
        unread = [n for n in rows if n.read_at is None]
        assert unread, role
        assert EXPECTED.get(role, set()) <= {n.kind for n in unread}, (role, sorted(n.kind for n in unread))
        assert all(n.created_at <= now for n in rows), role
        assert all(n.read_at >= n.created_at for n in rows if n.read_at is not None), role
        client = app.test_client()
        Auth(client).login(user, password=PASSWORD)
        centre = client.get("/notifications").get_data(as_text=True)
        assert "A notification" not in centre  # every kind is known and its words filled
        for url in sorted({n.url for n in unread})[:6]:
            assert client.get(url).status_code == 200, (role, url)
    # the history of each office's messages to groups, with what each sent
    sent = db.session.scalars(select(GroupMessage)).all()
    assert len(sent) >= 5
    assert all(m.sent_count == m.recipient_count > 0 for m in sent)
