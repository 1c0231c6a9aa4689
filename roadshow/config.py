"""Configuration from ``ROADSHOW_*`` environment variables, overridable by a mapping.

Defaults give the embedded setup (SQLite in the instance folder, in-process Socket.IO,
messages kept in the outbox). Production points ``ROADSHOW_DATABASE_URL`` at PostgreSQL and
``ROADSHOW_REDIS_URL`` at Redis so that several server processes share live rooms.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

LANGUAGES: dict[str, str] = {"en": "English", "zh_Hans_CN": "简体中文"}
DEFAULT_TIMEZONE = "Asia/Shanghai"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(f"ROADSHOW_{name}")
    return value if value not in (None, "") else default


def _env_bool(name: str, default: bool = False) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Let operators write ``postgresql://`` or ``postgres://``; we speak psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def secret_key_for(instance_path: Path, production: bool) -> str:
    """The configured secret, else one generated once and kept in the instance folder."""
    configured = _env("SECRET_KEY")
    if configured:
        return configured
    if production:
        raise RuntimeError(
            "ROADSHOW_SECRET_KEY must be set in production (ROADSHOW_ENV=production)."
        )
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def build_config(instance_path: Path, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    overrides = dict(overrides or {})
    instance_path.mkdir(parents=True, exist_ok=True)
    production = (overrides.get("ENV") or _env("ENV", "development")) == "production"
    base_url = overrides.get("PUBLIC_BASE_URL") or _env("BASE_URL", "http://127.0.0.1:5000")
    database_url = overrides.get("SQLALCHEMY_DATABASE_URI") or _env(
        "DATABASE_URL", f"sqlite:///{instance_path / 'roadshow.db'}"
    )
    config: dict[str, Any] = {
        "ENV": "production" if production else "development",
        "PUBLIC_BASE_URL": base_url.rstrip("/"),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": _env("REDIS_URL"),
        # Every Redis key and channel Roadshow uses starts with this, so two deployments (or two
        # test runs) can share one Redis server without seeing each other's rooms and limits.
        "REDIS_NAMESPACE": _env("REDIS_NAMESPACE", "roadshow"),
        "SMTP_HOST": _env("SMTP_HOST"),
        "SMTP_PORT": int(_env("SMTP_PORT", "25") or 25),
        "SMTP_USER": _env("SMTP_USER"),
        "SMTP_PASSWORD": _env("SMTP_PASSWORD"),
        "SMTP_STARTTLS": _env_bool("SMTP_STARTTLS"),
        "SMTP_SSL": _env_bool("SMTP_SSL"),
        "MAIL_FROM": _env("MAIL_FROM", "Roadshow <roadshow@localhost>"),
        "UPLOAD_FOLDER": str(instance_path / "uploads"),
        "MAX_CONTENT_LENGTH": int(_env("MAX_UPLOAD_MB", "20") or 20) * 1024 * 1024,
        "LANGUAGES": LANGUAGES,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": DEFAULT_TIMEZONE,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": base_url.startswith("https://"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": base_url.startswith("https://"),
        # "remember me" lasts a month, not Flask-Login's year; signing out ends it at once
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "SESSION_PROTECTION": "strong",
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # Stated for every app: the limiter is one object shared by every app of the process, and
        # Flask-Limiter keeps the last app's "enabled" when an app's config does not say.
        "RATELIMIT_ENABLED": True,
        #: reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host/-Port are
        #: believed (one nginx: 1); 0 trusts none, so a client cannot claim another address
        "TRUSTED_PROXIES": int(_env("TRUSTED_PROXIES", "0") or 0),
        "RATELIMIT_STORAGE_URI": _env("REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Redis down must not make sign-in a 500: the limiter keeps counting in this process
        # (logging "falling back to in-memory storage") and goes back to Redis when it answers.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "LOGIN_RATE_LIMIT": _env("LOGIN_RATE_LIMIT", "10 per minute"),
        "ACCOUNT_RATE_LIMIT": _env("ACCOUNT_RATE_LIMIT", "5 per minute"),
        #: wrong passwords per account (sign-in, password change, declining an intent)
        "PASSWORD_RATE_LIMIT": _env("PASSWORD_RATE_LIMIT", "10 per 15 minutes"),
        "BOOTSTRAP_SERVE_LOCAL": True,
        "INVITATION_MAX_AGE_DAYS": 14,
        "SOCKETIO_ASYNC_MODE": _env("ASYNC_MODE"),
        # live video (roadshow.live.signalling): TURN with time-limited credentials for people
        # behind strict networks (comma-separated turn: URLs and coturn's static-auth-secret)
        "TURN_URLS": [u.strip() for u in (_env("TURN_URLS", "") or "").split(",") if u.strip()],
        "TURN_SECRET": _env("TURN_SECRET"),
        "STUN_URLS": [u.strip() for u in (_env("STUN_URLS", "") or "").split(",") if u.strip()],
        # Janus as the live stage's media server (roadshow.live.janus); unset: browser to browser
        "JANUS_URL": _env("JANUS_URL"),
        "JANUS_PUBLIC_URL": _env("JANUS_PUBLIC_URL") or _env("JANUS_URL"),
        "JANUS_API_SECRET": _env("JANUS_API_SECRET"),
        "JANUS_ADMIN_KEY": _env("JANUS_ADMIN_KEY"),
        # where Janus writes the recorded pitches and Roadshow post-processes and serves them
        # (the same folder for both; default instance/recordings: roadshow.live.recordings)
        "RECORDINGS_DIR": _env("RECORDINGS_DIR"),
        # ffmpeg joins a recording's picture and sound into one .webm (a name on the PATH or a
        # path); not installed: they stay two files
        "FFMPEG": _env("FFMPEG", "ffmpeg"),
        "TESTING": False,
    }
    config.update(overrides)
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    if str(config.get("RATELIMIT_STORAGE_URI") or "").startswith(("redis://", "rediss://")):
        # a Redis that hangs rather than refuses fails over in a second, not a TCP timeout
        config.setdefault("RATELIMIT_STORAGE_OPTIONS",
                          {"socket_connect_timeout": 1.0, "socket_timeout": 1.0})
    if "SECRET_KEY" not in config:
        config["SECRET_KEY"] = secret_key_for(instance_path, production)
    return config
