"""The ``roadshow`` command group: a Flask CLI group with Roadshow's own commands.

``roadshow db upgrade`` (Flask-Migrate), ``roadshow demo``, ``roadshow serve``,
``roadshow create-organizer``, ``roadshow i18n update|check``, ``roadshow outbox flush``.
Domains add their commands through ``register_commands``. ``roadshow.cli`` launches it.
"""

from __future__ import annotations

import atexit
import importlib
import json
import os
import signal
import subprocess
import sys
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from roadshow import create_app, live_gc
from roadshow.accounts.commands import create_organizer
from roadshow.catalogs import fill, untranslated, update
from roadshow.demo.commands import demo
from roadshow.extensions import socketio
from roadshow.i18n import CATALOG_DOMAINS, compile_catalogs
from roadshow.mail.commands import outbox

#: modules that expose ``commands: list[click.Command]`` to add to the group
COMMAND_MODULES: list[str] = [
    "roadshow.signing.commands",
    "roadshow.jobs.commands",
    "roadshow.organisations.commands",
    "roadshow.outcomes.commands",
]


def _create_app(*_args: Any) -> Flask:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False,
             load_dotenv=False, set_debug_flag=False)
def cli() -> None:
    """Roadshow: bilingual virtual roadshows for talent recruitment."""


LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


def adopt_served_origin(app: Flask, host: str, port: int) -> None:
    """Without ``ROADSHOW_BASE_URL``, serving on a loopback address makes that address the public
    one: the live room's websocket origin check accepts it and emailed links point at it (the
    default base URL names port 5000, which refused every live room on any other port)."""
    if os.environ.get("ROADSHOW_BASE_URL") or host not in LOOPBACK_HOSTS:
        return
    origins = {f"http://{name}:{port}" for name in LOOPBACK_HOSTS}
    app.config["PUBLIC_BASE_URL"] = f"http://{host}:{port}"
    app.config["LIVE_ALLOWED_ORIGINS"] = tuple(
        sorted({*app.config.get("LIVE_ALLOWED_ORIGINS", ()), *origins}))
    if socketio.server is not None:
        socketio.server.eio.cors_allowed_origins = sorted(
            {app.config["PUBLIC_BASE_URL"], *app.config["LIVE_ALLOWED_ORIGINS"]})


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug/--no-debug", default=False)
@click.option("--worker/--no-worker", default=True, show_default=True,
              help="Run background jobs in this process (production runs `roadshow jobs worker`).")
@with_appcontext
def serve(host: str, port: int, debug: bool, worker: bool) -> None:
    """Run the Socket.IO-capable server (gevent with simple-websocket) and the job queue."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    adopt_served_origin(app, host, port)
    click.echo(f"Roadshow on http://{host}:{port}/ (async mode: {socketio.async_mode})")
    # full garbage collections over thousands of live connections would stall every room
    socketio.start_background_task(live_gc.run_forever, socketio.sleep)
    if worker:
        start_job_worker(app)
    socketio.run(app, host=host, port=port, debug=debug, use_reloader=False,
                 log_output=debug)


def start_job_worker(app: Flask) -> subprocess.Popen[bytes]:
    """Background jobs run in one extra process beside the server (``roadshow jobs worker``),
    so a long job never holds the server's event loop; it stops when the server stops. It is
    told the server's public address, so the emails it sends link to the port being served."""
    env = {**os.environ, "ROADSHOW_BASE_URL": app.config["PUBLIC_BASE_URL"]}
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-c", "from roadshow.cli import main; main()",
         "jobs", "worker", "--parent", str(os.getpid())], env=env)
    atexit.register(stop_job_worker, worker)
    click.echo(f"Background jobs run in process {worker.pid} (roadshow jobs worker).")
    return worker


def stop_job_worker(worker: subprocess.Popen[bytes], grace: float = 15.0) -> None:
    """Ask the worker to finish its running jobs (SIGINT), then end it; a job still running
    then resumes at the next start."""
    if worker.poll() is not None:
        return
    worker.send_signal(signal.SIGINT)
    try:
        worker.wait(grace)
    except subprocess.TimeoutExpired:
        worker.terminate()
        worker.wait(5)


def register_commands(app: Flask) -> None:
    for command in (create_organizer, demo, outbox, i18n):
        app.cli.add_command(command)
    for module_name in COMMAND_MODULES:
        for command in importlib.import_module(module_name).commands:
            app.cli.add_command(command)


@click.group("i18n")
def i18n() -> None:
    """Message catalogs (one per domain)."""


@i18n.command("update")
@click.option("--domain", "domains", multiple=True, help="Only these domains.")
def i18n_update(domains: tuple[str, ...]) -> None:
    """Extract strings and merge them into each domain's Chinese catalog."""
    missing = update(domains or CATALOG_DOMAINS)
    compile_catalogs()
    for domain, count in missing.items():
        click.echo(f"{domain:14} {count} untranslated")


@i18n.command("missing")
@click.argument("domain")
def i18n_missing(domain: str) -> None:
    """Print the domain's untranslated strings as a JSON object to fill in."""
    click.echo(json.dumps({m: "" for m in untranslated(domain)}, ensure_ascii=False, indent=1))


@i18n.command("fill")
@click.argument("domain")
@click.argument("json_file", type=click.File("r", encoding="utf-8"))
def i18n_fill(domain: str, json_file) -> None:  # type: ignore[no-untyped-def]
    """Write translations from a JSON object {"English": "中文"} into the domain's catalog."""
    count = fill(domain, {k: v for k, v in json.load(json_file).items() if v})
    compile_catalogs()
    click.echo(f"{count} translation(s) written to {domain}")


@i18n.command("check")
def i18n_check() -> None:
    """List strings without a Chinese translation; exit 1 when there are any."""
    total = 0
    for domain in CATALOG_DOMAINS:
        for message in untranslated(domain):
            click.echo(f"{domain}: {message}")
            total += 1
    if total:
        raise SystemExit(1)
