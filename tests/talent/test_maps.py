"""The pool's maps: a bubble per country over the coastlines, China's province tiles (Taiwan,
Hong Kong and Macao among them), drawn from the people counted and from data shipped with
Roadshow; withdrawn people and other offices' people are not on them."""

from __future__ import annotations

import math
import re

import pytest

from roadshow.accounts.roles import Role
from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.organisations.models import OrganisationMember, OrganisationRole
from roadshow.talent import maps
from tests.many_events_fixtures import build_organisation, org_url
from tests.talent.records import add_person

pytestmark = pytest.mark.no_default_organisation


def test_a_bubble_s_area_is_in_proportion_to_its_count():
    world = maps.world_map([("US", 100), ("NL", 25), ("AU", 1)], str.lower, max_radius=20,
                           min_radius=0.1)
    radii = {bubble.code: bubble.r for bubble in world.bubbles}
    assert radii["US"] == 20
    assert radii["NL"] == pytest.approx(10, abs=0.1)  # a quarter of the people, half the radius
    assert radii["AU"] == pytest.approx(2, abs=0.1)
    assert [bubble.code for bubble in world.bubbles] == ["US", "NL", "AU"]  # largest drawn first
    assert [bubble.label for bubble in world.bubbles] == ["us", "nl", "au"]


def test_bubbles_sit_where_the_countries_are():
    world = maps.world_map([("US", 1), ("CN", 1), ("AU", 1), ("NL", 1)], str)
    at = {bubble.code: (bubble.x, bubble.y) for bubble in world.bubbles}

    def longitude(x: float) -> float:
        return x / 2.5 - 180

    def latitude(y: float) -> float:
        return 84 - y / 2.5

    assert -125 < longitude(at["US"][0]) < -70
    assert 30 < latitude(at["US"][1]) < 48
    assert 75 < longitude(at["CN"][0]) < 120
    assert 25 < latitude(at["CN"][1]) < 45
    assert 115 < longitude(at["AU"][0]) < 150
    assert -35 < latitude(at["AU"][1]) < -18
    assert 3 < longitude(at["NL"][0]) < 7
    assert 51 < latitude(at["NL"][1]) < 54
    assert world.land.startswith("M")
    assert world.land.count("Z") > 100


def test_a_code_the_map_has_no_point_for_is_listed_not_lost():
    world = maps.world_map([("US", 3), ("ZZ", 2), ("", 5), ("NL", 0)], str)
    assert [bubble.code for bubble in world.bubbles] == ["US"]
    assert world.unplaced == (("ZZ", 2),)


def test_the_tile_map_holds_every_province_level_division_of_china():
    china = maps.province_tile_map({}, lambda place: place.code)
    codes = {tile.code for tile in china.tiles}
    assert len(codes) == 34
    assert {"710000", "810000", "820000", "110000", "650000", "540000"} <= codes
    assert len({(tile.column, tile.row) for tile in china.tiles}) == 34  # no two on one spot
    assert (china.columns, china.rows) == (8, 8)
    assert {tile.level for tile in china.tiles} == {0}


@pytest.mark.parametrize(("count", "largest", "expected"), [
    (0, 10, 0), (1, 10, 1), (2, 10, 1), (3, 10, 2), (10, 10, 5), (9, 10, 5), (1, 1000, 1),
    (5, 0, 0),
])
def test_a_tile_is_shaded_in_five_steps_of_the_largest_count(count, largest, expected):
    assert maps.level(count, largest) == expected


@pytest.mark.parametrize(("name", "short"), [
    ("广西壮族自治区", "广西"), ("新疆维吾尔自治区", "新疆"), ("宁夏回族自治区", "宁夏"),
    ("内蒙古自治区", "内蒙古"), ("西藏自治区", "西藏"), ("北京市", "北京"), ("江苏省", "江苏"),
    ("香港特别行政区", "香港"), ("台湾省", "台湾"),
])
def test_a_tile_shows_the_short_name_of_its_province(name, short):
    assert maps.short_name(name) == short


@pytest.fixture
def office(app, make_user):
    organizer = make_user(Role.ORGANIZER, email="maps@example.org")
    office = build_organisation(db.session, "office-maps", organizers=(organizer,))
    other = build_organisation(db.session, "office-other")
    for n in range(3):
        add_person(office, name_zh=f"美国{n}", residence_country="US")
    add_person(office, name_zh="荷兰", residence_country="NL")
    add_person(office, name_zh="上海人", residence_country="CN", residence_city="上海")
    add_person(office, name_zh="苏州人", residence_country="CN", residence_city="苏州")
    add_person(office, name_zh="南京人", residence_country="CN", residence_city="南京")
    add_person(office, name_zh="台北人", residence_country="TW", residence_city="台北")
    gone = add_person(office, name_zh="退出", residence_country="AU")
    gone.withdrawn_at = utcnow()
    add_person(other, name_zh="别处", residence_country="CA")
    db.session.commit()
    return {"office": office, "organizer": organizer}


def _tile(text: str, name: str) -> tuple[str, int]:
    found = re.search(r'<g class="map-tile map-level-(\d)">\s*<rect[^>]*><title>'
                      + re.escape(name) + r": (\d+)</title>", text)
    assert found, name
    return found.group(1), int(found.group(2))


def test_the_charts_page_maps_the_people_of_the_office(office, login_as):
    client, _ = login_as(office["organizer"])
    text = client.get(org_url(office["office"], "/talent/charts")).text
    assert "<title>United States: 3</title>" in text
    assert "<title>Netherlands: 1</title>" in text
    assert "<title>Taiwan, China: 1</title>" in text
    assert "Australia" not in text  # withdrawn
    assert "Canada" not in text     # another office's
    assert _tile(text, "Jiangsu") == ("5", 2)   # 苏州 and 南京
    assert _tile(text, "Shanghai") == ("3", 1)
    assert _tile(text, "Taiwan") == ("3", 1)     # from the residence country
    assert _tile(text, "Tibet") == ("0", 0)
    big, small = (float(re.search(rf"r=\"([\d.]+)\" class=\"map-bubble\"><title>{name}",
                                  text).group(1)) for name in ("United States", "Netherlands"))
    assert big / small == pytest.approx(math.sqrt(3), rel=0.05)


def test_the_maps_speak_chinese(office, login_as, make_user):
    reader = make_user(Role.ORGANIZER, email="maps-zh@example.org", locale="zh_Hans_CN")
    db.session.add(OrganisationMember(organisation=office["office"], user=reader,
                                      role=OrganisationRole.ORGANIZER))
    db.session.commit()
    client, _ = login_as(reader)
    text = client.get(org_url(office["office"], "/talent/charts")).text
    assert "<title>美国: 3</title>" in text
    assert "<title>中国台湾: 1</title>" in text
    assert _tile(text, "江苏") == ("5", 2)
    assert _tile(text, "台湾") == ("3", 1)
    assert _tile(text, "内蒙古") == ("0", 0)


def test_names_are_written_under_the_largest_bubbles_where_there_is_room():
    world = maps.world_map([("CN", 300), ("US", 120), ("DE", 50), ("NL", 40), ("BE", 30),
                            ("AU", 35)], str)
    named = {bubble.code for bubble in world.bubbles if bubble.labelled}
    assert {"CN", "US", "DE", "AU"} <= named
    assert not {"NL", "BE"} & named  # next door to Germany: no room for their names
