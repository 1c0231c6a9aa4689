"""``roadshow demo``: create or upgrade the database and load the demo's offices and events,
with progress."""

from __future__ import annotations

import importlib
import sys
import time
from zoneinfo import ZoneInfo

import click
from flask.cli import with_appcontext

from roadshow.accounts.models import User
from roadshow.db import utcnow
from roadshow.demo.context import DemoContext
from roadshow.extensions import db

#: the demo's steps, in funnel order; each module has ``TITLE`` and ``load(ctx)``; the domains'
#: steps loop over the demo's events (``ctx.events()``), each doing what suits the event's state
STEPS = [
    "roadshow.demo.organisations",
    "roadshow.demo.people",
    "roadshow.accounts.demo",
    "roadshow.applications.demo",
    "roadshow.review.demo",
    "roadshow.scheduling.demo",
    "roadshow.live.demo",
    "roadshow.signing.demo",
    "roadshow.outcomes.demo",
    "roadshow.demo.next_year",
    "roadshow.demo.talent",
    "roadshow.demands.demo",
    "roadshow.group_messages.demo",  # what each person finds waiting in their notifications
    "roadshow.reminders.demo",  # this morning's funnel digest of the organizers: counts all above
]


def _progress_printer(stream):  # type: ignore[no-untyped-def]
    def show(label: str, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        end = "\n" if done >= total else "\r"
        stream.write(f"  {label:<34} [{bar}] {done}/{total}{end}")
        stream.flush()

    return show


def load_demo(session, progress=None) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """Load every step into an empty database; returns the logins (role, email, password)."""
    now = utcnow()
    today = now.astimezone(ZoneInfo("Asia/Shanghai")).date()
    ctx = DemoContext(session=session, today=today, now=now)
    if progress is not None:
        ctx.progress = progress
    for name in STEPS:
        module = importlib.import_module(name)
        module.load(ctx)
        session.commit()
    return ctx.logins


@click.command("demo")
@click.option("--reset/--no-reset", default=False,
              help="Drop all data first (otherwise the demo loads only into an empty database).")
@with_appcontext
def demo(reset: bool) -> None:
    """Create or upgrade the database, load the demo offices and events and print one login
    per role."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select


    started = time.perf_counter()
    if reset:
        click.echo("Dropping existing data ...")
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    click.echo("Upgrading the database ...")
    upgrade()
    if db.session.scalar(select(func.count()).select_from(User)):
        click.echo("The database already holds data; the demo was not loaded again "
                   "(use --reset to start over).")
    else:
        click.echo("Loading the demo offices and events:")
        logins = load_demo(db.session, _progress_printer(sys.stdout))
        click.echo(f"Demo loaded in {time.perf_counter() - started:.1f} s. Sign in with:")
        click.echo("role email password")
        seen: set[str] = set()
        for role, email, password in logins:
            if role not in seen:
                click.echo(f"{role} {email} {password}")
                seen.add(role)
