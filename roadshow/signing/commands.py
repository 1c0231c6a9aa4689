"""``roadshow signing remind`` and ``roadshow signing verify-chain``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("signing")
def signing() -> None:
    """Intents of cooperation: reminders, expiry, audit-chain verification."""


@signing.command("remind")
@with_appcontext
def remind() -> None:
    """Expire overdue intents and remind signers whose turn it is (at most daily)."""
    from roadshow.extensions import db
    from roadshow.signing.services import remind_due

    reminded, expired = remind_due(db.session)
    db.session.commit()
    click.echo(f"{reminded} reminder(s) sent, {expired} intent(s) expired.")


@signing.command("verify-chain")
@with_appcontext
def verify_chain() -> None:
    """Check every intent's hash-chained audit trail; exit 1 if any entry was altered or removed."""
    from roadshow.extensions import db
    from roadshow.signing.services import verify_all_chains

    results = verify_all_chains(db.session)
    broken = 0
    for intent, problems in results.items():
        if problems:
            broken += 1
            click.echo(f"{intent.reference}: BROKEN")
            for problem in problems:
                click.echo(f"  {problem}")
    entries = sum(intent.audit_count for intent in results)
    if broken:
        click.echo(f"{broken} of {len(results)} audit trail(s) broken.")
        raise SystemExit(1)
    click.echo(f"All {len(results)} audit trail(s) intact ({entries} entries).")


commands = [signing]
