"""The page checks catch what they are there to catch (so a green tour means something)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e import checks

pytestmark = pytest.mark.e2e


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    yield context.new_page()
    context.close()


def show(page: Any, body: str, lang: str = "zh-Hans-CN") -> None:
    page.set_content(f'<!doctype html><html lang="{lang}"><head><title>工作台</title></head>'
                     f"<body><main>{body}</main></body></html>")


def test_axe_reports_an_unlabelled_field_and_passes_a_labelled_one(page):
    show(page, '<form><input type="text" name="q"></form>')
    assert "label" in {v["id"] for v in checks.axe_violations(page)}
    show(page, '<form><label for="q">检索</label><input id="q" type="text" name="q"></form>')
    assert checks.axe_violations(page) == []


def test_english_interface_string_on_a_chinese_page_is_reported(page):
    show(page, '<h1>工作台</h1><button type="button">Sign out</button>'
               '<p>Times are shown in Asia/Shanghai, GMT+08:00.</p>')
    assert checks.untranslated_strings(page) == ["Sign out", "Times are shown in Asia/Shanghai, GMT+08:00."]


def test_english_on_purpose_is_not_reported(page):
    show(page, '<button type="button" lang="en">English</button>'
               '<p data-user-content>Sign out</p><h2>Low-power IoT for smart cities</h2>')
    assert checks.untranslated_strings(page) == []


def test_time_without_its_zone_is_reported(page):
    show(page, "<p>路演开始：6月11日 09:00</p>")
    assert checks.naive_times(page) == ["路演开始：6月11日 09:00"]


@pytest.mark.parametrize("body", [
    "<p>2026年6月11日 周四 09:00 (Asia/Shanghai, GMT+08:00)</p>",
    "<p><span>09:00–09:20</span> <small>(Asia/Shanghai, GMT+08:00)</small></p>",
    "<table><thead><tr><th>时间 (Asia/Shanghai, GMT+08:00)</th></tr></thead><tbody><tr><td>09:00</td></tr></tbody></table>",
    '<p>剩余 <span role="timer">04:59</span></p>',
    "<p>剩余 1:04:59</p>",
])
def test_time_with_its_zone_or_a_duration_is_accepted(page, body):
    show(page, body)
    assert checks.naive_times(page) == []


@pytest.mark.parametrize("body", [
    "<p>总计落在当地 09:00-19:00 之外 0 分钟</p>",
    "<p>0 minutes outside 09:00-19:00 local</p>",
    '<svg><text x="0" y="10">18:00</text></svg>',
    '<p class="form-text">例如：10:30-10:45</p>',
])
def test_local_hours_chart_labels_and_input_examples_are_not_naive_times(page, body):
    show(page, body)
    assert checks.naive_times(page) == []


def test_page_title_repeating_an_english_heading_marked_as_such_is_not_reported(page):
    page.set_content('<!doctype html><html lang="zh-Hans-CN"><head><title>Sign out · 云路演</title></head>'
                     '<body><main><h1 lang="en">Sign out</h1></main></body></html>')
    assert checks.untranslated_strings(page) == []
    page.set_content('<!doctype html><html lang="zh-Hans-CN"><head><title>Sign out · 云路演</title></head>'
                     '<body><main><h1>退出</h1></main></body></html>')
    assert checks.untranslated_strings(page) == ["Sign out"]
