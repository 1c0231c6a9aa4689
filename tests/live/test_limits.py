"""Live rate limits count per user and room, across connections and processes, and the
district's interest note stays bounded (issue 12, item 11)."""

from __future__ import annotations

import logging
import secrets

import pytest
from sqlalchemy import select

from roadshow.live.ratelimit import LiveLimits
from roadshow.review.models import DistrictInterest
from tests.conftest import REDIS_NAMESPACE, free_port
from tests.live.conftest import act


def open_pitch(host):
    assert act(host, "stage", command="open")["ok"]
    assert act(host, "stage", command="call", index=1)["ok"]


def test_new_connections_do_not_reset_the_chat_limit(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    open_pitch(host)
    tabs = [connect(roadshow.recruiter, roadshow.session) for _ in range(4)]
    answers = [act(tabs[i % len(tabs)], "chat", text=f"message {i}") for i in range(20)]
    assert sum(1 for a in answers if a.get("ok")) == 6
    assert answers[-1]["error"] == "rate_limited"
    assert "too fast" in answers[-1]["message"]
    # the host's own count is theirs, and another room's is its own
    assert act(host, "chat", text="still here")["ok"]


def test_questions_are_limited_per_user_across_connections(roadshow, connect):
    host = connect(roadshow.organizer, roadshow.session)
    open_pitch(host)
    tabs = [connect(roadshow.judge, roadshow.session) for _ in range(3)]
    answers = [act(tabs[i % 3], "ask", text=f"Question {i}?") for i in range(9)]
    assert sum(1 for a in answers if a.get("ok")) == 3


def test_docking_is_limited_and_the_interest_note_stays_bounded(roadshow, connect, db):
    host = connect(roadshow.organizer, roadshow.session)
    open_pitch(host)
    tabs = [connect(roadshow.recruiter, roadshow.session) for _ in range(3)]
    answers = [act(tabs[i % 3], "dock", kind="talk" if i % 2 else "interest",
                   note=f"{i} " + "n" * 490) for i in range(10)]
    assert sum(1 for a in answers if a.get("ok")) == 6
    assert {a.get("error") for a in answers if not a.get("ok")} == {"rate_limited"}
    interest = db.session.scalars(select(DistrictInterest)).one()
    db.session.refresh(interest)
    assert len(interest.note) <= 2000
    assert interest.note.endswith("5 " + "n" * 490)  # the newest note is kept


def test_processes_sharing_redis_share_the_count(redis_url):
    namespace = f"{REDIS_NAMESPACE}-{secrets.token_hex(4)}"  # counts of this test alone
    first, second = LiveLimits(redis_url, namespace=namespace), LiveLimits(redis_url, namespace=namespace)
    hits = [(first if i % 2 else second).allow("chat", 7, 42) for i in range(12)]
    assert hits.count(True) == 6
    assert LiveLimits(redis_url, namespace=namespace).allow("chat", 8, 42)  # another room counts anew
    other = LiveLimits(redis_url, namespace=f"{namespace}-other")
    assert other.allow("chat", 7, 42)  # another deployment sharing the Redis counts apart


def test_limits_keep_counting_in_process_while_redis_is_down(caplog):
    limits = LiveLimits(f"redis://127.0.0.1:{free_port()}/0")
    with caplog.at_level(logging.WARNING, logger="roadshow.live"):
        hits = [limits.allow("chat", 1, 1) for _ in range(9)]
    assert hits.count(True) == 6
    assert "fall back to this process" in caplog.text


@pytest.mark.parametrize("what", ["chat", "ask", "vote", "dock"])
def test_every_limited_action_has_a_limit(what):
    limits = LiveLimits(None)
    assert not all(limits.allow(what, 1, 1) for _ in range(100))
