"""``/healthz`` says honestly whether the database and Redis answer (issue 12, item 12)."""

from __future__ import annotations

import pytest

from roadshow import create_app
from tests.conftest import free_port


@pytest.fixture
def forget_message_queue():
    """Flask-SocketIO keeps the message queue of the last app bound to it (its server options
    outlive ``init_app``): drop it, so later apps of this test process start without Redis."""
    yield
    from roadshow.extensions import socketio

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


def _other_app(app_config, tmp_path, name: str, **settings):
    other = create_app({**app_config, "INSTANCE_PATH": str(tmp_path / name), **settings})
    _made.append(other)
    return other


def test_healthy_without_redis_says_redis_is_not_configured(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.is_json
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["database"]["ms"] >= 0
    assert body["checks"]["redis"] == {"status": "not configured"}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthy_with_a_real_redis(app, app_config, tmp_path, redis_url, forget_message_queue):
    with_redis = _other_app(app_config, tmp_path, "redis-up", REDIS_URL=redis_url,
                            RATELIMIT_STORAGE_URI=redis_url)
    response = with_redis.test_client().get("/healthz")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"]["redis"]["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"


def test_redis_down_is_503_and_named(app, app_config, tmp_path, forget_message_queue):
    dead = f"redis://127.0.0.1:{free_port()}/0"
    without_redis = _other_app(app_config, tmp_path, "redis-down", REDIS_URL=dead,
                               RATELIMIT_STORAGE_URI=dead)
    response = without_redis.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"]["status"] == "down"
    assert body["checks"]["redis"]["error"] == "ConnectionError"
    assert body["checks"]["database"]["status"] == "ok"


def test_database_down_is_503_and_named(app, app_config, tmp_path):
    gone = tmp_path / "no-such-folder" / "roadshow.db"
    broken = _other_app(app_config, tmp_path, "db-down", SQLALCHEMY_DATABASE_URI=f"sqlite:///{gone}")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "down"
    assert body["checks"]["database"]["error"] == "OperationalError"


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_health_is_public_and_anonymous(client, language):
    response = client.get("/healthz", headers={"Accept-Language": language})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
