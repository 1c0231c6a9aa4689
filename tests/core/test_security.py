"""Security headers and cookies on every response; production needs a configured secret."""

from __future__ import annotations

import pytest
from flask import request

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


# --- behind a reverse proxy (issue 12, item 15) ---------------------------------------------

#: apps a test made besides the ``app`` fixture's; their engines are closed after the test
_made: list = []


@pytest.fixture(autouse=True)
def _close_other_apps():
    yield
    from roadshow.extensions import db

    while _made:
        with _made.pop().app_context():
            db.engine.dispose()


def _app_with(app_config, tmp_path, name: str, **settings):
    config = {**app_config, "INSTANCE_PATH": str(tmp_path / name), **settings}
    app = create_app(config)
    _made.append(app)
    from roadshow.access import public

    # what every view (the rate limiter, the signing audit trail) reads as the client's address
    app.add_url_rule("/_test/address", "test_address",
                     public(lambda: {"address": request.remote_addr, "secure": request.is_secure}))
    return app


def _wrong_sign_in(client, forwarded_for: str):
    return client.post("/login", data={"email": "nobody@example.org", "password": "wrong-one-1"},
                       headers={"X-Forwarded-For": forwarded_for})


@pytest.fixture
def proxied(app, app_config, tmp_path):
    """The test app's database, behind one trusted proxy, two sign-ins a minute."""
    return _app_with(app_config, tmp_path, "proxied", TRUSTED_PROXIES=1,
                     LOGIN_RATE_LIMIT="2 per minute")


def test_a_trusted_proxy_gives_each_client_its_own_address_and_rate_limit(proxied):
    client = proxied.test_client()
    seen = client.get("/_test/address", headers={"X-Forwarded-For": "203.0.113.5"}).get_json()
    assert seen["address"] == "203.0.113.5"
    for _ in range(2):
        assert _wrong_sign_in(client, "203.0.113.5").status_code == 200
    assert _wrong_sign_in(client, "203.0.113.5").status_code == 429
    # another client behind the same proxy still has its own attempts
    assert _wrong_sign_in(client, "198.51.100.7").status_code == 200


def test_only_the_configured_number_of_proxies_is_believed(proxied):
    client = proxied.test_client()
    # a client's own made-up X-Forwarded-For comes before what the proxy appends
    seen = client.get("/_test/address",
                      headers={"X-Forwarded-For": "10.9.9.9, 203.0.113.5"}).get_json()
    assert seen["address"] == "203.0.113.5"


def test_without_trusted_proxies_forwarded_headers_are_ignored(app, app_config, tmp_path):
    untrusting = _app_with(app_config, tmp_path, "direct", LOGIN_RATE_LIMIT="2 per minute")
    assert untrusting.config["TRUSTED_PROXIES"] == 0
    client = untrusting.test_client()
    seen = client.get("/_test/address", headers={"X-Forwarded-For": "203.0.113.5",
                                                  "X-Forwarded-Proto": "https"}).get_json()
    assert seen == {"address": "127.0.0.1", "secure": False}
    # so a client cannot escape the limit by claiming a new address every time
    for number in range(2):
        assert _wrong_sign_in(client, f"203.0.113.{number}").status_code == 200
    assert _wrong_sign_in(client, "203.0.113.99").status_code == 429


def test_https_at_the_proxy_makes_the_request_secure_and_sends_hsts(proxied):
    client = proxied.test_client()
    response = client.get("/_test/address", headers={"X-Forwarded-Proto": "https"})
    assert response.get_json()["secure"] is True
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    plain = client.get("/_test/address")
    assert "Strict-Transport-Security" not in plain.headers


def test_an_https_base_url_sends_hsts_even_through_an_undeclared_proxy(app, app_config, tmp_path):
    https_app = _app_with(app_config, tmp_path, "https-site",
                          PUBLIC_BASE_URL="https://roadshow.example.org")
    response = https_app.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers


def test_trusted_proxies_is_read_from_the_environment(monkeypatch, tmp_path):
    from roadshow.config import build_config

    monkeypatch.setenv("ROADSHOW_TRUSTED_PROXIES", "2")
    assert build_config(tmp_path, {"SECRET_KEY": "x"})["TRUSTED_PROXIES"] == 2
    monkeypatch.delenv("ROADSHOW_TRUSTED_PROXIES")
    assert build_config(tmp_path, {"SECRET_KEY": "x"})["TRUSTED_PROXIES"] == 0
