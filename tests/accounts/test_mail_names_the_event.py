"""Sign-up and invitation emails say which event and which city they are about: the event whose
apply link brought the newcomer (``/register?event=<slug>``), the event or the office an
invitation is to (issue 13); without either, they speak of the platform."""

from __future__ import annotations

from roadshow.extensions import db
from tests.accounts.conftest import link_in
from tests.events.factories import build_event
from tests.many_events_fixtures import event_url

STRONG = "Roadshow-Sign-up-2026"
FORM = {"name": "Ada Lovelace", "name_native": "", "password": STRONG, "confirm": STRONG,
        "locale": "en", "timezone": "Europe/London"}


def _event():  # type: ignore[no-untyped-def]
    event = build_event(db.session, slug="xuzhou-cloud-roadshow",
                        title_zh="徐州市高层次人才“云创荟”",
                        title_en="Xuzhou High-level Talent Cloud Roadshow",
                        organizer_name_zh="徐州市人才办", organizer_name_en="Xuzhou Talent Office")
    db.session.commit()
    return event


def test_the_sign_up_confirmation_names_the_event_and_the_city(client, mailbox):
    event = _event()
    page = client.get(f"/register?event={event.slug}").get_data(as_text=True)
    assert "You are signing up to apply to Xuzhou High-level Talent Cloud Roadshow." in page
    client.post(f"/register?event={event.slug}", data={**FORM, "event": event.slug,
                                                        "email": "ada@example.org"})
    [message] = mailbox.to("ada@example.org")
    assert "Xuzhou High-level Talent Cloud Roadshow" in str(message["Subject"])
    text = message.get_body(("plain",)).get_content()
    assert "Xuzhou High-level Talent Cloud Roadshow" in text
    assert "Xuzhou Talent Office" in text
    html = message.get_body(("html",)).get_content()
    assert "Xuzhou Talent Office" in html
    # the confirmation link leads on to the event's application form
    response = client.get(link_in(message) + f"?event={event.slug}")
    assert response.headers["Location"] == event_url(event, "/apply")


def test_a_sign_up_without_an_event_speaks_of_the_platform(client, mailbox):
    _event()
    client.post("/register", data={**FORM, "email": "ada@example.org"})
    [message] = mailbox.to("ada@example.org")
    assert str(message["Subject"]) == "Confirm your email address for Roadshow"


def test_the_invitation_names_the_event_and_the_city_in_the_invitees_language(login_as, mailbox):
    event = _event()
    organizer, _ = login_as("organizer")
    organizer.post(event_url(event, "/people"), data={
        "action": "invite", "name": "Li Wei", "email": "li.wei@example.org", "role": "judge",
        "district": "", "locale": "zh_Hans_CN"})
    [message] = mailbox.to("li.wei@example.org")
    assert "徐州市高层次人才“云创荟”" in str(message["Subject"])
    text = message.get_body(("plain",)).get_content()
    assert "徐州市人才办邀请您" in text
    assert "徐州市高层次人才“云创荟”" in text


def test_the_chinese_confirmation_is_one_sentence_run_without_latin_spaces(client, mailbox):
    event = _event()
    client.post("/register", data={**FORM, "event": event.slug, "email": "xin@example.org",
                                   "locale": "zh_Hans_CN"})
    [message] = mailbox.to("xin@example.org")
    text = message.get_body(("plain",)).get_content()
    assert "感谢您注册申报徐州市高层次人才“云创荟”（主办：徐州市人才办）。请打开" in text
