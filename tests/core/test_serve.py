"""`roadshow serve` on another port than the default base URL still lets live rooms connect."""

from __future__ import annotations

import pytest
from flask import Flask

from roadshow.commands import adopt_served_origin
from roadshow.extensions import socketio


def test_serving_on_a_loopback_port_accepts_that_origin_for_live_rooms(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROADSHOW_BASE_URL", raising=False)
    monkeypatch.setattr(socketio.server.eio, "cors_allowed_origins",
                        socketio.server.eio.cors_allowed_origins)

    adopt_served_origin(app, "127.0.0.1", 5102)

    assert app.config["PUBLIC_BASE_URL"] == "http://127.0.0.1:5102"
    assert "http://127.0.0.1:5102" in app.config["LIVE_ALLOWED_ORIGINS"]
    assert "http://localhost:5102" in socketio.server.eio.cors_allowed_origins


def test_an_explicit_base_url_is_kept_when_serving(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROADSHOW_BASE_URL", "https://roadshow.example.org")
    before = app.config["PUBLIC_BASE_URL"]

    adopt_served_origin(app, "127.0.0.1", 5102)

    assert app.config["PUBLIC_BASE_URL"] == before
