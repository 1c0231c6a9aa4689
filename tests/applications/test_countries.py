"""The nationality and country lists: countries only, named and ordered as their reader expects."""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

from roadshow import countries
from roadshow.applications.models import Application, ApplicationStatus
from roadshow.extensions import db
from tests.many_events_fixtures import event_url


def _options(page: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
    return [(v, t) for v, t in re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', select) if v]


def test_the_chinese_nationality_list_is_in_pinyin_order_and_names_chinas_regions_as_china_does(login_as):
    client, user = login_as("applicant", locale="zh_Hans_CN")
    page = client.get("/apply/profile").get_data(as_text=True)
    options = _options(page, "nationality")
    names = [name for _code, name in options]
    codes = [code for code, _name in options]
    assert len(options) == 249  # ISO 3166-1: no "European Union", "Canary Islands", ...
    assert "台湾" not in names
    assert dict(options)["TW"] == "中国台湾"
    assert dict(options)["HK"] == "中国香港"
    assert dict(options)["MO"] == "中国澳门"
    assert names[0] == "阿尔巴尼亚"  # a, not the code point order's 丹麦 (U+4E39)
    # China and its regions stand together, and the whole list follows the pinyin
    china = codes.index("CN")
    assert set(codes[china:china + 4]) == {"CN", "TW", "HK", "MO"}
    keys = [lazy_pinyin(n, style=Style.TONE3, neutral_tone_with_five=True) for n in names]
    assert keys == sorted(keys)
    assert _options(page, "country_of_residence") == options


def test_the_english_list_is_alphabetical_without_regard_to_accents(login_as):
    client, _user = login_as("applicant", locale="en")
    names = [n for _c, n in _options(client.get("/apply/profile").get_data(as_text=True), "nationality")]
    assert names.index("Åland Islands") == names.index("Afghanistan") + 1
    assert "Taiwan, China" in names
    assert "European Union" not in names


def test_a_saved_nationality_is_shown_by_its_name_in_the_readers_language(app, make_user):
    assert countries.country_name("NL", "zh_Hans_CN") == "荷兰"
    assert countries.country_name("tw", "en") == "Taiwan, China"
    assert countries.country_name("", "en") == ""
    db.session.rollback()


def test_the_organizers_country_filter_lists_names_in_the_readers_order(login_as, event, make_user):
    for code in ("US", "DE", "NL", "TW"):
        applicant = make_user("applicant")
        db.session.add(Application(event_id=event.id, applicant_id=applicant.id, country=code,
                                   status=ApplicationStatus.SUBMITTED, title_en=f"From {code}"))
    db.session.commit()
    client, _ = login_as("organizer", locale="zh_Hans_CN")
    page = client.get(event_url(event, "/organizer/applications")).get_data(as_text=True)
    assert [n for _c, n in _options(page, "country")] == ["德国", "荷兰", "美国", "中国台湾"]
