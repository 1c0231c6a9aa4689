"""The zone list: canonical IANA names with their offset; old aliases only when someone uses one."""

from __future__ import annotations

from datetime import UTC, datetime

from roadshow.accounts.zones import canonical_zones, zone_choices

SUMMER = datetime(2026, 7, 1, tzinfo=UTC)
WINTER = datetime(2026, 1, 15, tzinfo=UTC)


def test_canonical_zones_leave_out_old_aliases():
    zones = canonical_zones()
    assert "Asia/Shanghai" in zones
    assert "Asia/Kolkata" in zones
    assert "Asia/Calcutta" not in zones
    assert "America/Atka" not in zones
    assert "UTC" in zones


def test_labels_show_the_offset_of_the_day():
    assert dict(zone_choices(SUMMER))["Europe/Paris"] == "Europe/Paris (GMT+02:00)"
    assert dict(zone_choices(WINTER))["Europe/Paris"] == "Europe/Paris (GMT+01:00)"
    assert dict(zone_choices(WINTER))["America/St_Johns"] == "America/St Johns (GMT-03:30)"


def test_a_users_old_alias_stays_choosable():
    assert "Asia/Calcutta" in dict(zone_choices(SUMMER, keep="Asia/Calcutta"))


def test_registration_keeps_an_alias_the_browser_sent(client):
    client.set_cookie("tz", "Asia/Calcutta")
    page = client.get("/register").get_data(as_text=True)
    assert 'selected value="Asia/Calcutta"' in page
