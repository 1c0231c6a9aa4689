"""``roadshow create-organizer``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from roadshow.accounts.roles import Role
from roadshow.accounts.services import AccountError, create_user, password_problem
from roadshow.extensions import db


@click.command("create-organizer")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--locale", type=click.Choice(["en", "zh_Hans_CN"]), default="zh_Hans_CN")
@click.option("--timezone", default="Asia/Shanghai")
@with_appcontext
def create_organizer(email: str, name: str, password: str, locale: str, timezone: str) -> None:
    """Create an organizer account (the city talent office)."""
    problem = password_problem(password, email)
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    try:
        create_user(db.session, email=email, password=password, role=Role.ORGANIZER, name=name,
                    locale=locale, timezone=timezone, verified=True)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"organizer {email} created")
