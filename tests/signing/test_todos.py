"""Signing's to-dos for the dashboard's event cards (issue 13, §4): the intents waiting for the
reader's signature and the drafts not sent, per event, in the reader's language."""

from __future__ import annotations

from flask_babel import force_locale

from roadshow.extensions import db
from roadshow.organisations import grants
from roadshow.signing import todos


def _grants(user, *events):
    return {event.id: grants.in_event(db.session, user, event) for event in events}


def test_the_signer_whose_turn_it_is_has_one_intent_to_sign(sent_intent):
    intent = sent_intent()
    applicant, recruiter = intent.signers[0].user, intent.signers[1].user
    event = intent.application.event
    (todo,) = todos.todos(db.session, applicant, _grants(applicant, event))[event.id]
    assert (todo.kind, todo.count, todo.due_at) == ("intents_to_sign", 1, intent.expires_at)
    # the district signs after the applicant: nothing for its recruiter yet
    assert todos.todos(db.session, recruiter, _grants(recruiter, event)) == {}


def test_drafts_are_counted_for_the_organizer_and_the_districts_recruiter_only(
        parties, draft_intent, make_district):
    mine = parties()
    other = parties(district=make_district(code="pei", name_zh="沛县", name_en="Pei County"),
                    organizer=mine.organizer)
    draft_intent(mine)
    draft_intent(other)
    event = mine.event
    organizer = todos.todos(db.session, mine.organizer, _grants(mine.organizer, event))[event.id]
    assert [(t.kind, t.count) for t in organizer] == [("intent_drafts", 2)]
    recruiter = todos.todos(db.session, mine.recruiter, _grants(mine.recruiter, event))[event.id]
    assert [(t.kind, t.count) for t in recruiter] == [("intent_drafts", 1)]
    assert todos.todos(db.session, mine.applicant, _grants(mine.applicant, event)) == {}


def test_the_todo_reads_in_the_readers_language(parties, draft_intent):
    p = parties()
    draft_intent(p)
    with force_locale("zh_Hans_CN"):
        (chinese,) = todos.todos(db.session, p.organizer, _grants(p.organizer, p.event))[p.event.id]
    with force_locale("en"):
        (english,) = todos.todos(db.session, p.organizer, _grants(p.organizer, p.event))[p.event.id]
    assert english.label == "1 draft intent not sent for signing yet"
    assert chinese.label == "1份意向书草稿尚未发出签署"


def test_the_dashboard_leads_the_signer_to_the_intent(app, client, auth, sent_intent):
    intent = sent_intent()
    auth.login(intent.signers[0].user)
    page = client.get("/dashboard").get_data(as_text=True)
    assert f'href="/e/xz/signing/intents/{intent.id}/sign"' in page
    assert "1 intent waits for your signature" in page
