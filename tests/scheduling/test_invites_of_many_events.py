"""Calendar invites of two events of one office (issue 13): the rows of a deleted session belong
to its event, whose next sending cancels them; another event's sending leaves them alone."""

from __future__ import annotations

from typing import Any

import pytest

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.scheduling import (
    availability_and_attendance,
    calendar_entries,
    figures,
    pitch_sessions,
    sending,
)
from roadshow.scheduling.models import CalendarInvite, InviteMethod
from tests.scheduling.test_many_events import finalist, place_and_publish, session_of

pytestmark = pytest.mark.no_default_organisation


def rows_of(event: Any) -> dict[tuple[int, str], tuple[InviteMethod, int, int | None]]:
    db.session.expire_all()
    return {(r.user_id, r.uid): (r.method, r.sequence, r.session_id)
            for r in db.session.scalars(db.select(CalendarInvite)
                                        .where(CalendarInvite.event_id == event.id))}


def test_a_deleted_sessions_cancellations_wait_for_its_own_events_sending(
        make_user, make_organisation, make_event, grant, mailbox):
    organizer = make_user(Role.ORGANIZER, name="Office organizer")
    jun = make_user(Role.JUDGE, name="Jun Judge")
    dana = make_user(Role.APPLICANT, name="Dana Whitfield")
    eli = make_user(Role.APPLICANT, name="Eli Okonkwo")
    office = make_organisation(organizers=(organizer,))
    a = make_event(office, phase="roadshow", slug="office-2026", title_en="Roadshow 2026")
    b = make_event(office, phase="roadshow", slug="office-2026-autumn",
                   title_en="Autumn roadshow 2026")
    grant(jun, a, Role.JUDGE)
    grant(jun, b, Role.JUDGE)
    in_a = session_of(a, organizer, "A morning")
    pitch_a = finalist(a, dana, "Batteries")
    place_and_publish(a, organizer, in_a, pitch_a)
    in_b = session_of(b, organizer, "B morning")
    place_and_publish(b, organizer, in_b, finalist(b, eli, "Sensors"))
    for event, pitch_session in ((a, in_a), (b, in_b)):
        availability_and_attendance.set_attendance(db.session, jun, event, [pitch_session.id])
    db.session.commit()
    session_a_uid = calendar_entries.session_uid(in_a)

    first = sending.send_invites(db.session, organizer, a)
    assert first.requests == first.total > 0
    assert first.cancels == 0
    sent_to_a = rows_of(a)
    # the judge and the organizer hold A's session, Dana her pitch; every row names A
    assert set(sent_to_a) == {(jun.id, session_a_uid), (organizer.id, session_a_uid),
                              (dana.id, calendar_entries.pitch_uid(pitch_a.id, a))}
    assert {method for method, _seq, _session in sent_to_a.values()} == {InviteMethod.REQUEST}

    pitch_sessions.delete_session(db.session, organizer, in_a)
    db.session.commit()
    orphaned = rows_of(a)
    assert {session for _m, _s, session in orphaned.values()} == {None}  # the way to A is gone
    mailbox.clear()

    # B's sending invites to B only: A's rows are neither cancelled nor taken over
    other = sending.send_invites(db.session, organizer, b)
    assert other.cancels == 0
    assert other.requests == other.total == len(rows_of(b)) > 0
    assert rows_of(a) == orphaned
    assert all(uid != session_a_uid and not uid.startswith(f"pitch-{a.id}-")
               for _user, uid in rows_of(b))
    assert figures.sent_counts(db.session, b) == {"REQUEST": other.requests}
    assert dana.email not in {str(m["To"]) for m in mailbox.messages}  # her pitch was A's

    # A's next sending cancels its deleted session in every calendar that held it
    cancelled = sending.send_invites(db.session, organizer, a)
    assert cancelled.cancels == cancelled.total == len(orphaned)
    after = rows_of(a)
    assert set(after) == set(orphaned)
    for key, (method, sequence, _session) in after.items():
        assert method == InviteMethod.CANCEL
        assert sequence > orphaned[key][1]
    assert figures.sent_counts(db.session, a) == {"CANCEL": len(orphaned)}
    # and nothing more: sending again is quiet for both events
    assert sending.send_invites(db.session, organizer, a).total == 0
    assert sending.send_invites(db.session, organizer, b).total == 0
