"""An invitation whose appointment runs past the reader's midnight names the day it ends: a
Beijing afternoon session reads 22:00 to 01:40 the next day in Los Angeles, not '22:00 – 01:40'."""

from __future__ import annotations

import re

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.scheduling import availability_and_attendance, pitch_sessions, placement, sending
from roadshow.scheduling.models import SlotKind
from tests.many_events_fixtures import event_url


def test_a_session_invite_past_the_readers_midnight_names_the_day_it_ends(
        make_session, make_user, event, organizer, mailbox):
    ps = make_session(start="14:00", end="17:40")
    judge = make_user(Role.JUDGE, timezone="America/Los_Angeles", locale="en")
    availability_and_attendance.set_attendance(db.session, judge, event, [ps.id])
    pitch_sessions.publish(db.session, organizer, event)
    db.session.commit()
    sending.send_invites(db.session, organizer, event)
    [message] = mailbox.to(judge.email)
    text = message.get_body(("plain",)).get_content()
    [line] = [line for line in text.splitlines() if line.startswith("Your time:")]
    assert re.search(r"22:00 \(America/Los_Angeles.*\) – \w{3}, \w{3} \d+, 01:40", line), line
    html = message.get_body(("html",)).get_content()
    assert not re.search(r"</strong> – 01:40", html)


def test_my_pitch_time_past_my_midnight_names_the_day_it_ends(make_session, make_finalist,
                                                              organizer, event, login_as):
    ps = make_session(start="15:50", end="17:00")  # 23:50 in Los Angeles
    finalist = make_finalist("America/Los_Angeles")
    slot = next(s for s in ps.slots if s.kind == SlotKind.PITCH)
    placement.place(db.session, organizer, slot, finalist)
    pitch_sessions.publish(db.session, organizer, event)
    db.session.commit()
    client, _ = login_as(finalist.applicant)
    page = client.get(event_url(event, "/schedule/")).get_data(as_text=True)
    mine = re.search(r"<strong>[^<]*23:50[^<]*</strong> – ([^<]*)</p>", page)
    assert mine is not None
    assert re.match(r"\w{3}, \w{3} \d+, 00:10", mine.group(1)), mine.group(1)
