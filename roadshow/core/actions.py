"""One organizer's (or user's) action from a view: run the service, keep it or undo it, say so.

The views of every stage repeated the same lines: call the service; on the domain's refusal
roll back and flash its translated message; otherwise commit, flash what was done and redirect.
:func:`attempt` is that try/rollback/commit, for a view that shows its form again when refused;
:func:`act` adds the flash of success and the redirect, for a view that always leaves.

It sits with the infrastructure (see tests/core/test_layers.py), so that every stage may use it:
it knows the session and Flask, and nothing of any domain; the domain names its refusal and how
its message reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import flash, redirect
from werkzeug.wrappers import Response

from roadshow.extensions import db

T = TypeVar("T")

#: a text, or how to read it from what the service returned
Said = str | Callable[[Any], str | None] | None


@dataclass(frozen=True)
class Attempt(Generic[T]):
    """What :func:`attempt` came to: ``ok`` and the service's result, or refused (``value`` None)."""

    ok: bool
    value: T | None = None


def attempt(action: Callable[[], T], *, refused: type[Exception] | tuple[type[Exception], ...] = (),
            say: Callable[[Any], str] = str, category: str = "danger") -> Attempt[T]:
    """Run ``action``; on ``refused`` roll back and flash ``say(error)`` as ``category``,
    otherwise commit. Any other exception passes through untouched."""
    try:
        value = action()
    except refused as error:
        db.session.rollback()
        flash(say(error), category)
        return Attempt(False)
    db.session.commit()
    return Attempt(True, value)


def _read(said: Said, value: Any) -> str | None:
    return said(value) if callable(said) else said


def act(action: Callable[[], T], *, to: str | Callable[[T], str], done: Said = None,
        done_category: str = "success", refused: type[Exception] | tuple[type[Exception], ...] = (),
        say: Callable[[Any], str] = str, category: str = "danger",
        refused_to: str | None = None) -> Response:
    """:func:`attempt` ``action``, then redirect: when done, flash ``done`` (a text, or a function
    of the result; nothing when None) as ``done_category`` and go ``to`` (a URL, or a function of
    the result); when refused, go to ``refused_to`` (``to`` if None and ``to`` is a URL)."""
    back = refused_to if refused_to is not None else to
    if callable(back) and refused:
        raise TypeError("act() needs refused_to when `to` depends on the result")
    outcome = attempt(action, refused=refused, say=say, category=category)
    if not outcome.ok:
        return redirect(back)  # type: ignore[arg-type]
    value: Any = outcome.value
    message = _read(done, value)
    if message:
        flash(message, done_category)
    return redirect(to(value) if callable(to) else to)
