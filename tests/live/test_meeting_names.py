"""A follow-up meeting's Chinese description names the applicant by their Chinese name."""

from __future__ import annotations

from datetime import timedelta

from roadshow.accounts.models import User
from roadshow.applications.models import Application
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.live.meetings import meeting_occurrence
from roadshow.live.models import DockingRequest


def test_the_follow_up_meeting_names_the_applicant_in_chinese_in_the_chinese_text(app):
    applicant = User(email="yu.xu@example.org", name="Yu Xu", name_native="徐宇")
    application = Application(applicant=applicant, title_en="Sensors", title_zh="传感器")
    district = District(code="gulou", name_zh="鼓楼区", name_en="Gulou District")
    start = utcnow() + timedelta(days=3)
    docking = DockingRequest(application=application, district=district, meeting_uid="m-1@test",
                             meeting_sequence=0, meeting_starts_at=start,
                             meeting_ends_at=start + timedelta(minutes=45), meeting_url="")
    occurrence = meeting_occurrence(docking, applicant, [])
    assert "传感器（徐宇）" in occurrence.description_zh
    assert "Sensors (Yu Xu)" in occurrence.description_en
