"""The intent's draft form labels its project and district with the reader's colon."""

from __future__ import annotations

import re


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))


def test_the_draft_form_labels_with_a_full_width_colon_in_chinese(client, auth, parties):
    p = parties()
    p.organizer.locale = "zh_Hans_CN"
    auth.login(p.organizer)
    url = f"/e/xz/signing/intents/new?application_id={p.application.id}&district_id={p.district.id}"
    chinese = _text(client.get(url).get_data(as_text=True))
    assert "项目： 低功耗物联网技术" in chinese
    assert "板块： 鼓楼区" in chinese
    assert "项目:" not in chinese
    client.post("/language", data={"locale": "en", "next": "/"})
    english = _text(client.get(url).get_data(as_text=True))
    assert "Project: Low-power IoT" in english
    assert "District: Gulou District" in english
