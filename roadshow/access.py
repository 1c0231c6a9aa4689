"""The one place that decides who may do what.

Every view declares the permission it needs with :func:`requires` (or :func:`public`); a
``before_request`` guard enforces it, and a view that declares nothing is refused: deny by
default. Object-level rules (a judge only sees assigned applications, an applicant only their
own) live in the ``policy`` functions of each domain and are called by its services.

The permission-matrix test walks every route with every role and derives the expected
outcome from :data:`PERMISSIONS`, so a new route is covered the moment it is declared;
tests/core/test_access_snapshot.py writes out endpoint -> permission -> roles by hand, so
widening a permission or moving an endpoint to a wider one fails until the table is changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, current_app, request
from flask_login import current_user

from roadshow.accounts.roles import Role

log = logging.getLogger("roadshow.access")

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"
ALL_ROLES = frozenset(Role)

#: permission name -> roles that hold it. Keep names ``<domain>.<verb>``.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "account.use": ALL_ROLES,
    "organizer.manage": frozenset({Role.ORGANIZER}),
    "districts.manage": frozenset({Role.ORGANIZER}),
    "districts.view": frozenset({Role.ORGANIZER, Role.RECRUITER}),
    "mail.manage": frozenset({Role.ORGANIZER}),
    "events.manage": frozenset({Role.ORGANIZER}),
    "applications.apply": frozenset({Role.APPLICANT}),
    "applications.view_all": frozenset({Role.ORGANIZER}),
    "review.judge": frozenset({Role.JUDGE}),
    "review.manage": frozenset({Role.ORGANIZER}),
    "docking.recruit": frozenset({Role.RECRUITER}),
    "schedule.view": ALL_ROLES,
    "schedule.manage": frozenset({Role.ORGANIZER}),
    "schedule.availability": frozenset({Role.APPLICANT, Role.JUDGE, Role.RECRUITER}),
    "live.join": ALL_ROLES,
    "live.docking": frozenset({Role.ORGANIZER, Role.RECRUITER, Role.APPLICANT}),
    "live.arrange": frozenset({Role.ORGANIZER, Role.RECRUITER}),
    "signing.draft": frozenset({Role.ORGANIZER, Role.RECRUITER}),
    "signing.sign": ALL_ROLES,
    "jobs.view": ALL_ROLES,  # a job's page: the person who started it (and organizers)
    "jobs.oversee": frozenset({Role.ORGANIZER}),
}

#: endpoints served by extensions, outside our views
EXEMPT_ENDPOINT_PREFIXES = ("static", "bootstrap.")


def requires(permission: str) -> Callable[[F], F]:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}; declare it in roadshow.access")

    def mark(view: F) -> F:
        view.required_permission = permission  # type: ignore[attr-defined]
        return view

    return mark


def public(view: F) -> F:
    view.required_permission = PUBLIC  # type: ignore[attr-defined]
    return view


def role_may(role: Role | None, permission: str) -> bool:
    if permission == PUBLIC:
        return True
    if role is None:
        return False
    return role in PERMISSIONS[permission]


def permission_of(endpoint: str) -> str | None:
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "required_permission", None)


def user_may(permission: str) -> bool:
    """For templates: whether the current user holds ``permission`` (to show links)."""
    if permission == PUBLIC:
        return True
    if not current_user.is_authenticated:
        return False
    return role_may(current_user.role, permission)


def enforce_access() -> Any:
    endpoint = request.endpoint
    if endpoint is None or endpoint.startswith(EXEMPT_ENDPOINT_PREFIXES):
        return None
    permission = permission_of(endpoint)
    if permission is None:
        log.warning("refused %s: endpoint %s declares no permission", request.path, endpoint)
        abort(403)
    if permission == PUBLIC:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    if not role_may(current_user.role, permission):
        log.warning(
            "refused %s %s to user %s (%s): needs %s",
            request.method, request.path, current_user.id, current_user.role, permission,
        )
        abort(403)
    return None


def deny(reason: str) -> None:
    """Object-level refusal from a view after a policy check; logged, then 403."""
    user = getattr(current_user, "id", None)
    log.warning("refused %s %s to user %s: %s", request.method, request.path, user, reason)
    abort(403)
