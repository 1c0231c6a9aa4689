"""Security headers and cookies on every response; production needs a configured secret."""

from __future__ import annotations

import pytest

from roadshow import create_app


def session_cookie(response) -> str:
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


def test_content_security_policy_forbids_inline_script_and_framing(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_inline_script_in_pages(client):
    page = client.get("/register").get_data(as_text=True)
    for chunk in page.split("<script")[1:]:
        assert chunk.lstrip().startswith("src="), "inline <script> found; the CSP would block it"


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    user = make_user("judge")
    response = client.post("/login", data={"email": user.email, "password": "Correct-horse-42"})
    cookie = session_cookie(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_cookies_are_secure_behind_https(app_config, tmp_path):
    config = {**app_config, "PUBLIC_BASE_URL": "https://roadshow.example.org",
              "INSTANCE_PATH": str(tmp_path / "https"),
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'https.db'}"}
    config.pop("SESSION_COOKIE_SECURE", None)
    app = create_app(config)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    client = app.test_client()
    response = client.post("/language", data={"locale": "en", "next": "/"},
                           base_url="https://roadshow.example.org")
    assert "Secure" in session_cookie(response)
    assert "Strict-Transport-Security" in response.headers
    with app.app_context():
        from roadshow.extensions import db

        db.engine.dispose()


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("ROADSHOW_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="ROADSHOW_SECRET_KEY"):
        create_app({"ENV": "production", "INSTANCE_PATH": str(tmp_path / "prod"),
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.db'}"})


def test_production_starts_with_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("ROADSHOW_SECRET_KEY", "a-long-production-secret")
    app = create_app({"ENV": "production", "INSTANCE_PATH": str(tmp_path / "prod"),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.db'}"})
    assert app.config["SECRET_KEY"] == "a-long-production-secret"
    assert not (tmp_path / "prod" / "secret_key").exists()


def test_development_keeps_a_generated_secret_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("ROADSHOW_SECRET_KEY", raising=False)
    config = {"INSTANCE_PATH": str(tmp_path / "dev"),
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'dev.db'}"}
    first = create_app(dict(config)).config["SECRET_KEY"]
    second = create_app(dict(config)).config["SECRET_KEY"]
    assert first == second
    assert (tmp_path / "dev" / "secret_key").read_text() == first
