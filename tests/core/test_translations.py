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


def test_same_english_has_one_chinese_across_catalogs():
    """The domain catalogs are merged at run time, so one English text must mean one Chinese text;
    otherwise whichever catalog loads last silently changes another domain's pages."""
    from babel.messages.pofile import read_po

    from roadshow.catalogs import po_path
    from roadshow.i18n import CATALOG_DOMAINS

    seen: dict[tuple[str | tuple[str, ...], str | None], dict[str, str | tuple[str, ...]]] = {}
    for domain in CATALOG_DOMAINS:
        path = po_path(domain)
        if not path.exists():
            continue
        with path.open("rb") as fh:
            for message in read_po(fh):
                # plural entries (msgid, msgid_plural) count too: their msgstr[0] is the Chinese
                if message.id and message.string:
                    seen.setdefault((message.id, message.context), {})[domain] = message.string
    clashes = {key[0]: by_domain for key, by_domain in seen.items()
               if len(set(by_domain.values())) > 1}
    assert not clashes, f"same English, different Chinese (use one wording, or pgettext): {clashes}"


@pytest.mark.parametrize("domain", CATALOG_DOMAINS)
def test_chinese_catalogs_have_one_plural_form(domain):
    """Chinese does not inflect for number: one form, msgstr[0], whatever the count."""
    from babel.messages.pofile import read_po

    from roadshow.catalogs import po_path

    with po_path(domain).open("rb") as fh:
        catalog = read_po(fh)
    assert catalog.plural_forms == "nplurals=1; plural=0;"
    for message in catalog:
        if isinstance(message.id, tuple):
            assert len(message.string) == 1, message.id
            assert message.string[0], message.id


def test_counted_messages_are_singular_for_one_in_english_and_the_same_in_chinese(app):
    from flask_babel import force_locale, ngettext

    singular, plural = "%(n)d person found.", "%(n)d people found."
    with app.test_request_context():
        assert [ngettext(singular, plural, n, n=n) for n in (0, 1, 2)] == [
            "0 people found.", "1 person found.", "2 people found."]
        with force_locale(ZH):
            assert [ngettext(singular, plural, n, n=n) for n in (0, 1, 2)] == [
                "共找到 0 人。", "共找到 1 人。", "共找到 2 人。"]
