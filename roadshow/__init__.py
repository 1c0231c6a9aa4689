"""Roadshow: a bilingual event-management and virtual-roadshow platform for talent recruitment."""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["create_app"]

PACKAGE_DIR = Path(__file__).parent
REPO_DIR = PACKAGE_DIR.parent
TEMPLATES_DIR = REPO_DIR / "templates"

#: "module:attribute" of every blueprint, one per domain
BLUEPRINTS = [
    "roadshow.core.views:bp",
    "roadshow.accounts.views:bp",
    "roadshow.events.views:bp",
    "roadshow.applications.views:bp",
    "roadshow.live.views:bp",
    "roadshow.districts.views:bp",
    "roadshow.mail.views:bp",
    "roadshow.review.views:bp",
    "roadshow.scheduling.views:bp",
    "roadshow.signing.views:bp",
    "roadshow.jobs.views:bp",
    "roadshow.organisations.views:bp",
    "roadshow.reports.views:bp",
    "roadshow.talent.routes:bp",
    "roadshow.demands.routes:bp",
    "roadshow.outcomes.routes:bp",
    "roadshow.notifications.views:bp",
    "roadshow.wording.views:bp",
    "roadshow.group_messages.views:bp",
    "roadshow.live.recording_views:bp",
    "roadshow.events.legacy:bp",
]

#: modules whose ``register(socketio)`` binds Socket.IO namespaces
SOCKET_NAMESPACES: list[str] = [
    "roadshow.live.namespace",
]


#: modules that declare background job kinds (``roadshow.jobs.kinds.register``), loaded before the
#: job queue starts
JOB_MODULES: list[str] = [
    "roadshow.events.jobs",  # no job starts on an archived event (a guard, no job kind)
    "roadshow.mail.jobs",
    "roadshow.accounts.jobs",  # an event's invitations sent from a file
    "roadshow.scheduling.jobs",
    "roadshow.talent.jobs",  # a talent pool import
    "roadshow.outcomes.jobs",  # the daily reminders of overdue milestones
    "roadshow.notifications.jobs",  # the daily digests, each at eight in its reader's morning
    "roadshow.group_messages.jobs",  # a message to a group, delivered to each recipient
    "roadshow.notifications.job_failures",  # a job that failed for good tells its starter
    "roadshow.live.recording_jobs",  # the recordings of pitches post-processed (janus-pp-rec)
    "roadshow.reminders.jobs",  # every minute, the reminders due then (pitches, reviews, signatures, calls)
]


def _instance_path() -> Path:
    configured = os.environ.get("ROADSHOW_INSTANCE_PATH")
    return Path(configured).resolve() if configured else REPO_DIR / "instance"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The application factory; ``config`` overrides settings (tests pass their own).

    The composition root: it imports the application here, not at the top of this package, so
    that importing any module of Roadshow (a pure one above all) loads no Flask."""
    from flask import Flask
    from flask_babel import lazy_gettext as _l

    from roadshow import access, errors, i18n, scoping, security
    from roadshow.accounts.services import load_user
    from roadshow.commands import register_commands
    from roadshow.config import build_config
    from roadshow.core import params
    from roadshow.events import scope
    from roadshow.extensions import (
        babel,
        bootstrap,
        csrf,
        db,
        limiter,
        login_manager,
        migrate,
        socketio,
    )
    from roadshow.jobs import queue as job_queue

    config = dict(config or {})
    instance_path = Path(config.pop("INSTANCE_PATH", None) or _instance_path())
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(TEMPLATES_DIR),
        static_folder="static",
    )
    app.config.update(build_config(instance_path, config))
    params.init_app(app)  # before the blueprints: their <int:...> routes use it
    Path(app.config["UPLOAD_FOLDER"]).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # one line per glyph when sealing

    _import_models()
    db.init_app(app)
    scoping.init_app(app)  # the guard against unscoped reads of event-owned rows
    migrate.init_app(app, db, directory=str(PACKAGE_DIR / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    app.config.setdefault("RATELIMIT_KEY_PREFIX", app.config["REDIS_NAMESPACE"])
    limiter.init_app(app)
    i18n.compile_catalogs()
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        timezone_selector=i18n.select_timezone,
        default_translation_directories=";".join(i18n.translation_directories()),
    )
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(i18n.translation_directories())
    socketio.init_app(
        app,
        message_queue=app.config["REDIS_URL"],
        channel=f"{app.config['REDIS_NAMESPACE']}-socketio",
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        cors_allowed_origins=[app.config["PUBLIC_BASE_URL"]],
        manage_session=False,
    )

    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.needs_refresh_message = _l("Please sign in again to confirm it is you.")
    login_manager.refresh_view = "accounts.login"

    for spec in BLUEPRINTS:
        module_name, _, attribute = spec.partition(":")
        app.register_blueprint(getattr(importlib.import_module(module_name), attribute))
    for module_name in SOCKET_NAMESPACES:
        importlib.import_module(module_name).register(socketio)
    for module_name in JOB_MODULES:
        importlib.import_module(module_name)
    job_queue.init_app(app)

    scope.init_app(app)  # g.event / g.organisation / g.alliance, before access is enforced
    app.before_request(access.enforce_access)
    app.jinja_env.globals["user_may"] = access.user_may
    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions
    app.jinja_env.add_extension("jinja2.ext.do")
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    register_commands(app)
    return app


def _import_models() -> None:
    """Import every models module so metadata (and Alembic) sees all tables."""
    for path in sorted(PACKAGE_DIR.glob("*/models.py")):
        importlib.import_module(f"roadshow.{path.parent.name}.models")
