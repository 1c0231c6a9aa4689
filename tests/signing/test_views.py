"""The signing pages: who sees what, drafting, signing by link, downloads, public verification."""

from __future__ import annotations

import base64
import io
import re

import pytest
from PIL import Image

from roadshow.applications.models import Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.organisations import grants
from roadshow.signing import audit_trail, drafting, parties_and_turns
from roadshow.signing import todos as signing_todos
from roadshow.signing.flow import IntentState, SignerRole
from tests.conftest import TEST_PASSWORD, Auth
from tests.many_events_fixtures import event_url
from tests.signing.conftest import code_from


def _client(app, user):
    client = app.test_client()
    Auth(client).login(user)
    return client


def _visible(p):
    """The intents of ``p``'s event its organizer sees."""
    grant = grants.in_event(db.session, p.organizer, p.event)
    return parties_and_turns.visible_intents(db.session, p.organizer, grant, p.event)


def _drawing() -> str:
    image = Image.new("RGBA", (300, 90), (255, 255, 255, 0))
    for x in range(20, 280):
        image.putpixel((x, 45 + (x % 20) - 10), (0, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _sign_by_web(app, intent, signer, mailbox, **overrides):
    client = _client(app, signer.user)
    assert client.post(f"/e/xz/signing/intents/{intent.id}/code").status_code == 302
    data = {"password": TEST_PASSWORD, "code": code_from(mailbox, signer.user),
            "typed_name": signer.user.name, "consent": "y", "signature_data": _drawing()}
    data.update(overrides)
    return client, client.post(f"/e/xz/signing/intents/{intent.id}/sign", data=data)


def test_board_shows_each_role_only_its_intents(app, parties, sent_intent, make_district):
    mine = parties()
    other = parties(district=make_district(code="pei", name_zh="沛县", name_en="Pei County"),
                    organizer=mine.organizer)
    ours, theirs = sent_intent(mine), sent_intent(other)
    organizer_page = _client(app, mine.organizer).get("/e/xz/signing/").get_data(as_text=True)
    assert ours.reference in organizer_page
    assert theirs.reference in organizer_page
    recruiter_page = _client(app, mine.recruiter).get("/e/xz/signing/").get_data(as_text=True)
    assert ours.reference in recruiter_page
    assert theirs.reference not in recruiter_page
    applicant_page = _client(app, mine.applicant).get("/e/xz/signing/").get_data(as_text=True)
    assert ours.reference in applicant_page
    assert theirs.reference not in applicant_page
    assert _client(app, mine.recruiter).get(f"/e/xz/signing/intents/{theirs.id}").status_code == 403


def test_reading_or_downloading_an_intent_leaves_its_last_update_and_its_place_on_the_board(
        app, parties, sent_intent, make_district):
    mine = parties()
    older = sent_intent(mine)
    newer = sent_intent(parties(district=make_district(code="pei", name_zh="沛县", name_en="Pei County"),
                                organizer=mine.organizer))
    last_update = older.updated_at
    organizer = _client(app, mine.organizer)  # signs for the city: a party, so the views are audited
    assert organizer.get(f"/e/xz/signing/intents/{older.id}").status_code == 200
    assert organizer.get(f"/e/xz/signing/intents/{older.id}/preview.pdf").status_code == 200
    db.session.expire_all()
    assert [e.action for e in older.audit_entries][-2:] == ["viewed", "downloaded"]
    assert older.updated_at == last_update
    board = organizer.get("/e/xz/signing/").get_data(as_text=True)
    assert board.index(newer.reference) < board.index(older.reference)


def test_the_events_nav_and_the_signers_todo_lead_to_the_intents(app, sent_intent):
    intent = sent_intent()
    applicant = intent.signers[0].user
    page = _client(app, applicant).get(f"/e/xz/signing/intents/{intent.id}").get_data(as_text=True)
    assert 'href="/e/xz/signing/"' in page  # the event's nav
    with app.test_request_context():
        found = signing_todos.todos(db.session, applicant,
                                    {intent.application.event_id: grants.in_event(
                                        db.session, applicant, intent.application.event)})
    (todo,) = found[intent.application.event_id]
    assert (todo.kind, todo.count, todo.endpoint) == ("intents_to_sign", 1, "signing.sign_intent")
    assert todo.url_values == {"intent_id": intent.id}  # it is the applicant's turn


def test_new_intent_opens_prefilled_from_query_args(app, parties):
    p = parties()
    client = _client(app, p.recruiter)
    response = client.get(f"/e/xz/signing/intents/new?application_id={p.application.id}"
                          f"&district_id={p.district.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "低功耗物联网技术在工业和智慧城市领域的应用" in page
    assert "Gulou District" in page


def test_drafting_and_sending_through_the_pages(app, parties, mailbox):
    p = parties()
    client = _client(app, p.organizer)
    form = client.get(f"/e/xz/signing/intents/new?application_id={p.application.id}"
                      f"&district_id={p.district.id}").get_data(as_text=True)
    fields = dict(re.findall(r'<textarea[^>]*name="([a-z_]+)"[^>]*>\s*([^<]*)</textarea>', form))
    fields.update(application_id=p.application.id, district_id=p.district.id,
                  cooperation_form="joint_rnd", funding_cny="3000000", space_sqm="200",
                  validity_months="12", ordering="sequential", district_signer=p.recruiter.id,
                  city_signer=p.organizer.id)
    fields["location_en"] = "Gulou Science Park"
    response = client.post("/e/xz/signing/intents/new", data=fields)
    assert response.status_code == 302
    intent = _visible(p)[0]
    assert intent.latest_version.content["location"]["en"] == "Gulou Science Park"
    assert client.post(f"/e/xz/signing/intents/{intent.id}/send",
                       data={"expires_in_days": "10"}).status_code == 302
    assert intent.state == IntentState.OUT_FOR_SIGNATURE
    assert mailbox.to(p.applicant.email)


@pytest.mark.parametrize(("locale", "error"), [
    ("en", "Signing must stay open between 1 and 90 days."),
    ("zh_Hans_CN", "签署期限须在 1 至 90 天之间。"),
])
@pytest.mark.parametrize("typed", ["0", "91"])
def test_sending_with_days_out_of_range_says_why_and_keeps_the_number_typed(
        app, draft_intent, mailbox, locale, error, typed):
    intent = draft_intent()
    intent.created_by.locale = locale
    db.session.commit()
    client = _client(app, intent.created_by)
    response = client.post(f"/e/xz/signing/intents/{intent.id}/send", data={"expires_in_days": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    field = re.search(r'<input[^>]*name="expires_in_days"[^>]*>', page).group(0)
    assert f'value="{typed}"' in field
    assert "is-invalid" in field
    assert 'aria-describedby="expires_in_days-error"' in field
    assert f'<div id="expires_in_days-error" class="invalid-feedback d-block w-100 mt-0">{error}</div>' in page
    db.session.refresh(intent)
    assert intent.state == IntentState.DRAFT
    assert mailbox.messages == []
    # corrected, it is sent
    assert client.post(f"/e/xz/signing/intents/{intent.id}/send",
                       data={"expires_in_days": "10"}).status_code == 302
    db.session.refresh(intent)
    assert intent.state == IntentState.OUT_FOR_SIGNATURE


def test_missing_text_is_refused_and_typing_kept(app, parties):
    p = parties()
    client = _client(app, p.organizer)
    response = client.post("/e/xz/signing/intents/new", data={
        "application_id": p.application.id, "district_id": p.district.id,
        "cooperation_form": "joint_rnd", "validity_months": "0", "ordering": "sequential",
        "project_en": "My words stay here"})
    assert response.status_code == 400
    assert "My words stay here" in response.get_data(as_text=True)


@pytest.mark.parametrize(("locale", "message"), [
    ("en", "Enter an amount of yuan from 0 to 10,000,000,000."),
    ("zh_Hans_CN", "请输入 0 到 10,000,000,000 之间的人民币金额。"),
])
def test_funding_over_the_limit_names_the_limit_as_the_reader_writes_numbers(
        app, parties, make_user, locale, message):
    p = parties(organizer=make_user("organizer", locale=locale))
    client = _client(app, p.organizer)
    response = client.post("/e/xz/signing/intents/new", data={
        "application_id": p.application.id, "district_id": p.district.id,
        "cooperation_form": "joint_rnd", "validity_months": "12", "ordering": "sequential",
        "funding_cny": "20000000000", "project_en": "My words stay here"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    errors = re.findall(r'<div class="invalid-feedback d-block">([^<]*)</div>', page)
    assert errors == [message]
    assert "My words stay here" in page
    assert _visible(p) == []


@pytest.mark.parametrize(("field", "value", "message"), [
    ("space_sqm", "1000001", "Enter a number of square metres from 0 to 1,000,000."),
    ("validity_months", "61", "Enter a number of months from 1 to 60."),
    ("validity_months", "0", "Enter a number of months from 1 to 60."),
])
def test_terms_out_of_range_name_their_bounds(app, parties, field, value, message):
    p = parties()
    client = _client(app, p.organizer)
    data = {"application_id": p.application.id, "district_id": p.district.id,
            "cooperation_form": "joint_rnd", "validity_months": "12", "ordering": "sequential"}
    data[field] = value
    response = client.post("/e/xz/signing/intents/new", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_funding_that_is_not_a_number_gets_one_error_not_a_range(app, parties):
    p = parties()
    client = _client(app, p.organizer)
    response = client.post("/e/xz/signing/intents/new", data={
        "application_id": p.application.id, "district_id": p.district.id,
        "cooperation_form": "joint_rnd", "validity_months": "12", "ordering": "sequential",
        "funding_cny": "lots"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Not a valid integer value." in page
    assert "Enter an amount of yuan" not in page


def test_sent_intent_cannot_be_edited_through_the_page(app, sent_intent):
    intent = sent_intent()
    client = _client(app, intent.created_by)
    response = client.get(f"/e/xz/signing/intents/{intent.id}/edit")
    assert response.headers["Location"] == f"/e/xz/signing/intents/{intent.id}"
    refused = client.post(f"/e/xz/signing/intents/{intent.id}/edit", data={"project_en": "changed"},
                          follow_redirects=True)
    assert "content is frozen and can no longer be edited" in refused.get_data(as_text=True)
    db.session.refresh(intent)
    assert len(intent.versions) == 1
    assert intent.latest_version.content["project"]["en"] != "changed"


def test_shared_link_does_not_bypass_the_order(app, sent_intent, make_user):
    intent = sent_intent()
    recruiter = intent.signers[1].user
    client = _client(app, recruiter)
    page = client.get(f"/e/xz/signing/intents/{intent.id}/sign")
    assert "not your turn" in page.get_data(as_text=True)
    refused = client.post(f"/e/xz/signing/intents/{intent.id}/sign", data={
        "password": TEST_PASSWORD, "code": "123456", "typed_name": recruiter.name, "consent": "y"})
    assert refused.status_code == 409
    assert intent.signers[1].acted_at is None
    stranger = _client(app, make_user("applicant"))
    assert stranger.get(f"/e/xz/signing/intents/{intent.id}/sign").status_code == 403


def test_wrong_code_on_the_page_says_so_and_keeps_the_name(app, sent_intent, mailbox):
    intent = sent_intent()
    _client_, response = _sign_by_web(app, intent, intent.signers[0], mailbox, code="999999",
                                      typed_name=intent.signers[0].user.name)
    page = response.get_data(as_text=True)
    if code_from(mailbox, intent.signers[0].user) == "999999":
        return  # one in a million: the guess was right
    assert response.status_code == 400
    assert "The code is not correct" in page
    assert f'value="{intent.signers[0].user.name}"' in page
    # the error sits in the signing card, whose password field takes the focus (and the view),
    # not above the long document
    card = page.split('id="confirm"', 1)[1]
    assert "The code is not correct" in card
    assert re.search(r'<input[^>]*autofocus[^>]*name="password"|<input[^>]*name="password"[^>]*autofocus', card)


def test_signing_through_the_pages_completes_and_serves_the_pdf(app, sent_intent, mailbox):
    intent = sent_intent()
    for signer in list(intent.signers):
        client, response = _sign_by_web(app, intent, signer, mailbox)
        assert response.status_code == 302, response.get_data(as_text=True)
    assert intent.state == IntentState.COMPLETED
    assert intent.signers[0].signature_png.startswith(b"\x89PNG")
    download = client.get(f"/e/xz/signing/intents/{intent.id}/sealed.pdf")
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.data == audit_trail.sealed_pdf_of(db.session, intent)
    assert intent.audit_entries[-1].action == "downloaded"
    image = client.get(f"/e/xz/signing/signers/{intent.signers[0].id}/signature.png")
    assert image.mimetype == "image/png"


def test_decline_through_the_page_needs_a_reason(app, sent_intent):
    intent = sent_intent()
    client = _client(app, intent.signers[0].user)
    response = client.post(f"/e/xz/signing/intents/{intent.id}/decline",
                           data={"decline-reason": "no", "decline-password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "why you decline" in response.get_data(as_text=True)
    response = client.post(f"/e/xz/signing/intents/{intent.id}/decline", data={
        "decline-reason": "We chose another city.", "decline-password": TEST_PASSWORD})
    assert response.status_code == 302
    assert intent.state == IntentState.DECLINED


def test_public_verification_by_upload_and_by_hash(app, client, completed_intent):
    intent = completed_intent()
    data = audit_trail.sealed_pdf_of(db.session, intent)
    response = client.post("/verify-intent", data={"document": (io.BytesIO(data), "intent.pdf")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "Genuine and unaltered" in page
    assert intent.signers[0].typed_name in page
    tampered = bytearray(data)
    at = data.index(b"/Title") + 8
    tampered[at] ^= 1
    response = client.post("/verify-intent", data={"document": (io.BytesIO(bytes(tampered)), "x.pdf")},
                           content_type="multipart/form-data")
    assert "Altered" in response.get_data(as_text=True)
    by_hash = client.post("/verify-intent", data={"sha256": intent.sealed_sha256.upper()})
    assert "Genuine and unaltered" in by_hash.get_data(as_text=True)
    content = client.post("/verify-intent", data={"sha256": intent.content_sha256})
    assert "fingerprint of the text of the intent" in content.get_data(as_text=True)
    unknown = client.post("/verify-intent", data={"sha256": "ab" * 32})
    assert "Not a Roadshow document we know" in unknown.get_data(as_text=True)
    typo = client.post("/verify-intent", data={"sha256": "not a hash"})
    assert typo.status_code == 400
    assert "64 characters" in typo.get_data(as_text=True)


def test_verification_link_and_certificate_are_public(client, completed_intent):
    intent = completed_intent()
    page = client.get(f"/verify-intent/{intent.public_id}")
    assert page.status_code == 200
    assert intent.sealed_sha256[:8] in page.get_data(as_text=True)
    certificate = client.get("/verify-intent/certificate.pem")
    assert certificate.mimetype == "application/x-pem-file"
    assert certificate.data.startswith(b"-----BEGIN CERTIFICATE-----")
    assert client.get("/verify-intent/unknown-id").status_code == 404


def test_pages_say_what_the_signature_is(client):
    page = client.get("/verify-intent").get_data(as_text=True)
    assert "simple electronic signature" in page
    assert "not a qualified" in page


def test_board_shows_an_overdue_intent_as_expired(app, sent_intent):
    from datetime import timedelta

    from roadshow.db import utcnow

    intent = sent_intent()
    intent.expires_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    page = _client(app, intent.created_by).get("/e/xz/signing/?state=expired").get_data(as_text=True)
    assert intent.reference in page
    assert intent.state == IntentState.EXPIRED
    assert intent.audit_entries[-1].action == "expired"


def test_verifying_a_file_that_is_not_a_pdf_says_it_is_unknown(client):
    response = client.post("/verify-intent", data={"document": (io.BytesIO(b"hello"), "x.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    assert "Not a Roadshow document we know" in response.get_data(as_text=True)


def test_city_signers_are_the_organizers_of_the_events_office_only(
        parties, make_user, make_organisation, make_event):
    p = parties()
    elsewhere = make_user("applicant", name="Other Office Organizer")
    other_office = make_organisation(organizers=(elsewhere,))
    make_event(other_office)
    candidates = drafting.candidate_signers(db.session, p.event, p.district)
    assert p.organizer in candidates[SignerRole.CITY]
    assert elsewhere not in candidates[SignerRole.CITY]
    assert candidates[SignerRole.DISTRICT] == [p.recruiter]


def test_draftable_projects_are_the_events_own(parties, make_event, make_user):
    p = parties()
    other = make_event(slug="other-event")
    stranger = Application(event=other, applicant=make_user("applicant"),
                           status=ApplicationStatus.FINALIST, title_en="Elsewhere", title_zh="别处")
    db.session.add(stranger)
    db.session.commit()
    assert drafting.draftable_applications(db.session, p.event) == [p.application]
    assert drafting.draftable_applications(db.session, other) == [stranger]


def test_an_intent_answers_404_under_another_event(app, sent_intent, make_event):
    intent = sent_intent()
    other = make_event(slug="other-event")
    organizer = _client(app, intent.created_by)
    assert organizer.get(f"/e/xz/signing/intents/{intent.id}").status_code == 200
    assert organizer.get(event_url(other, f"/signing/intents/{intent.id}")).status_code == 404
    signer = intent.signers[0]
    assert organizer.get(event_url(other, f"/signing/signers/{signer.id}/signature.png")
                         ).status_code == 404


def test_last_years_intents_stay_readable_and_verifiable_once_the_event_is_archived(
        app, completed_intent):
    intent = completed_intent()
    event = intent.application.event
    event.archived_at = utcnow()
    db.session.commit()
    organizer = _client(app, intent.created_by)
    assert organizer.get(f"/e/xz/signing/intents/{intent.id}").status_code == 200
    sealed = organizer.get(f"/e/xz/signing/intents/{intent.id}/sealed.pdf")
    assert sealed.status_code == 200
    refused = organizer.post(f"/e/xz/signing/intents/{intent.id}/cancel",
                             data={"reason": "changed our minds"})
    assert refused.status_code == 403
    public = app.test_client()
    page = public.get(f"/verify-intent/{intent.public_id}")
    assert page.status_code == 200
    assert intent.reference in page.get_data(as_text=True)
    checked = public.post("/verify-intent", data={
        "document": (io.BytesIO(sealed.data), f"{intent.reference}.pdf")},
        content_type="multipart/form-data")
    assert checked.status_code == 200
    assert "Genuine and unaltered" in checked.get_data(as_text=True)
    db.session.expire_all()
    assert audit_trail.verify_intent_chain(db.session, intent) == []
