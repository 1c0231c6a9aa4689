"""``roadshow organisations create`` and ``roadshow admin grant|revoke <email>`` (issue 13).

An empty platform gets its first office from the command line (or the administrator's page);
the migration made the first active organizer platform administrator, and these commands
change who is.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from roadshow.accounts.models import User
from roadshow.accounts.services import find_user_by_email
from roadshow.config import DEFAULT_TIMEZONE
from roadshow.extensions import db
from roadshow.organisations import services
from roadshow.organisations.models import OrganisationKind


@click.group("organisations")
def organisations() -> None:
    """Talent offices: create one."""


@organisations.command("create")
@click.option("--slug", prompt=True, help="The office's short address: /o/<slug>/.")
@click.option("--name-zh", prompt=True, help="The office's name in Chinese.")
@click.option("--name-en", prompt=True, help="The office's name in English.")
@click.option("--kind", type=click.Choice([k.value for k in OrganisationKind]),
              default=OrganisationKind.CITY_OFFICE.value, show_default=True)
@click.option("--timezone", default=DEFAULT_TIMEZONE, show_default=True)
@click.option("--organizer", "organizer_email", default="",
              help="Email of an existing account that organises the office.")
@with_appcontext
def create(slug: str, name_zh: str, name_en: str, kind: str, timezone: str,
           organizer_email: str) -> None:
    """Create a talent office, optionally with its first organizer."""
    organizer = None
    if organizer_email:
        organizer = find_user_by_email(db.session, organizer_email)
        if organizer is None:
            raise click.BadParameter(f"no account uses {organizer_email}",
                                     param_hint="--organizer")
    try:
        office = services.create_organisation(db.session, None, services.OrganisationData(
            slug=slug, kind=kind, name_zh=name_zh, name_en=name_en, timezone=timezone))
        if organizer is not None:
            services.add_member(db.session, None, office, organizer)
    except services.OrganisationError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"office {office.slug} created"
               + (f", organised by {organizer.email}" if organizer else ""))


@click.group("admin")
def admin() -> None:
    """Platform administrators: who may create offices and alliances and read the outbox."""


def _account(email: str) -> User:
    user = find_user_by_email(db.session, email)
    if user is None:
        raise click.BadParameter(f"no account uses {email}", param_hint="EMAIL")
    return user


@admin.command("grant")
@click.argument("email")
@with_appcontext
def grant(email: str) -> None:
    """Make the account EMAIL a platform administrator."""
    user = _account(email)
    changed = services.set_platform_admin(db.session, user, True)
    db.session.commit()
    click.echo(f"{user.email} {'is now' if changed else 'was already'} a platform administrator")


@admin.command("revoke")
@click.argument("email")
@with_appcontext
def revoke(email: str) -> None:
    """Make the account EMAIL no longer a platform administrator."""
    user = _account(email)
    changed = services.set_platform_admin(db.session, user, False)
    db.session.commit()
    click.echo(f"{user.email} {'is no longer' if changed else 'was not'} a platform administrator")


commands = [organisations, admin]
