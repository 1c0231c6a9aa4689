"""Per-account limits on password guesses, beside the per-address ones.

The address limit (``LOGIN_RATE_LIMIT``) stops one client guessing fast; it does nothing against
many addresses guessing one account's password slowly. ``PASSWORD_RATE_LIMIT`` counts the
*wrong* passwords typed for one account, wherever they come from: at sign-in (keyed by the email
typed, known or not, so the limit tells nothing about which addresses have accounts), at the
profile's password change and when a signer declines an intent (keyed by the signed-in user).
A right password is never counted, but once the limit is reached it waits like the rest.

One count per account is shared by all three forms (a stolen session gains no guesses by
declining instead of changing the password). Decorate a view with
``@password_guesses(typed_account)`` or ``@password_guesses(signed_in_account)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.accounts.services import normalise_email
from roadshow.extensions import limiter

#: the one bucket per account that every password form counts into
SCOPE = "password-guesses"


def password_limit() -> str:
    return current_app.config["PASSWORD_RATE_LIMIT"]


def typed_account() -> str:
    """The account a sign-in form names: its email as typed, normalised."""
    return "account:" + normalise_email(request.form.get("email", ""))[:254]


def signed_in_account() -> str:
    """The signed-in user's account, as :func:`typed_account` names it."""
    email = current_user.email if current_user.is_authenticated else ""
    return "account:" + normalise_email(email)


def failed(response: Response) -> bool:
    """Whether the password was refused: the forms answer a success with a redirect."""
    return not 300 <= response.status_code < 400


def password_guesses(key_func: Callable[[], str]) -> Any:
    """The per-account limit on wrong passwords, for a view whose POST checks one."""
    return limiter.shared_limit(password_limit, scope=SCOPE, key_func=key_func,
                                methods=["POST"], deduct_when=failed)
