"""``roadshow outbox flush``: retry messages that could not be sent."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from roadshow.mail.outbox import deliver_pending_queue


@click.group("outbox")
def outbox() -> None:
    """The email outbox."""


@outbox.command("flush")
@with_appcontext
def flush() -> None:
    """Send every queued or failed message again."""
    click.echo(f"{deliver_pending_queue()} message(s) delivered")
