"""Helpers for the account tests: reading links out of the emails we really sent."""

from __future__ import annotations

import re
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, "the message has no text part"
    return part.get_content()


def link_in(message: EmailMessage) -> str:
    """The path of the first link to this site in a message's text."""
    match = re.search(r"http://localhost(/\S+)", text_of(message))
    assert match, f"no link in: {text_of(message)}"
    return urlsplit(match.group(0)).path


@pytest.fixture
def read_link():
    return link_in
