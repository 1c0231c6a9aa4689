"""``/healthz`` is public: when a dependency is down it names the dependency and the kind of
failure, never the database's location, a Redis password or host, nor a traceback."""

from __future__ import annotations

from tests.conftest import free_port
from tests.core.test_health import (  # noqa: F401 - fixtures
    _close_other_apps,
    _other_app,
    forget_message_queue,
)


def test_a_down_dependency_is_named_without_its_address_or_secret(app, app_config, tmp_path,
                                                                  forget_message_queue):  # noqa: F811
    port = free_port()
    dead_redis = f"redis://:Hunter2-redis-secret@127.0.0.1:{port}/0"
    gone = tmp_path / "secret-folder-name" / "nowhere" / "roadshow.db"
    broken = _other_app(app_config, tmp_path, "leaks", REDIS_URL=dead_redis,
                        RATELIMIT_STORAGE_URI=dead_redis,
                        SQLALCHEMY_DATABASE_URI=f"sqlite:///{gone}")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    for secret in ("Hunter2", "secret-folder-name", "roadshow.db", "sqlite", str(port), "127.0.0.1",
                   "Traceback", "File \"", tmp_path.name):
        assert secret not in text, secret
    body = response.get_json()
    assert set(body) == {"status", "checks"}
    assert set(body["checks"]) == {"database", "redis"}
    for check in body["checks"].values():
        assert set(check) <= {"status", "ms", "error"}
        assert check["status"] == "down"
