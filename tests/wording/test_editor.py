"""The wording editor: organisers rewrite a mail per office and per event, see it filled in with
their data in both languages, test it on themselves and go back to the default; real mails
(aiosmtpd) say what they saved; another office sees and changes nothing."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select

from roadshow.extensions import db
from roadshow.mail.outbox import queue_email
from roadshow.wording import kinds
from roadshow.wording.models import MailWording
from tests.many_events_fixtures import event_url, org_url

ZH = "zh_Hans_CN"
FINALIST = "review/mail/finalist"


@pytest.fixture
def office(make_organisation, make_event, make_user) -> SimpleNamespace:
    organizer = make_user("organizer", email="li.na@example.org", name="Li Na")
    organisation = make_organisation(organizers=(organizer,), name_en="Xuzhou Talent Office",
                                     name_zh="徐州市人才办")
    event = make_event(organisation, title_en="Cloud Roadshow 2026", title_zh="云创荟2026",
                       organizer_name_en="Xuzhou Talent Office", organizer_name_zh="徐州市人才办")
    other = make_event(organisation, title_en="Spring Roadshow", title_zh="春季路演")
    return SimpleNamespace(organizer=organizer, organisation=organisation, event=event,
                           other=other)


def _finalist_mail(event: Any, email: str, locale: str = "en") -> None:
    """The mail review sends a finalist, with the context review gives it."""
    applicant = SimpleNamespace(email=email, locale=locale, timezone="Europe/Berlin",
                                display_name="Zhang Wei")
    application = SimpleNamespace(id=55, applicant=applicant, event=event,
                                  title_en="Aerospace metal additive manufacturing",
                                  title_zh="航空金属增材研发")
    queue_email(applicant, FINALIST, {"application": application, "event": event})
    db.session.commit()


def _text(message: Any) -> str:
    return message.get_content().replace("\r\n", "\n")  # SMTP's line ends


def _save(client: Any, url: str, subject: str, body: str, action: str = "save") -> Any:
    return client.post(url, data={"subject": subject, "body": body, "action": action})


def test_office_wording_is_saved_and_used_by_a_real_mail(office, login_as, mailbox):
    client, _user = login_as(office.organizer)
    url = org_url(office.organisation, "/mail-wording/review-finalist/en")
    response = _save(client, url, "Good news for {{ project }}",
                     "Dear {{ name }},\n{{ event }} chose {{ project }}: {{ link }}\n")
    assert response.status_code == 302
    [row] = db.session.scalars(select(MailWording)).all()
    assert (row.organisation_id, row.event_id, row.locale) == (office.organisation.id, None, "en")
    assert row.updated_by_id == office.organizer.id

    _finalist_mail(office.event, "zhang.wei@example.org")
    [message] = mailbox.to("zhang.wei@example.org")
    assert message["Subject"] == "Good news for Aerospace metal additive manufacturing"
    assert _text(message).startswith(
        "Dear Zhang Wei,\nCloud Roadshow 2026 chose Aerospace metal additive manufacturing: "
        f"http://localhost/e/{office.event.slug}/applications/55")
    # the other language keeps the file's wording
    _finalist_mail(office.event, "chen.jing@example.org", ZH)
    [chinese] = mailbox.to("chen.jing@example.org")
    assert "云创荟2026" in chinese["Subject"]
    assert "Good news" not in chinese["Subject"]


def test_event_wording_beats_the_office_part_by_part(office, login_as, mailbox):
    client, _user = login_as(office.organizer)
    _save(client, org_url(office.organisation, "/mail-wording/review-finalist/zh_Hans_CN"),
          "办公室标题：{{ project }}", "办公室正文 {{ name }}\n")
    response = _save(client, event_url(office.event, "/mail-wording/review-finalist/zh_Hans_CN"),
                     "活动标题：{{ event }}", "")
    assert response.status_code == 302
    _finalist_mail(office.event, "a@example.org", ZH)
    _finalist_mail(office.other, "b@example.org", ZH)
    [this_event] = mailbox.to("a@example.org")
    [other_event] = mailbox.to("b@example.org")
    assert this_event["Subject"] == "活动标题：云创荟2026"
    assert _text(this_event) == "办公室正文 Zhang Wei\n"  # the office's body
    assert other_event["Subject"] == "办公室标题：航空金属增材研发"


@pytest.mark.parametrize(("locale", "subject", "expected"), [
    ("en", "Hi {{ name }} {{ config }}", "Unknown placeholder: config."),
    (ZH, "Hi {{ name }} {{ config }}", "未知的占位符：config。"),
    ("en", "Hi {{ name ", "does not read as a template (line 1)"),
    (ZH, "Hi {{ name ", "无法作为模板读取（第 1 行）"),
    ("en", "{{ ''.__class__.__mro__ }}", "tries to reach beyond its placeholders"),
    (ZH, "{{ name.__class__.__init__.__globals__ }}", "试图越出占位符"),
    ("en", "{{ name + 1 }}", "cannot be filled in with the placeholders&#39; values"),
])
def test_bad_wording_is_refused_beside_the_field_with_the_text_kept(office, login_as, locale,
                                                                   subject, expected):
    office.organizer.locale = locale  # the refusal speaks the organiser's language
    db.session.commit()
    client, _user = login_as(office.organizer)
    response = _save(client, org_url(office.organisation, "/mail-wording/review-finalist/en"),
                     subject, "Body kept {{ name }}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert expected in page
    assert 'id="subject-error"' in page
    assert "Body kept {{ name }}" in page  # nothing typed is lost
    assert db.session.scalars(select(MailWording)).first() is None


def test_preview_fills_in_the_draft_with_the_offices_data_in_both_languages(office, login_as):
    client, _user = login_as(office.organizer)
    _save(client, event_url(office.event, "/mail-wording/review-finalist/zh_Hans_CN"),
          "中文：{{ event }}", "")
    response = _save(client, event_url(office.event, "/mail-wording/review-finalist/en"),
                     "Preview of {{ event }} for {{ name }}", "", action="preview")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview of Cloud Roadshow 2026 for Li Na" in page  # the draft, unsaved
    assert "中文：云创荟2026" in page  # the other language as it is saved
    assert db.session.scalars(select(MailWording.locale)).all() == [ZH]


def test_every_kind_opens_with_its_default_in_both_languages(office, login_as):
    client, _user = login_as(office.organizer)
    listing = client.get(org_url(office.organisation, "/mail-wording")).get_data(as_text=True)
    for key, kind in kinds.BY_KEY.items():
        assert f'id="kind-{key}"' in listing
        response = client.get(event_url(office.event, f"/mail-wording/{key}/en"))
        assert response.status_code == 200, kind.template
        page = response.get_data(as_text=True)
        assert 'id="default-zh_Hans_CN"' in page
        for placeholder in kind.placeholders:
            assert "{{ " + placeholder.name + " }}" in page


def test_test_send_arrives_and_restore_brings_the_default_back(office, login_as, mailbox):
    client, _user = login_as(office.organizer)
    url = event_url(office.event, "/mail-wording/review-finalist/en")
    response = _save(client, url, "Test for {{ name }}", "Hello {{ name }} of {{ event }}\n",
                     action="test")
    assert response.status_code == 200
    assert "A test mail was sent to li.na@example.org." in response.get_data(as_text=True)
    [test] = mailbox.to("li.na@example.org")
    assert test["Subject"] == "Test for Li Na"
    assert _text(test) == "Hello Li Na of Cloud Roadshow 2026\n"

    _save(client, url, "Saved {{ event }}", "")
    assert db.session.scalars(select(MailWording)).first() is not None
    restored = client.post(url, data={"action": "restore"})
    assert restored.status_code == 302
    assert db.session.scalars(select(MailWording)).first() is None
    _finalist_mail(office.event, "back@example.org")
    [message] = mailbox.to("back@example.org")
    assert message["Subject"] == "Your project is a finalist: Cloud Roadshow 2026"


def test_another_office_neither_sees_nor_changes_the_wording(office, login_as, make_organisation,
                                                              make_user, make_event):
    stranger = make_user("organizer", email="other@example.org")
    theirs = make_organisation(organizers=(stranger,))
    make_event(theirs)
    client, _user = login_as(stranger)
    assert client.get(org_url(theirs, "/mail-wording")).status_code == 200
    for url in (org_url(office.organisation, "/mail-wording"),
                org_url(office.organisation, "/mail-wording/review-finalist/en"),
                event_url(office.event, "/mail-wording"),
                event_url(office.event, "/mail-wording/review-finalist/en")):
        assert client.get(url).status_code in (403, 404), url
        if url.endswith("/en"):
            assert _save(client, url, "Mine {{ name }}", "").status_code in (403, 404), url
    assert db.session.scalars(select(MailWording)).first() is None
    # an unknown kind or language is no page
    own, _user = login_as(office.organizer)
    assert own.get(org_url(office.organisation, "/mail-wording/nope-nope/en")).status_code == 404
    assert own.get(org_url(office.organisation, "/mail-wording/review-finalist/fr")).status_code \
        == 404


def test_the_editor_is_linked_from_the_office_settings_and_the_event_settings(office, login_as):
    client, _user = login_as(office.organizer)
    settings = client.get(org_url(office.organisation, "/settings")).get_data(as_text=True)
    assert f'href="{org_url(office.organisation, "/mail-wording")}"' in settings
    manage = client.get(event_url(office.event, "/manage")).get_data(as_text=True)
    assert f'href="{event_url(office.event, "/mail-wording")}"' in manage
