"""The schedule editor and the calendar invitation's Chinese text name a finalist by their
Chinese name when they have one."""

from __future__ import annotations

from roadshow.extensions import db
from roadshow.scheduling import calendar_entries, pitch_sessions, placement
from roadshow.scheduling.models import SlotKind
from tests.many_events_fixtures import event_url


def test_the_chinese_editor_and_invitation_name_the_finalist_in_chinese(
        make_session, make_finalist, organizer, event, login_as):
    finalist = make_finalist("Asia/Shanghai", name="Yu Xu")
    finalist.applicant.name_native = "徐宇"
    ps = make_session(start="09:00", end="11:00")
    slot = next(s for s in ps.slots if s.kind == SlotKind.PITCH)
    placement.place(db.session, organizer, slot, finalist)
    organizer.locale = "zh_Hans_CN"
    db.session.commit()
    client, _ = login_as(organizer)
    editor = client.get(event_url(event, "/schedule/manage")).get_data(as_text=True)
    assert "<strong>徐宇</strong>" in editor
    assert "<strong>Yu Xu</strong>" not in editor
    pitch_sessions.publish(db.session, organizer, event)
    pitch = next(d.occurrence for d in calendar_entries.deliveries(db.session, event)
                 if d.user.id == finalist.applicant_id)
    assert "路演人：徐宇。" in pitch.description_zh
    assert "Presenter: Yu Xu." in pitch.description_en
