"""Both languages: every catalog complete, the Chinese catalog really loads, Babel resolves it."""

from __future__ import annotations

import pytest
from babel import Locale
from babel.support import Translations

from roadshow.catalogs import untranslated
from roadshow.i18n import CATALOG_DOMAINS, PACKAGE_DIR, ZH


@pytest.mark.parametrize("domain", CATALOG_DOMAINS)
def test_domain_catalog_has_chinese_for_every_string(domain):
    missing = untranslated(domain)
    assert not missing, (
        f"{len(missing)} string(s) of {domain} lack a Chinese translation; run "
        f"`roadshow i18n update --domain {domain}`, `roadshow i18n missing {domain}` and "
        f"`roadshow i18n fill {domain} <json>`: {missing[:10]}")


def test_catalog_folder_name_resolves_with_babel():
    locale = Locale.parse(ZH)
    assert (locale.language, locale.script, locale.territory) == ("zh", "Hans", "CN")
    folder = PACKAGE_DIR / "core" / "translations"
    assert (folder / ZH / "LC_MESSAGES" / "messages.po").exists()
    translations = Translations.load(str(folder), [locale])
    assert isinstance(translations, Translations), "Babel found no compiled catalog for zh_Hans_CN"
    assert translations.gettext("Sign in") == "登录"


def test_chinese_renders_from_accept_language(client):
    page = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)
    assert "忘记密码？" in page
    assert "Forgot your password?" not in page


def test_chinese_renders_from_the_users_setting(login_as):
    client, _ = login_as("judge", locale="zh_Hans_CN")
    page = client.get("/profile", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert "修改密码" in page
    assert "Change your password" not in page


def test_english_is_the_default(client):
    page = client.get("/login", headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)
    assert "Forgot your password?" in page
