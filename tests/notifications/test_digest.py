"""The daily digest: one mail at eight in the reader's morning, in their language, with what
came since the last one; then nothing until something new comes."""

from __future__ import annotations

from datetime import UTC, datetime

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.notifications import services
from roadshow.notifications.digest import send_digests
from roadshow.notifications.models import Channel
from tests.many_events_fixtures import build_event


def _assigned(judge, event, num):
    services.notify(db.session, judge, "judge_assigned", url=f"/e/{event.slug}/review/queue",
                    params={"num": num, "event_zh": event.title_zh, "event_en": event.title_en},
                    email_template="review/mail/assigned",
                    email_context={"event": event, "person": judge, "count": num,
                                   "queue_path": f"/e/{event.slug}/review/queue"})


def test_the_digest_goes_out_at_eight_in_the_readers_zone_in_their_language(app, make_user,
                                                                            mailbox):
    event = build_event(db.session, title_en="Cloud Roadshow", title_zh="云端路演")
    toronto = make_user(Role.JUDGE, timezone="America/Toronto")
    shanghai = make_user(Role.JUDGE, timezone="Asia/Shanghai", locale="zh_Hans_CN")
    for judge in (toronto, shanghai):
        services.choose(db.session, judge, "judge_assigned", Channel.DIGEST)
        _assigned(judge, event, 2)
        _assigned(judge, event, 5)
    db.session.commit()
    assert mailbox.messages == []  # nothing at once
    # 00:00 UTC is 08:00 in Shanghai and 19:00 in Toronto (standard time)
    assert send_digests(db.session, datetime(2026, 12, 7, 0, 0, tzinfo=UTC)) == 1
    db.session.commit()
    [digest] = mailbox.to(shanghai.email)
    assert mailbox.to(toronto.email) == []
    body = digest.get_body(("plain",)).get_content()
    assert "云端路演" in body
    assert body.count(f"/e/{event.slug}/review/queue") == 2
    # 13:00 UTC is 08:00 in Toronto
    assert send_digests(db.session, datetime(2026, 12, 7, 13, 0, tzinfo=UTC)) == 1
    db.session.commit()
    [english] = mailbox.to(toronto.email)
    assert english["Subject"] == "Roadshow: 2 notifications since yesterday"
    assert "Cloud Roadshow: 5" in english.get_body(("plain",)).get_content()
    # nothing new: no second digest the next morning
    assert send_digests(db.session, datetime(2026, 12, 8, 0, 0, tzinfo=UTC)) == 0


def test_unsubscribing_from_the_digest_keeps_the_notifications_in_the_app(app, client,
                                                                          make_user, mailbox):
    event = build_event(db.session)
    judge = make_user(Role.JUDGE)
    services.choose(db.session, judge, "judge_assigned", Channel.DIGEST)
    _assigned(judge, event, 1)
    db.session.commit()
    send_digests(db.session, any_hour=True)
    db.session.commit()
    [digest] = mailbox.to(judge.email)
    link = digest.get_body(("plain",)).get_content().split("/notifications/unsubscribe/")[1].split()[0]
    assert client.post(f"/notifications/unsubscribe/{link}").status_code == 200
    db.session.expire_all()
    assert services.choices(db.session, judge)["judge_assigned"] == Channel.APP
    _assigned(judge, event, 1)
    db.session.commit()
    assert send_digests(db.session, any_hour=True) == 0
    assert services.unread_count(db.session, judge) == 2
