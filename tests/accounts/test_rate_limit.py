"""Sign-in, registration and reset requests are rate limited, with a friendly 429 page."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LOGIN_RATE_LIMIT": "3 per minute", "ACCOUNT_RATE_LIMIT": "2 per minute"}


def test_login_is_rate_limited_with_friendly_page(client, make_user):
    user = make_user("judge")
    for _ in range(3):
        assert client.post("/login", data={"email": user.email, "password": "wrong-one-1"}).status_code == 200
    response = client.post("/login", data={"email": user.email, "password": "wrong-one-1"})
    assert response.status_code == 429
    assert "Too many attempts in a short time" in response.get_data(as_text=True)
    response = client.post("/login", data={"email": user.email, "password": "wrong-one-1"},
                           headers={"Accept-Language": "zh-CN"})
    assert "短时间内尝试次数过多" in response.get_data(as_text=True)
    # reading the page is not limited
    assert client.get("/login").status_code == 200


@pytest.mark.parametrize("path", ["/register", "/password/forgot", "/verify/resend"])
def test_account_requests_are_rate_limited(client, path):
    for _ in range(2):
        assert client.post(path, data={"email": "x@example.org"}).status_code in (200, 302)
    assert client.post(path, data={"email": "x@example.org"}).status_code == 429


# --- Redis outage (issue 12, item 12) --------------------------------------------------------

@pytest.fixture
def limiter_back_to_normal():
    """The limiter and Flask-SocketIO are one object each per process: after an outage test,
    the next app's limiter must not start out believing its storage is dead, nor its Socket.IO
    keep this test's message queue (Flask-SocketIO's server options outlive ``init_app``)."""
    yield
    from roadshow.extensions import limiter, socketio

    limiter._storage_dead = False
    socketio.server_options.pop("client_manager", None)
    socketio.server_options.pop("message_queue", None)


#: apps a test made besides the ``app`` fixture's; their engines are closed after the test
_made: list = []


@pytest.fixture(autouse=True)
def _close_other_apps():
    yield
    from roadshow.extensions import db

    while _made:
        with _made.pop().app_context():
            db.engine.dispose()


def _app_on_redis(app_config, tmp_path, url: str, name: str):
    from roadshow import create_app

    other = create_app({**app_config, "INSTANCE_PATH": str(tmp_path / name), "REDIS_URL": url,
                        "RATELIMIT_STORAGE_URI": url, "LOGIN_RATE_LIMIT": "3 per minute"})
    _made.append(other)
    return other


def test_sign_in_works_while_redis_is_down_and_limits_stay_in_process(
        app, app_config, tmp_path, make_user, caplog, limiter_back_to_normal):
    from tests.conftest import free_port

    user = make_user("judge")
    outage = _app_on_redis(app_config, tmp_path, f"redis://127.0.0.1:{free_port()}/0", "outage")
    client = outage.test_client()
    with caplog.at_level("WARNING"):
        response = client.post("/login", data={"email": user.email, "password": "Correct-horse-42"})
    assert response.status_code == 302, response.status_code
    assert client.get("/dashboard").status_code == 200
    assert any("falling back to in-memory storage" in r.getMessage() for r in caplog.records)
    # the limit still holds, counted in this process
    for _ in range(2):
        assert client.post("/login", data={"email": user.email, "password": "wrong-one-1"}).status_code == 200
    response = client.post("/login", data={"email": user.email, "password": "wrong-one-1"})
    assert response.status_code == 429
    assert "Too many attempts in a short time" in response.get_data(as_text=True)


def test_sign_in_is_limited_through_redis_when_it_is_up(app, app_config, tmp_path, make_user,
                                                        redis_url, limiter_back_to_normal):
    import redis

    from roadshow.extensions import limiter

    limiter._storage_dead = False
    store = redis.Redis.from_url(redis_url)
    ours = "LIMITS*accounts.login*"  # only the sign-in counters: other tests share this Redis
    for key in store.scan_iter(ours):
        store.delete(key)
    user = make_user("judge")
    client = _app_on_redis(app_config, tmp_path, redis_url, "redis-up").test_client()
    for _ in range(3):
        assert client.post("/login", data={"email": user.email, "password": "wrong-one-1"}).status_code == 200
    assert client.post("/login", data={"email": user.email, "password": "wrong-one-1"}).status_code == 429
    keys = list(store.scan_iter(ours))
    assert keys, "the sign-in attempts were not counted in Redis"
    store.delete(*keys)
