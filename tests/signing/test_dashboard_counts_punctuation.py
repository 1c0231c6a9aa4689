"""The intents card counts intents per state as its reader writes a label and a number: a
full-width colon in Chinese ("签署中：1"), "Out for signature: 1" in English."""

from __future__ import annotations

import re

from roadshow.extensions import db


def _card_text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))


def test_the_intents_card_counts_with_the_readers_colon(client, auth, sent_intent):
    intent = sent_intent()
    organizer = intent.created_by
    organizer.locale = "zh_Hans_CN"
    db.session.commit()
    auth.login(organizer)
    chinese = _card_text(client.get("/dashboard").get_data(as_text=True))
    assert "签署中：1" in chinese
    assert "签署中:" not in chinese
    client.post("/language", data={"locale": "en", "next": "/"})
    english = _card_text(client.get("/dashboard").get_data(as_text=True))
    assert "Out for signature: 1" in english
