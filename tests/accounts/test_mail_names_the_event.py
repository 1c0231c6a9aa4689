"""Sign-up and invitation emails say which event and which city they are about."""

from __future__ import annotations

from roadshow.extensions import db
from tests.events.factories import build_event

STRONG = "Roadshow-Sign-up-2026"
FORM = {"name": "Ada Lovelace", "name_native": "", "password": STRONG, "confirm": STRONG,
        "locale": "en", "timezone": "Europe/London"}


def _event():  # type: ignore[no-untyped-def]
    event = build_event(db.session, title_zh="徐州市高层次人才“云创荟”",
                        title_en="Xuzhou High-level Talent Cloud Roadshow",
                        organizer_name_zh="徐州市人才办", organizer_name_en="Xuzhou Talent Office")
    db.session.commit()
    return event


def test_the_sign_up_confirmation_names_the_event_and_the_city(client, mailbox):
    _event()
    client.post("/register", data={**FORM, "email": "ada@example.org"})
    [message] = mailbox.to("ada@example.org")
    assert "Xuzhou High-level Talent Cloud Roadshow" in str(message["Subject"])
    text = message.get_body(("plain",)).get_content()
    assert "Xuzhou High-level Talent Cloud Roadshow" in text
    assert "Xuzhou Talent Office" in text
    html = message.get_body(("html",)).get_content()
    assert "Xuzhou Talent Office" in html


def test_the_invitation_names_the_event_and_the_city_in_the_invitees_language(login_as, mailbox):
    _event()
    organizer, _ = login_as("organizer")
    organizer.post("/organizer/invitations", data={
        "name": "Li Wei", "email": "li.wei@example.org", "role": "judge", "district": "",
        "locale": "zh_Hans_CN"})
    [message] = mailbox.to("li.wei@example.org")
    assert "徐州市高层次人才“云创荟”" in str(message["Subject"])
    text = message.get_body(("plain",)).get_content()
    assert "徐州市人才办邀请您" in text
    assert "徐州市高层次人才“云创荟”" in text


def test_the_chinese_confirmation_is_one_sentence_run_without_latin_spaces(client, mailbox):
    _event()
    client.post("/register", data={**FORM, "email": "xin@example.org", "locale": "zh_Hans_CN"})
    [message] = mailbox.to("xin@example.org")
    text = message.get_body(("plain",)).get_content()
    assert "感谢您注册申报徐州市高层次人才“云创荟”（主办：徐州市人才办）。请打开" in text
