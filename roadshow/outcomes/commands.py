"""``roadshow outcomes remind``: open the projects of sealed intents that lack one and remind the
responsible unit of each overdue milestone, once (run daily)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from roadshow.extensions import db
from roadshow.outcomes.reminders import remind_overdue


@click.group("outcomes")
def outcomes() -> None:
    """Projects after a sealed intent: milestones and their reminders."""


@outcomes.command("remind")
@with_appcontext
def remind() -> None:
    """Remind the responsible unit of every overdue milestone not reminded yet (once each)."""
    sent = remind_overdue(db.session)
    db.session.commit()
    click.echo(f"{sent} reminder(s) sent.")


commands = [outcomes]
