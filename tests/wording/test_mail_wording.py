"""Editable mail wording: the registry render_email consults, precedence and the sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from roadshow.mail import wording
from roadshow.mail.wording import MailKind, Override, Placeholder, WordingRefusedError

VERIFY = MailKind("accounts/mail/verify_email", "Email confirmation", (
    Placeholder("user", "The person who registered", None),
    Placeholder("link", "The confirmation link", "https://example.org/verify/x"),
))
REGISTRATION = {
    "name": "Wang Fang", "name_native": "王芳", "email": "wang.fang@example.org",
    "password": "Silk-Road-2026!", "confirm": "Silk-Road-2026!", "locale": "zh_Hans_CN",
    "timezone": "Europe/Paris",
}


@pytest.fixture
def registered_kind() -> Iterator[MailKind]:
    saved = dict(wording._registry.kinds), wording._registry.lookup
    wording.register_kind(VERIFY)
    yield VERIFY
    wording._registry.kinds.clear()
    wording._registry.kinds.update(saved[0])
    wording.install_override_lookup(saved[1])


def test_event_override_beats_organisation_part_by_part():
    chosen = wording.choose([
        Override("organisation", subject="Org subject", body="Org body"),
        Override("event", subject="Event subject", body=None),
    ])
    assert chosen == Override("event", subject="Event subject", body="Org body")
    assert wording.choose([]) is None
    assert wording.choose([Override("organisation")]) is None


@pytest.mark.parametrize("source", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ link.__class__.__init__.__globals__ }}",
])
def test_sandbox_refuses_escapes(source):
    with pytest.raises(WordingRefusedError) as refused:
        wording.render_source(source, {"link": "x"}, {"link"})
    assert refused.value.problem.code == "unsafe"


def test_unknown_placeholder_and_syntax_error_are_refused_with_their_detail():
    unknown = wording.check_source("Hi {{ name }} {{ config }}", {"name"})
    assert (unknown.code, unknown.detail) == ("unknown", "config")
    broken = wording.check_source("Hi {{ name ", {"name"})
    assert broken.code == "syntax"
    assert broken.line == 1
    assert wording.check_source("Hi {{ name|upper }}", {"name"}) is None
    # only the declared names reach the template, whatever else the mail's context holds
    with pytest.raises(WordingRefusedError):
        wording.render_source("{{ secret }}", {"secret": "s"}, {"name"})


def test_no_lookup_or_undeclared_kind_keeps_the_file(registered_kind):
    wording.install_override_lookup(None)
    assert wording.apply(VERIFY.template, "en", {}, "S", "T", "<p>T</p>") == ("S", "T", "<p>T</p>")
    wording.install_override_lookup(lambda *_: Override("event", subject="X"))
    assert wording.apply("accounts/mail/other", "en", {}, "S", "T", None) == ("S", "T", None)


def test_override_failing_at_send_time_keeps_the_file_wording(registered_kind):
    wording.install_override_lookup(lambda *_: Override("event", subject="{{ link }}",
                                                        body="{{ user.missing_attribute.x }}"))
    assert wording.apply(VERIFY.template, "en", {"link": "L", "user": None}, "S", "T", None) \
        == ("S", "T", None)


def test_mail_is_sent_with_the_override_in_the_recipients_language(client, mailbox,
                                                                    registered_kind):
    seen = []

    def lookup(template, locale, context):
        seen.append((template, locale))
        if locale.startswith("zh"):
            return Override("organisation", subject="请确认：{{ user.display_name }}",
                            body="{{ user.display_name }}，请打开 {{ link }}\n")
        return None

    wording.install_override_lookup(lookup)
    client.post("/register", data=REGISTRATION, headers={"Accept-Language": "en"})
    [message] = mailbox.to("wang.fang@example.org")
    assert seen == [(VERIFY.template, "zh_Hans_CN")]
    assert message["Subject"] == "请确认：王芳"
    # the organiser's body is plain text: the file's HTML part goes with it
    assert message.get_content_type() == "text/plain"
    body = message.get_content()
    assert body.startswith("王芳，请打开 http://localhost/verify/")

    client.post("/register", data={**REGISTRATION, "email": "li.lei@example.org", "locale": "en"})
    [english] = mailbox.to("li.lei@example.org")
    assert english["Subject"] == "Confirm your email address for Roadshow"
