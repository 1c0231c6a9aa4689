"""``roadshow signing remind`` and ``roadshow signing verify-chain``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from roadshow.extensions import db
from roadshow.signing.audit_trail import (
    adopt_unsigned_heads,
    seal_identity,
    sealed_trail_problems,
    verify_all_chains,
)
from roadshow.signing.reminders import remind_due


@click.group("signing")
def signing() -> None:
    """Intents of cooperation: reminders, expiry, audit-chain verification."""


@signing.command("remind")
@with_appcontext
def remind() -> None:
    """Expire overdue intents and remind signers whose turn it is (at most daily)."""
    reminded, expired = remind_due(db.session)
    db.session.commit()
    click.echo(f"{reminded} reminder(s) sent, {expired} intent(s) expired.")


@signing.command("verify-chain")
@click.option("--adopt-unsigned", is_flag=True,
              help="Sign the heads of intact trails recorded before heads were signed.")
@with_appcontext
def verify_chain(adopt_unsigned: bool) -> None:
    """Check every intent's audit trail: its hash chain, the platform's signature of its head,
    and for sealed intents the trail sealed in the PDF; exit 1 if anything was altered."""
    if adopt_unsigned:
        adopted = adopt_unsigned_heads(db.session)
        db.session.commit()
        click.echo(f"Signed the heads of {len(adopted)} intact trail(s) recorded unsigned.")
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


@signing.command("verify-pdf")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def verify_pdf(path: Path) -> None:
    """Check a sealed PDF from itself alone: its seal and the audit trail attached to it."""
    problems = sealed_trail_problems(path.read_bytes(), seal_identity(), scope=None)
    if problems:
        click.echo(f"{path}: NOT INTACT")
        for problem in problems:
            click.echo(f"  {problem}")
        raise SystemExit(1)
    click.echo(f"{path}: seal genuine, attached audit trail intact and its head signed.")


commands = [signing]
